"""A build takes the front matter of its unchanged pages from its last build's record
(content.pages_kept), and reads exactly what a page holds: the same source or the same problems
as reading it anew, whatever the record says."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from infohub import check_memo, content
from infohub.build import build_sites, front_matter_path
from infohub.content import load_page, pages_kept

from conftest import ROOT  # noqa: F401 - the fixtures' module, for its engine choice

VALID = "---\ntitle: Jadwal libur\ndate: 2025-03-03\ncategory: pengumuman\n---\n\nIsi berita.\n"
PLAIN = "# Tanpa front matter\n\nIsi.\n"
REFUSED = "---\ntitle: [tidak ditutup\ndate: 2025-13-45\n---\n\nIsi.\n"
UNKNOWN_KEY = "---\ntitle: Judul\nwarna: merah\n---\n\nIsi.\n"
NULL_FRONT_MATTER = "---\n~\n---\n\nIsi setelah front matter kosong.\n"


@pytest.fixture
def pages(tmp_path) -> dict[str, Path]:
    """A repository's docs/ with one page of each kind."""
    (tmp_path / "offices").mkdir()
    (tmp_path / "national").mkdir()
    docs = tmp_path / "offices" / "kantorcontoh" / "docs"
    docs.mkdir(parents=True)
    found = {}
    for name, text in [("valid", VALID), ("plain", PLAIN), ("refused", REFUSED), ("unknown", UNKNOWN_KEY),
                       ("null", NULL_FRONT_MATTER)]:
        found[name] = docs / f"{name}.md"
        found[name].write_text(text, encoding="utf-8")
    return found


def _parsed(monkeypatch) -> list[str]:
    """The pages parsed from here on (not taken from a record)."""
    seen: list[str] = []
    original = content._parse_page

    def counting(file, shown, text):
        seen.append(file.name)
        return original(file, shown, text)

    monkeypatch.setattr(content, "_parse_page", counting)
    return seen


def _load_all(pages: dict[str, Path], record: Path | None) -> dict[str, tuple]:
    """Every page as load_page gives it, as a new build process would (nothing read before)."""
    content._pages.clear()
    if record is None:
        return {name: _said(load_page(file)) for name, file in pages.items()}
    with pages_kept(record):
        return {name: _said(load_page(file)) for name, file in pages.items()}


def _said(found) -> tuple:
    source, problems = found
    return (None if source is None else (source.path, source.meta, source.body),
            [(p.path, p.line, p.key, p.code, p.text("id"), p.text("en")) for p in problems])


def test_unchanged_pages_come_from_the_record_and_say_the_same(pages, tmp_path, monkeypatch):
    record = tmp_path / "record.json"
    fresh = _load_all(pages, None)
    assert fresh["refused"][0] is None and fresh["refused"][1]  # the kinds the record keeps
    assert fresh["unknown"][0] is None and fresh["null"][0][2] == "\nIsi setelah front matter kosong.\n"
    parsed = _parsed(monkeypatch)
    assert _load_all(pages, record) == fresh and len(parsed) == 5
    assert _load_all(pages, record) == fresh and len(parsed) == 5  # all five from the record

    pages["valid"].write_text(VALID.replace("Isi berita.", "Isi berita yang diubah."), encoding="utf-8")
    again = _load_all(pages, record)
    assert parsed[5:] == ["valid.md"] and again["valid"][0][2] == "\nIsi berita yang diubah.\n"
    assert again == _load_all(pages, None)
    # the record holds the pages of the last build alone
    assert len(json.loads(record.read_text(encoding="utf-8"))["pages"]) == 5


def test_a_page_with_another_name_or_other_code_is_read_anew(pages, tmp_path, monkeypatch):
    record = tmp_path / "record.json"
    _load_all(pages, record)
    parsed = _parsed(monkeypatch)
    twin = pages["valid"].with_name("salinan.md")
    twin.write_text(VALID, encoding="utf-8")  # the same text: its problems would name another file
    _load_all({"twin": twin}, record)
    assert parsed == ["salinan.md"]
    monkeypatch.setattr(content, "code_digest", lambda: "another version of the code")
    _load_all(pages, record)
    assert sorted(parsed[1:]) == sorted(f.name for f in pages.values())


