"""The build's check after an edit re-examines only the files the edit changed (infohub/check_memo.py),
and says exactly what a whole check says: the same problems, in the same order, with the same words."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from infohub import check_memo
from infohub.check_memo import CheckMemo
from infohub.checks import site_report

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import bench  # noqa: E402 - tools/ is not a package: the benchmark's own corpus generator

OFFICE = "kantorcontoh"
POST = f"offices/{OFFICE}/docs/berita/2025/hari-terbuka.md"


def _said(report) -> list[tuple]:
    """Everything a report tells an editor, in its order, in both languages."""
    return [(p.path, p.line, p.key, p.code, p.severity, p.text("id"), p.text("en")) for p in report.problems]


def _memo_check(root: Path, slug: str) -> tuple[list[tuple], CheckMemo]:
    """The build's check (build.build_site): with the memo of the last one, kept for the next."""
    memo = CheckMemo(root / "site" / ".cache" / "checks" / f"{slug}.json")
    report = site_report(slug, root, memo=memo)
    memo.save()
    return _said(report), memo


def _append(root: Path, relative: str, text: str) -> None:
    file = root / relative
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def _same_as_whole(root: Path, slug: str = OFFICE) -> CheckMemo:
    said, memo = _memo_check(root, slug)
    assert said == _said(site_report(slug, root))
    return memo


def test_a_clean_edit_re_examines_the_edited_post_alone(repo):
    first = _same_as_whole(repo)
    assert first.reused == {} and first.examined["privacy"] > 10
    _append(repo, POST, "\nSatu kalimat tambahan.\n")
    memo = _same_as_whole(repo)
    # the post's own file: its personal data, its HTML, its social text (the Indonesian page)
    assert memo.examined == {"privacy": 1, "html": 1, "images": 1, "social": 1}
    assert memo.reused["privacy"] == first.examined["privacy"] - 1


def test_an_edit_that_adds_errors_reports_them_as_a_whole_check_does(repo):
    _same_as_whole(repo)
    _append(repo, POST, "\nNIK 3171011708450001 <script>alert(1)</script>\n")
    said, memo = _memo_check(repo, OFFICE)
    assert said == _said(site_report(OFFICE, repo))
    assert [(path, line, code) for path, line, _, code, severity, *_ in said if severity == "error"] == [
        (POST, 18, "privacy_nik"), (POST, 18, "html_removed")]
    assert memo.examined == {"privacy": 1, "html": 1, "images": 1, "social": 1}
    # and taken back: the memo of the failed check serves the next one
    post = repo / POST
    post.write_text(post.read_text(encoding="utf-8").replace("\nNIK 3171011708450001 <script>alert(1)</script>\n", ""),
                    encoding="utf-8")
    assert _same_as_whole(repo).examined == {"privacy": 1, "html": 1, "images": 1, "social": 1}


def test_an_edit_elsewhere_that_changes_a_cross_file_result(repo):
    """A page links to a post's section; the post loses the heading: the page's link breaks."""
    _append(repo, POST, "\n## Jadwal acara\n\nPukul sembilan.\n")
    page = f"offices/{OFFICE}/docs/tautan.md"
    (repo / page).write_text("---\ntitle: Tautan\n---\n\nLihat [jadwal](berita/2025/hari-terbuka.md#jadwal-acara).\n",
                             encoding="utf-8")
    _same_as_whole(repo)
    post = repo / POST
    post.write_text(post.read_text(encoding="utf-8").replace("## Jadwal acara", "Jadwal acara:"), encoding="utf-8")
    said, _ = _memo_check(repo, OFFICE)
    assert said == _said(site_report(OFFICE, repo))
    assert [(path, code) for path, _, _, code, *_ in said if code == "anchor_missing"] == [(page, "anchor_missing")]


def test_a_picture_added_re_examines_the_images_of_its_folder(repo):
    """Whether a picture a page names exists is decided by the folder's files, not the page's text."""
    _append(repo, POST, "\n![Denah](gambar/denah.png)\n")
    said, first = _memo_check(repo, OFFICE)
    assert said == _said(site_report(OFFICE, repo))
    assert [(path, code) for path, _, _, code, *_ in said if code == "image_missing"] == [(POST, "image_missing")]
    picture = repo / f"offices/{OFFICE}/docs/berita/2025/gambar/denah.png"
    picture.write_bytes((repo / f"offices/{OFFICE}/docs/berita/2025/gambar/hari-terbuka.png").read_bytes())
    said, memo = _memo_check(repo, OFFICE)
    assert said == _said(site_report(OFFICE, repo))
    assert not [code for _, _, _, code, *_ in said if code == "image_missing"]
    # every page of the office's folder (the national pages' folder did not change)
    office_pages = len(list((repo / f"offices/{OFFICE}/docs").rglob("*.md")))
    assert memo.examined == {"images": office_pages}
    assert memo.reused["images"] == first.examined["images"] + first.reused["images"] - office_pages


@pytest.mark.parametrize("changed", ["office", "national", "code"])
def test_a_change_of_what_every_file_s_check_reads_re_examines_every_file(repo, monkeypatch, changed):
    first = _same_as_whole(repo)
    if changed == "office":
        _append(repo, f"offices/{OFFICE}/office.yml", "# catatan\n")
    elif changed == "national":
        _append(repo, "national/defaults.yml", "# catatan\n")
    else:
        monkeypatch.setattr(check_memo, "code_digest", lambda: "another version of the checks")
    memo = _same_as_whole(repo)
    assert memo.examined == first.examined and memo.reused == {}


