"""What makes the check cheap never changes its verdict (issue 23: the check of one edit).

Each reuse the check makes has a test here that fails if the reuse answers from before an edit:
- a page's text, and each docs folder's front matter problems, are found once per check (and the
  build after it), never once per process: the next check reads the edited file;
- a page without '<', '](' or ']:' has no link to follow: each of those forms alone is still read;
- front matter without '<', '&' or a backslash holds no HTML element: each form alone is still found;
- the build's memo keeps the CMS form of office.yml and each page's social texts under what they are
  made of: an edit of either gives the new verdict;
- a memo entry that is not a list of problems is examined again instead of stopping the check.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from infohub import paths
from infohub.check_memo import CheckMemo
from infohub.checks import check_report, site_report

OFFICE = "kantorcontoh"
DOCS = f"offices/{OFFICE}/docs"
POST = f"{DOCS}/berita/2025/hari-terbuka.md"


def _said(report) -> list[tuple]:
    return [(p.path, p.line, p.key, p.code, p.severity, p.text("id"), p.text("en")) for p in report.problems]


def _memo_check(root: Path) -> tuple[list[tuple], CheckMemo]:
    """The build's check: with the memo of the last one, kept for the next (build.build_site)."""
    memo = CheckMemo(root / "site" / ".cache" / "checks" / f"{OFFICE}.json")
    report = site_report(OFFICE, root, memo=memo)
    memo.save()
    return _said(report), memo


def _codes(said: list[tuple], path: str) -> list[tuple]:
    return [(line, code) for where, line, _, code, *_ in said if where == path]


def _replace(root: Path, relative: str, old: str, new: str) -> None:
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- read once per check, never once per process -----------------------------------------------


def test_the_next_check_in_the_same_process_reads_the_edited_page(repo):
    """The page's text (content.source_text) and its folder's front matter problems (check_docs)
    are kept while one check runs; a second check, after the page changed, finds the new problems."""
    assert _codes(_said(site_report(OFFICE, repo)), POST) == []
    _replace(repo, POST, "date: 2025-08-01 09:00\n", "date: kemarin\n")
    _replace(repo, POST, "Acara ini fiktif", "NIK 3171011708450001. Acara ini fiktif")
    assert _codes(_said(site_report(OFFICE, repo)), POST) == [(4, "expected"), (16, "privacy_nik")]


def test_one_check_reads_each_page_once(repo, monkeypatch):
    """A page's text, and its bytes (paths.source_bytes, which the build's render cache shares)."""
    read = []
    original, original_bytes = Path.read_text, paths._read_bytes

    def counted(self, *args, **kwargs):
        if self.suffix == ".md":
            read.append(self)
        return original(self, *args, **kwargs)

    def counted_bytes(name):
        if name.endswith(".md"):
            read.append(Path(name))
        return original_bytes(name)

    monkeypatch.setattr(Path, "read_text", counted)
    monkeypatch.setattr(paths, "_read_bytes", counted_bytes)
    check_report([OFFICE], False, repo)
    assert read and len(read) == len(set(read))


# --- forms the fast paths look for -------------------------------------------------------------


@pytest.mark.parametrize("reference", [
    "Lihat [halaman itu](hilang.md).",                      # inline: ']('
    "Lihat [halaman itu][acuan].\n\n[acuan]: hilang.md",     # a reference definition: ']:'
    'Lihat <a href="hilang.md">halaman itu</a>.',            # raw HTML: '<'
])
def test_a_link_to_a_missing_page_is_found_in_each_form_alone(repo, reference):
    page = f"{DOCS}/tautan.md"
    (repo / page).write_text(f"---\ntitle: Tautan\n---\n\n{reference}\n", encoding="utf-8")
    said = _said(check_report([OFFICE], False, repo))
    assert [code for line, code in _codes(said, page) if code.startswith("link")] == ["link_missing"]


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>",                   # the tag itself: '<'
    "Teks &lt;script&gt;alert(1)&lt;/script&gt;",  # an HTML entity: '&'
    '"\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"',  # a YAML escape: a backslash
    '"\\u003cscript\\u003ealert(1)"',
])
def test_a_tag_in_front_matter_is_found_in_each_form_alone(repo, value):
    page = f"{DOCS}/data.md"
    (repo / page).write_text(f"---\ntitle: Judul\ndescription: {value}\n---\n\nIsi.\n", encoding="utf-8")
    said = _said(check_report([OFFICE], False, repo))
    assert [(line, code) for line, code in _codes(said, page) if code.startswith("html_in_data")] == [
        (3, "html_in_data" if "<" in value else "html_in_data_disguised")]


