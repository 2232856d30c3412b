"""The national files the national team's editor opens (national/fees.yml, faq.yml, services.yml,
defaults.yml, alert.yml) are written the way the web editor writes them (infohub.cms_yaml), so
that a save in /admin/nasional/ changes only what was changed (issue 22, item 5, left over);
`make check` warns of a file in another form, naming the line and the command that rewrites it.

The CMS's own output is the oracle: FEES_WRITTEN_BY_HAND is national/fees.yml as it was written by
hand (anchors, a {…} mapping), shortened to two fees; FEES_AS_THE_CMS_WROTE_IT is that text in the
form Sveltia CMS 0.221.1 wrote the whole file in when one amount was changed in the form: every
alias written out as its value (tests/test_cms_national_saves_browser.py drives that save).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, make_repo
from infohub import cms_config
from infohub.checks import check_report
from infohub.cms_forms import format_national, national_fields
from infohub.cms_yaml import canonical_text
from infohub.content import load_national

FEES_WRITTEN_BY_HAND = """\
legal_basis:
  id: PP 45/2024
  en: Government Regulation (PP) 45/2024
source:
  text:
    id: Laporan media
    en: Press reports
fees:
  - id: paspor-biasa-5-tahun
    name:
      id: Paspor biasa 5 tahun
      en: Ordinary passport 5 years
    amount: 350000
    unit: &per_application
      id: per permohonan
      en: per application
    for_whom: &citizens
      id: Warga negara Indonesia
      en: Indonesian citizens
  - id: paspor-biasa-10-tahun
    name: {id: Paspor biasa 10 tahun, en: Ordinary passport 10 years}
    amount: 650000
    unit: *per_application
    for_whom: *citizens
"""

FEES_AS_THE_CMS_WROTE_IT = """\
legal_basis:
  id: PP 45/2024
  en: Government Regulation (PP) 45/2024
source:
  text:
    id: Laporan media
    en: Press reports
fees:
  - id: paspor-biasa-5-tahun
    name:
      id: Paspor biasa 5 tahun
      en: Ordinary passport 5 years
    amount: 350000
    unit:
      id: per permohonan
      en: per application
    for_whom:
      id: Warga negara Indonesia
      en: Indonesian citizens
  - id: paspor-biasa-10-tahun
    name:
      id: Paspor biasa 10 tahun
      en: Ordinary passport 10 years
    amount: 650000
    unit:
      id: per permohonan
      en: per application
    for_whom:
      id: Warga negara Indonesia
      en: Indonesian citizens
"""


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo")


def test_anchors_are_written_out_as_the_cms_writes_them():
    fields = national_fields("fees", load_national(ROOT)[0])
    assert canonical_text(FEES_WRITTEN_BY_HAND, fields) == FEES_AS_THE_CMS_WROTE_IT
    assert canonical_text(FEES_AS_THE_CMS_WROTE_IT, fields) == FEES_AS_THE_CMS_WROTE_IT  # a fixed point


def test_lists_and_empty_values_of_the_defaults_as_the_cms_writes_them():
    fields = national_fields("defaults", load_national(ROOT)[0])
    written = ("hashtags: [Imigrasi, LayananPaspor]\ndirectorate_general_url: https://www.imigrasi.go.id/\n"
               "mpaspor_url:\ndescription:\n  id: Informasi resmi.\n  en: Official information.\nimage_hosts: []\n")
    assert canonical_text(written, fields) == (
        "hashtags:\n  - Imigrasi\n  - LayananPaspor\ndirectorate_general_url: https://www.imigrasi.go.id/\n"
        "description:\n  id: Informasi resmi.\n  en: Official information.\n")


def test_the_national_forms_are_the_ones_the_cms_has():
    """national_fields builds the fields as cms_config does: if a national form changes there, this
    fails, and cms_forms.national_fields must follow it (the order of the keys is the form's)."""
    config = cms_config.cms_config(ROOT)
    forms = {f["file"]: f["fields"] for c in config["collections"] if c["name"] == "nasional" for f in c["files"]}
    national = load_national(ROOT)[0]
    assert forms == {f"national/{stem}.yml": national_fields(stem, national) for stem in cms_config.NATIONAL_FILES}


def test_every_national_file_of_the_repository_is_in_the_cms_form():
    national = load_national(ROOT)[0]
    for stem in cms_config.NATIONAL_FILES:
        text = (ROOT / "national" / f"{stem}.yml").read_text(encoding="utf-8")
        assert canonical_text(text, national_fields(stem, national)) == text, "python -m infohub format-national"


UNIT = "    unit:\n      id: per permohonan\n      en: per application\n"


def _anchored(cms_wrote: str) -> str:
    """fees.yml as it was written by hand: the first fee's unit anchored, the others its aliases."""
    assert cms_wrote.count(UNIT) > 2
    first = cms_wrote.index(UNIT) + len(UNIT)
    return (cms_wrote[:first].replace(UNIT, "    unit: &per_application\n      id: per permohonan\n"
                                            "      en: per application\n")
            + cms_wrote[first:].replace(UNIT, "    unit: *per_application\n"))


def test_format_national_keeps_the_data(repo):
    fees, defaults = repo / "national" / "fees.yml", repo / "national" / "defaults.yml"
    cms_wrote = fees.read_text(encoding="utf-8")
    fees.write_text(_anchored(cms_wrote), encoding="utf-8")
    defaults.write_text(defaults.read_text(encoding="utf-8") + "mpaspor_url:\nimage_hosts: []\n", encoding="utf-8")
    before = load_national(repo)
    assert before[0] is not None, before[1]
    assert format_national(repo) == {"national/alert.yml": False, "national/fees.yml": True,
                                     "national/services.yml": False, "national/faq.yml": False,
                                     "national/defaults.yml": True}
    assert fees.read_text(encoding="utf-8") == cms_wrote
    assert "mpaspor_url" not in defaults.read_text(encoding="utf-8")
    assert load_national(repo)[0] == before[0]  # the anchors' values, written out
    assert set(format_national(repo).values()) == {False}


def test_format_national_writes_nothing_while_the_national_data_has_errors(repo):
    fees = repo / "national" / "fees.yml"
    broken = FEES_WRITTEN_BY_HAND.replace("amount: 650000", "amount: banyak")
    fees.write_text(broken, encoding="utf-8")
    assert set(format_national(repo).values()) == {None}
    assert fees.read_text(encoding="utf-8") == broken
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "en"}
    run = subprocess.run([sys.executable, "-m", "infohub", "format-national"], capture_output=True, text=True,
                         env=env, cwd=repo)
    assert run.returncode == 1
    assert ("national/fees.yml: not rewritten, the national data does not pass the check yet (the form is made "
            "from it); run `make check` for what to fix.") in run.stderr.splitlines()


