"""The posts' dates kept in the build cache (news.py, news/dates.json): a post whose bytes changed
is dated again, whatever its size and modification time say (files.status_stamp)."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from infohub import content, files, news
from infohub.files import read_record, write_record

OFFICE = "kantorcontoh"
POST = f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def _published(repo: Path) -> dict[str, str]:
    """norm_src_uri -> its date, for the office's own posts published at NOW."""
    posts = news.published_posts(OFFICE, "id", "Asia/Jayapura", repo, now=NOW, own_only=True)
    return {post.norm_src_uri: post.published.isoformat() for post in posts}


def _new_run(monkeypatch) -> None:
    """Nothing in memory, as in a new process: what is known comes from the build cache."""
    monkeypatch.setattr(news, "_dates", {})
    monkeypatch.setattr(content, "_pages", {})


def _rewrite_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """What `cp -p`, `rsync -t` or a tool that restores times leaves: other bytes, the same size
    and modification time (only the change time, which no tool sets back, tells)."""
    assert len(old) == len(new)
    status = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)


def test_a_post_redated_with_its_size_and_time_is_dated_again(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "RACY_NS", 0)  # the fixture's files were written a moment ago
    assert _published(repo)["berita/2025/layanan-keliling.md"] == "2025-01-15T10:00:00+09:00"
    news.save_dating()

    _new_run(monkeypatch)
    _rewrite_keeping_size_and_time(repo / POST, "date: 2025-01-15 10:00", "date: 2025-01-16 11:00")
    assert _published(repo)["berita/2025/layanan-keliling.md"] == "2025-01-16T11:00:00+09:00"


def test_a_post_unpublished_with_its_size_and_time_is_no_longer_listed(repo, tmp_path, monkeypatch):
    """Dated in the future (the same number of characters): neither listed nor fed to the hub."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "RACY_NS", 0)
    assert "berita/2025/layanan-keliling.md" in _published(repo)
    news.save_dating()

    _new_run(monkeypatch)
    _rewrite_keeping_size_and_time(repo / POST, "date: 2025-01-15", "date: 2125-01-15")
    assert "berita/2025/layanan-keliling.md" not in _published(repo)
    assert "2125-01-15T10:00:00" in news.publication_dates(OFFICE, repo, own_only=True)


def test_a_post_written_just_before_it_was_dated_is_read_again(repo, tmp_path, monkeypatch):
    """Within the clock's tick a post could be written again with the same status: dates kept
    within files.RACY_NS of its writing are not trusted (a wrong one does not show); long after,
    they are (so a wrong one shows)."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    record = tmp_path / "cache/news/dates.json"
    monkeypatch.setattr(files, "RACY_NS", 60_000_000_000)  # a minute: the fixture is newer
    _published(repo)
    news.save_dating()
    entries = read_record(record, news._DATES_FORMAT, "posts")
    assert entries[str(repo / POST)] == [files.status_stamp(repo / POST), "2025-01-15T10:00:00", None]
    entries[str(repo / POST)][1] = "2025-01-14T10:00:00"
    write_record(record, news._DATES_FORMAT, "posts", entries)

    _new_run(monkeypatch)
    assert _published(repo)["berita/2025/layanan-keliling.md"] == "2025-01-15T10:00:00+09:00"
    _new_run(monkeypatch)
    monkeypatch.setattr(files, "RACY_NS", 0)  # as a run long after the writing
    assert _published(repo)["berita/2025/layanan-keliling.md"] == "2025-01-14T10:00:00+09:00"


def test_a_damaged_date_in_the_record_is_read_again_from_the_post(repo, tmp_path, monkeypatch):
    """The record is a cache: a date that is not ISO 8601 (a damaged or tampered file) costs a
    reading of the post, never the build (from_iso raised ValueError before)."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "RACY_NS", 0)
    record = tmp_path / "cache/news/dates.json"
    _published(repo)
    news.save_dating()
    for damaged in (["kemarin", None], ["2025-01-15T10:00:00", "2025-13-40"], ["", None]):
        entries = read_record(record, news._DATES_FORMAT, "posts")
        entries[str(repo / POST)][1:] = damaged
        write_record(record, news._DATES_FORMAT, "posts", entries)
        _new_run(monkeypatch)
        assert _published(repo)["berita/2025/layanan-keliling.md"] == "2025-01-15T10:00:00+09:00"


def test_a_build_asks_each_post_for_its_status_once_and_the_next_build_again(repo, tmp_path, monkeypatch):
    """While paths.files_unchanged holds (a check, a site's build), a post's dates are looked up
    once however many lists ask; the next build in the same process (the tests, a warm build)
    looks again, and sees a post redated since (no new process: nothing is forgotten)."""
    from infohub import paths

    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "RACY_NS", 0)
    asked = []
    status = news.status_stamp
    monkeypatch.setattr(news, "status_stamp", lambda file: asked.append(file) or status(file))
    with paths.files_unchanged():
        first = _published(repo)
        assert _published(repo) == first and news.publication_dates(OFFICE, repo, own_only=True)
    assert len(asked) == len(set(asked)) and repo / POST in asked
    assert first["berita/2025/layanan-keliling.md"] == "2025-01-15T10:00:00+09:00"
    _rewrite_keeping_size_and_time(repo / POST, "date: 2025-01-15 10:00", "date: 2025-01-16 11:00")
    with paths.files_unchanged():
        assert _published(repo)["berita/2025/layanan-keliling.md"] == "2025-01-16T11:00:00+09:00"


def test_a_second_build_in_one_process_at_the_same_moment_shows_the_post_as_edited(repo, monkeypatch):
    """The news lists' plan (hooks/news_pages.py) was kept by the clock alone: a second build at
    the same INFOHUB_NOW in one process (`make serve`, a build at a fixed moment) showed a post's
    dates as the first build had read them, its "updated" line missing."""
    from infohub.build import build_sites

    monkeypatch.setenv("INFOHUB_NOW", "2026-01-01T00:00:00+00:00")
    page = repo / "site" / OFFICE / "berita" / "2025" / "layanan-keliling" / "index.html"
    [first] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert first.ok and 'class="dt-updated"' not in page.read_text(encoding="utf-8")
    post = repo / POST
    post.write_text(post.read_text(encoding="utf-8").replace(
        "date: 2025-01-15 10:00\n", "date: 2025-01-15 10:00\nupdated: 2025-02-01 09:00\n", 1), encoding="utf-8")
    [second] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert second.ok and second.rendered < first.rendered
    assert ('Diperbarui <time class="dt-updated" datetime="2025-02-01T09:00:00+09:00">1 Februari 2025</time>'
            in page.read_text(encoding="utf-8"))


def test_a_post_is_national_when_read_from_national_pages():
    """news._from_national decides by the paths' text what the docs folder's parts said: the file's
    path without the post's own parts ends in national/pages."""
    from infohub.news import _from_national

    cases = [("/r/national/pages/berita/2025/a.md", "berita/2025/a.md", True),
             ("/r/national/pages/berita/a.en.md", "berita/a.md", True),
             ("/r/offices/x/docs/berita/2025/a.md", "berita/2025/a.md", False),
             ("/r/offices/national/docs/berita/a.md", "berita/a.md", False),
             ("/r/national/pages/x/berita/a.md", "berita/a.md", False),
             ("/r/pages/national/berita/a.md", "berita/a.md", False)]
    for file, norm, national in cases:
        assert _from_national(Path(file), norm) is national, file
        docs = Path(file).parents[len(Path(norm).parts) - 1]  # what the build asked before
        assert (docs.name == "pages" and docs.parent.name == "national") is national, file
