"""A save in the web editor changes only what the editor changed (issue 22, item 5).

Sveltia CMS writes a whole office.yml anew on every save; before the repository's files were
written in the CMS's own form (infohub.cms_yaml), changing one Friday time in the form gave a
diff of +27 −15 (comments dropped, [a, b] lists unrolled, quotes and key order changed), and
adding Friday hours to a real office +8 −15. Here the editor changes hours through the form,
saves, and the file must differ by exactly the lines of that change, and pass the check.

The CMS runs offline as in test_cms_browser.py (local repository mode on the browser's private
file system).
"""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, make_repo
from infohub.checks import check_report
from infohub.cms_forms import format_office
from search.searchbox import serve
from test_cms_browser import DESKTOP, _build, _changed, _files, _open_editor, _reveal

pytestmark = pytest.mark.browser

# Values whose quoting the CMS decides: each kind of string the library writes differently.
# Added to the fixture office's FAQ, then the file is put in the CMS's form by the repository's
# own formatter: the CMS must write every one of them back byte for byte.
TRICKY_FAQ = """\
  - id: tanda-baca
    topic: antrean
    question:
      id: "Apakah antrean: dibuka pukul 08:00? #1"
      en: It's open at '8', isn't it?
    answer:
      id: "Ya.\\nBaris kedua dengan \\"kutip\\".\\n\\n- bukan daftar"
      en: '- starts with a dash, ends with a colon:'
"""


def _save_friday(browser, root: Path, slug: str, first_time: bool, value: str, editor: str = "nasional") -> bytes:
    """Open the office's form in ``editor`` (the national team's, or the office's own: its slug),
    set Friday's first time range to ``value`` (adding hours and the range when the office has
    none), save, and return office.yml as the CMS wrote it."""
    with serve(root / "site" / "hub") as (url, _):
        files = _files(root)
        context, page = _open_editor(browser, url, files, editor, DESKTOP)
        page.goto(url + f"admin/{editor}/#/collections/kantor/entries/{slug}")
        page.locator('section[data-key-path="contact"]').first.wait_for()
        hours = page.locator('section[data-key-path="hours"]')
        if first_time:  # an office without hours: add the hours, then Friday's first range
            _reveal(page, hours).get_by_role("checkbox").first.click()
        opener = _reveal(page, hours).get_by_role("button", name="Luaskan", exact=True)
        if opener.count():  # the hours are folded until tapped (a short form on a phone)
            opener.first.click()
        if first_time:
            _reveal(page, page.locator('section[data-key-path="hours.friday"]')).get_by_role("button", name="Tambah").click()
        first = _reveal(page, page.locator('section[data-key-path="hours.friday.0"]'))
        box = first.locator("input").first
        box.fill(value)
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Entri disimpan.").wait_for()
        written = _changed(page, files)[f"offices/{slug}/office.yml"]
        context.close()
    return written


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("cmssaves") / "repo")
    office = root / "offices" / "kantorcontoh" / "office.yml"
    text = office.read_text(encoding="utf-8")
    assert "\nalert:" in text  # the FAQ is the list before the alert
    office.write_text(text.replace("\nalert:", "\n" + TRICKY_FAQ + "alert:", 1), encoding="utf-8")
    assert format_office(root, "kantorcontoh") is True  # the added entry, in the CMS's form
    shutil.copytree(ROOT / "offices" / "imigrasiblitar", root / "offices" / "imigrasiblitar")
    assert all(r.ok for r in _build(root, ["hub"]))
    return root


@pytest.mark.parametrize("editor", ["nasional", "kantorcontoh"])
def test_changing_friday_hours_changes_that_line_only(browser, repo, editor):
    """From the national team's editor, whose form names every key, and from the office's own,
    whose form names only what an office edits (Sveltia writes the other keys after them, sorted):
    the same one-line change."""
    office = repo / "offices" / "kantorcontoh" / "office.yml"
    before = office.read_text(encoding="utf-8")
    assert "      en: '- starts with a dash, ends with a colon:'" in before
    after = _save_friday(browser, repo, "kantorcontoh", False, "08:00-11:00", editor).decode("utf-8")
    assert _changed_lines(before, after) == ["-    - 08:00-11:30", "+    - 08:00-11:00"]
    office.write_text(after, encoding="utf-8")
    try:
        report = check_report(["kantorcontoh"], False, repo)
        assert not report.errors, report.format("en")
        assert not [p for p in report.problems if p.code.startswith("cms_form")], report.format("en")
    finally:
        office.write_text(before, encoding="utf-8")  # the next test starts from the same file


def test_adding_friday_hours_to_a_real_office_adds_those_lines_only(browser, repo):
    office = repo / "offices" / "imigrasiblitar" / "office.yml"
    before = office.read_text(encoding="utf-8")
    after = _save_friday(browser, repo, "imigrasiblitar", True, "08:00-11:30").decode("utf-8")
    assert _changed_lines(before, after) == ["+hours:", "+  friday:", "+    - 08:00-11:30"]
    office.write_text(after, encoding="utf-8")
    report = check_report(["imigrasiblitar"], False, repo)
    assert not report.errors, report.format("en")
