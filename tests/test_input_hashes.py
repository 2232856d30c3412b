"""The inputs' hashes kept between runs (manifest.Inputs with hashes_file): the same digests as
reading every file, and a file whose bytes changed is read again whatever its modification time."""
from __future__ import annotations

import os
from pathlib import Path

from infohub import files, manifest
from infohub.build import build_sites
from infohub.files import read_record, write_record

OFFICE = "kantorcontoh"
SITES = ("hub", OFFICE, manifest.HUB_FEEDS)


def _digests(inputs: manifest.Inputs) -> dict[str, str]:
    return {slug: inputs.digest(slug, "1") for slug in SITES}


def _same_size_edit(path: Path) -> None:
    """Change one character of ``path`` and set its modification time back: only its change time
    (which no tool sets back) tells."""
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    at = text.index("a")
    path.write_text(text[:at] + "o" + text[at + 1:], encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns


def test_kept_hashes_give_the_digests_of_every_file_read(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "RACY_NS", 0)  # the fixture's files were written a moment ago
    kept = tmp_path / "inputs.json"
    first = manifest.Inputs(repo, hashes_file=kept)
    assert _digests(first) == _digests(manifest.Inputs(repo))
    first.save_hashes()
    record = read_record(kept, manifest._HASHES_FORMAT, "files")
    assert f"offices/{OFFICE}/office.yml" in record and len(record) > 100
    assert _digests(manifest.Inputs(repo, hashes_file=kept)) == _digests(manifest.Inputs(repo))


def test_a_file_rewritten_with_its_size_and_time_is_read_again(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "RACY_NS", 0)
    kept = tmp_path / "inputs.json"
    inputs = manifest.Inputs(repo, hashes_file=kept)
    _digests(inputs)
    inputs.save_hashes()
    _same_size_edit(repo / f"offices/{OFFICE}/office.yml")
    assert _digests(manifest.Inputs(repo, hashes_file=kept)) == _digests(manifest.Inputs(repo))


def _kept_with_a_wrong_hash(repo, kept, name: str) -> dict[str, str]:
    """The digests with every hash read; then the hashes kept in ``kept``, ``name``'s spoilt."""
    inputs = manifest.Inputs(repo, hashes_file=kept)
    before = _digests(inputs)
    inputs.save_hashes()
    record = read_record(kept, manifest._HASHES_FORMAT, "files")
    record[name][5] = "00" * 32
    write_record(kept, manifest._HASHES_FORMAT, "files", record)
    return before


def test_the_kept_hash_is_what_a_file_with_the_same_status_gives(repo, tmp_path, monkeypatch):
    """The record is trusted while a file's status is what it was (so a wrong record shows)."""
    monkeypatch.setattr(files, "RACY_NS", 0)
    kept = tmp_path / "inputs.json"
    before = _kept_with_a_wrong_hash(repo, kept, f"offices/{OFFICE}/office.yml")
    assert _digests(manifest.Inputs(repo, hashes_file=kept))[OFFICE] != before[OFFICE]


def test_a_file_written_just_before_its_hash_was_kept_is_read_again(repo, tmp_path):
    """Within the clock's tick a file could be written again with the same status: a hash kept
    within files.RACY_NS of the file's writing is not trusted (a wrong one does not show)."""
    (repo / f"offices/{OFFICE}/docs/faq.md").write_text("# FAQ\n\nBaru.\n", encoding="utf-8")
    kept = tmp_path / "inputs.json"
    before = _kept_with_a_wrong_hash(repo, kept, f"offices/{OFFICE}/docs/faq.md")
    assert _digests(manifest.Inputs(repo, hashes_file=kept)) == before


def test_a_post_rewritten_with_its_size_and_time_rebuilds_its_office(repo, monkeypatch):
    monkeypatch.setattr(files, "RACY_NS", 0)
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites([OFFICE], repo / "site", **quiet)
    assert (repo / "site/.cache/inputs.json").is_file()
    assert build_sites([OFFICE], repo / "site", **quiet)[0].skipped
    post = repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md"
    _same_size_edit(post)
    [result] = build_sites([OFFICE], repo / "site", **quiet)
    assert result.ok and not result.skipped, result.report


def test_a_digest_is_the_hash_of_the_epoch_engine_and_every_file_named_with_its_hash(repo):
    """The manifests' digests as every deployed manifest holds them (one update a file, as
    before they were taken in one update): a change of formula would rebuild every site once."""
    import hashlib

    inputs = manifest.Inputs(repo)
    for slug in SITES:
        expected = hashlib.sha256(b"1")
        expected.update(inputs.engine.encode() + b"\0")
        for relative in inputs.site_inputs(slug):
            expected.update(relative.encode() + b"\0" + hashlib.sha256((repo / relative).read_bytes()).digest())
        if slug != "hub" and slug != manifest.HUB_FEEDS:
            expected.update(repr(inputs.domain_twins(slug)).encode())
        assert inputs.digest(slug, "1") == expected.hexdigest(), slug
    assert inputs.check_digest(OFFICE) != inputs.digest(OFFICE, "")  # the check's has no engine
