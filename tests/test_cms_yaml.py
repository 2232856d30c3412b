"""office.yml is written the way the web editor writes it (infohub.cms_yaml), so that a save in
the editor changes only what the editor changed (issue 22, item 5); `make check` refuses a file
in another form, naming the line and the command that rewrites it.

The CMS's own output is the oracle: the fixture office's office.yml below, as it was written by
hand, is what it was before; tests/fixtures/repo/offices/kantorcontoh/office.yml is what Sveltia
CMS 0.221.1 wrote for it on a save (tests/test_cms_saves_browser.py drives that save).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURE, ROOT, make_repo
from infohub import cms_config, paths
from infohub.checks import check_report
from infohub.cms_forms import format_office, office_fields
from infohub.cms_yaml import OUTPUT, canonical_text, collation_key, data_text, js_number
from infohub.content import load_national, load_office
from infohub.scaffold import create_office
from infohub.yamlsource import parse_yaml

WRITTEN_BY_HAND = """\
# A fictional office for tests. None of these facts describe a real office.
name:
  id: Kantor Imigrasi Contoh
  en: Example Immigration Office
class: Kelas Contoh
city: Kota Contoh
province: Provinsi Contoh
domain: kantorcontoh.id
timezone: Asia/Jayapura
address: Jalan Contoh No. 1, Kota Contoh
map_url: https://maps.example.org/kantorcontoh
geo:
  lat: -3.6954
  lon: 128.1814
contact:
  phone: "+62911000000"
  whatsapp: "+628110000000"
  email: info@kantorcontoh.example.org
social:
  instagram: https://instagram.example.org/kantorcontoh
hashtags: [KantorContoh]
languages: [id, en]
hours:
  monday: ["08:00-12:00", "13:00-16:00"]
  tuesday: ["08:00-12:00", "13:00-16:00"]
  wednesday: ["08:00-12:00", "13:00-16:00"]
  thursday: ["08:00-12:00", "13:00-16:00"]
  friday: ["08:00-11:30", "13:30-16:00"]
  closures:
    - date: 2025-08-17
      reason:
        id: Hari Kemerdekaan
        en: Independence Day
    - date: 2025-09-10
      reason:
        id: Contoh penutupan sekali untuk pemeliharaan sistem (fiktif)
        en: An example one-off closure for system maintenance (fictional)
    - date: 2099-12-30
      reason:
        id: Contoh penutupan di masa depan (fiktif)
        en: An example closure in the future (fictional)
fees:
  not_served: [splp-wna]
  overrides:
    percepatan-paspor:
      amount: 1200000
      reason:
        id: Contoh penyesuaian untuk pengujian
        en: An example adjustment for testing
faq:
  - id: parkir
    topic: antrean
    question:
      id: Apakah ada tempat parkir?
      en: Is there parking?
    answer:
      id: Ada, di halaman kantor contoh.
      en: Yes, in the example office's yard.
# The site-wide banner; gone from builds after 'expires' (a bare date: through that day).
alert:
  level: warning
  text:
    id: "Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif)."
    en: "Example alert: passport services are closed on 10 September 2025 (fictional)."
  expires: 2025-09-10
