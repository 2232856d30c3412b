"""A save in the national team's editor changes only what it changed in national/*.yml (issue 22,
left over from item 5).

Sveltia CMS writes a national file anew on every save, as it does office.yml: before the national
files were written in the CMS's own form (infohub.cms_forms.format_national), one fee amount changed
in /admin/nasional/ rewrote fees.yml (+36 −14: its anchors written out), one service's name
services.yml (+37 −13: its [a, b] lists made block lists), one address defaults.yml (+4 −4: its
empty values left out). Here the national team changes one value of each file through the form and
saves: the file must differ by exactly that line, and pass the check.

The CMS runs offline as in test_cms_browser.py (local repository mode on the browser's private
file system).
"""
from __future__ import annotations

import pytest

from conftest import make_repo
from infohub.checks import check_report
from search.searchbox import serve
from test_cms_browser import DESKTOP, _build, _changed, _files, _open_editor, _reveal
from test_cms_saves_browser import _changed_lines

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("cmsnational") / "repo")  # the repository's national/ as it is
    assert all(r.ok for r in _build(root, ["hub"]))
    return root


def _save_national(browser, root, stem: str, key_path: str, value: str, folded: str | None = None) -> str:
    """Open national/<stem>.yml in /admin/nasional/, type ``value`` in the field at ``key_path``
    (its list ``folded`` opened first: the FAQ shows one line per entry until opened), save, and
    return the file as the CMS wrote it."""
    with serve(root / "site" / "hub") as (url, _):
        files = _files(root)
        context, page = _open_editor(browser, url, files, "nasional", DESKTOP)
        page.goto(url + f"admin/nasional/#/collections/nasional/entries/{stem}")
        if folded:
            _reveal(page, page.locator(f'section[data-key-path="{folded}"]')).get_by_role(
                "button", name="Luaskan semua").click()
        field = _reveal(page, page.locator(f'section[data-key-path="{key_path}"]'))
        box = field.locator("input, textarea").first
        box.fill(value)
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Entri disimpan.").wait_for()
        written = _changed(page, files)[f"national/{stem}.yml"]
        context.close()
    return written.decode("utf-8")


@pytest.mark.parametrize(("stem", "key_path", "folded", "value", "before_line", "after_line"), [
    # the 10-year non-electronic passport: an amount after an anchored unit in the file
    ("fees", "fees.1.amount", None, "700000", "    amount: 650000", "    amount: 700000"),
    ("faq", "faq.2.answer.en", "faq", "No. The PNBP fee is paid with an official payment code only.",
     "      en: No. The PNBP fee is paid with an official payment code, never in cash to an officer. Do not use "
     "brokers.", "      en: No. The PNBP fee is paid with an official payment code only."),
    ("services", "services.0.name.en", None, "New passport application (first passport)",
     "      en: New passport application", "      en: New passport application (first passport)"),
    ("defaults", "directorate_general_url", None, "https://www.imigrasi.go.id/id/",
     "directorate_general_url: https://www.imigrasi.go.id/", "directorate_general_url: https://www.imigrasi.go.id/id/"),
])
def test_changing_one_national_value_changes_that_line_only(browser, repo, stem, key_path, folded, value,
                                                             before_line, after_line):
    file = repo / "national" / f"{stem}.yml"
    before = file.read_text(encoding="utf-8")
    after = _save_national(browser, repo, stem, key_path, value, folded)
    assert _changed_lines(before, after) == ["-" + before_line, "+" + after_line]
    file.write_text(after, encoding="utf-8")
    try:
        report = check_report([], True, repo)
        assert not report.errors, report.format("en")
        assert not [p for p in report.problems if p.code.startswith("cms_form")], report.format("en")
    finally:
        file.write_text(before, encoding="utf-8")  # the next test starts from the same files
