"""In the reader's browser (issue 21): a page built before an alert's end hides the alert at its
end, and an urgent closure (one hours.closures entry with 'until') shows a banner, makes "open
now" say closed with the reason, and ends on its own. No request is made for either; the
script is infohub-hours.js, a file every page already loads (the CSP allows no inline script).

The pages are built once, at 09:00 WIT on Thursday 3 December 2026 (kantorcontoh is in WIT),
and read at later moments with Playwright's clock; the reader is in New York.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import make_repo, record_console, serving
from infohub.build import build_sites

pytestmark = pytest.mark.browser

WIT = dt.timezone(dt.timedelta(hours=9))
BUILT = "2026-12-03T09:00:00+09:00"
FLOOD = "Kantor tutup sementara karena banjir"
NOTICE = "Loket paspor pindah sementara ke lantai dua"


def at(hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime(2026, 12, 3, hours, minutes, tzinfo=WIT)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("timekeeping-browser") / "repo")
    office = root / "offices/kantorcontoh/office.yml"
    text = office.read_text(encoding="utf-8")
    # the office's alert ends at 11:00; the urgent closure, one entry, ends at 12:00
    text = text.replace("id: 'Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).'", f"id: {NOTICE}")
    text = text.replace("expires: 2025-09-10", 'expires: "2026-12-03 11:00"')
    text = text.replace("  closures:\n", f"  closures:\n    - date: 2026-12-03\n      until: \"12:00\"\n"
                                        f"      reason:\n        id: {FLOOD}\n        en: Closed for now because of a flood\n")
    office.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOHUB_NOW", BUILT)
        results = build_sites(["kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    with serving({"kantorcontoh": root / "site" / "kantorcontoh"}) as urls:
        yield root / "site", urls["kantorcontoh"]


@pytest.fixture
def reader(browser, sites):
    """A page opened with Playwright's clock installed at ``start``; every request it makes is kept."""
    contexts = []

    def open_at(path: str, start: dt.datetime):
        context = browser.new_context(timezone_id="America/New_York")
        contexts.append(context)
        page = context.new_page()
        page.clock.install(time=start)
        record_console(page)
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(f"{sites[1].rstrip('/')}/{path.lstrip('/')}")
        page.wait_for_load_state("networkidle")
        page.requests.clear()  # what the page loads is allowed; nothing after
        return page

    yield open_at
    for context in contexts:
        context.close()


def banners(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(".infohub-alert").all_inner_texts()]


def status(page) -> tuple[str, str, str]:
    element = page.locator(".md-content [data-infohub-now]")
    element.wait_for(state="visible")
    lines = element.locator("p").all_inner_texts()
    return element.get_attribute("data-state"), lines[0], lines[1]


def test_the_built_page_carries_each_banners_end(sites):
    html = (sites[0] / "kantorcontoh" / "index.html").read_text(encoding="utf-8")
    assert 'data-infohub-ends="2026-12-03T11:00:00+09:00"' in html
    assert 'data-infohub-ends="2026-12-03T12:00:00+09:00"' in html
    assert "<script>" not in html.split('<aside class="md-banner">')[1].split("</aside>")[0]


def test_an_alert_leaves_at_its_end_without_a_request(reader):
    page = reader("/", at("10:59"))
    assert banners(page) == [f"Perhatian: {NOTICE}", f"Tutup sampai pukul 12:00 WIT: {FLOOD}"]
    page.clock.run_for(61_000)  # 11:00:01
    assert banners(page) == [f"Tutup sampai pukul 12:00 WIT: {FLOOD}"]
    page.clock.run_for(3_600_000)  # 12:00:01: the closure is over too, and the banner strip with it
    assert banners(page) == [] and page.locator(".md-banner").count() == 0
    assert page.requests == [] and page.console == []


def test_a_page_opened_after_the_end_never_shows_the_banner(reader):
    page = reader("en/", at("12:30"))
    assert banners(page) == [] and page.locator(".md-banner").count() == 0


def test_the_urgent_closure_says_closed_with_its_reason_then_ends_on_its_own(reader):
    page = reader("/", at("10:00"))  # a Thursday: 08:00-12:00 and 13:00-16:00
    assert status(page) == ("closed", "Sedang tutup · buka hari ini pukul 13:00 WIT",
                            f"Tutup sampai pukul 12:00 WIT: {FLOOD}")
    page.clock.run_for(9_000_000)  # 12:30: the closure is over, the afternoon hours stand
    assert status(page) == ("closed", "Sedang tutup · buka hari ini pukul 13:00 WIT", "Hari ini: 13:00–16:00 WIT")
    page.clock.run_for(3_600_000)  # 13:30
    assert status(page) == ("open", "Sedang buka · tutup pukul 16:00 WIT", "Hari ini: 13:00–16:00 WIT")
    assert page.requests == [] and page.console == []


def test_the_hours_page_lists_the_closure_with_its_end_in_both_languages(reader):
    page = reader("jam-layanan/", at("10:00"))
    assert page.locator(".infohub-closures li").all_inner_texts()[0] == (
        f"3 Desember 2026, sampai pukul 12:00 WIT: {FLOOD}")
    english = reader("en/jam-layanan/", at("10:00"))
    assert english.locator(".infohub-closures li").all_inner_texts()[0] == (
        "3 December 2026, until 12:00 WIT: Closed for now because of a flood")
    assert status(english) == ("closed", "Closed now · opens today at 13:00 WIT",
                               "Closed until 12:00 WIT: Closed for now because of a flood")
