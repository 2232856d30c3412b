"""The refresh of the hub's feeds (build.refresh_hub_feeds) after an office's news changed: the same
bytes as a full build of the hub, at every moment and with a failing office, while it reads only
what changed: each office's own dated posts from its record (infohub/feed_candidates.py), the
feeds' settings from the hub's last build (hub_feed.kept_settings), links for the few posts that
can make the feed (hub_feed._newest), the HTML of items whose text has not changed from the last
write (hub_feed._Rendered)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from infohub import build, feed_candidates, hub_feed, news, site_config, timeline, verdict
from infohub.build import build_sites
from infohub.content import load_national, load_office
from infohub.sitedata import load_site
from infohub.verdict import OfficeSource

from conftest import with_base_extra

# kantorcontoh and its copy are in WIT (UTC+9): the copy's scheduled post is due at 10:00
EARLY = "2026-12-03T08:00:00+09:00"
BETWEEN = "2026-12-03T10:30:00+09:00"
SECOND = "kantorkedua"
NEWS = "docs/berita/2025"


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def with_second_office(repo: Path) -> None:
    """A copy of kantorcontoh as kantorkedua (its posts dated as the first's: ties for the feed's
    order by link), with a post of its own scheduled for 10:00; two items per feed."""
    with_base_extra(repo, feed_items=2)
    shutil.copytree(repo / "offices/kantorcontoh", repo / "offices" / SECOND)
    office = repo / "offices" / SECOND / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("kantorcontoh", SECOND), encoding="utf-8")
    (repo / "offices" / SECOND / NEWS / "dijadwalkan.md").write_text(
        "---\ntitle: Layanan paspor dibuka kembali\ndate: 2026-12-03 10:00\ncategory: pengumuman\n---\n\n"
        "Layanan paspor kembali dibuka.\n", encoding="utf-8")


def edit(repo: Path, office: str, text: str, name: str = "hari-terbuka.md") -> None:
    post = repo / "offices" / office / NEWS / name
    post.write_text(post.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def build_at(repo: Path, monkeypatch, now: str, site_root: Path | None = None, slugs=None, force=False,
             all_ok=True) -> list:
    monkeypatch.setenv("INFOHUB_NOW", now)
    slugs = slugs or ["hub", "kantorcontoh", SECOND]
    results = build_sites(slugs, site_root or repo / "site", jobs=1, root=repo, echo=lambda _: None, force=force)
    assert not all_ok or all(r.ok for r in results), [r.report for r in results]
    return results


def full_hub_build(repo: Path, monkeypatch, now: str, tmp_path: Path, name: str) -> dict[str, str]:
    """The hub built whole from nothing (no output, no cache) at ``now``: its files' digests."""
    build_at(repo, monkeypatch, now, tmp_path / name, ["hub"])
    return tree_digest(tmp_path / name / "hub")


def test_the_refreshed_feeds_are_a_full_builds_at_two_moments(repo, monkeypatch, tmp_path):
    with_second_office(repo)
    build_at(repo, monkeypatch, EARLY)
    edit(repo, "kantorcontoh", "Satu kalimat tambahan.")
    results = build_at(repo, monkeypatch, EARLY)
    assert [(r.slug, r.skipped, r.feeds_only) for r in results] == [
        ("hub", False, True), ("kantorcontoh", False, False), (SECOND, True, False)]
    assert tree_digest(repo / "site/hub") == full_hub_build(repo, monkeypatch, EARLY, tmp_path, "early")
    rss = (repo / "site/hub/rss.xml").read_text(encoding="utf-8")
    assert "Layanan paspor dibuka kembali" not in rss
    # the two offices' newest posts share a moment: the feed orders them by link
    assert rss.index("https://kantorcontoh.id/berita/2025/hari-terbuka/") < rss.index(
        f"https://{SECOND}.id/berita/2025/hari-terbuka/")
    assert json.loads((repo / "site/.manifest/hub-feeds.json").read_text())["changes_at"] == "2026-12-03T10:00:00+09:00"

    # 10:30: the scheduled post is due, though no file changed: in the feeds, from the same records
    results = build_at(repo, monkeypatch, BETWEEN)
    assert [(r.slug, r.feeds_only) for r in results if not r.skipped] == [("hub", True), (SECOND, False)]
    assert tree_digest(repo / "site/hub") == full_hub_build(repo, monkeypatch, BETWEEN, tmp_path, "between")
    assert "Layanan paspor dibuka kembali" in (repo / "site/hub/rss.xml").read_text(encoding="utf-8")
    assert json.loads((repo / "site/.manifest/hub-feeds.json").read_text())["changes_at"] == "2099-01-01T08:00:00+09:00"


