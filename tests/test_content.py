"""Validation of office data, national data and front matter: the exact messages editors see."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from infohub.content import load_national, load_office, load_page
from infohub.problems import Report
from infohub.sitedata import SiteData, effective, load_site, InvalidContent
from infohub.yamlsource import parse_yaml

OFFICE = "offices/kantorcontoh/office.yml"


def yml(*parts: str) -> str:
    """Join indented snippets into one YAML text."""
    return "".join(textwrap.dedent(part).lstrip("\n") for part in parts)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def office_problems(repo: Path, *parts: str, lang: str = "id") -> str:
    write(repo / OFFICE, yml(*parts))
    national, _ = load_national(repo)
    office, problems = load_office("kantorcontoh", national, repo)
    assert office is None
    return Report(problems).format(lang)


MINIMAL = """
    name:
      id: Kantor Imigrasi Contoh
    city: Kota Contoh
    province: Provinsi Contoh
    domain: kantorcontoh.id
    timezone: Asia/Jakarta
"""


def test_every_problem_in_one_pass_with_line_expected_form_and_example(repo):
    text = """
    warna: merah
    contact:
      whatsapp: "0812-"
    hours:
      friday: ["8-11.30", "13:30-25:00"]
      monday: "08:00-12:00"
    """
    assert office_problems(repo, MINIMAL, text) == textwrap.dedent("""\
        KESALAHAN  offices/kantorcontoh/office.yml
          baris 7  warna: kunci tidak dikenal 'warna'; kunci yang boleh: address, alert, channels, city, class, contact, description, domain, faq, feedback, fees, geo, hashtags, hours, languages, map_url, name, province, services, social, sources, timezone
          baris 9  contact.whatsapp: diharapkan nomor ponsel internasional seperti '+628123456789', tertulis '0812-'
          baris 11  hours.friday.0: diharapkan rentang jam seperti '08:00-11:30', tertulis '8-11.30'
          baris 11  hours.friday.1: diharapkan rentang jam seperti '08:00-11:30', tertulis '13:30-25:00'
          baris 12  hours.monday: diharapkan daftar (setiap butir diawali '- '), tertulis '08:00-12:00'
        5 kesalahan di 1 berkas; tidak ada yang dibangun.""")


def test_the_same_report_in_english(repo):
    text = """
    hours:
      friday: ["25:00-26:00"]
    """
    assert office_problems(repo, MINIMAL, text, lang="en") == textwrap.dedent("""\
        ERROR  offices/kantorcontoh/office.yml
          line 8  hours.friday.0: expected a range like '08:00-11:30', got '25:00-26:00'
        1 error in 1 file; nothing was built.""")


@pytest.mark.parametrize("value, message", [
    ("timezone: WIB", "timezone: diharapkan zona waktu Asia/Jakarta atau Asia/Pontianak (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT), tertulis 'WIB'"),
    ("hashtags: ['#Imigrasi']", "hashtags.0: diharapkan tagar tanpa '#' dan tanpa spasi seperti 'ImigrasiBlitar', tertulis '#Imigrasi'"),
    ("languages: [en, id]", "languages: diharapkan daftar bahasa tanpa duplikat yang diawali 'id', seperti [id, en], tertulis 'en, id'"),
    ("map_url: maps.example.org/x", "map_url: diharapkan alamat lengkap yang diawali 'https://', tertulis 'maps.example.org/x'"),
    ("geo: {lat: -95, lon: 100}", "geo.lat: diharapkan garis lintang antara -90 dan 90 seperti '-8.0983', tertulis '-95'"),
    ("hours: {friday: ['13:00-11:00']}", "hours.friday.0: diharapkan rentang jam yang jam mulainya sebelum jam selesai, seperti '08:00-11:30', tertulis '13:00-11:00'"),
    ("hours: {closures: [{date: 2025-13-01, reason: Libur}]}", "hours.closures.0.date: diharapkan tanggal yang ada di kalender seperti '2025-01-31', tertulis '2025-13-01'"),
    ("fees: {overrides: {splp-wni: {amount: 'Rp100.000,-', reason: x}}}", "fees.overrides.splp-wni.amount: diharapkan jumlah rupiah tanpa titik atau koma seperti '100000', tertulis 'Rp100.000,-'"),
    ("services: [paspor-ajaib]", "services.0: 'paspor-ajaib' tidak ada di data nasional; yang ada: paspor-baru, paspor-hilang-rusak, penggantian-paspor, splp"),
])
def test_each_mistake_names_the_expected_form(repo, value, message):
    base = MINIMAL.replace("timezone: Asia/Jakarta", "") if value.startswith("timezone") else MINIMAL
    report = office_problems(repo, base, value + "\n")
    assert message in report, report


def test_a_required_key_that_is_missing(repo):
    report = office_problems(repo, """
        name:
          id: Kantor Imigrasi Contoh
        city: Kota Contoh
        domain: kantorcontoh.id
        timezone: Asia/Jakarta
    """)
    assert "  berkas  province: wajib diisi tetapi tidak ada" in report or "province: wajib diisi tetapi tidak ada" in report


def test_yaml_syntax_errors_have_a_line_and_no_traceback(repo):
    report = office_problems(repo, MINIMAL, "contact:\n\tphone: '+62911000000'\n")
    assert report.splitlines()[1] == "  baris 8  ada karakter tab; YAML hanya menerima spasi untuk inden"


def test_a_duplicate_key_is_an_error(repo):
    report = office_problems(repo, MINIMAL, "city: Kota Lain\n")
    assert "  baris 7  city: kunci 'city' ditulis dua kali; hapus salah satunya" in report


def test_unquoted_times_and_dates_stay_text():
    """YAML 1.1 would read 10:00 as 600 and a bad date would raise without a line."""
    data, lines, problems = parse_yaml("a: 10:00\nb: 2024-13-01\nc: yes\n", "x.yml")
    assert data == {"a": "10:00", "b": "2024-13-01", "c": "yes"}
    assert lines.line_of(("b",)) == 2
    assert problems == []


def test_a_bom_and_windows_line_endings_are_accepted(repo):
    path = repo / OFFICE
    text = textwrap.dedent(MINIMAL).lstrip("\n").replace("\n", "\r\n")
    path.write_bytes("\ufeff".encode() + text.encode())
    national, _ = load_national(repo)
    office, problems = load_office("kantorcontoh", national, repo)
    assert problems == [] and office.city == "Kota Contoh"


def test_front_matter_is_validated_with_file_and_line(repo):
    page = write(repo / "offices/kantorcontoh/docs/berita/2025/rusak.md", """
        ---
        title: Judul
        date: 31-01-2025
        kategori: pengumuman
        ---
        Isi.
    """)
    source, problems = load_page(page)
    assert source is None
    assert Report(problems).format("id") == textwrap.dedent("""\
        KESALAHAN  offices/kantorcontoh/docs/berita/2025/rusak.md
          baris 3  date: diharapkan tanggal seperti '2025-01-31' atau '2025-01-31 09:30', tertulis '31-01-2025'
          baris 4  kategori: kunci tidak dikenal 'kategori'; kunci yang boleh: category, date, description, draft, event_end, event_location, event_start, hashtags, hide, icon, image, image_alt, search, social, status, template, title, updated
        2 kesalahan di 1 berkas; tidak ada yang dibangun.""")


def test_nothing_is_built_from_invalid_data(repo):
    write(repo / OFFICE, yml(MINIMAL, "timezone_extra: x\n"))
    with pytest.raises(InvalidContent) as caught:
        load_site("kantorcontoh", repo)
    assert "timezone_extra: kunci tidak dikenal" in str(caught.value)


def test_national_data_is_validated_too(repo):
    fees = repo / "national/fees.yml"
    fees.write_text(fees.read_text(encoding="utf-8").replace("amount: 350000", "amount: 350.000"), encoding="utf-8")
    national, problems = load_national(repo)
    assert national is None
    assert [p.text("id") for p in problems] == [
        "fees.0.amount: diharapkan jumlah rupiah tanpa titik atau koma seperti '350000', tertulis '350.000'"]
    assert problems[0].path == "national/fees.yml" or problems[0].path.endswith("national/fees.yml")


# --- precedence: national < office < page ------------------------------------------


def test_precedence_national_then_office_then_page(repo):
    site: SiteData = load_site("kantorcontoh", repo)
    # hashtags: the office declares its own, so national defaults are not used
    assert effective("hashtags", {}, site, "id") == ["KantorContoh"]
    # description: the office has none, so the national default applies, per language
    assert effective("description", {}, site, "en").startswith("Official information on immigration services")
    # the page's front matter wins over both
    assert effective("description", {"description": "Halaman khusus"}, site, "id") == "Halaman khusus"
    assert effective("hashtags", {"hashtags": ["Khusus"]}, site, "id") == ["Khusus"]


def test_office_fee_override_and_not_served(repo):
    view = load_site("kantorcontoh", repo).view("id")
    fees = {row["id"]: row for row in view.fees}
    assert "splp-wna" not in fees
    assert fees["percepatan-paspor"]["amount"] == "Rp1.200.000"
    assert fees["percepatan-paspor"]["national_amount"] == "Rp1.000.000"
    assert fees["percepatan-paspor"]["override_reason"] == "Contoh penyesuaian untuk pengujian"
    assert fees["paspor-biasa-5-tahun"]["amount"] == "Rp350.000"
    assert {row["id"]: row for row in load_site("kantorcontoh", repo).view("en").fees}[
        "paspor-biasa-5-tahun"]["amount"] == "IDR 350,000"


def test_office_faq_entry_replaces_the_national_one_with_the_same_id(repo):
    office = repo / OFFICE
    entry = ("faq:\n"
             "  - id: biaya-paspor\n"
             "    topic: biaya\n"
             "    question: Berapa biaya paspor di kantor ini?\n"
             "    answer: Sama dengan tarif nasional.\n")
    office.write_text(office.read_text(encoding="utf-8").replace("faq:\n", entry, 1), encoding="utf-8")
    faq = load_site("kantorcontoh", repo).view("id").faq
    answers = {e["id"]: e["answer"] for group in faq for e in group["entries"]}
    assert answers["biaya-paspor"] == "Sama dengan tarif nasional."
    assert "parkir" in answers and "daftar-antrean" in answers