def test_the_hub_s_check_is_the_same_with_its_memo(repo):
    _same_as_whole(repo, "hub")
    _append(repo, "docs/panduan/index.md", "\nSatu kalimat tambahan.\n")
    assert _same_as_whole(repo, "hub").examined == {"privacy": 1, "html": 1, "images": 1}


def test_a_generated_corpus_after_edits_equals_a_whole_check(tmp_path, monkeypatch):
    root = bench.prepare(tmp_path / "corpus", 1, 30)
    monkeypatch.setenv("INFOHUB_ROOT", str(root))
    office = "kantorbench000"
    first = _same_as_whole(root, office)
    post = f"offices/{office}/docs/berita/2025/berita-013.md"
    _append(root, post, "\nSatu kalimat tambahan.\n")
    assert _same_as_whole(root, office).examined == {"privacy": 1, "html": 1, "images": 1, "social": 1}
    # an error, and a translation made to differ from its original (a cross-file result)
    _append(root, post, "\nHubungi 0812 3456 7890 <iframe src=\"https://contoh.example/\"></iframe>\n")
    twin = root / f"offices/{office}/docs/berita/2025/berita-020.en.md"
    twin.write_text(twin.read_text(encoding="utf-8").replace("category: kebijakan", "category: acara"),
                    encoding="utf-8")
    said, memo = _memo_check(root, office)
    assert said == _said(site_report(office, root))
    assert {code for _, _, _, code, *_ in said} >= {"html_removed", "privacy_phone", "news_twin_differs"}
    # an office with errors has no social texts checked (social/check.py: its site does not load)
    assert memo.examined == {"privacy": 2, "html": 2, "images": 2}
    assert (memo.reused["privacy"], memo.reused["html"]) == (first.examined["privacy"] - 2, first.examined["html"] - 2)


def test_the_build_checks_an_edited_post_alone(repo, monkeypatch):
    from infohub.build import build_sites, check_memo_path

    checks = []
    save = CheckMemo.save
    monkeypatch.setattr(CheckMemo, "save", lambda memo: (checks.append(memo), save(memo))[1])
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    assert all(r.ok for r in build_sites([OFFICE], repo / "site", **quiet))
    assert check_memo_path(OFFICE, repo / "site").is_file() and checks[-1].reused == {}
    _append(repo, POST, "\nSatu kalimat tambahan.\n")
    assert all(r.ok for r in build_sites([OFFICE], repo / "site", **quiet))
    assert checks[-1].examined == {"privacy": 1, "html": 1, "images": 1, "social": 1}


def test_a_record_that_cannot_be_read_or_written_costs_time_only(repo, tmp_path):
    record = repo / "site" / ".cache" / "checks" / f"{OFFICE}.json"
    record.parent.mkdir(parents=True)
    record.write_text("{not json", encoding="utf-8")
    said, memo = _memo_check(repo, OFFICE)
    assert said == _said(site_report(OFFICE, repo)) and memo.reused == {}
    unwritable = CheckMemo(tmp_path / "a-file" / "below-a-file.json")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert _said(site_report(OFFICE, repo, memo=unwritable)) == said
    unwritable.save()


def test_the_code_s_digest_names_every_installed_package_and_its_version():
    """Read from the metadata folders' names, not from each package's metadata: the same packages
    and versions as importlib.metadata finds (names compared as pip normalises them)."""
    import importlib.metadata
    import re

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "_", name).lower()

    found = {(normal(d.metadata["Name"]), d.version) for d in importlib.metadata.distributions()}
    named = {(normal(stem.split("-", 1)[0]), stem.split("-", 1)[1])
             for stem in (folder.rsplit(".", 1)[0] for folder in check_memo.installed_distributions())}
    assert named == found and len(found) > 20


def test_a_record_whose_entries_are_not_a_mapping_is_ignored(repo):
    """Found by the front matter record's test: read_record gave back whatever the record held
    under its key, and a string there stopped the build (AttributeError) instead of costing time."""
    record = repo / "site" / ".cache" / "checks" / f"{OFFICE}.json"
    record.parent.mkdir(parents=True)
    record.write_text('{"format": 1, "entries": "not a mapping"}', encoding="utf-8")
    assert _memo_check(repo, OFFICE)[0] == _said(site_report(OFFICE, repo))


def test_a_file_s_key_is_the_hash_of_all_it_depends_on(tmp_path):
    """The key of a file's problems: the hash of [code digest, site's data, check, *parts] as
    JSON, as the records kept by earlier builds hold it; a change of any part, or of the site's
    data after the first key, gives another key."""
    import hashlib
    import json

    from infohub import check_memo

    data = tmp_path / "office.yml"
    data.write_text("name: a\n", encoding="utf-8")
    memo = check_memo.CheckMemo(tmp_path / "memo.json")
    memo.set_context([data])
    parts = ("offices/x/docs/a.md", "ä\ud800", 3, None, True, tmp_path)
    expected = hashlib.sha256(json.dumps([check_memo.code_digest(), memo.context, "social", *parts],
                                         ensure_ascii=False, default=repr).encode("utf-8", "surrogatepass"))
    assert memo._key("social", parts) == expected.hexdigest()
    keys = {memo._key("social", parts), memo._key("images", parts), memo._key("social", parts[:-1]),
            memo._key("social", ("offices/x/docs/b.md", *parts[1:]))}
    data.write_text("name: b\n", encoding="utf-8")
    memo.set_context([data])
    keys.add(memo._key("social", parts))
    assert len(keys) == 5
