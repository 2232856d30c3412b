"""A clean build does no work twice (issue 23): each site is checked once, the hub reads the
offices' recorded verdicts, and the caches change no byte of the output."""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest

from infohub import checks, verdict
from infohub.build import build_sites


def published(site_root: Path) -> dict[str, bytes]:
    """Every file a build publishes, with its bytes (its own cache and manifests left out)."""
    return {p.relative_to(site_root).as_posix(): p.read_bytes() for p in sorted(site_root.rglob("*"))
            if p.is_file() and p.relative_to(site_root).parts[0] not in (".cache", ".manifest")}


@pytest.fixture
def counted_checks(monkeypatch) -> list[str]:
    """The slug of every site checks.site_report checks, in order."""
    calls: list[str] = []
    original = checks.site_report

    def counting(slug: str, root: Path):
        calls.append(slug)
        return original(slug, root)

    monkeypatch.setattr(checks, "site_report", counting)
    return calls


def test_a_clean_build_checks_each_site_once_and_reads_each_page_once_for_search(repo, counted_checks,
                                                                                  monkeypatch):
    from material.plugins.search.plugin import SearchIndex

    from infohub import engine

    indexed: list[tuple[str, str]] = []  # (site, page address) of every HTML the search parses
    building = []
    original_build, original_index = engine.build, SearchIndex.add_entry_from_context

    def build(config):
        building.append(config.extra["infohub_slug"])
        return original_build(config)

    def parsing(self, page):
        indexed.append((building[-1], page.url))
        return original_index(self, page)

    monkeypatch.setattr(engine, "build", build)
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", parsing)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    results = build_sites(["hub", "kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert [(r.slug, r.ok) for r in results] == [("hub", True), ("kantorcontoh", True)]
    # the office's own build checks it; the hub, built after it, reads that verdict
    assert counted_checks == ["kantorcontoh", "hub"]
    assert "kantorcontoh" in (repo / "site" / "hub" / "rss.xml").read_text(encoding="utf-8")
    # a page drawn by a template (news posts, fees, FAQ) is indexed from its rendered article alone
    assert ("berita/2025/layanan-akhir-pekan/" in {url for _, url in indexed}
            and "en/biaya/" in {url for _, url in indexed})
    assert [entry for entry, count in Counter(indexed).items() if count > 1] == []


def test_the_hub_waits_for_the_verdict_another_worker_is_checking(repo, counted_checks, monkeypatch, tmp_path):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(verdict, "being_checked", frozenset({"kantorcontoh"}))
    later = threading.Timer(0.3, verdict.record, ("kantorcontoh", "digest-now", True))
    later.start()
    try:
        assert verdict.passes("kantorcontoh", repo, "digest-now") is True
    finally:
        later.cancel()
    assert counted_checks == []


def test_a_verdict_that_never_comes_is_checked_by_the_hub(repo, counted_checks, monkeypatch, tmp_path):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(verdict, "being_checked", frozenset({"kantorcontoh"}))
    monkeypatch.setattr(verdict, "AWAIT_SECONDS", 0.2)
    verdict.record("kantorcontoh", "digest-before", False)  # an older verdict, of other files
    assert verdict.passes("kantorcontoh", repo, "digest-now") is True
    assert counted_checks == ["kantorcontoh"]
    assert verdict.known("kantorcontoh", "digest-now") is True


def test_the_check_resolves_each_folder_once_not_each_file(repo, monkeypatch):
    from infohub import paths

    news = repo / "offices" / "kantorcontoh" / "docs" / "berita" / "2025"
    files = [news / f"post-{n}.md" for n in range(20)]
    resolving: list[Path] = []
    original = Path.resolve

    def counting(self, strict=False):
        resolving.append(self)
        return original(self, strict)

    paths._resolved_folder.cache_clear()
    monkeypatch.setattr(Path, "resolve", counting)
    shown = [paths.rel(file) for file in files]
    assert shown == [f"offices/kantorcontoh/docs/berita/2025/post-{n}.md" for n in range(20)]
    assert resolving == [news]


def test_a_path_resolves_as_pathlib_resolves_it(repo):
    from infohub import paths

    (repo / "linked").symlink_to(repo / "offices" / "kantorcontoh")
    (repo / "offices" / "kantorcontoh" / "docs" / "link.md").symlink_to(repo / "national" / "fees.yml")
    for path in (repo / "linked" / "office.yml", repo / "linked" / "docs" / "absent.md",
                 repo / "offices" / "kantorcontoh" / "docs" / "link.md", repo / "linked" / "docs" / "..",
                 Path("relative.md"), Path("/")):
        assert paths.resolved(path) == path.resolve(), path

