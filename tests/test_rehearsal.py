"""The production rehearsal: the deploy output served as production serves it, read as readers do.

Two real offices (imigrasiblitar, imigrasibatam) and the hub are built, `deploy-files` writes
their nginx configuration, and Debian's nginx serves a copy of them with that configuration: its
worker the unprivileged user nobody, TLS with a stand-in certificate, each site on its own name
(tests/rehearsal/production.py). Then every page of the three sites, in both languages, is
crawled (tests/rehearsal/crawl.py) and:

- every link, asset and feed answers 200; an address that does not exist answers 404 with the
  page of its language, which has a way home and the search;
- every feed has its own type, comes gzipped and parses in a real feed reader (feedparser);
- the Nu Html Checker (vnu.jar, tools/vnu) finds no error but the one named in VNU_ALLOWED;
- in Chromium, a few page types of each site and language ask for nothing outside their own
  origin, log nothing to the console, and axe-core finds no WCAG 2.2 AA violation at 360 and
  1280 px in both colour schemes;
- no page links to a placeholder address (example.org).

The figures of a run are printed as one table (pytest -s) for the issue's closing note.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import jsonschema
import pytest

from infohub import cli
from infohub.build import build_sites
from rehearsal.crawl import FEED_TYPES, PageReader, crawl
from rehearsal.production import MIME_TYPES, NGINX, SERVE_ROOT, TLS_DIR, production

ROOT = Path(__file__).resolve().parents[1]
OFFICES = ["imigrasiblitar", "imigrasibatam"]
SITES = ["hub", *OFFICES]
VNU_JAR = ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Material's two checkbox toggles (the drawer's and the search's, partials of the theme) carry
# autocomplete="off", so that a browser does not restore them open on "back"; the HTML standard
# allows autocomplete on text-like inputs only. Material's own markup: the one named exception.
VNU_ALLOWED = re.compile(r"Attribute “autocomplete” is only allowed when the input type is .*"
                         r"<input class=\"md-toggle\" data-md-toggle=\"(drawer|search)\" type=\"checkbox\"", re.S)
MISSING = {"id": "/tidak-ada-halaman-ini/", "en": "/en/no-such-page/"}
# The page types read in Chromium (every page is crawled, validated and checked for links above)
BROWSER_PAGES = {"office": ["", "biaya/", "berita/", MISSING["id"][1:]],
                 "hub": ["", "panduan/", MISSING["id"][1:]]}
WIDTHS = {"phone": (360, 800), "desktop": (1280, 900)}

pytestmark = pytest.mark.skipif(not NGINX.exists() or not MIME_TYPES.exists(),
                                reason="nginx is not installed (make test installs it: tools/provision.py)")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Path:
    """The three sites built from this repository and their deployment files written by the command."""
    site_root = tmp_path_factory.mktemp("rehearsal") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOHUB_ROOT", str(ROOT))
        results = build_sites(SITES, site_root, jobs=2, root=ROOT, echo=lambda _: None)
        assert all(r.ok for r in results), [r.report for r in results]
        assert cli.main(["deploy-files", "--site-dir", str(site_root),
                         "--serve-root", SERVE_ROOT, "--tls-dir", TLS_DIR]) == 0
    return site_root


@pytest.fixture(scope="module")
def served(deployed, tmp_path_factory):
    from infohub.deploy import sites

    domains = {site.slug: site.domain for site in sites(ROOT).served if site.slug in SITES}
    with production(deployed, domains, tmp_path_factory.mktemp("nginx")) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(served):
    starts = [f"https://{domain}{path}" for domain in served.sites.values()
              for path in ("/", "/en/", "/sitemap.xml")]
    return crawl(served, starts)


FIGURES: dict[str, object] = {}


def figure(name: str, value) -> None:
    FIGURES[name] = value
    print(f"\nrehearsal | {name}: {value}")


# --- everything answers, as production serves it -----------------------------------------------


def test_every_page_link_asset_and_feed_answers_200(crawled, served):
    figure("pages crawled", len(crawled.pages))
    figure("links followed", crawled.links)
    figure("addresses fetched", len(crawled.fetched))
    figure("not 200", len(crawled.broken))
    # both languages of every site, every page of their sitemaps
    for domain in served.sites.values():
        assert f"https://{domain}/" in crawled.pages and f"https://{domain}/en/" in crawled.pages
    assert crawled.broken == []
    assert len(crawled.pages) >= 50


def test_in_page_links_lead_to_something_on_the_page(crawled):
    figure("in-page links to nothing", len(crawled.missing_targets))
    assert crawled.missing_targets == []


def test_plain_http_redirects_to_https(served):
    for domain in served.sites.values():
        answer = served.get(domain, "/en/?x=1", plain_http=True)
        assert (answer.status, answer.headers["location"]) == (301, f"https://{domain}/en/?x=1")


# --- feeds ---------------------------------------------------------------------------------


JSON_FEED_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))


def read_feed(kind: str, answer) -> tuple[str | None, int]:
    """(version, items) as a reader's parser reads the feed: feedparser (what feed2toot and most
    readers use) for RSS and Atom; feedparser 6.0 has no JSON Feed, read as JSON Feed 1.1 by its schema."""
    if kind == "feed.json":
        data = json.loads(answer.body)
        jsonschema.validate(data, JSON_FEED_SCHEMA)
        return "json11", len(data["items"])
    parsed = feedparser.parse(answer.body, response_headers={"content-type": answer.headers["content-type"]})
    return (None if parsed.bozo else parsed.version), len(parsed.entries)


def test_every_feed_has_its_type_comes_gzipped_and_parses(crawled, served):
    figure("feeds", len(crawled.feeds))
    wrong = []
    for url in sorted(crawled.feeds):
        answer = crawled.fetched[url]
        kind = urlsplit(url).path.rsplit("/", 1)[-1]
        version, items = read_feed(kind, answer) if answer.status == 200 else (None, 0)
        seen = (answer.status, answer.content_type, answer.gzipped, version, items > 0)
        wanted = (200, FEED_TYPES[kind], True, {"rss.xml": "rss20", "atom.xml": "atom10", "feed.json": "json11"}[kind],
                  True)
        if seen != wanted:
            wrong.append((url, seen))
    figure("feeds wrong", len(wrong))
    assert wrong == []
    # each site's feeds in both languages, all three kinds
    assert len(crawled.feeds) == len(served.sites) * 2 * len(FEED_TYPES)


# --- placeholders ----------------------------------------------------------------------------


def test_no_page_links_to_a_placeholder_address(crawled):
    placeholders = crawled.placeholders
    figure("pages linking a placeholder", len({page for pages in placeholders.values() for page in pages}))
    assert placeholders == {}


# --- missing pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def missing_pages(served) -> dict[str, object]:
    """The answer to an address that does not exist, per site and language: 'https://<domain> <lang>'."""
    return {f"https://{domain} {lang}": served.get(domain, path)
            for domain in served.sites.values() for lang, path in MISSING.items()}


@pytest.mark.parametrize("lang", MISSING)
def test_a_missing_address_is_404_in_its_language_with_a_way_home_and_the_search(served, missing_pages, lang):
    wrong = []
    for domain in served.sites.values():
        answer = missing_pages[f"https://{domain} {lang}"]
        url = f"https://{domain}{MISSING[lang]}"
        page = PageReader.read(answer.text)
        home = f"https://{domain}/" + ("en/" if lang == "en" else "")
        links = {urljoin(url, ref) for tag, ref in page.refs if tag == "a"}
        skip = [ref for tag, ref in page.skip_links]
        seen = {"status": answer.status, "lang": page.lang, "home": home in links,
                "search": "infohub-search-entry__button" in answer.text,
                "skip target": all(ref[1:] in page.ids for ref in skip) and bool(skip)}
        if seen != {"status": 404, "lang": lang, "home": True, "search": True, "skip target": True}:
            wrong.append((url, seen))
        for ref in sorted({urljoin(url, ref) for tag, ref in page.refs if not ref.startswith("#")}):
            parts = urlsplit(ref)
            if parts.hostname == domain and served.get(domain, parts.path).status != 200:
                wrong.append((url, ref))
    figure(f"missing pages wrong ({lang})", len(wrong))
    assert wrong == []


# --- the Nu Html Checker -------------------------------------------------------------------------


@pytest.mark.skipif(not VNU_JAR.exists() and not os.environ.get("CI"), reason="vnu.jar: npm ci --prefix tools/vnu")
def test_the_nu_html_checker_finds_no_error(crawled, missing_pages, tmp_path):
    pages = {url: answer.text for url, answer in crawled.pages.items()}
    pages.update({key.replace(" ", "/404-"): answer.text for key, answer in missing_pages.items()})
    names = {}
    for number, (url, text) in enumerate(sorted(pages.items())):
        names[f"page{number:03}.html"] = url
        (tmp_path / f"page{number:03}.html").write_text(text, encoding="utf-8")
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    errors = [(names[Path(urlsplit(m["url"]).path).name], m["message"], m.get("extract", ""))
              for m in json.loads(result.stderr)["messages"] if m["type"] == "error"]
    allowed = [e for e in errors if VNU_ALLOWED.search(e[1] + e[2])]
    figure("pages validated", len(pages))
    figure("vnu errors", len(errors) - len(allowed))
    figure("vnu errors allowed (Material's checkbox toggles)", len(allowed))
    assert [e for e in errors if e not in allowed] == []


# --- in Chromium: nothing from outside, no console message, no axe violation ---------------------


@pytest.fixture(scope="module")
def chromium(served):
    """Chromium that finds every served domain at this nginx (its port), as a reader finds the real one."""
    from playwright.sync_api import sync_playwright

    from search.searchbox import CHROMIUM, CHROMIUM_ARGS, chromium_env

    rules = ",".join(f"MAP {domain} 127.0.0.1:{served.https_port}" for domain in served.sites.values())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, env=chromium_env(),
                                    args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"])
        yield browser
        browser.close()


def browser_cases() -> list:
    return [pytest.param(slug, lang, id=f"{slug}-{lang}") for slug in SITES for lang in ("id", "en")]


@pytest.mark.browser
@pytest.mark.parametrize("slug, lang", browser_cases())
def test_pages_ask_nothing_outside_log_nothing_and_meet_wcag_aa(chromium, served, slug, lang):
    from test_accessibility import describe, violations

    domain = served.sites[slug]
    origin = f"https://{domain}"
    outside, console, found = [], [], []
    for path in BROWSER_PAGES["hub" if slug == "hub" else "office"]:
        if lang == "en":
            path = "en/" + path
        for scheme in ("light", "dark"):
            context = chromium.new_context(ignore_https_errors=True, color_scheme=scheme,
                                           viewport=dict(zip(("width", "height"), WIDTHS["phone"])))
            context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(origin + "/")
                                                 else (outside.append(route.request.url), route.abort())))
            page = context.new_page()
            page.on("console", lambda msg, path=path: console.append(f"{path}: {msg.type}: {msg.text}"))
            page.on("pageerror", lambda exc, path=path: console.append(f"{path}: page error: {exc}"))
            page.goto(f"{origin}/{path}", wait_until="load")
            for size, (width, height) in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                # the header's search box eases into its wider look: axe reads it once it has settled
                page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
                found += [(f"/{path} {scheme} {size}", v) for v in violations(page)]
            context.unroute_all(behavior="ignoreErrors")
            context.close()
    # 404 pages answer 404: the browser logs that as a failed load of the page itself
    console = [line for line in console if "status of 404" not in line]
    figure(f"axe violations {slug} {lang}", len(found))
    figure(f"requests outside {slug} {lang}", len(outside))
    figure(f"console messages {slug} {lang}", len(console))
    assert outside == [] and console == []
    assert found == [], "\n".join(f"{where}: {describe([v])}" for where, v in found)


# --- the keyboard on a phone ---------------------------------------------------------------------

# What the focused element shows: itself, or for Material's visually hidden toggles the label
# beside it that shows its focus (the palette's: the button to the other scheme); whether that is
# on screen and seen; whether the search or the drawer opened.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const name = (el.innerText || el.getAttribute('aria-label') || el.id || el.tagName).trim().slice(0, 40);
  let shown = [el];
  if (el.matches('input[type=checkbox], input[type=radio]')) {
    shown = [...el.labels];
    if (el.nextElementSibling && el.nextElementSibling.matches('label')) shown.push(el.nextElementSibling);
  }
  const seen = shown.some(part => {
    const r = part.getBoundingClientRect();
    let visible = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                  && r.left < innerWidth && r.top < innerHeight;
    for (let e = part; e && visible; e = e.parentElement) {
      const style = getComputedStyle(e);
      visible = style.visibility !== 'hidden' && parseFloat(style.opacity) > 0;
    }
    return visible;
  });
  return {name, seen, search: document.getElementById('__search').checked,
          drawer: document.getElementById('__drawer').checked};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("slug, lang", browser_cases())
def test_every_tab_stop_on_a_phone_is_seen_and_opens_nothing(chromium, served, slug, lang):
    context = chromium.new_context(ignore_https_errors=True, viewport=dict(zip(("width", "height"), WIDTHS["phone"])))
    page = context.new_page()
    page.goto(f"https://{served.sites[slug]}/" + ("en/" if lang == "en" else ""), wait_until="load")
    unseen, stops, first = [], 0, None
    for _ in range(120):  # round the page once: until the first stop comes back
        page.keyboard.press("Tab")
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        stop = page.evaluate(FOCUS)
        if stop is None:
            continue
        if stop == first:
            break
        first, stops = first or stop, stops + 1
        if not stop["seen"] or stop["search"] or stop["drawer"]:
            unseen.append(stop)
    context.close()
    figure(f"tab stops {slug} {lang}", stops)
    figure(f"tab stops unseen or opening an overlay {slug} {lang}", len(unseen))
    assert unseen == []


# --- structured data ---------------------------------------------------------------------------


def json_ld(html: str) -> list[dict]:
    """Every node of a page's JSON-LD, nested ones included."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            found.append(value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        walk(json.loads(block))
    return found


def test_one_id_names_one_thing_and_every_post_is_a_news_article(crawled):
    described: dict[str, set[tuple]] = {}
    posts_without_article = []
    for url, answer in crawled.pages.items():
        nodes = json_ld(answer.text)
        for node in nodes:
            if "@id" in node and ("name" in node or "url" in node):
                described.setdefault(node["@id"], set()).add((node.get("name"), node.get("url")))
        if re.search(r"/berita/\d{4}/[^/]+/$", url) and not any(n.get("@type") == "NewsArticle" for n in nodes):
            posts_without_article.append(url)
    conflicting = {key: values for key, values in described.items() if len(values) > 1}
    figure("JSON-LD @id with two descriptions", len(conflicting))
    figure("news posts without NewsArticle", len(posts_without_article))
    assert conflicting == {} and posts_without_article == []
