"""Time is a build input (issue 21): a site whose files have not changed is rebuilt when the clock
passes the next moment its output changes (an alert's end, a scheduled post's time, a closure),
and only then; the hub's feeds likewise. Every build here runs at a fixed clock (INFOHUB_NOW)
with no file changed between builds."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from infohub.build import build_sites, summary

OFFICE_ALERT = "Kantor tutup sementara karena banjir"
POST_TITLE = "Layanan paspor dibuka kembali"
POST_URL = "berita/2026/layanan-dibuka-kembali/"
# kantorcontoh is in WIT (UTC+9): the post is due at 10:00, the alert ends at 12:00, both office time
EARLY = "2026-12-03T08:00:00+09:00"
BETWEEN = "2026-12-03T10:30:00+09:00"
LATE = "2026-12-03T13:00:00+09:00"


def with_alert_and_scheduled_post(repo: Path) -> None:
    office = repo / "offices/kantorcontoh/office.yml"
    text = office.read_text(encoding="utf-8")
    text = text.replace("id: 'Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).'",
                        f"id: {OFFICE_ALERT}")
    text = text.replace("expires: 2025-09-10", 'expires: "2026-12-03 12:00"')
    office.write_text(text, encoding="utf-8")
    post = repo / "offices/kantorcontoh/docs" / POST_URL.rstrip("/")
    post.parent.mkdir(parents=True, exist_ok=True)
    post.with_suffix(".md").write_text(
        f"---\ntitle: {POST_TITLE}\ndate: 2026-12-03 10:00\ncategory: pengumuman\n---\n\n"
        "Layanan paspor kembali dibuka setelah banjir surut.\n", encoding="utf-8")


def build_at(repo: Path, monkeypatch, now: str) -> tuple[list, str]:
    """A build of the hub and the office at ``now``; (results, the summary's first line)."""
    monkeypatch.setenv("INFOHUB_NOW", now)
    lines: list[str] = []
    results = build_sites(["hub", "kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lines.append)
    assert all(r.ok for r in results), [r.report for r in results]
    return results, "\n".join(lines[:1] + [summary(results, 0).splitlines()[-1]])


def read(repo: Path, path: str) -> str:
    return (repo / "site" / path).read_text(encoding="utf-8")


def shows_post(repo: Path) -> dict[str, bool]:
    """Where the scheduled post is seen: its page, the news list, the feeds, the sitemap, the hub's feeds."""
    return {
        "page": (repo / "site/kantorcontoh" / POST_URL / "index.html").is_file(),
        "list": POST_TITLE in read(repo, "kantorcontoh/berita/index.html"),
        "feeds": all(POST_TITLE in read(repo, f"kantorcontoh/{feed}") for feed in ("rss.xml", "atom.xml", "feed.json")),
        "sitemap": f"https://kantorcontoh.id/{POST_URL}" in read(repo, "kantorcontoh/sitemap.xml"),
        "hub feeds": all(POST_TITLE in read(repo, f"hub/{feed}") for feed in ("rss.xml", "atom.xml", "feed.json")),
    }


def changes_at(repo: Path, unit: str) -> str | None:
    return json.loads(read(repo, f".manifest/{unit}.json"))["changes_at"]


NOWHERE = dict.fromkeys(("page", "list", "feeds", "sitemap", "hub feeds"), False)
EVERYWHERE = dict.fromkeys(NOWHERE, True)


def test_an_alert_ends_and_a_scheduled_post_appears_with_no_file_changed(repo, monkeypatch):
    with_alert_and_scheduled_post(repo)

    results, status = build_at(repo, monkeypatch, EARLY)
    assert [r.skipped for r in results] == [False, False]
    assert OFFICE_ALERT in read(repo, "kantorcontoh/index.html")
    assert shows_post(repo) == NOWHERE
    # each unit knows when its output next changes: the post at 10:00 (the office and the hub's
    # feeds); the hub's pages show no office's post, alert or closure: nothing ahead
    assert changes_at(repo, "kantorcontoh") == "2026-12-03T10:00:00+09:00"
    assert changes_at(repo, "hub-feeds") == "2026-12-03T10:00:00+09:00"
    assert changes_at(repo, "hub") is None

    # 10:30: the post is due; the alert still shows; the hub keeps its pages, its feeds are rewritten
    results, status = build_at(repo, monkeypatch, BETWEEN)
    assert [(r.slug, r.skipped, r.feeds_only) for r in results] == [("hub", False, True), ("kantorcontoh", False, False)]
    assert shows_post(repo) == EVERYWHERE
    assert OFFICE_ALERT in read(repo, "kantorcontoh/index.html")
    assert changes_at(repo, "kantorcontoh") == "2026-12-03T12:00:00+09:00"
    assert changes_at(repo, "hub-feeds") == "2099-01-01T08:00:00+09:00"  # the fixture's post far ahead

    # 13:00: the alert has ended: the office alone is rebuilt
    results, status = build_at(repo, monkeypatch, LATE)
    assert [(r.slug, r.skipped) for r in results] == [("hub", True), ("kantorcontoh", False)]
    assert status.splitlines()[-1].startswith("Selesai: 1 situs dibangun, 1 tidak berubah, 0 gagal")
    assert OFFICE_ALERT not in read(repo, "kantorcontoh/index.html")
    assert 'class="infohub-alert' not in read(repo, "kantorcontoh/index.html")
    assert shows_post(repo) == EVERYWHERE
    # next: the fixture's post dated 1 January 2099, 08:00
    assert changes_at(repo, "kantorcontoh") == "2099-01-01T08:00:00+09:00"

    # nothing more is due: nothing is built
    results, status = build_at(repo, monkeypatch, LATE)
    assert [r.skipped for r in results] == [True, True]
    assert status.splitlines()[0] == "Semua 2 situs sudah terbaru; tidak ada yang perlu dibangun."


def test_a_build_long_after_several_moments_catches_up_in_one_rebuild(repo, monkeypatch):
    with_alert_and_scheduled_post(repo)
    build_at(repo, monkeypatch, EARLY)
    results, _ = build_at(repo, monkeypatch, LATE)  # a weekend without builds: both moments passed
    assert [(r.slug, r.skipped, r.feeds_only) for r in results] == [("hub", False, True), ("kantorcontoh", False, False)]
    assert OFFICE_ALERT not in read(repo, "kantorcontoh/index.html")
    assert shows_post(repo) == EVERYWHERE


NATIONAL_ALERT = """\
level: danger
text:
  id: Gangguan sistem nasional; layanan paspor dihentikan sementara.
expires: "2026-12-03 12:00"
"""


def test_the_national_alert_ends_on_every_site_including_the_hub(repo, monkeypatch):
    (repo / "national/alert.yml").write_text(NATIONAL_ALERT, encoding="utf-8")
    build_at(repo, monkeypatch, "2026-12-03T11:00:00+07:00")
    assert "Gangguan sistem nasional" in read(repo, "hub/index.html")
    assert "Gangguan sistem nasional" in read(repo, "kantorcontoh/index.html")
    # a time without a zone is WIB for the national alert: one moment for the whole country
    assert changes_at(repo, "hub") == changes_at(repo, "kantorcontoh") == "2026-12-03T12:00:00+07:00"
    results, _ = build_at(repo, monkeypatch, "2026-12-03T12:00:00+07:00")
    assert [(r.slug, r.skipped) for r in results] == [("hub", False), ("kantorcontoh", False)]
    assert "Gangguan sistem nasional" not in read(repo, "hub/index.html")
    assert "Gangguan sistem nasional" not in read(repo, "kantorcontoh/index.html")


@pytest.mark.parametrize("expires, last_shown, gone", [
    # a bare date lasts through that day in the office's zone (WIT)
    ("2026-12-03", "2026-12-03T23:59:00+09:00", "2026-12-04T00:00:00+09:00"),
    # a zone written out is that moment, whatever the office's zone
    ('"2026-12-03 12:00+07:00"', "2026-12-03T13:59:00+09:00", "2026-12-03T14:00:00+09:00"),
])
def test_an_alert_ends_at_its_moment_in_the_offices_zone(repo, monkeypatch, expires, last_shown, gone):
    with_alert_and_scheduled_post(repo)
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace('expires: "2026-12-03 12:00"', f"expires: {expires}"),
                      encoding="utf-8")
    build_at(repo, monkeypatch, "2026-12-03T11:00:00+09:00")
    results, _ = build_at(repo, monkeypatch, last_shown)
    assert results[1].skipped and OFFICE_ALERT in read(repo, "kantorcontoh/index.html")
    results, _ = build_at(repo, monkeypatch, gone)
    assert not results[1].skipped and OFFICE_ALERT not in read(repo, "kantorcontoh/index.html")


def with_closure(repo: Path, date: str, until: str | None) -> None:
    """One hours.closures entry: the urgent closure an editor writes the morning of a flood."""
    office = repo / "offices/kantorcontoh/office.yml"
    entry = f"    - date: {date}\n" + (f'      until: "{until}"\n' if until else "")
    entry += f"      reason:\n        id: {OFFICE_ALERT}\n        en: Closed for now because of a flood\n"
    office.write_text(office.read_text(encoding="utf-8").replace("  closures:\n", "  closures:\n" + entry),
                      encoding="utf-8")


def texts(repo: Path, path: str, selector: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(read(repo, path), "html.parser")
    return [" ".join(element.get_text().split()) for element in soup.select(selector)]


def banners(repo: Path, path: str = "kantorcontoh/index.html") -> list[str]:
    return texts(repo, path, ".infohub-alert")


def closures_listed(repo: Path) -> list[str]:
    return texts(repo, "kantorcontoh/jam-layanan/index.html", ".infohub-closures li")


def test_an_urgent_closure_shows_its_banner_until_its_end_then_the_office_is_rebuilt(repo, monkeypatch):
    with_closure(repo, "2026-12-03", "12:00")
    build_at(repo, monkeypatch, "2026-12-03T09:00:00+09:00")
    assert banners(repo) == [f"Tutup sampai pukul 12:00 WIT: {OFFICE_ALERT}"]
    assert banners(repo, "kantorcontoh/en/index.html") == ["Closed until 12:00 WIT: Closed for now because of a flood"]
    assert changes_at(repo, "kantorcontoh") == "2026-12-03T12:00:00+09:00"
    assert closures_listed(repo) == [f"3 Desember 2026, sampai pukul 12:00 WIT: {OFFICE_ALERT}",
                                     "30 Desember 2099: Contoh penutupan di masa depan (fiktif)"]
    results, _ = build_at(repo, monkeypatch, "2026-12-03T12:00:00+09:00")
    assert [(r.slug, r.skipped) for r in results] == [("hub", True), ("kantorcontoh", False)]
    assert banners(repo) == []
    assert closures_listed(repo) == ["30 Desember 2099: Contoh penutupan di masa depan (fiktif)"]


def test_a_closure_tomorrow_shows_its_banner_from_the_start_of_its_day(repo, monkeypatch):
    with_closure(repo, "2026-12-04", None)
    build_at(repo, monkeypatch, "2026-12-03T20:00:00+09:00")
    assert banners(repo) == []
    assert changes_at(repo, "kantorcontoh") == "2026-12-04T00:00:00+09:00"
    results, _ = build_at(repo, monkeypatch, "2026-12-04T00:10:00+09:00")
    assert not results[1].skipped
    assert banners(repo) == [f"Tutup hari ini: {OFFICE_ALERT}"]
    assert changes_at(repo, "kantorcontoh") == "2026-12-05T00:00:00+09:00"


@pytest.mark.parametrize("lang, message", [
    ("id", "hours.closures.0.until: diharapkan jam seperti '12:00', tertulis '12.00'"),
    ("en", "hours.closures.0.until: expected a time like '12:00', got '12.00'"),
])
def test_a_closure_end_that_is_not_a_time_is_refused(repo, lang, message):
    from infohub.content import load_national, load_office
    from infohub.problems import Report

    with_closure(repo, "2026-12-03", "12.00")
    office, problems = load_office("kantorcontoh", load_national(repo)[0], repo)
    assert office is None
    line = "baris" if lang == "id" else "line"
    assert f"  {line} 23  {message}" in Report(problems).format(lang).splitlines()


def test_a_build_takes_one_moment_however_long_it_runs(repo, monkeypatch):
    """The clock moves while a build runs: the check, the pages, the feeds and the manifest must
    all see the moment the build started. Here the clock reads 09:59 at first and a minute later
    at every reading after, with the post due at 10:00: read again by any part of the build, it
    would show the post there and not elsewhere, and record a 'next change' already past."""
    readings = moving_clock(monkeypatch)
    with_alert_and_scheduled_post(repo)
    results = build_sites(["hub", "kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    assert readings == [START_OF_BUILD]
    assert shows_post(repo) == NOWHERE
    assert changes_at(repo, "kantorcontoh") == "2026-12-03T10:00:00+09:00"
    assert changes_at(repo, "hub-feeds") == "2026-12-03T10:00:00+09:00"
    assert "INFOHUB_NOW" not in os.environ  # the moment was the build's, not the process's


def test_make_check_takes_one_moment_for_every_office(repo, monkeypatch):
    """`make check` reads the clock once too: the post due at 10:00 is checked as scheduled by
    every check that asks, and the next check reads the clock afresh."""
    from infohub.checks import check_report

    readings = moving_clock(monkeypatch)
    with_alert_and_scheduled_post(repo)
    assert not check_report(["kantorcontoh"], include_hub=True, root=repo).errors
    assert readings == [START_OF_BUILD]
    assert "INFOHUB_NOW" not in os.environ
    check_report(["kantorcontoh"], include_hub=True, root=repo)
    assert len(readings) == 2


START_OF_BUILD = dt.datetime.fromisoformat("2026-12-03T09:59:00+09:00")


def moving_clock(monkeypatch) -> list[dt.datetime]:
    """The clock with no INFOHUB_NOW: 09:59 at its first reading, a minute later at each one after.
    Returns the readings, as they are made."""
    from infohub import clock

    readings: list[dt.datetime] = []

    def reading() -> dt.datetime:
        readings.append(START_OF_BUILD + dt.timedelta(minutes=len(readings)))
        return readings[-1]

    monkeypatch.delenv("INFOHUB_NOW", raising=False)
    monkeypatch.setattr(clock, "_clock", reading)
    return readings
