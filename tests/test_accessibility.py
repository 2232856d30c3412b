"""WCAG 2.2 AA in real Chromium: axe-core finds nothing on any page type.

Every page type of the fixture office kantorcontoh and of the hub, in both
languages, at a 360 px phone and a 1280 px desktop: axe-core (bundled by
axe-playwright-python) with the WCAG 2.0/2.1/2.2 A and AA rules must report no
violation, the page must not scroll sideways, and no request may leave the
site's own domain while it loads. Two states that only appear at run time are
checked too: the alert banner (a build on a day before the fixture alert
expires) and Material's search results.

Each site is served from its own root, as in production, so the 404 page's
absolute links resolve.
"""
from __future__ import annotations

import datetime as dt

import re
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python.sync_playwright as axe_api
import pytest

from conftest import make_repo
from infohub.build import build_sites
from search.searchbox import serve

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}
# Before the fixture office's alert expires (10 September 2025, WIT).
ALERT_NOW = "2025-09-05T10:00:00+09:00"

OFFICE_PAGES = {
    "home": "",
    "services": "layanan/",
    "fees": "biaya/",
    "hours": "jam-layanan/",
    "faq": "faq/",
    "news-list": "berita/",
    "news-post": "berita/2025/layanan-akhir-pekan/",
    "event-with-image": "berita/2025/hari-terbuka/",
    "category": "berita/kategori/acara/",
    # Written in Indonesian only: the English page is the fallback with its notice.
    "fallback": "berita/2025/hanya-indonesia/",
}
HUB_PAGES = {"hub-home": "", "hub-handbook": "panduan/", "hub-fees": "biaya/"}
LANGUAGES = {"id": "", "en": "en/"}


def cases() -> list:
    params = []
    for site, pages in (("kantorcontoh", OFFICE_PAGES), ("hub", HUB_PAGES)):
        for kind, path in pages.items():
            for lang, prefix in LANGUAGES.items():
                params.append(pytest.param(site, prefix + path, id=f"{kind}-{lang}"))
    # Each site has one 404 page (Indonesian only), served for every address that does not exist.
    params += [pytest.param("kantorcontoh", "404.html", id="404"), pytest.param("hub", "404.html", id="hub-404")]
    return params


def own_domain(site: Path) -> str:
    """The domain a built site is published on, from its sitemap."""
    return urlsplit(re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text()).group(1)).netloc


@pytest.fixture(scope="module")
def servers(built_repo):
    site = built_repo / "site"
    with serve(site / "kantorcontoh") as (office, _), serve(site / "hub") as (hub, _):
        yield {name: (base, own_domain(site / name)) for name, base in (("kantorcontoh", office), ("hub", hub))}


@pytest.fixture(scope="module")
def alert_server(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("accessibility") / "repo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOHUB_NOW", ALERT_NOW)
        results = build_sites(["kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    with serve(root / "site" / "kantorcontoh") as (base, _):
        yield base, own_domain(root / "site" / "kantorcontoh")



@pytest.fixture
def open_page(browser):
    """Opens a page at a screen size; fails the test if any request left the site.

    Material asks the site's own domain for sitemap.xml (aborted here, since the
    test serves from 127.0.0.1); any other host is a request that left the site."""
    contexts, outside = [], []

    def opener(url: str, size: str, domain: str, now: str | None = None):
        width, height = WIDTHS[size]
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        local = urlsplit(url).netloc

        def check(route):
            host = urlsplit(route.request.url).netloc
            if host == local:
                route.continue_()
            else:
                if host != domain:
                    outside.append(route.request.url)
                route.abort()

        context.route("**/*", check)
        page = context.new_page()
        if now:  # the reader's clock: a banner leaves the page at its end (infohub-hours.js)
            page.clock.set_fixed_time(dt.datetime.fromisoformat(now))
        page.goto(url, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.unroute_all(behavior="ignoreErrors")  # requests still in flight end quietly
        context.close()
    assert outside == [], "requests that left the site"


def violations(page) -> list[dict]:
    return axe_api.Axe().run(page, options=AXE_OPTIONS).response["violations"]


def describe(found: list[dict]) -> str:
    """What a developer needs to fix each violation: rule, impact, where, and why."""
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    found = violations(page)
    assert found == [], "\n" + describe(found)


def assert_fits(page, size: str) -> None:
    width = WIDTHS[size][0]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    # Body text stays at 16 px on both screens (Material's .md-typeset: .8rem of a 20 px root).
    size_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)")
    assert size_px >= 16, size_px


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize("site, path", cases())
def test_page_types_have_no_wcag_violations(open_page, servers, site, path, size):
    base, domain = servers[site]
    page = open_page(base + path, size, domain)
    assert_fits(page, size)
    assert_accessible(page)


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_alert_banner_has_no_wcag_violations(open_page, alert_server, lang, size):
    base, domain = alert_server
    page = open_page(base + LANGUAGES[lang], size, domain, now=ALERT_NOW)  # read while the alert is up
    assert page.locator(".md-banner .infohub-alert").is_visible()
    assert_fits(page, size)
    assert_accessible(page)


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize("lang, query", [("id", "paspor"), ("en", "passport")])
def test_open_search_results_have_no_wcag_violations(open_page, servers, lang, query, size):
    base, domain = servers["kantorcontoh"]
    page = open_page(base + LANGUAGES[lang], size, domain)
    opener = page.locator("label.md-header__button[for='__search']")
    (opener if opener.is_visible() else page.locator("input.md-search__input")).click()
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.locator("li.md-search-result__item").first.wait_for(state="visible", timeout=30000)
    assert_accessible(page)


def test_a_copyright_line_in_the_footer_is_readable(open_page, servers):
    """No site sets mkdocs.yml 'copyright' yet; Material's grey for it was 4.47:1."""
    base, domain = servers["kantorcontoh"]
    page = open_page(base, "desktop", domain)
    page.locator(".md-copyright").evaluate("el => { el.textContent = '© 2025 Kantor Imigrasi Contoh' }")
    assert_accessible(page)