def test_the_refreshed_feeds_keep_a_failing_offices_last_good_posts_as_a_full_build(repo, monkeypatch):
    with_second_office(repo)
    build_at(repo, monkeypatch, BETWEEN)
    edit(repo, SECOND, "Kalimat yang lolos pemeriksaan.", "dijadwalkan.md")
    build_at(repo, monkeypatch, BETWEEN)  # its last good copy holds this edit
    edit(repo, SECOND, "Kalimat sesudahnya.", "dijadwalkan.md")
    # a post without its date: the office fails its check (its office.yml, in the hub's directory, unchanged)
    (repo / "offices" / SECOND / NEWS / "tanpa-tanggal.md").write_text(
        "---\ntitle: Tanpa tanggal\ncategory: acara\n---\n\nTeks.\n", encoding="utf-8")
    edit(repo, "kantorcontoh", "Satu kalimat tambahan.")
    results = build_at(repo, monkeypatch, BETWEEN, all_ok=False)
    assert [(r.slug, r.ok, r.feeds_only, r.kept) for r in results] == [
        ("hub", True, True, [SECOND]), ("kantorcontoh", True, False, []), (SECOND, False, False, [])]
    refreshed = tree_digest(repo / "site/hub")
    assert "Kalimat yang lolos pemeriksaan." in (repo / "site/hub/feed.json").read_text(encoding="utf-8")
    # the hub built whole, its posts read from the sources and the last good copy (no record)
    for record in ("feed-candidates", "hub-feed"):
        shutil.rmtree(repo / "site/.cache" / record)
    [hub] = build_at(repo, monkeypatch, BETWEEN, slugs=["hub"], force=True)
    assert hub.ok and not hub.feeds_only and hub.kept == [SECOND]
    assert tree_digest(repo / "site/hub") == refreshed


def test_the_refresh_reads_only_the_edited_offices_posts_and_no_engine_config(repo, monkeypatch):
    with_second_office(repo)
    build_at(repo, monkeypatch, EARLY)
    edit(repo, "kantorcontoh", "Satu kalimat tambahan.")
    dated: list[Path] = []
    configs: list[str] = []
    refreshing = []
    dates_as_written, load_config, refresh = news._dates_as_written, site_config.load, build.refresh_hub_feeds
    monkeypatch.setattr(news, "_dates_as_written", lambda file, *a: (refreshing and dated.append(file),
                                                                     dates_as_written(file, *a))[1])
    monkeypatch.setattr(site_config, "load", lambda slug, *a, **k: (configs.append(slug), load_config(slug, *a, **k))[1])

    def refresh_watched(*args):
        refreshing.append(True)
        try:
            return refresh(*args)
        finally:
            refreshing.clear()

    monkeypatch.setattr(build, "refresh_hub_feeds", refresh_watched)
    feed_candidates._known.clear()  # as in a new process: the records are read
    results = build_at(repo, monkeypatch, EARLY)
    assert [(r.slug, r.feeds_only) for r in results if not r.skipped] == [("hub", True), ("kantorcontoh", False)]
    assert configs == ["kantorcontoh"]  # the hub's feeds' settings: as its last build kept them
    # the national posts alone: the offices' own posts come from their records
    assert dated and all("/national/pages/" in str(file) for file in dated), dated


def test_the_refresh_reads_each_offices_verdict_once_for_every_language(repo, monkeypatch):
    """verdict.hub_sources is found once per refresh: the feeds of each language asked for it, and
    each asking read every office's verdict and last good copy again."""
    with_second_office(repo)
    build_at(repo, monkeypatch, EARLY)
    edit(repo, "kantorcontoh", "Satu kalimat tambahan.")
    asked: list[str] = []
    passes = verdict.passes
    monkeypatch.setattr(verdict, "passes", lambda slug, *a: (asked.append(slug), passes(slug, *a))[1])
    results = build_at(repo, monkeypatch, EARLY)
    assert [(r.slug, r.feeds_only) for r in results if not r.skipped] == [("hub", True), ("kantorcontoh", False)]
    assert load_site("hub", repo).languages == ["id", "en"]  # two languages' feeds, one look at each office
    assert sorted(asked) == ["kantorcontoh", SECOND]


