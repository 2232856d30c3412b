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

import base64
import difflib
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, make_repo
from infohub.checks import check_report
from infohub.cms_yaml import format_office
from search.searchbox import serve
from test_cms_browser import DUMP, FILL, PICKER, _build

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


def _save_friday(browser, root: Path, slug: str, first_time: bool, value: str) -> bytes:
    """Open the office's form, set Friday's first time range to ``value`` (adding hours and the
    range when the office has none), save, and return office.yml as the CMS wrote it."""
    files = {str(p.relative_to(root)): base64.b64encode(p.read_bytes()).decode()
             for sub in ("offices", "national") for p in (root / sub).rglob("*") if p.is_file()}
    with serve(root / "site" / "hub") as (url, _):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(PICKER)
        page = context.new_page()
        page.route(lambda u: not u.startswith(url), lambda r: r.abort())
        page.goto(url)
        page.evaluate(FILL, files)
        # the national editor: its office form names every key (an office's own editor names four and
        # Sveltia writes the keys its form does not name after them, sorted: see the handbook)
        page.goto(url + "admin/nasional/")
        page.get_by_role("button", name="Bekerja dengan repositori lokal").click()
        page.get_by_text("Data kantor").first.wait_for()
        page.goto(url + f"admin/nasional/#/collections/kantor/entries/{slug}")
        page.locator('section[data-key-path="contact"]').first.wait_for()
        hours = page.locator('section[data-key-path="hours"]')
        friday = page.locator('section[data-key-path="hours.friday"]')
        first = page.locator('section[data-key-path="hours.friday.0"]')
        page.mouse.move(640, 500)
        opened = False
        for _ in range(60):  # the form renders its lower fields as they scroll into view
            opener = hours.get_by_role("button", name="Luaskan", exact=True)
            if not opened and opener.count():  # the hours are folded until tapped (a short form on a phone)
                opener.first.click()
                opened = True
            if first.count() or (first_time and hours.get_by_role("checkbox", name="Tambah").count()):
                break
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(100)
        if first_time:  # an office without hours: add the hours, then Friday's first range
            hours.get_by_role("checkbox").first.click()
            opener = hours.get_by_role("button", name="Luaskan", exact=True)
            page.wait_for_timeout(200)
            if opener.count():  # folded until tapped
                opener.first.click()
            add = friday.get_by_role("button", name="Tambah")
            for _ in range(20):
                if add.count():
                    break
                page.mouse.wheel(0, 300)
                page.wait_for_timeout(100)
            add.first.click()
        box = first.locator("input").first
        box.fill(value)
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Entri disimpan.").wait_for()
        written = base64.b64decode(page.evaluate(DUMP)[f"offices/{slug}/office.yml"])
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


def test_changing_friday_hours_changes_that_line_only(browser, repo):
    office = repo / "offices" / "kantorcontoh" / "office.yml"
    before = office.read_text(encoding="utf-8")
    assert "      en: '- starts with a dash, ends with a colon:'" in before
    after = _save_friday(browser, repo, "kantorcontoh", False, "08:00-11:00").decode("utf-8")
    assert _changed_lines(before, after) == ["-    - 08:00-11:30", "+    - 08:00-11:00"]
    office.write_text(after, encoding="utf-8")
    report = check_report(["kantorcontoh"], False, repo)
    assert not report.errors, report.format("en")


def test_adding_friday_hours_to_a_real_office_adds_those_lines_only(browser, repo):
    office = repo / "offices" / "imigrasiblitar" / "office.yml"
    before = office.read_text(encoding="utf-8")
    after = _save_friday(browser, repo, "imigrasiblitar", True, "08:00-11:30").decode("utf-8")
    assert _changed_lines(before, after) == ["+hours:", "+  friday:", "+    - 08:00-11:30"]
    office.write_text(after, encoding="utf-8")
    report = check_report(["imigrasiblitar"], False, repo)
    assert not report.errors, report.format("en")
