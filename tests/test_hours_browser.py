"""The "open now" indicator and the FAQ anchors in real Chromium.

The indicator works in the office's own time zone whatever the reader's:
the browser here runs in New York. Two offices are built: the fixture
kantorcontoh (WIT, Asia/Jayapura) and a copy of it in WIB (Asia/Jakarta),
so one instant gives two answers. The clock is fixed with Playwright's
clock API, and once with window.INFOHUB_NOW.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import make_repo
from infohub.build import build_sites

pytestmark = pytest.mark.browser

WIB_OFFICE = "kantorcontohbarat"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("hours") / "repo")
    source = root / "offices" / "kantorcontoh"
    twin = root / "offices" / WIB_OFFICE
    twin.mkdir()
    office = (source / "office.yml").read_text(encoding="utf-8")
    office = office.replace("domain: kantorcontoh.id", f"domain: {WIB_OFFICE}.id")
    office = office.replace("timezone: Asia/Jayapura", "timezone: Asia/Jakarta")
    (twin / "office.yml").write_text(office, encoding="utf-8")
    (twin / "docs").mkdir()
    results = build_sites(["kantorcontoh", WIB_OFFICE], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root / "site"


@pytest.fixture(scope="module")
def server(site_root):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()



@pytest.fixture
def open_page(browser, server):
    """Opens a page of the built sites with the clock fixed at a UTC instant; the
    reader is in New York. Every request must stay on the site's own domain."""
    contexts, outside = [], []

    def opener(path: str, at: dt.datetime | None = None, *, javascript: bool = True, width: int = 1280):
        context = browser.new_context(timezone_id="America/New_York", java_script_enabled=javascript,
                                      viewport={"width": width, "height": 900})
        contexts.append(context)
        own_hosts = {urlsplit(server).netloc, "kantorcontoh.id", f"{WIB_OFFICE}.id"}

        def check(route):
            host = urlsplit(route.request.url).netloc
            if host not in own_hosts:
                outside.append(route.request.url)
            if host == urlsplit(server).netloc:
                route.continue_()
            else:  # the site's own domain in production (Material's sitemap look-up): not here
                route.abort()

        context.route("**/*", check)
        page = context.new_page()
        if at is not None:
            page.clock.set_fixed_time(at)
        page.goto(f"{server}/{path}")
        return page

    yield opener
    for context in contexts:
        context.unroute_all(behavior="ignoreErrors")  # requests still in flight end quietly
        context.close()
    assert outside == []


def indicator(page) -> tuple[str, str, str]:
    element = page.locator(".md-content [data-infohub-now]")
    element.wait_for(state="visible")
    lines = element.locator("p").all_inner_texts()
    return element.get_attribute("data-state"), lines[0], lines[1]


@pytest.mark.parametrize("at, expected", [
    # Tuesday 10:00 WIT; in New York it is still Monday evening
    ("2025-09-09T01:00:00", ("open", "Sedang buka · tutup pukul 12:00 WIT",
                             "Hari ini: 08:00–12:00, 13:00–16:00 WIT")),
    # Tuesday 07:00 WIT, before opening
    ("2025-09-08T22:00:00", ("closed", "Sedang tutup · buka hari ini pukul 08:00 WIT",
                             "Hari ini: 08:00–12:00, 13:00–16:00 WIT")),
    # Friday 12:00 WIT, the Friday prayer break
    ("2025-09-12T03:00:00", ("break", "Sedang istirahat · buka lagi pukul 13:30 WIT",
                             "Hari ini: 08:00–11:30, 13:30–16:00 WIT")),
    # Friday 13:30 WIT, back from the break
    ("2025-09-12T04:30:00", ("open", "Sedang buka · tutup pukul 16:00 WIT",
                             "Hari ini: 08:00–11:30, 13:30–16:00 WIT")),
    # Friday 17:00 WIT: closed over the weekend, the next opening is Monday
    ("2025-09-12T08:00:00", ("closed", "Sedang tutup · buka lagi Senin, 15 September, pukul 08:00 WIT",
                             "Hari ini: 08:00–11:30, 13:30–16:00 WIT")),
    # Wednesday 10 September 10:00 WIT: a one-off closure
    ("2025-09-10T01:00:00", ("closed", "Sedang tutup · buka lagi besok pukul 08:00 WIT",
                             "Hari ini tutup: Contoh penutupan sekali untuk pemeliharaan sistem (fiktif)")),
    # Tuesday 9 September 17:00 WIT: tomorrow is the closure, so Thursday is next
    ("2025-09-09T08:00:00", ("closed", "Sedang tutup · buka lagi Kamis, 11 September, pukul 08:00 WIT",
                             "Hari ini: 08:00–12:00, 13:00–16:00 WIT")),
])
def test_open_now_in_the_office_time_zone(open_page, at, expected):
    page = open_page("kantorcontoh/jam-layanan/", utc(at))
    assert indicator(page) == expected


