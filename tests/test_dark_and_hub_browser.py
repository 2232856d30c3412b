"""Dark mode, search from the start pages and the hub's office list, in real Chromium.

Dark mode follows the reader's system setting (Playwright's color_scheme) and
the header's toggle, which is reachable by keyboard, named in the page's
language and remembered. axe (WCAG 2.2 AA) finds nothing on any page type of
an office and of the hub, in both languages and both schemes, with the alert
banner up at each of its levels.

The start pages (an office's and the hub's) open the search from their first
screen on a 360×800 phone. The hub lists offices by province, each with its
status worked out in its own time zone at a fixed clock (window.INFOHUB_NOW,
as in tests/test_start_page_browser.py), and narrows the list as the reader
types. The console stays empty throughout.
"""
from __future__ import annotations

import io
from pathlib import Path

import axe_playwright_python.sync_playwright as axe_api
import pytest
from PIL import Image

from conftest import make_repo, record_console, serving
from infohub.build import build_sites
from search.searchbox import search
from test_completeness import BARE, add_bare_office
from test_start_page_browser import HUB_PAGES, LANGUAGES, OFFICE_PAGES, WCAG_AA, in_first_screen

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# Friday 12 September 2025 10:00 WIT, 08:00 WIB
NOW = "2025-09-12T01:00:00Z"
# Friday 09:30 WIT (open), 07:30 WIB (not yet)
EARLY = "2025-09-12T00:30:00Z"
# Friday 13:00 WIT (between 11:30 and 13:30: a break), 11:00 WIB (open until 11:30)
NOON = "2025-09-12T04:00:00Z"
# Before the fixture office's alert expires (10 September 2025, WIT).
ALERT_NOW = "2025-09-05T10:00:00+09:00"
# A copy of the fixture office in WIB, listed on the hub only.
WIB_OFFICE = "kantorcontohbarat"
PALETTE = {"id": {"default": "Beralih ke mode gelap", "slate": "Beralih ke mode terang"},
           "en": {"default": "Switch to dark mode", "slate": "Switch to light mode"}}