def _national_form_problems(root, offices=(), hub=True):
    return [(p.path, p.line, p.code, p.severity) for p in check_report(list(offices), hub, root).problems
            if p.code.startswith("cms_form")]


def test_the_check_warns_of_a_national_file_in_another_form_with_the_line_and_the_command(repo):
    fees = repo / "national" / "fees.yml"
    cms_wrote = fees.read_text(encoding="utf-8")
    assert _national_form_problems(repo) == []
    hand = cms_wrote.replace("    unit:\n      id: per permohonan\n      en: per application\n",
                             "    unit: {id: per permohonan, en: per application}\n", 1)
    line = cms_wrote.splitlines().index("    unit:") + 1
    fees.write_text(hand, encoding="utf-8")
    assert _national_form_problems(repo) == [("national/fees.yml", line, "cms_form_national_line", "warning")]
    report = check_report([], True, repo)
    assert (f"  baris {line}  (peringatan) tidak ditulis seperti editor web menulisnya: baris ini seharusnya "
            "`    unit:`, tertulis `    unit: {id: per permohonan, en: per application}`. Editor nasional menulis "
            "ulang seluruh berkas setiap kali menyimpan, jadi hal lain (komentar, anchor seperti &per_application, "
            "daftar [a, b], urutan kunci atau tanda kutip yang berbeda) akan muncul di pull request simpanan "
            "berikutnya sebagai perubahan yang tidak dibuat siapa pun. Tulis ulang berkas nasional dengan: "
            "python -m infohub format-national") in report.format("id").splitlines()
    assert (f"  line {line}  (warning) not written the way the web editor writes it: this line should read "
            "`    unit:`, it reads `    unit: {id: per permohonan, en: per application}`. The national editor "
            "rewrites the whole file on every save, so anything else (a comment, an anchor such as "
            "&per_application, a [a, b] list, another key order or other quotes) would show up in the next save's "
            "pull request as changes nobody made. Rewrite the national files with: python -m infohub "
            "format-national") in report.format("en").splitlines()
    # with the hub and the national data, not with each office: one warning, not one per site built
    assert _national_form_problems(repo, ["kantorcontoh"], hub=False) == []

    fees.write_text("# A note\n" + cms_wrote, encoding="utf-8")
    assert _national_form_problems(repo) == [("national/fees.yml", 1, "cms_form_national_line", "warning")]
    fees.write_text(cms_wrote + "# A note\n", encoding="utf-8")
    end = len(cms_wrote.splitlines()) + 1
    assert _national_form_problems(repo) == [("national/fees.yml", end, "cms_form_national_extra_line", "warning")]
    fees.write_text(cms_wrote.replace("\n", "\r\n"), encoding="utf-8", newline="")
    assert _national_form_problems(repo) == [("national/fees.yml", None, "cms_form_national_line_breaks", "warning")]

    fees.write_text(hand, encoding="utf-8")
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "en"}
    run = subprocess.run([sys.executable, "-m", "infohub", "format-national"], capture_output=True, text=True,
                         env=env, cwd=repo)
    assert (run.returncode, run.stdout) == (0, "".join(
        f"national/{stem}.yml: {'rewritten the way the web editor writes it; its data is unchanged' if stem == 'fees' else 'already written the way the web editor writes it'}.\n"
        for stem in cms_config.NATIONAL_FILES))
    assert fees.read_bytes() == cms_wrote.encode("utf-8")
    assert _national_form_problems(repo) == []


def test_national_files_with_errors_are_held_to_the_form_once_they_are_fixed(repo):
    (repo / "national" / "fees.yml").write_text(FEES_WRITTEN_BY_HAND.replace("amount: 650000", "amount: banyak"),
                                                encoding="utf-8")
    report = check_report([], True, repo)
    assert report.errors and not [p for p in report.problems if p.code.startswith("cms_form")]