def test_records_that_cannot_be_used_cost_time_only(repo, monkeypatch, tmp_path):
    with_second_office(repo)
    build_at(repo, monkeypatch, EARLY)
    cache = repo / "site/.cache"
    record = json.loads((cache / "feed-candidates/kantorcontoh.json").read_text(encoding="utf-8"))
    record["offer"]["posts"]["id"][0][4] = "../../../../national/fees.yml"  # not a post below docs/berita/
    (cache / "feed-candidates/kantorcontoh.json").write_text(json.dumps(record), encoding="utf-8")
    settings = json.loads((cache / "hub-feed/settings.json").read_text(encoding="utf-8"))
    settings["settings"]["count"] = "2"
    (cache / "hub-feed/settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (cache / "hub-feed/rendered.json").write_text('{"format": "1", "html": {"', encoding="utf-8")
    edit(repo, SECOND, "Satu kalimat tambahan.")
    feed_candidates._known.clear()  # as in a new process: the records are read
    results = build_at(repo, monkeypatch, EARLY)
    assert [(r.slug, r.feeds_only) for r in results if not r.skipped] == [("hub", True), (SECOND, False)]
    assert tree_digest(repo / "site/hub") == full_hub_build(repo, monkeypatch, EARLY, tmp_path, "clean")
    # all made anew, and kept
    assert json.loads((cache / "hub-feed/settings.json").read_text(encoding="utf-8"))["settings"]["count"] == 2
    # the two items of each language; the offices' English posts are the same text: one entry
    assert len(json.loads((cache / "hub-feed/rendered.json").read_text(encoding="utf-8"))["html"]) == 3
    assert json.loads((cache / "feed-candidates/kantorcontoh.json").read_text(encoding="utf-8")) != record


# --- the parts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Post:
    published: dt.datetime


@dataclass(frozen=True)
class _Candidate:
    post: _Post
    link: str


def test_the_newest_are_those_of_sorting_all_by_moment_and_link():
    chooser = random.Random(23)
    base = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for _ in range(200):
        candidates = [_Candidate(_Post(base + dt.timedelta(hours=chooser.randrange(6))), f"https://k{n}.id/b/{n}/")
                      for n in chooser.sample(range(100), chooser.randrange(30))]
        count = chooser.randrange(1, 12)
        expected = sorted(candidates, key=lambda c: (-c.post.published.timestamp(), c.link))[:count]
        assert hub_feed._newest(candidates, count) == expected


def office_source(repo: Path, slug: str) -> OfficeSource:
    national, _ = load_national(repo)
    office, _ = load_office(slug, national, repo)
    return OfficeSource(slug, office, repo, digest=f"{slug}-test")


@pytest.mark.parametrize("now", ["2025-03-01T08:59:59+09:00", "2025-03-01T09:00:00+09:00", "2026-12-03T10:30:00+09:00"])
def test_an_offices_record_gives_what_its_sources_give(repo, monkeypatch, tmp_path, now):
    """At every moment: the posts published by then (ties at the last included), and the next
    moment, as news.published_posts and timeline.next_change find them from the sources."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    posts = repo / "offices/kantorcontoh" / NEWS
    for name in ("sama-1.md", "sama-2.md", "sama-3.md"):  # three posts of one moment
        (posts / name).write_text(f"---\ntitle: {name}\ndate: 2025-03-01 09:00\ncategory: acara\n---\n\nTeks.\n",
                                  encoding="utf-8")
    moment = dt.datetime.fromisoformat(now)
    source = office_source(repo, "kantorcontoh")
    made = feed_candidates.office_posts(source)
    feed_candidates._known.clear()
    read = feed_candidates.office_posts(source)  # from the record this time
    assert read is not made and read == made
    for lang in ("id", "en"):
        everything = news.published_posts("kantorcontoh", lang, "Asia/Jayapura", repo, now=moment, own_only=True)
        for count in (1, 2, 3, 20):
            newest = read.newest(lang, moment, count)
            assert newest == everything[:len(newest)]
            last = everything[count - 1].published if len(everything) >= count else None
            assert len(newest) == (len(everything) if last is None else
                                   sum(post.published >= last for post in everything))
    expected = timeline.next_change(news.publication_moments("kantorcontoh", "Asia/Jayapura", repo, own_only=True),
                                    moment)
    assert read.next_moment(moment) == expected and str(read.next_moment(moment)) == str(expected)


@pytest.mark.parametrize("spoil", [
    lambda record: "{not json",
    lambda record: json.dumps({**record, "format": "0"}),
    lambda record: json.dumps({**record, "offer": {**record["offer"], "key": "0" * 64}}),
    lambda record: json.dumps({**record, "offer": {**record["offer"], "dates": ["2025-02-30"]}}),
    lambda record: json.dumps({**record, "offer": {**record["offer"], "posts": {"id": [[1, None, "a", "id", "b"]]}}}),
    lambda record: json.dumps({**record, "offer": {**record["offer"], "posts": {
        **record["offer"]["posts"], "id": [["2025-01-01", None, "berita/a.md", "id", "berita/../../office.yml"]]}}}),
], ids=["not JSON", "another format", "another key", "no date", "no text", "a path out of the news"])
def test_a_spoilt_record_is_made_anew(repo, monkeypatch, tmp_path, spoil):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    source = office_source(repo, "kantorcontoh")
    made = feed_candidates.office_posts(source)
    record = tmp_path / "cache/feed-candidates/kantorcontoh.json"
    good = record.read_text(encoding="utf-8")
    record.write_text(spoil(json.loads(good)), encoding="utf-8")
    feed_candidates._known.clear()
    assert feed_candidates.office_posts(source) == made
    assert record.read_text(encoding="utf-8") == good