def build(root: Path, slugs: list[str], now: str | None = None) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        if now:
            patch.setenv("INFOHUB_NOW", now)
        results = build_sites(slugs, root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root / "site"


def add_wib_office(root: Path) -> None:
    folder = root / "offices" / WIB_OFFICE
    (folder / "docs").mkdir(parents=True)
    office = (root / "offices" / "kantorcontoh" / "office.yml").read_text(encoding="utf-8")
    for old, new in (("domain: kantorcontoh.id", f"domain: {WIB_OFFICE}.id"),
                     ("timezone: Asia/Jayapura", "timezone: Asia/Jakarta"),
                     ("city: Kota Contoh", "city: Kota Barat"),
                     ("id: Kantor Imigrasi Contoh", "id: Kantor Imigrasi Contoh Barat"),
                     ("en: Example Immigration Office", "en: Example West Immigration Office")):
        assert old in office
        office = office.replace(old, new)
    (folder / "office.yml").write_text(office, encoding="utf-8")


def alert_level(root: Path, level: str) -> Path:
    office = root / "offices" / "kantorcontoh" / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("  level: warning\n", f"  level: {level}\n"),
                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = make_repo(tmp_path_factory.mktemp("dark") / "repo")
    add_bare_office(root)
    add_wib_office(root)
    built = build(root, ["hub", "kantorcontoh", BARE])
    found = {"kantorcontoh": built / "kantorcontoh", "hub": built / "hub", BARE: built / BARE}
    for level in ("warning", "danger", "info"):
        repo = alert_level(make_repo(tmp_path_factory.mktemp(level) / "repo"), level)
        found[f"alert-{level}"] = build(repo, ["kantorcontoh"], ALERT_NOW) / "kantorcontoh"
    return found


@pytest.fixture(scope="module")
def servers(sites):
    with serving(sites) as urls:
        yield urls


@pytest.fixture
def open_page(browser):
    """Opens a page in a fresh context (its own localStorage) in the given scheme, with the
    clock fixed; records console messages and page errors, which every test asserts are none.
    Without JavaScript only locators and screenshots work: page.evaluate waits forever."""
    contexts = []

    def opener(url: str, scheme: str = "light", *, viewport: dict = PHONE, javascript: bool = True,
               now: str = NOW, context=None, block_scripts: bool = False):
        if context is None:
            context = browser.new_context(viewport=viewport, color_scheme=scheme, java_script_enabled=javascript)
            contexts.append(context)
        page = context.new_page()
        if block_scripts:
            page.route("**/assets/javascripts/*.js",
                       lambda route: route.fulfill(body="", content_type="text/javascript"))
        record_console(page)
        page.add_init_script(f"window.INFOHUB_NOW = {now!r};")
        page.goto(url, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.close()


def scheme_of(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def background_luminance(page, selector: str = "body") -> float:
    """Relative luminance of an element's computed background colour."""
    return luminance(page.evaluate(f"""() => getComputedStyle(document.querySelector({selector!r}))
        .backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number)"""))


def violations(page) -> list:
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    found = axe_api.Axe().run(page, options=options).response["violations"]
    return [(v["id"], [(n["target"], n.get("failureSummary", "")[:200]) for n in v["nodes"]]) for v in found]


# --- 1. dark mode: AA contrast everywhere, in both schemes ------------------------------


def axe_cases() -> list:
    cases = [pytest.param("kantorcontoh", lang + path, id=f"office-{lang or 'id/'}{path}")
             for lang in LANGUAGES.values() for path in OFFICE_PAGES]
    cases += [pytest.param("hub", lang + path, id=f"hub-{lang or 'id/'}{path}")
              for lang in LANGUAGES.values() for path in HUB_PAGES]
    cases += [pytest.param(BARE, lang, id=f"bare-{lang or 'id/'}") for lang in LANGUAGES.values()]
    cases += [pytest.param(f"alert-{level}", "", id=f"alert-{level}") for level in ("warning", "danger", "info")]
    return cases + [pytest.param("kantorcontoh", "404.html", id="404")]


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("site, path", axe_cases())
def test_every_page_type_meets_wcag_aa_in_both_schemes(open_page, servers, site, path, scheme):
    # an alert page is read while its alert is up: the banner leaves the page at its end
    page = open_page(servers[site] + path, scheme, **({"now": ALERT_NOW} if site.startswith("alert-") else {}))
    assert scheme_of(page) == {"dark": "slate", "light": "default"}[scheme]
    if site.startswith("alert-"):
        assert page.locator(".md-banner .infohub-alert").is_visible()
    assert violations(page) == []
    assert page.console == []


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("path", ["", "biaya/", "jam-layanan/", "en/layanan/"])
def test_wide_screens_meet_wcag_aa_in_both_schemes(open_page, servers, path, scheme):
    """The fee and hours tables (cards on a phone) and the sidebar, on a desktop."""
    page = open_page(servers["kantorcontoh"] + path, scheme, viewport=DESKTOP)
    assert violations(page) == []
    assert page.console == []


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_search_results_meet_wcag_aa_in_both_schemes(open_page, servers, scheme):
    page = open_page(servers["kantorcontoh"], scheme)
    open_from_start_page(page)
    found, _ = search(page, "paspor")
    assert found
    assert violations(page) == []
    assert page.console == []


def pixel_luminance(page, x: int, y: int) -> float:
    """Relative luminance of one pixel of a screenshot (page.evaluate needs JavaScript)."""
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    return luminance(image.getpixel((x, y)))


def test_without_javascript_the_page_follows_the_system_setting(open_page, servers):
    dark = open_page(servers["kantorcontoh"], "dark", javascript=False)
    light = open_page(servers["kantorcontoh"], "light", javascript=False)
    assert pixel_luminance(dark, 4, 700) < 0.05 < 0.9 < pixel_luminance(light, 4, 700)
    # the status of an office without hours has dark colours of its own
    bare = open_page(servers[BARE] + "en/", "dark", javascript=False)
    box = bare.locator(".infohub-now--unknown").bounding_box()
    assert pixel_luminance(bare, int(box["x"] + box["width"] - 6), int(box["y"] + 4)) < 0.05
    # the start page's search entry needs the search, which needs JavaScript
    assert dark.locator(".infohub-search-entry").is_hidden()


@pytest.mark.parametrize("site, path", [("kantorcontoh", ""), ("kantorcontoh", "en/biaya/"),
                                        ("kantorcontoh", "jam-layanan/"), (BARE, ""), ("hub", "")])
def test_the_no_javascript_dark_scheme_meets_wcag_aa(open_page, servers, site, path):
    """infohub.css's own copy of the dark scheme: Material's bundle and ours left out
    (served empty), so the page keeps its no-js class, and axe can still run."""
    page = open_page(servers[site] + path, "dark", block_scripts=True)
    assert page.evaluate("document.documentElement.classList.contains('no-js')")
    assert scheme_of(page) == "default"
    assert background_luminance(page) < 0.05
    assert violations(page) == []
    assert page.console == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_toggle_switches_by_keyboard_says_what_it_does_and_is_remembered(open_page, servers, lang):
    page = open_page(servers["kantorcontoh"] + LANGUAGES[lang], "light", viewport=DESKTOP)
    assert scheme_of(page) == "default"
    for _ in range(15):  # skip link, logo, then the header's controls
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.md-option')"):
            break
    toggle = page.locator("input.md-option:focus")
    assert toggle.get_attribute("aria-label") == PALETTE[lang]["default"]
    visible_label = page.locator("form[data-md-component=palette] label:not([hidden])")
    assert visible_label.get_attribute("title") == PALETTE[lang]["default"]
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == PALETTE[lang]["slate"]
    assert visible_label.get_attribute("title") == PALETTE[lang]["slate"]
    assert background_luminance(page) < 0.05
    # remembered on the next page of the same site, although the system says light
    other = open_page(servers["kantorcontoh"] + LANGUAGES[lang] + "biaya/", context=page.context)
    assert scheme_of(other) == "slate"
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert page.console == [] and other.console == []


def test_nothing_focusable_hides_in_the_header(open_page, servers):
    page = open_page(servers["kantorcontoh"], "dark")
    hidden_focusable = page.evaluate("""() => [...document.querySelectorAll('[aria-hidden=true]')]
        .flatMap(el => [el, ...el.querySelectorAll('a, button, input, select, textarea, [tabindex]')])
        .filter(el => el.matches('a[href], button, input, select, textarea, [tabindex]')
                       && el.tabIndex >= 0 && !el.disabled).length""")
    assert hidden_focusable == 0


# --- 2. search from the start pages, on a phone ------------------------------------------


def open_from_start_page(page) -> None:
    """The start page's search entry, by keyboard; waits until the index is ready."""
    entry = page.locator(".infohub-search-entry__button")
    entry.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Mempersiapkan|Initializing/.test(m.textContent) }", timeout=30000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site, lang, query, expected", [
    ("kantorcontoh", "id", "biaya", "biaya/"), ("kantorcontoh", "en", "fees", "en/biaya/"),
    ("hub", "id", "panduan", "panduan/"), ("hub", "en", "handbook", "en/panduan/")])
def test_search_opens_from_the_start_page_on_a_phone(open_page, servers, site, lang, query, expected, scheme):
    page = open_page(servers[site] + LANGUAGES[lang], scheme)
    entry = page.locator(".infohub-search-entry__button")
    in_first_screen(page, entry)
    assert " ".join(entry.inner_text().split()).startswith({"id": "Cari di situs ini", "en": "Search this site"}[lang])
    # the header's own search button is there too, with a name
    header = page.locator("label.md-header__button[for='__search']")
    in_first_screen(page, header)
    assert header.get_attribute("title") == {"id": "Cari", "en": "Search"}[lang]
    open_from_start_page(page)
    assert page.locator("input.md-search__input").is_visible()
    found, _ = search(page, query)
    assert expected in found[:5], found
    assert page.console == []


# --- 3. the hub: offices by province, open now, a filter ------------------------------------


def offices_shown(page) -> list[str]:
    return page.locator(".infohub-office:visible .infohub-office__name").all_inner_texts()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_hub_says_which_office_is_open_in_its_own_time_zone(open_page, servers, lang):
    expected = {
        EARLY: {"id": ["Sedang buka · tutup pukul 11:30 WIT", "Sedang tutup · buka hari ini pukul 08:00 WIB",
                     "Jam layanan belum diumumkan"],
              "en": ["Open now · closes at 11:30 WIT", "Closed now · opens today at 08:00 WIB",
                     "Hours not published yet"]},
        NOON: {"id": ["Sedang istirahat · buka lagi pukul 13:30 WIT", "Sedang buka · tutup pukul 11:30 WIB",
                      "Jam layanan belum diumumkan"],
               "en": ["On a break · opens again at 13:30 WIT", "Open now · closes at 11:30 WIB",
                      "Hours not published yet"]},
    }
    for now, texts in expected.items():
        page = open_page(servers["hub"] + LANGUAGES[lang], now=now)
        slugs = ["kantorcontoh", WIB_OFFICE, BARE]
        lines = [page.locator(f".infohub-office:has(a[href='https://{slug}.id/']) .infohub-office__now")
                 for slug in slugs]
        assert [line.inner_text() for line in lines] == texts[lang], now
        assert [line.get_attribute("data-state") for line in lines] == (
            ["open", "closed", "unknown"] if now == EARLY else ["break", "open", "unknown"])
        assert page.console == []


def test_the_hub_lists_offices_by_province(open_page, servers):
    page = open_page(servers["hub"])
    groups = page.locator(".infohub-directory__group")
    assert groups.locator("h2").all_inner_texts() == ["Provinsi Contoh"]
    assert offices_shown(page) == ["Kantor Imigrasi Contoh Barat", "Kantor Imigrasi Contoh", "Kantor Imigrasi Kosong"]
    assert page.locator(".infohub-office__place").first.inner_text() == "Kota Barat · WIB · kantorcontohbarat.id"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_typing_a_city_leaves_only_its_office_and_says_how_many(open_page, servers, lang):
    page = open_page(servers["hub"] + LANGUAGES[lang])
    box = page.get_by_label({"id": "Cari kantor", "en": "Find an office"}[lang], exact=True)
    in_first_screen(page, box)
    count = page.locator(".infohub-directory__count")
    assert count.get_attribute("role") == "status"
    words = {"id": ("3 kantor", "1 kantor", "Tidak ada kantor yang cocok."),
             "en": ("3 offices", "1 office", "No office matches.")}[lang]
    assert count.inner_text() == words[0]
    box.press_sequentially("kosong", delay=20)
    assert offices_shown(page) == [{"id": "Kantor Imigrasi Kosong", "en": "Empty Immigration Office"}[lang]]
    assert count.inner_text() == words[1]
    box.fill("")
    box.press_sequentially("Kota Barat", delay=20)
    assert len(offices_shown(page)) == 1 and count.inner_text() == words[1]
    box.fill("")
    box.press_sequentially("provinsi contoh", delay=20)  # a province: all its offices
    assert len(offices_shown(page)) == 3 and count.inner_text() == words[0]
    box.press_sequentially(" zzz", delay=20)
    assert offices_shown(page) == [] and count.inner_text().startswith(words[2])
    assert page.locator(".infohub-directory__group:visible").count() == 0
    box.fill("")
    assert len(offices_shown(page)) == 3
    assert violations(page) == []
    assert page.console == []


def test_without_javascript_the_hub_lists_every_office_and_no_filter(open_page, servers):
    page = open_page(servers["hub"], javascript=False)
    assert page.locator(".infohub-directory__filter").is_hidden()
    assert len(offices_shown(page)) == 3
    assert page.locator(".infohub-directory__count").inner_text() == "3 kantor"
    # offices with hours say nothing rather than something untrue; the one without says so
    assert page.locator(".infohub-office__now:visible").all_inner_texts() == ["Jam layanan belum diumumkan"]
