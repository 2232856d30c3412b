"""paths.source_files lists what Path.rglob listed, links left out, in the same order, quicker."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from infohub.paths import relative_posix, source_files


def _as_rglob(folder: Path, pattern: str) -> list[Path]:
    """The listing before (paths.source_files until the check's memo): rglob, then a stat per file."""
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and not p.is_symlink())


def test_the_same_files_as_rglob_in_the_same_order(tmp_path):
    docs = tmp_path / "docs"
    for name in ("index.md", "a-b.md", "a/b.md", "a/c/d.en.md", ".hidden/x.md", "B.MD", "foto.jpg", "a/foto.JPG",
                 "berita/2025/berita-001.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rahasia.md").write_text("x", encoding="utf-8")
    (docs / "link.md").symlink_to(outside / "rahasia.md")
    (docs / "folder-link").symlink_to(outside)
    os.mkfifo(docs / "pipe.md")
    for pattern in ("*.md", "*", "*.jpg"):
        assert source_files(docs, pattern) == _as_rglob(docs, pattern)
    assert [p.relative_to(docs).as_posix() for p in source_files(docs, "*.md")] == [
        ".hidden/x.md", "a/b.md", "a/c/d.en.md", "a-b.md", "berita/2025/berita-001.md", "index.md"]
    assert source_files(tmp_path / "missing", "*.md") == []
    assert source_files(docs / "index.md", "*.md") == []



def test_relative_posix_is_relative_to_as_posix(tmp_path):
    docs = tmp_path / "docs"
    for name in ("index.md", "a/b.en.md", "a-b/c.md", "berita/2025/x.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x", encoding="utf-8")
    assert [relative_posix(p, docs) for p in source_files(docs, "*")] == \
        ["a/b.en.md", "a-b/c.md", "berita/2025/x.md", "index.md"]
    for file, folder in [(docs / "a-b/c.md", docs / "a-b"), (Path("/x/y"), Path("/")), (Path("a/b.md"), Path("a")),
                         (docs / "a.md", Path("/"))]:
        assert relative_posix(file, folder) == file.relative_to(folder).as_posix()
    for file, folder in [(docs / "a-b/c.md", docs / "a"), (Path("/x/y"), docs), (Path("a/b.md"), Path("b"))]:
        with pytest.raises(ValueError):
            relative_posix(file, folder)


def test_rel_names_a_file_as_resolving_its_whole_path_does(tmp_path):
    """paths.rel resolves a file's folder once and joins the name as a string (_rel_absolute):
    the same name as resolving the whole path (_rel), through links and '..' too."""
    from infohub import paths

    repo = tmp_path / "repo"
    (repo / "offices/x/docs/berita").mkdir(parents=True)
    (repo / "national").mkdir()
    (repo / "offices/x/docs/berita/a.md").write_text("x", encoding="utf-8")
    (repo / "offices/x/docs/link.md").symlink_to(repo / "offices/x/docs/berita/a.md")
    (tmp_path / "shortcut").symlink_to(repo / "offices/x/docs")
    outside = tmp_path / "outside.md"
    outside.write_text("x", encoding="utf-8")
    for path in [repo / "offices/x/docs/berita/a.md", repo / "offices/x/docs/link.md", tmp_path / "shortcut/berita/a.md",
                 repo / "offices/x/docs/../docs/berita/a.md", repo / "offices", repo, outside, Path("/"),
                 str(repo / "offices/x//docs/berita/a.md")]:
        assert paths._rel_absolute(path) == paths._rel(Path(path)), path
    assert paths.rel(tmp_path / "shortcut/berita/a.md") == "offices/x/docs/berita/a.md"
