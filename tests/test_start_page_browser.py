"""The start page, the fee schedule on paper, and a clean console, in real Chromium.

The start page is built for the tasks people come for: in the first screen of
a 360×800 phone and of a 1280×900 desktop, without scrolling, the office's
name, today's status and the six task links (passport with the M-Paspor queue,
fees, hours, requirements, contact and location, FAQ), in both languages, for
an office with hours (the fixture kantorcontoh, also with its alert banner up)
and for one without (kantorkosong, only name, city and time zone).

Every page type, in both languages, loads with an empty console and without a
single request leaving the page's own origin: each site is served from its own
root on 127.0.0.1 and any other host, the production domain included, counts.

Fees, hours and requirements print on one A4 page each, naming the office.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python.sync_playwright as axe_api
import pytest
from bs4 import BeautifulSoup

from conftest import make_repo, record_console, serving
from infohub.build import build_sites
from test_completeness import BARE, add_bare_office

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 800), "desktop": (1280, 900)}
LANGUAGES = {"id": "", "en": "en/"}
# Friday 12 September 2025 10:00 WIT: open, two days after the alert has expired
NOW = "2025-09-12T01:00:00Z"
# Before the fixture office's alert expires (10 September 2025, WIT).
ALERT_NOW = "2025-09-05T10:00:00+09:00"
TASKS = {"id": ["Paspor baru atau perpanjangan", "Biaya", "Jam layanan", "Persyaratan", "Kontak dan lokasi",
                "Tanya jawab"],
         "en": ["New passport or renewal", "Fees", "Service hours", "Requirements", "Contact and location", "FAQ"]}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

OFFICE_PAGES = ["", "layanan/", "biaya/", "jam-layanan/", "faq/", "berita/", "berita/2025/layanan-akhir-pekan/",
                "berita/2025/hari-terbuka/", "berita/kategori/acara/", "berita/2025/hanya-indonesia/"]
HUB_PAGES = ["", "panduan/", "biaya/"]


def build(root: Path, slugs: list[str], now: str | None = None) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        if now:
            patch.setenv("INFOHUB_NOW", now)
        results = build_sites(slugs, root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root / "site"


@pytest.fixture(scope="module")
def sites(built_repo, tmp_path_factory) -> dict[str, Path]:
    bare = make_repo(tmp_path_factory.mktemp("start") / "repo")
    add_bare_office(bare)
    alert = make_repo(tmp_path_factory.mktemp("alert") / "repo")
    return {"kantorcontoh": built_repo / "site" / "kantorcontoh", "hub": built_repo / "site" / "hub",
            BARE: build(bare, [BARE]) / BARE, "alert": build(alert, ["kantorcontoh"], ALERT_NOW) / "kantorcontoh"}


@pytest.fixture(scope="module")
def servers(sites):
    with serving(sites) as urls:
        yield urls


@pytest.fixture
def open_page(browser):
    """Opens a page; records every request to another origin (aborted) and every console
    message and page error. The test asserts on them; the fixture checks they were looked at."""
    contexts = []

    def opener(url: str, size: str = "phone", javascript: bool = True, now: str = NOW):
        width, height = SIZES[size]
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        origin = urlsplit(url).netloc
        page = context.new_page()
        page.outside = []

        def check(route):
            if urlsplit(route.request.url).netloc == origin:
                route.continue_()
            else:
                page.outside.append(route.request.url)
                route.abort()

        page.route("**/*", check)
        record_console(page)
        page.add_init_script(f"window.INFOHUB_NOW = {now!r};")
        page.goto(url, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.unroute_all(behavior="ignoreErrors")
        context.close()


def in_first_screen(page, locator) -> None:
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    locator.wait_for(state="visible")
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (box, width, height)


# --- 1. the first screen ------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("site", ["kantorcontoh", BARE, "alert"])
def test_the_first_screen_holds_the_status_and_the_six_tasks(open_page, servers, site, lang, size):
    # the alert site is read while its alert is up (a banner leaves the page at its end), also a Friday 10:00 WIT
    page = open_page(servers[site] + LANGUAGES[lang], size, now=ALERT_NOW if site == "alert" else NOW)
    assert page.evaluate("window.scrollY") == 0
    in_first_screen(page, page.locator("h1.infohub-start__title"))
    status = page.locator(".infohub-start__status .infohub-now")
    in_first_screen(page, status)
    if site == BARE:
        assert status.get_attribute("data-state") == "unknown"
        assert status.inner_text() == {"id": "Jam layanan belum diumumkan di situs ini. Pastikan dulu sebelum datang.",
                                       "en": "Service hours are not published on this site yet. "
                                             "Check before you go."}[lang]
    else:
        assert status.get_attribute("data-state") == "open"  # Friday 10:00 WIT
        assert status.locator("p").first.inner_text() == {"id": "Sedang buka · tutup pukul 11:30 WIT",
                                                          "en": "Open now · closes at 11:30 WIT"}[lang]
    if site == "alert":
        in_first_screen(page, page.locator(".md-banner .infohub-alert"))
    links = page.locator(".infohub-tasks a")
    assert [n.strip() for n in links.locator(".infohub-task__name").all_inner_texts()] == TASKS[lang]
    for i in range(6):
        in_first_screen(page, links.nth(i))
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_task_links_lead_to_their_pages(open_page, servers, lang):
    page = open_page(servers["kantorcontoh"] + LANGUAGES[lang])
    hrefs = page.locator(".infohub-tasks a").evaluate_all("links => links.map(a => a.href)")
    base = servers["kantorcontoh"] + LANGUAGES[lang]
    assert hrefs == [base + "layanan/#paspor-baru", base + "biaya/", base + "jam-layanan/", base + "layanan/",
                     base + "#kontak", base + "faq/"]
    for href in set(h.split("#")[0] for h in hrefs):
        assert page.request.get(href).ok, href


def test_without_javascript_the_week_stands_in_for_the_status(open_page, servers):
    page = open_page(servers["kantorcontoh"], "phone", javascript=False)
    assert page.locator("[data-infohub-now]").is_hidden()
    week = page.locator(".infohub-start__status .infohub-week")
    in_first_screen(page, week)
    assert [" ".join(t.split()) for t in week.locator("> div").all_inner_texts()] == [
        "Senin–Kamis 08:00–12:00, 13:00–16:00 WIT", "Jumat 08:00–11:30, 13:30–16:00 WIT", "Sabtu–Minggu Tutup"]
    for i in range(6):
        in_first_screen(page, page.locator(".infohub-tasks a").nth(i))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_below_the_tasks_the_three_newest_posts_then_the_profile(open_page, servers, sites, lang):
    page = open_page(servers["kantorcontoh"] + LANGUAGES[lang], "desktop")
    posts = page.locator(".infohub-start__posts > li > a")
    assert posts.count() == 3
    listed = BeautifulSoup((sites["kantorcontoh"] / LANGUAGES[lang] / "berita" / "index.html").read_text(),
                           "html.parser")
    newest = [a.get_text(strip=True) for a in listed.select(".infohub-news-list h2 a")][:3]
    assert posts.all_inner_texts() == newest
    order = page.evaluate("""() => ['.infohub-tasks', '.infohub-start__news', '.infohub-profile']
        .map(s => document.querySelector(s).getBoundingClientRect().top)""")
    assert order == sorted(order)


# --- 6. a clean console, nothing outside the page's own origin ------------------------


def page_cases() -> list:
    cases = [pytest.param("kantorcontoh", lang + path, id=f"office-{lang or 'id/'}{path}")
             for lang in LANGUAGES.values() for path in OFFICE_PAGES]
    cases += [pytest.param("hub", lang + path, id=f"hub-{lang or 'id/'}{path}")
              for lang in LANGUAGES.values() for path in HUB_PAGES]
    cases += [pytest.param(BARE, lang, id=f"bare-{lang or 'id/'}") for lang in LANGUAGES.values()]
    return cases + [pytest.param("kantorcontoh", "404.html", id="404")]


@pytest.mark.parametrize("site, path", page_cases())
def test_every_page_type_stays_on_its_origin_with_an_empty_console(open_page, servers, site, path):
    page = open_page(servers[site] + path, "phone")
    page.wait_for_timeout(300)  # what Material fetches after the load event
    assert page.outside == [], "requests that left the page's own origin"
    assert page.console == [], "console messages"
    # the head's alternates are still there for whoever reads them after the load
    assert page.locator("head link[rel=alternate][hreflang]").count() >= 2 or path == "404.html"


# --- axe on the start page and the fees page ----------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("site, path", [("kantorcontoh", ""), (BARE, ""), ("alert", ""),
                                        ("kantorcontoh", "biaya/"), ("hub", "biaya/")])
def test_start_and_fees_pages_have_no_wcag_violations(open_page, servers, site, path, lang, size):
    page = open_page(servers[site] + LANGUAGES[lang] + path, size)
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    found = axe_api.Axe().run(page, options=options).response["violations"]
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]


# --- 3. fees people can read, and print ------------------------------------------------


def count_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["biaya/", "jam-layanan/", "layanan/"])
def test_fees_hours_and_requirements_print_on_one_a4_page_naming_the_office(open_page, servers, path, lang):
    page = open_page(servers["kantorcontoh"] + LANGUAGES[lang] + path, "desktop")
    page.emulate_media(media="print")
    footer = page.locator(".infohub-print-footer")
    assert footer.is_visible()
    name = {"id": "Kantor Imigrasi Contoh", "en": "Example Immigration Office"}[lang]
    assert footer.inner_text().startswith(name + " · https://kantorcontoh.id/" + LANGUAGES[lang] + path)
    assert re.search(r"(Informasi per|Information as of) \d{1,2} \w+ \d{4}$", footer.inner_text())
    assert page.locator(".md-header").is_hidden() and page.locator(".md-sidebar--primary").is_hidden()
    assert count_pages(page.pdf(format="A4", prefer_css_page_size=True)) == 1


def test_the_fee_page_says_its_basis_and_source_once_translated(sites):
    for lang, basis, source in (
            ("", "PP 45/2024 tentang Jenis dan Tarif", "Laporan media (Kompas, CNN Indonesia, detik)"),
            ("en/", "Government Regulation (PP) 45/2024", "Press reports (Kompas, CNN Indonesia, detik)")):
        html = (sites["kantorcontoh"] / lang / "biaya" / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        article = soup.select_one("article")
        assert article.get_text().count(basis) == 1
        assert article.get_text().count(source) == 1
        for unverified in ("Belum diverifikasi", "Not yet checked"):
            assert article.get_text().count(unverified) <= 1
        if lang:  # nothing Indonesian left unmarked in the English table
            assert "per permohonan" not in article.get_text() and "dasar hukum" not in article.get_text().lower()
        waived = soup.find(id="paspor-biasa-5-tahun").select_one(".infohub-fee-waiver")
        assert waived is not None  # beside the fee it waives
        assert soup.find(id="paspor-biasa-10-tahun").select_one(".infohub-fee-waiver") is None
        assert [" ".join(td.get_text().split()) for td in soup.find(id="splp-wni").select("td")][0] == (
            "Warga negara Indonesia" if not lang else "Indonesian citizens")


def test_a_fee_with_a_basis_of_its_own_gets_a_footnote_and_untranslated_text_is_marked(repo):
    fees = repo / "national" / "fees.yml"
    text = fees.read_text(encoding="utf-8").replace(
        "  - id: splp-wni\n", "  - id: splp-wni\n    legal_basis: Peraturan contoh 1/2099 (fiktif)\n", 1)
    fees.write_text(text, encoding="utf-8")
    site = build(repo, ["kantorcontoh"]) / "kantorcontoh"
    for lang in LANGUAGES.values():
        soup = BeautifulSoup((site / lang / "biaya" / "index.html").read_text(encoding="utf-8"), "html.parser")
        marks = soup.select(".infohub-fee-mark a")
        assert [(m.find_parent("tr")["id"], m.get_text()) for m in marks] == [("splp-wni", "1")]
        note = soup.find(id="catatan-1")
        assert "Peraturan contoh 1/2099 (fiktif)" in note.get_text()
        marked = note.find("span", string="Peraturan contoh 1/2099 (fiktif)")
        # written in Indonesian only: on the English page it says so
        assert marked.get("lang") == ("id" if lang else None)


# --- 6. the rest: navigation, skip link, palette, footers, dates, the hub -----------------


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_previous_and_next_follow_the_sidebar(sites):
    site = sites["kantorcontoh"]
    sidebar = [a.get_text(strip=True) for a in soup_of(site, "").select(".md-nav--primary > .md-nav__list > li > a")]
    assert sidebar == ["Beranda", "Layanan", "Biaya", "Jam layanan", "Tanya jawab", "Berita"]
    paths = ["", "layanan", "biaya", "jam-layanan", "faq", "berita"]
    for i, path in enumerate(paths):
        html = soup_of(site, path)
        prev = html.select_one(".md-footer__link--prev .md-ellipsis")
        nxt = html.select_one(".md-footer__link--next .md-ellipsis")
        assert (prev.get_text(strip=True) if prev else None) == (sidebar[i - 1] if i else None), path
        if i + 1 < len(paths):
            assert nxt.get_text(strip=True) == sidebar[i + 1], path


@pytest.mark.parametrize("site, path", [("kantorcontoh", ""), ("kantorcontoh", "en/biaya/"), ("hub", "")])
def test_a_skip_link_leads_to_the_content_and_nothing_focusable_hides(open_page, servers, site, path):
    page = open_page(servers[site] + path, "desktop")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.classList.contains('md-skip'),"
                            " document.activeElement.getAttribute('href')]")
    assert focused[0] and focused[1].startswith("#")
    assert page.locator(focused[1]).count() == 1
    hidden_focusable = page.evaluate("""() => [...document.querySelectorAll('[aria-hidden=true]')]
        .flatMap(el => [el, ...el.querySelectorAll('a, button, input, select, textarea, [tabindex]')])
        .filter(el => el.matches('a[href], button, input, select, textarea, [tabindex]')
                       && el.tabIndex >= 0 && !el.disabled).length""")
    assert hidden_focusable == 0


def test_footers_name_the_office_and_the_hub_links_the_handbook(sites):
    office = soup_of(sites["kantorcontoh"], "en/faq").select_one(".infohub-footer")
    assert " ".join(office.get_text().split()).startswith("Example Immigration Office · Kota Contoh, Provinsi Contoh")
    # no link to the hub while its address is a placeholder (tests/test_hub_address.py)
    assert "infohub.example.org" not in str(office)
    hub = soup_of(sites["hub"], "biaya").select_one(".infohub-footer a")
    assert (hub.get_text(strip=True), hub["href"]) == ("Panduan editor", "../panduan/")


def test_english_dates_put_the_day_first(sites):
    closures = [" ".join(li.get_text().split()) for li in soup_of(sites["kantorcontoh"], "en/jam-layanan")
                .select(".infohub-closures li")]
    assert closures == ["30 December 2099: An example closure in the future (fictional)"]


def test_the_hub_sorts_provinces_whatever_their_case():
    from infohub.sitedata import load_site
    from infohub import paths

    view = load_site(paths.HUB_SLUG, paths.root()).view("id")
    provinces = [group["province"] for group in view.directory]
    assert provinces == sorted(provinces, key=str.casefold)
    assert provinces.index("Daerah Istimewa Yogyakarta") < provinces.index("DKI Jakarta")


def test_the_services_page_promises_only_what_its_data_holds(sites):
    from infohub.sitedata import load_site

    services = load_site("kantorcontoh", sites["kantorcontoh"].parents[1]).view("id").services
    assert not any(s["processing_time"] for s in services)  # none gives one today
    for lang in LANGUAGES.values():
        intro = soup_of(sites["kantorcontoh"], lang + "layanan").select_one("article > p").get_text().lower()
        assert "lama proses" not in intro and "processing time" not in intro
