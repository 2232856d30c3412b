"""The copy of an office as it last passed its check (verdict.py): brought up to date by copying
what changed only, and no copy at all while a sync is unfinished."""
from __future__ import annotations

import filecmp
from pathlib import Path

from infohub import verdict

OFFICE = "kantorcontoh"


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file and when it was made (a file written again is made anew)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_ctime_ns)
            for p in folder.rglob("*") if p.is_file()}


def _same_tree(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)

    def same(c) -> bool:
        return (not c.left_only and not c.right_only and not c.diff_files and not c.funny_files
                and all(same(sub) for sub in c.subdirs.values()))

    return same(compared) and all(filecmp.cmp(a / f, b / f, shallow=False) for f in _files(a))


def test_the_copy_takes_only_what_changed_and_drops_what_is_gone(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    source = repo / "offices" / OFFICE
    copy = tmp_path / "cache" / verdict.LAST_GOOD / OFFICE / "offices" / OFFICE
    verdict._keep_copy(OFFICE, repo, "digest-1")
    assert _same_tree(source, copy) and verdict.has_copy(OFFICE)
    before = _files(copy)

    edited = source / "docs/berita/2025/layanan-keliling.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSatu kalimat tambahan.\n", encoding="utf-8")
    (source / "docs/berita/2025/hari-terbuka.en.md").unlink()
    (source / "docs/berita/2026").mkdir()
    (source / "docs/berita/2026/baru.md").write_text("---\ntitle: Baru\n---\n", encoding="utf-8")
    verdict._keep_copy(OFFICE, repo, "digest-2")

    assert _same_tree(source, copy)
    after = _files(copy)
    # the same files as before, except the edited one (copied again) and the added one
    assert sorted(p for p in after if before.get(p) != after[p]) == [
        "docs/berita/2025/layanan-keliling.md", "docs/berita/2026/baru.md"]
    assert (tmp_path / "cache" / verdict.LAST_GOOD / OFFICE / ".digest").read_text(encoding="utf-8") == "digest-2"


def test_a_copy_caught_half_way_is_no_copy(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    verdict._keep_copy(OFFICE, repo, "digest-1")
    assert verdict.has_copy(OFFICE)
    # a build killed while it brought the copy up to date: the marker goes first, comes back last
    (tmp_path / "cache" / verdict.LAST_GOOD / OFFICE / ".digest").unlink()
    assert not verdict.has_copy(OFFICE)
    verdict._keep_copy(OFFICE, repo, "digest-2")
    assert verdict.has_copy(OFFICE)
