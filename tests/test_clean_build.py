"""A clean build does no work twice (issue 23): each site is checked once, the hub reads the
offices' recorded verdicts, and the caches change no byte of the output."""
from __future__ import annotations

import json
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from infohub import cards, checks, verdict
from infohub.build import build_sites, card_cache


def published(site_root: Path) -> dict[str, bytes]:
    """Every file a build publishes, with its bytes (its own cache and manifests left out)."""
    return {p.relative_to(site_root).as_posix(): p.read_bytes() for p in sorted(site_root.rglob("*"))
            if p.is_file() and p.relative_to(site_root).parts[0] not in (".cache", ".manifest")}


@pytest.fixture
def counted_checks(monkeypatch) -> list[str]:
    """The slug of every site checks.site_report checks, in order."""
    calls: list[str] = []
    original = checks.site_report

    def counting(slug: str, root: Path, memo=None):
        calls.append(slug)
        return original(slug, root, memo)

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


def test_a_build_from_an_empty_site_folder_draws_no_card_an_earlier_build_drew(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    drawn: list[str] = []
    original = cards.encode
    monkeypatch.setattr(cards, "encode", lambda card: drawn.append(card.title) or original(card))
    first = tmp_path / "first" / "site"
    build_sites(["hub", "kantorcontoh"], first, jobs=1, root=repo, echo=lambda _: None)
    assert card_cache(first) == tmp_path / "first" / ".cache" / "cards"
    cached = sorted(p.name for p in card_cache(first).rglob("*.jpg"))
    assert len(cached) == len(drawn) > 20  # each drawn once, then copied
    # a clean build elsewhere, with the card cache restored as CI restores it (deploy.yml)
    second = tmp_path / "second" / "site"
    shutil.copytree(card_cache(first), card_cache(second))
    drawn.clear()
    build_sites(["hub", "kantorcontoh"], second, jobs=1, root=repo, echo=lambda _: None)
    assert drawn == []
    assert published(second) == published(first)


def test_a_cards_name_changes_with_the_drawing(monkeypatch):
    card = cards.Card("Kantor Imigrasi Contoh", "Biaya", "Bahasa Indonesia", "kantorcontoh.id")
    before = card.key
    monkeypatch.setattr(cards, "drawing_digest", lambda: "another drawing")
    assert card.key != before


def test_ci_keeps_the_card_cache_under_the_drawing_codes_key():
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))[
        "jobs"]["build"]["steps"]
    kept = [s for s in steps if s.get("uses", "").startswith("actions/cache/") and s["with"]["path"] == ".cache/cards"]
    assert [s["uses"].split("@")[0] for s in kept] == ["actions/cache/restore", "actions/cache/save"]
    digest = "${{ hashFiles('hooks/infohub/cards.py', 'requirements/build.txt') }}"
    assert kept[0]["with"]["key"] == f"cards-${{{{ matrix.shard }}}}-{digest}-${{{{ github.run_id }}}}"
    assert kept[0]["with"]["restore-keys"] == f"cards-${{{{ matrix.shard }}}}-{digest}-"
    assert kept[1]["with"]["key"].startswith(kept[0]["with"]["key"])
    # the build writes them where the workflow keeps them: beside site/
    assert card_cache(Path("site").absolute()) == Path(".cache/cards").absolute()


def test_a_card_in_the_output_is_the_cached_file_and_replacing_it_leaves_the_cache_alone(tmp_path):
    first = cards.Card("Kantor Imigrasi Contoh", "Biaya", "Bahasa Indonesia", "kantorcontoh.id")
    second = cards.Card("Kantor Imigrasi Contoh", "Tarif", "Bahasa Indonesia", "kantorcontoh.id")
    cache, target = tmp_path / "cache", tmp_path / "site" / "assets" / "cards" / "biaya.jpg"
    assert cards.write_card(first, target, cache) is True
    cached = cache / first.key[:2] / f"{first.key}.jpg"
    assert target.stat().st_ino == cached.stat().st_ino and oct(target.stat().st_mode & 0o777) == "0o644"
    drawn = cached.read_bytes()
    assert cards.write_card(second, target, cache) is True  # the page's title changed
    assert cards.write_card(first, tmp_path / "again.jpg", cache) is False
    assert cached.read_bytes() == (tmp_path / "again.jpg").read_bytes() == drawn != target.read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == ["biaya.jpg"]  # no link left behind


def test_the_build_workers_never_look_at_a_loaded_template_on_disk_again():
    from mkdocs.theme import Theme

    from infohub import theme_cache

    theme_cache.install()
    assert Theme(name="material").get_env().auto_reload is False


ASCII_TEXTS = ["", "Paspor", "a\r\nb\r\n", "\r\r\n\n", "#Imigrasi *10* 0#", "tab\tand\x7f\x00end",
               "".join(chr(c) for c in range(128)), "Lihat https://kantorcontoh.id/berita/?a=1 #paspor"]


@pytest.mark.parametrize("text", ASCII_TEXTS)
def test_plain_ascii_is_measured_as_the_unicode_rules_measure_it(text):
    """The social check's fast path for ASCII text gives what the grapheme rules give."""
    import regex

    from infohub.social import texts

    clusters = regex.findall(r"\X", text)
    assert texts.graphemes(text) == clusters
    assert texts._x_plain(text) == sum(2 if texts._EMOJI.search(c) else len(c) for c in clusters)


def test_a_build_reads_the_office_s_social_ledger_once(repo, monkeypatch):
    """The check reads the ledger (and refuses one that is not the ledger); what the build does
    with it afterwards, the outbox of new posts and the count of older pages each channel leaves
    out, uses that reading, not a second one of the same file."""
    from fakes.social import add_channels
    from infohub.social import ledger
    from infohub.social.outbox import outbox_path

    add_channels(repo, "  - platform: log\n    since: 2025-03-01\n")
    path = ledger.ledger_path(repo, "kantorcontoh")
    path.write_text('{"id": {"log": {"urn:uuid:0": {"at": "2025-06-01T00:00:00+00:00", "via": "log"}}}}\n',
                    encoding="utf-8")
    reads: list[Path] = []
    original = ledger.read_entries

    def counting(where: Path):
        reads.append(where)
        return original(where)

    monkeypatch.setattr(ledger, "read_entries", counting)
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    assert reads == [path]
    posts = json.loads(outbox_path(repo / "site", "kantorcontoh").read_text(encoding="utf-8"))
    assert "log" in {post["platform"] for post in posts}