def test_the_same_instant_differs_between_wit_and_wib(open_page):
    at = utc("2025-09-08T07:30:00")  # Monday 16:30 WIT, 14:30 WIB
    wit = indicator(open_page("kantorcontoh/jam-layanan/", at))
    wib = indicator(open_page(f"{WIB_OFFICE}/jam-layanan/", at))
    assert wit[:2] == ("closed", "Sedang tutup · buka lagi besok pukul 08:00 WIT")
    assert wib[:2] == ("open", "Sedang buka · tutup pukul 16:00 WIB")


def test_english_page_and_a_clock_fixed_by_infohub_now(browser, server):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.add_init_script("window.INFOHUB_NOW = '2025-09-12T08:00:00Z';")
        page.goto(f"{server}/kantorcontoh/en/jam-layanan/")
        assert indicator(page) == ("closed", "Closed now · opens again on Monday, 15 September, at 08:00 WIT",
                                   "Today: 08:00–11:30, 13:30–16:00 WIT")
        assert page.locator("tr.infohub-today th").inner_text() == "Friday"
        assert page.locator("tr.infohub-today").get_attribute("aria-current") == "date"
    finally:
        context.close()


def test_home_page_shows_today_with_the_same_indicator(open_page):
    page = open_page("kantorcontoh/", utc("2025-09-12T03:00:00"))
    assert indicator(page) == ("break", "Sedang istirahat · buka lagi pukul 13:30 WIT",
                               "Hari ini: 08:00–11:30, 13:30–16:00 WIT")
    today = page.locator(".infohub-week .infohub-today")
    assert today.locator("dt").inner_text() == "Jumat"


def test_without_javascript_the_whole_schedule_is_still_there(open_page):
    page = open_page("kantorcontoh/jam-layanan/", javascript=False)
    assert page.locator("[data-infohub-now]").is_hidden()
    assert page.locator("table.infohub-hours tbody tr").count() == 7
    assert page.locator("tr[data-days='friday'] td").first.inner_text() == "08:00–11:30, 13:30–16:00 WIT"


def test_a_faq_anchor_opens_its_answer(open_page):
    page = open_page("kantorcontoh/faq/#parkir")
    parking = page.locator("details#parkir")
    assert parking.get_attribute("open") is not None
    assert page.get_by_text("Ada, di halaman kantor contoh.").is_visible()
    others = page.locator("details.infohub-faq:not(#parkir)")
    assert others.count() >= 1
    assert all(others.nth(i).get_attribute("open") is None for i in range(others.count()))
    # following a link to another question on the same page opens that one too
    other_id = others.first.get_attribute("id")
    page.evaluate("id => { window.location.hash = id; }", other_id)
    page.wait_for_function("id => document.getElementById(id).open", arg=other_id)


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen(open_page, width):
    for path in ("", "biaya/", "jam-layanan/", "faq/", "berita/", "berita/2025/hari-terbuka/"):
        page = open_page(f"kantorcontoh/{path}", utc("2025-09-12T03:00:00"), width=width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        page.close()