@pytest.mark.parametrize("damage", [
    "not json at all {",
    json.dumps({"format": 1, "pages": "a list?"}),
    json.dumps({"format": 2, "pages": {}}),
])
def test_a_record_that_cannot_be_read_is_ignored(pages, tmp_path, monkeypatch, damage):
    record = tmp_path / "record.json"
    fresh = _load_all(pages, None)
    record.write_text(damage, encoding="utf-8")
    parsed = _parsed(monkeypatch)
    assert _load_all(pages, record) == fresh and len(parsed) == 5
    assert len(json.loads(record.read_text(encoding="utf-8"))["pages"]) == 5  # written anew


@pytest.mark.parametrize("wrong", [
    {"data": {"title": "Judul lain", "date": "bukan tanggal"}, "body": 3},  # does not validate
    {"data": {"title": "Judul"}, "body": 10_000},  # beyond the text
    {"data": {"title": "Judul"}, "body": "3"},
    {"data": "teks", "body": 3},
    {"problems": []},  # refused without a reason
    {"problems": [["x.md", 1]]},
    {"problems": "x"},
    {"plain": "ya"},
    {},
])
def test_an_entry_that_cannot_be_what_a_page_holds_is_read_anew(pages, tmp_path, monkeypatch, wrong):
    record = tmp_path / "record.json"
    fresh = _load_all(pages, None)
    _load_all(pages, record)
    stored = json.loads(record.read_text(encoding="utf-8"))
    stored["pages"] = {key: wrong for key in stored["pages"]}
    record.write_text(json.dumps(stored), encoding="utf-8")
    parsed = _parsed(monkeypatch)
    assert _load_all(pages, record) == fresh and len(parsed) == 5  # none taken from the record


def test_a_value_the_record_cannot_hold_is_not_kept():
    """A lone surrogate (libyaml refuses the escape today; another parser may not): the record's
    UTF-8 cannot hold it, so the page is not kept and is read every time."""
    assert content._entry_of((None, []), {"data": {"title": "a\ud800b"}, "body": 0}) is None
    assert content._entry_of((None, []), {"data": {"title": "ab"}, "body": 0}) == {"data": {"title": "ab"}, "body": 0}


def test_an_edit_s_build_keeps_the_record_and_equals_a_clean_build(repo, tmp_path, monkeypatch):
    from test_build import tree_digest

    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites(["kantorcontoh"], repo / "site", **quiet)
    record = front_matter_path("kantorcontoh", repo / "site")
    kept = json.loads(record.read_text(encoding="utf-8"))["pages"]
    assert len(kept) == len(list((repo / "national/pages").rglob("*.md"))) + \
        len(list((repo / "offices/kantorcontoh/docs").rglob("*.md")))
    post = repo / "offices/kantorcontoh/docs/berita/2025/layanan-keliling.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nSatu kalimat tambahan.\n", encoding="utf-8")
    content._pages.clear()  # as a new process
    parsed = _parsed(monkeypatch)
    build_sites(["kantorcontoh"], repo / "site", **quiet)
    assert parsed == ["layanan-keliling.md"]
    monkeypatch.undo()
    build_sites(["kantorcontoh"], tmp_path / "clean", **quiet)
    assert tree_digest(repo / "site/kantorcontoh") == tree_digest(tmp_path / "clean/kantorcontoh")


def test_the_code_digest_is_part_of_the_key(monkeypatch):
    monkeypatch.setattr(content, "code_digest", lambda: "a")
    first = content._KeptPages.key("x.md", VALID)
    monkeypatch.setattr(content, "code_digest", lambda: "b")
    assert content._KeptPages.key("x.md", VALID) != first
    assert check_memo.code_digest() != "a"