# --- what the build's memo keeps -------------------------------------------------------------------


def _cms_form(said: list[tuple], path: str) -> list[tuple]:
    return [(line, code) for line, code in _codes(said, path) if code.startswith("cms_form")]


def test_an_edit_of_office_yml_gives_the_cms_form_s_new_verdict(repo):
    office = f"offices/{OFFICE}/office.yml"
    said, first = _memo_check(repo)
    assert _cms_form(said, office) == [] and first.examined["cms_form"] == 1
    said, memo = _memo_check(repo)
    assert memo.reused["cms_form"] == 1 and "cms_form" not in memo.examined
    _replace(repo, office, "email: info@kantorcontoh.example.org", 'email: "info@kantorcontoh.example.org"')
    said, memo = _memo_check(repo)
    assert said == _said(site_report(OFFICE, repo))
    assert _cms_form(said, office) == [(4, "cms_form_line")] and memo.examined["cms_form"] == 1


def test_an_edit_of_a_post_gives_its_social_texts_new_verdict(repo):
    long = "Kantor contoh membuka layanan paspor keliling di setiap kecamatan selama bulan ini. " * 4
    said, _ = _memo_check(repo)
    assert [code for _, code in _codes(said, POST)] == []
    _replace(repo, POST, "description: Kantor contoh mengundang warga melihat proses permohonan paspor, "
                         "dengan tanya jawab; acara fiktif.", f"description: {long.strip()}")
    said, memo = _memo_check(repo)
    assert said == _said(site_report(OFFICE, repo)) and memo.examined["social"] == 1
    truncated = [(line, code) for line, code in _codes(said, POST)]
    assert truncated and set(truncated) == {(3, "social_truncated")}
    # no longer posted: no text to cut (the memo's key holds the page's text, 'social' included)
    _replace(repo, POST, "category: acara\n", "category: acara\nsocial: false\n")
    said, memo = _memo_check(repo)
    assert said == _said(site_report(OFFICE, repo)) and _codes(said, POST) == []


@pytest.mark.parametrize("entry", [
    "not a list", [["too", "short"]], [[POST, "3", "", "privacy_nik", {}, "error"]],
    [[POST, 3, "", "no_such_problem", {}, "error"]], [[POST, 3, "", "privacy_nik", {"value": {"msg": 1}}, "error"]],
    [[POST, 3, "", "privacy_nik", {}, "fatal"]],
])
def test_a_memo_entry_that_is_not_a_list_of_problems_is_examined_again(repo, entry):
    """Before: the check decoded whatever an entry under a known key held, and one of these
    stopped it (ValueError, TypeError) or printed a message that does not exist."""
    whole, _ = _memo_check(repo)
    record = repo / "site" / ".cache" / "checks" / f"{OFFICE}.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["entries"] = {key: entry for key in data["entries"]}
    record.write_text(json.dumps(data), encoding="utf-8")
    said, memo = _memo_check(repo)
    assert said == whole and memo.reused == {}
    for row in said:  # every message can be printed
        assert row[5] and row[6]


def test_the_text_kept_for_a_check_is_gone_after_it(repo):
    with paths.files_unchanged():
        check_report([OFFICE], False, repo)
        assert paths.kept_value("text", repo / POST, lambda: None) is not None
    assert paths.kept_value("text", repo / POST, lambda: "read anew") == "read anew"
