"""The copy of an office as it last passed its check (verdict.py): brought up to date by copying
what changed only, and no copy at all while a sync is unfinished."""
from __future__ import annotations

import filecmp
import os
from pathlib import Path

from infohub import files, verdict

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
    monkeypatch.setattr(files, "RACY_NS", 0)  # the fixture's files were written a moment ago
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


def test_a_file_rewritten_with_its_size_and_time_is_copied_again(repo, tmp_path, monkeypatch):
    """`cp -p`, `rsync -t` or a tool that restores times leaves other bytes of the same size and
    modification time: the copy must not keep the old ones (an unpublished post would come back
    in the hub's feeds once the office fails its check)."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "RACY_NS", 0)
    source = repo / "offices" / OFFICE
    copy = tmp_path / "cache" / verdict.LAST_GOOD / OFFICE / "offices" / OFFICE
    verdict._keep_copy(OFFICE, repo, "digest-1")

    post = source / "docs/berita/2025/layanan-keliling.md"
    status = post.stat()
    post.write_text(post.read_text(encoding="utf-8").replace("date: 2025-", "date: 2125-"), encoding="utf-8")
    os.utime(post, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (post.stat().st_size, post.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    verdict._keep_copy(OFFICE, repo, "digest-2")
    assert _same_tree(source, copy)


def test_a_file_written_just_before_it_was_copied_is_copied_again(repo, tmp_path, monkeypatch):
    """Within the clock's tick a file could be written again with the same status: a file copied
    within files.RACY_NS of its writing is copied again by the next sync (a wrong copy does not
    stay); long after, it is not (so a wrong copy stays)."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    source = repo / "offices" / OFFICE
    copy = tmp_path / "cache" / verdict.LAST_GOOD / OFFICE / "offices" / OFFICE
    post = "docs/berita/2025/layanan-keliling.md"
    monkeypatch.setattr(files, "RACY_NS", 60_000_000_000)  # a minute: the fixture is newer
    verdict._keep_copy(OFFICE, repo, "digest-1")
    (copy / post).write_text("rusak\n", encoding="utf-8")
    verdict._keep_copy(OFFICE, repo, "digest-2")
    assert _same_tree(source, copy)

    (copy / post).write_text("rusak\n", encoding="utf-8")
    monkeypatch.setattr(files, "RACY_NS", 0)  # as a sync long after the writing
    verdict._keep_copy(OFFICE, repo, "digest-3")
    assert (copy / post).read_text(encoding="utf-8") == "rusak\n"
