"""A language's whole build taken from the last output (infohub/language_reuse.py, issue 23): an
edit of an Indonesian post leaves the English build out, and every edit, left out or not, gives
the same bytes as a build from nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import make_repo
from infohub import language_reuse
from infohub.build import build_sites
from infohub.social.outbox import outbox_path
from test_clean_build import published

OFFICE = "kantorcontoh"
NEWS = f"offices/{OFFICE}/docs/berita/2025"
BEFORE_SCHEDULED = "2098-12-31T12:00:00+00:00"  # terjadwal.md comes out on 2099-01-01 08:00 WIT
AFTER_SCHEDULED = "2099-01-02T12:00:00+00:00"


def _append(repo: Path, relative: str, text: str) -> None:
    path = repo / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    # the one edit that leaves the English build out: an Indonesian post's text, its translation kept
    "indonesian-text": (lambda repo: _append(repo, f"{NEWS}/hari-terbuka.md", "\nKalimat tambahan.\n"), False),
    # the day it was updated, in Indonesian only: the sitemap, which the English build writes,
    # lists the Indonesian page with that day
    "indonesian-updated": (lambda repo: _replace(repo, f"{NEWS}/hari-terbuka.md", "date: 2025-08-01 09:00\n",
                                                 "date: 2025-08-01 09:00\nupdated: 2025-08-03 10:00\n"), True),
    "both-dates": (lambda repo: [_replace(repo, f"{NEWS}/hari-terbuka{suffix}.md", "date: 2025-08-01 09:00",
                                          "date: 2025-08-02 09:00") for suffix in ("", ".en")], True),
    "english-text": (lambda repo: _append(repo, f"{NEWS}/hari-terbuka.en.md", "\nOne more sentence.\n"), True),
    # no English version: the English site shows the Indonesian text
    "untranslated-post": (lambda repo: _append(repo, f"{NEWS}/hanya-indonesia.md", "\nKalimat tambahan.\n"),
                          True),
    "new-post": (lambda repo: (repo / f"{NEWS}/baru.md").write_text(
        "---\ntitle: Berita baru\ndate: 2025-08-05 09:00\ncategory: pengumuman\n---\n\nIsi berita baru.\n",
        encoding="utf-8"), True),
    "office-data": (lambda repo: _replace(repo, f"offices/{OFFICE}/office.yml", "\nname:", "\n# catatan\nname:"),
                    True),
    "national-page": (lambda repo: _append(repo, "national/pages/biaya.md", "\nCatatan nasional.\n"), True),
}


@pytest.fixture
def english_builds(monkeypatch) -> list[str]:
    """The language of every build the plugin started beyond the first (the English one)."""
    from infohub import engine

    engine.activate()
    from infohub.build import _worker_init
    from infohub.mkdocs_context import current_language

    _worker_init()
    calls: list[str] = []
    original = language_reuse._original["build"]

    def counting(config, dirty=False):
        calls.append(current_language(config))
        return original(config, dirty=dirty)

    monkeypatch.setitem(language_reuse._original, "build", counting)
    return calls


def _build(repo: Path):
    [result] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    return result


def _everything(repo: Path, result) -> tuple:
    outbox = outbox_path(repo / "site", OFFICE).read_bytes()
    return published(repo / "site" / OFFICE), outbox, result.pages, sorted(result.warnings)


@pytest.mark.parametrize("edit, english_built", EDITS.values(), ids=EDITS.keys())
def test_an_edit_gives_the_bytes_of_a_build_from_nothing_and_leaves_english_out_only_when_unchanged(
        tmp_path, monkeypatch, english_builds, edit, english_built):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.setenv("INFOHUB_NOW", BEFORE_SCHEDULED)
    repo = make_repo(tmp_path / "repo")
    _build(repo)
    edit(repo)
    english_builds.clear()
    edited = _everything(repo, _build(repo))
    assert english_builds == (["en"] if english_built else [])
    fresh = tmp_path / "fresh"
    shutil.copytree(repo, fresh, symlinks=True, ignore=shutil.ignore_patterns("site"))
    assert _everything(fresh, _build(fresh)) == edited


def test_the_english_build_runs_again_once_the_clock_passes_a_post_s_moment(tmp_path, monkeypatch, english_builds):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.setenv("INFOHUB_NOW", BEFORE_SCHEDULED)
    repo = make_repo(tmp_path / "repo")
    _build(repo)
    EDITS["indonesian-text"][0](repo)
    monkeypatch.setenv("INFOHUB_NOW", AFTER_SCHEDULED)
    english_builds.clear()
    later = _everything(repo, _build(repo))
    assert english_builds == ["en"]
    assert "berita/2025/terjadwal/index.html" in later[0] and "en/berita/2025/terjadwal/index.html" in later[0]
    fresh = tmp_path / "fresh"
    shutil.copytree(repo, fresh, symlinks=True, ignore=shutil.ignore_patterns("site"))
    assert _everything(fresh, _build(fresh)) == later


def test_a_build_stopped_after_the_english_build_leaves_no_record_of_it(tmp_path, monkeypatch, english_builds):
    """The record names the output it describes: when the build fails after building English,
    the last output stays, and so does the record of it."""
    from infohub import output_folders

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.setenv("INFOHUB_NOW", BEFORE_SCHEDULED)
    repo = make_repo(tmp_path / "repo")
    _build(repo)
    record = language_reuse.record_path(repo / "site" / ".cache" / "pages" / OFFICE, "en")
    kept = record.read_bytes()
    EDITS["english-text"][0](repo)
    english_builds.clear()

    def failing(staging):
        raise OSError("disk full")

    monkeypatch.setattr(output_folders, "finish", failing)
    with pytest.raises(OSError):
        build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert english_builds == ["en"]
    assert record.read_bytes() == kept