"""


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo")


def _fields(root, text):
    return office_fields(parse_yaml(text, "office.yml")[0], load_national(root)[0])


def test_a_hand_written_office_yml_becomes_what_the_cms_writes(repo):
    cms_wrote = (FIXTURE / "offices" / "kantorcontoh" / "office.yml").read_text(encoding="utf-8")
    assert canonical_text(WRITTEN_BY_HAND, _fields(repo, WRITTEN_BY_HAND)) == cms_wrote
    assert canonical_text(cms_wrote, _fields(repo, cms_wrote)) == cms_wrote  # a fixed point


def test_the_facts_stay_the_same(repo):
    office = repo / "offices" / "kantorcontoh" / "office.yml"
    national = load_national(repo)[0]
    office.write_text(WRITTEN_BY_HAND, encoding="utf-8")
    by_hand = load_office("kantorcontoh", national, repo)[0]
    assert format_office(repo, "kantorcontoh") is True
    assert load_office("kantorcontoh", national, repo)[0] == by_hand
    assert format_office(repo, "kantorcontoh") is False


@pytest.mark.parametrize(("written", "expected"), [
    # a number or truth the CMS would read as another one stays quoted: neither reader changes it
    ("phone: +62911000000", "phone: '+62911000000'"),
    ('phone: "+62911000000"', "phone: '+62911000000'"),
    ("lat: -3.6954", "lat: -3.6954"),
    ("lat: -3.69540", "lat: '-3.69540'"),
    ("amount: 1200000", "amount: 1200000"),
    ("amount: 007", "amount: '007'"),
    ("since: 2025-01-01", "since: 2025-01-01"),
    ("site_id: True", "site_id: 'True'"),
    ("site_id: 'true'", "site_id: 'true'"),
    # quotes only where YAML needs them: single, or double when the text holds a single one
    ('account: "imigrasi"', "account: imigrasi"),
    ('account: "a: b"', "account: 'a: b'"),
    ('account: "it\'s: here"', 'account: "it\'s: here"'),
    ("account: 'say \"hi\" #1'", "account: 'say \"hi\" #1'"),
    ('account: "- x"', "account: '- x'"),
    # several lines: a literal block, its end kept by the chomping indicator
    ('account: "one\\ntwo"', "account: |-\n  one\n  two"),
    ('account: "one\\ntwo\\n"', "account: |\n  one\n  two"),
    ('account: " one\\ntwo"', "account: |2-\n   one\n  two"),
])
def test_each_value_is_written_as_the_cms_writes_it(written, expected):
    fields = [{"name": "x", "widget": "object", "required": False, "fields": [
        {"name": n, "widget": "string", "required": False}
        for n in ("phone", "lat", "amount", "since", "site_id", "account")]}]
    text = "x:\n  " + written + "\n"
    assert canonical_text(text, fields) == "x:\n  " + expected.replace("\n", "\n  ") + "\n"


def test_keys_follow_the_form_empty_optional_values_go_unknown_keys_come_last():
    fields = [{"name": "b", "widget": "string"}, {"name": "a", "widget": "string", "required": False},
              {"name": "l", "widget": "list", "required": False, "field": {"name": "item", "widget": "string"}},
              {"name": "o", "widget": "object", "required": False, "fields": [
                  {"name": "p", "widget": "string", "required": False}]}]
    text = "z: 1\na:\nl: []\no: {p: ''}\ny: [c, d]\nb: ''\n"
    assert canonical_text(text, fields) == "b: ''\ny:\n  - c\n  - d\nz: 1\n"
    # unknown keys sorted by their flattened paths, nested ones too, numbers as numbers
    assert canonical_text("z:\n  k10: 1\n  k9: 2\nb: x\ny:\n  - {b: 1, a: 2}\n", fields) == (
        "b: x\ny:\n  - a: 2\n    b: 1\nz:\n  k9: 2\n  k10: 1\n")
    # a key that reads as an array index goes first, as in any JavaScript object
    assert canonical_text("b: x\n2024: y\n", fields) == "2024: y\nb: x\n"


def test_the_cms_is_configured_for_that_form():
    assert cms_config.cms_config(ROOT)["output"] == OUTPUT


def test_the_office_form_is_the_one_the_cms_has(repo):
    """office_fields builds the fields as cms_config does: if the office's form changes there,
    this fails, and cms_forms.office_fields must follow it (the order of the keys is the form's)."""
    config = cms_config.cms_config(repo)
    national = load_national(repo)[0]
    forms = {f["file"]: f["fields"] for c in config["collections"] for f in c.get("files", ())}
    for slug in paths.office_slugs(repo):
        file = f"offices/{slug}/office.yml"
        data = parse_yaml((repo / file).read_text(encoding="utf-8"), file)[0]
        assert office_fields(data, national) == forms[file], file


def _office_editors_form(root, text):
    """The form of the office's own editor: OFFICE_EDITS alone (cms_config._office_collections)."""
    return [f for f in _fields(root, text) if f["name"] in cms_config.OFFICE_EDITS]


def test_the_office_editor_and_the_national_editor_write_the_same_file(repo):
    """The office's own form names only OFFICE_EDITS: the CMS writes those first, then the other
    keys sorted by their flattened paths (tests/test_cms_saves_browser.py saves through both)."""
    national_form = [f["name"] for f in _fields(repo, WRITTEN_BY_HAND)]
    assert national_form == ["contact", "hours", "fees", "faq", "alert",  # OFFICE_EDITS, in the office's form's order
                             "address", "channels", "city", "class", "description", "domain", "feedback", "geo",
                             "hashtags", "languages", "map_url", "name", "province", "services", "social", "sources",
                             "timezone"]
    name = next(f for f in _fields(repo, WRITTEN_BY_HAND) if f["name"] == "name")
    assert [f["name"] for f in name["fields"]] == ["en", "id"]  # 'name.en' sorts before 'name.id'
    for root in (repo, ROOT):
        for slug in paths.office_slugs(root):
            text = (root / "offices" / slug / "office.yml").read_text(encoding="utf-8")
            assert canonical_text(text, _office_editors_form(root, text)) == text, slug


@pytest.mark.parametrize(("before", "after"), [
    # what the CMS's Intl.Collator(undefined, {numeric: true, sensitivity: 'base'}) gave in Chromium
    (["name.id", "name.en", "class", "city"], ["city", "class", "name.en", "name.id"]),
    (["channels.10.x", "channels.2.x", "channels.0.since", "channels.0.api_url"],
     ["channels.0.api_url", "channels.0.since", "channels.2.x", "channels.10.x"]),
    (["o.paspor-elektronik-10-tahun", "o.paspor-elektronik-5-tahun", "o.paspor-biasa-5-tahun"],
     ["o.paspor-biasa-5-tahun", "o.paspor-elektronik-5-tahun", "o.paspor-elektronik-10-tahun"]),
    (["foo1", "foo.a", "foo-a", "foo_bar", "mapa", "map_url"], ["foo_bar", "foo-a", "foo.a", "foo1", "map_url", "mapa"]),
    (["x1", "x.1", "x-1", "x_1", "x 1", "Zeta", "alpha", "a$", "a~", "a^"],
     ["a^", "a~", "a$", "alpha", "x 1", "x_1", "x-1", "x.1", "x1", "Zeta"]),
])
def test_keys_the_form_does_not_name_are_sorted_as_the_cms_sorts_them(before, after):
    assert sorted(before, key=collation_key) == after


def test_every_office_yml_of_the_repository_is_in_the_cms_form():
    national = load_national(ROOT)[0]
    for slug in paths.office_slugs(ROOT):
        text = (ROOT / "offices" / slug / "office.yml").read_text(encoding="utf-8")
        assert canonical_text(text, office_fields(parse_yaml(text, slug)[0], national)) == text, (
            f"python -m infohub format-office {slug}")


def test_a_new_office_is_written_in_the_cms_form(repo):
    create_office("kantorbaru", "Kantor Imigrasi Baru", "Kota Baru", "Provinsi Baru", "Asia/Makassar", root=repo)
    text = (repo / "offices" / "kantorbaru" / "office.yml").read_text(encoding="utf-8")
    assert text == ("city: Kota Baru\ndomain: kantorbaru.id\nhashtags:\n  - ImigrasiBaru\nlanguages:\n  - id\n  - en\n"
                    "name:\n  en: Kantor Imigrasi Baru\n  id: Kantor Imigrasi Baru\nprovince: Provinsi Baru\n"
                    "timezone: Asia/Makassar\n")
    assert not [p for p in check_report(["kantorbaru"], False, repo).problems if p.code.startswith("cms_form")]
    assert data_text({"name": {"id": "A: b"}}, [{"name": "name", "widget": "object", "fields": [
        {"name": "id", "widget": "string"}]}]) == "name:\n  id: 'A: b'\n"


def _cms_form_problems(root):
    return [(p.path, p.line, p.code, p.severity) for p in check_report(["kantorcontoh"], False, root).problems
            if p.code.startswith("cms_form")]


def test_the_check_warns_of_another_form_with_the_line_and_the_command(repo):
    office = repo / "offices" / "kantorcontoh" / "office.yml"
    cms_wrote = office.read_text(encoding="utf-8")
    office.write_text(cms_wrote.replace("hashtags:\n  - KantorContoh", "hashtags: [KantorContoh]"), encoding="utf-8")
    assert _cms_form_problems(repo) == [("offices/kantorcontoh/office.yml", 65, "cms_form_line", "warning")]
    report = check_report(["kantorcontoh"], False, repo)
    assert ("  baris 65  (peringatan) tidak ditulis seperti editor web menulisnya: baris ini seharusnya `hashtags:`, tertulis "
            "`hashtags: [KantorContoh]`. Editor web menulis ulang seluruh berkas setiap kali menyimpan, jadi hal "
            "lain (komentar, daftar [a, b], urutan kunci atau tanda kutip yang berbeda) akan muncul di pull request "
            "simpanan berikutnya sebagai perubahan yang tidak dibuat siapa pun. Tulis ulang berkas dengan: "
            "python -m infohub format-office kantorcontoh") in report.format("id").splitlines()
    assert ("  line 65  (warning) not written the way the web editor writes it: this line should read `hashtags:`, it reads "
            "`hashtags: [KantorContoh]`. The editor rewrites the whole file on every save, so anything else (a "
            "comment, a [a, b] list, another key order or other quotes) would show up in the next save's pull "
            "request as changes nobody made. Rewrite the file with: python -m infohub format-office "
            "kantorcontoh") in report.format("en").splitlines()

    office.write_text("# A note\n" + cms_wrote, encoding="utf-8")
    assert _cms_form_problems(repo) == [("offices/kantorcontoh/office.yml", 1, "cms_form_line", "warning")]
    office.write_text(cms_wrote + "# A note\n", encoding="utf-8")
    end = len(cms_wrote.splitlines()) + 1
    assert _cms_form_problems(repo) == [("offices/kantorcontoh/office.yml", end, "cms_form_extra_line", "warning")]
    office.write_text(cms_wrote.replace("\n", "\r\n"), encoding="utf-8", newline="")
    assert _cms_form_problems(repo) == [("offices/kantorcontoh/office.yml", None, "cms_form_line_breaks", "warning")]

    env = {**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "en"}
    run = subprocess.run([sys.executable, "-m", "infohub", "format-office", "kantorcontoh"], capture_output=True,
                         text=True, env=env, cwd=repo)
    assert (run.returncode, run.stdout) == (0, "offices/kantorcontoh/office.yml: rewritten the way the web editor "
                                               "writes it; its data is unchanged.\n")
    assert office.read_bytes() == cms_wrote.encode("utf-8")
    assert _cms_form_problems(repo) == []


def test_an_office_with_errors_is_held_to_the_form_once_they_are_fixed(repo):
    office = repo / "offices" / "kantorcontoh" / "office.yml"
    office.write_text(WRITTEN_BY_HAND.replace("city: Kota Contoh", "city:"), encoding="utf-8")
    report = check_report(["kantorcontoh"], False, repo)
    assert report.errors and not [p for p in report.problems if p.code.startswith("cms_form")]


@pytest.mark.parametrize(("number", "text"), [(-3.6954, "-3.6954"), (1200000.0, "1200000"), (0.00005, "0.00005"),
                                              (1e-7, "1e-7"), (1e21, "1e+21"), (123456789012345680000.0,
                                                                                  "123456789012345680000")])
def test_numbers_are_written_as_javascript_writes_them(number, text):
    assert js_number(number) == text
