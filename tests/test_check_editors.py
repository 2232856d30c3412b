"""`make check`: the checks editors meet on a pull request, with their exact messages.

Each test breaks one thing in a fresh copy of the fixture repository and runs
the real command (`python -m infohub check`) against it, as CI does.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

from infohub.checks import Scope, registry, run_checks
from infohub.checks.privacy import mask
from infohub.problems import Problem, Report

ROOT = Path(__file__).resolve().parents[1]
KANTOR = "offices/kantorcontoh"
POST = f"{KANTOR}/docs/berita/2025/layanan-akhir-pekan.md"


def check(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "infohub", "check", *args], capture_output=True, text=True,
                          env={**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "id",
                               "GITHUB_ACTIONS": "", **(env or {})}, timeout=60)


def write(repo: Path, path: str, text: str) -> Path:
    file = repo / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def page(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


def problems(repo: Path, office: str = "kantorcontoh") -> list:
    return run_checks(Scope(repo, [office], include_hub=False))


def line_of(file: Path, text: str) -> int:
    return next(i for i, line in enumerate(file.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def texts(found: list) -> list[tuple[str, int | None, str]]:
    return [(p.path, p.line, p.text("id")) for p in found]


# --- the clean repositories -----------------------------------------------------


def test_the_fixture_office_passes_with_only_translation_warnings(repo):
    result = check(repo, "--office", "kantorcontoh")
    assert result.returncode == 0, result.stdout
    assert "KESALAHAN" not in result.stdout
    assert "Semua konten valid: 1 situs diperiksa." in result.stdout
    assert "Traceback" not in result.stderr


def test_registry_holds_one_check_per_concern():
    assert [c.name for c in registry()][:9] == ["office_folder", "file_types", "links", "images", "translations",
                                                "privacy", "html", "placement", "domains"]


# --- links and anchors -----------------------------------------------------------


def test_broken_link_names_file_line_and_the_likely_page(repo):
    write(repo, f"{KANTOR}/docs/profil.md", page("Profil", "Lihat [tarif](biya.md) dan\n[jam](jam-layanan.md#tutup)."))
    write(repo, f"{KANTOR}/docs/profil.en.md", page("Profile", "See [fees](biaya.md#nothing-here)."))
    result = check(repo, "--office", "kantorcontoh")
    assert result.returncode == 1
    assert ("KESALAHAN  offices/kantorcontoh/docs/profil.md\n"
            "  baris 5  tautan 'biya.md' tidak menemukan halaman; mungkin maksudnya 'biaya.md'") in result.stdout
    assert ("  baris 5  tautan 'biaya.md#nothing-here': bagian '#nothing-here' tidak ada di halaman itu; "
            "bagian yang ada: ") in result.stdout


def test_anchors_come_from_headings_attr_lists_and_the_standard_pages_templates(repo):
    write(repo, f"{KANTOR}/docs/profil.md", page("Profil", "## Jam Buka Khusus\n\n## Lain {#khusus}\n\n"
                                                           "[a](#jam-buka-khusus) [b](#khusus) [c](faq.md#parkir) "
                                                           "[d](index.md#kontak) [e](biaya.md#paspor-biasa-5-tahun)\n"
                                                           "[f](#tidak-ada)"))
    found = [p for p in problems(repo) if p.code == "anchor_missing"]
    assert [(p.line, p.values["anchor"]) for p in found] == [(10, "tidak-ada")]
    assert found[0].values["choices"] == "jam-buka-khusus, khusus"


def test_a_link_starting_with_a_slash_gets_the_relative_form(repo):
    write(repo, f"{KANTOR}/docs/berita/2025/x.md",
          "---\ntitle: X\ndate: 2025-01-01\ncategory: acara\n---\n\nLihat [biaya](/biaya.md#top).\n")
    found = [p for p in problems(repo) if p.code == "link_absolute"]
    assert texts(found) == [(f"{KANTOR}/docs/berita/2025/x.md", 7,
                             "tautan '/biaya.md#top' diawali '/' sehingga rusak di situs; "
                             "tulis relatif terhadap halaman ini: '../../biaya.md#top'")]


def test_links_in_code_are_not_links(repo):
    write(repo, f"{KANTOR}/docs/contoh.md", page("Contoh", "```\n[x](hilang.md)\n```\n\n`[y](hilang.md)`"))
    assert [p for p in problems(repo) if p.code.startswith("link")] == []


# --- images ------------------------------------------------------------------------


def test_missing_and_remote_images(repo):
    write(repo, f"{KANTOR}/docs/galeri.md", page("Galeri", "![a](foto/ada.png)\n![b](foto/hilang.png)\n"
                                                           '<img src="https://cdn.example.org/x.jpg" alt="x">'))
    (repo / KANTOR / "docs" / "foto").mkdir()
    Image.new("RGB", (8, 8)).save(repo / KANTOR / "docs" / "foto" / "ada.png")  # a picture the build can read
    found = [p for p in problems(repo) if p.code.startswith("image")]
    assert texts(found) == [
        (f"{KANTOR}/docs/galeri.md", 6, "berkas gambar 'foto/hilang.png' tidak ditemukan; periksa nama dan foldernya"),
        # the build removes it (infohub.checks.html.sanitise): a warning, not an error
        (f"{KANTOR}/docs/galeri.md", 7, "gambar 'https://cdn.example.org/x.jpg' dari situs lain (cdn.example.org) "
                                        "akan dihapus dari halaman dan feed; simpan berkasnya di folder docs/ kantor "
                                        "lalu tautkan dari sana, atau minta pengelola situs menambahkan "
                                        "cdn.example.org ke image_hosts di national/defaults.yml"),
    ]
    assert [p.severity for p in found] == ["error", "warning"]


def test_a_news_posts_picture_from_another_site_is_refused_like_a_pages(repo):
    """It was dropped from the post and its feed items without a word."""
    text = (repo / POST).read_text(encoding="utf-8")
    write(repo, POST, text.replace("category: pengumuman\n", "category: pengumuman\nimage: https://cdn.example.org/x.jpg\n"
                                   "image_alt: Spanduk layanan\n", 1))
    found = [p for p in problems(repo) if p.code.startswith("image")]
    assert texts(found) == [(POST, 6, "image: gambar 'https://cdn.example.org/x.jpg' diambil dari situs lain dan akan "
                                      "diblokir; simpan berkasnya di folder docs/ kantor lalu tautkan dari sana")]
    assert [p.severity for p in found] == ["error"]


# --- translations --------------------------------------------------------------------


def test_missing_translation_is_a_warning_and_the_coverage_table_shows_it(repo):
    write(repo, f"{KANTOR}/docs/profil.md", page("Profil", "Teks."))
    result = check(repo, "--office", "kantorcontoh")
    assert result.returncode == 0
    assert ("PERINGATAN  offices/kantorcontoh/docs/profil.md\n  berkas  (peringatan) belum ada versi bahasa "
            "Inggris; buat berkas profil.en.md di folder yang sama") in result.stdout
    lines = result.stdout.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Cakupan terjemahan"))
    table = lines[start:start + 4]
    assert start > 0  # after the problems, which matter more
    assert table[1].split() == ["situs", "halaman", "id", "en"]
    assert table[2].split()[0] == "national"
    assert table[3].split()[0] == "kantorcontoh"
    docs = repo / KANTOR / "docs"
    indonesian = [f for f in docs.rglob("*.md") if not f.name.endswith(".en.md")]
    untranslated = [f for f in indonesian if not f.with_name(f.name[:-3] + ".en.md").exists()]
    assert table[3].split()[1:] == [str(len(indonesian)), str(len(indonesian)),
                                    str(len(indonesian) - len(untranslated))]
    assert docs / "profil.md" in untranslated
    strict = check(repo, "--office", "kantorcontoh", "--strict")
    assert strict.returncode == 1


# --- personal data -------------------------------------------------------------------


def test_a_nik_in_a_news_post_fails_with_the_number_masked(repo):
    text = (repo / POST).read_text(encoding="utf-8")
    write(repo, POST, text + "\nPemohon atas nama Budi, NIK 3171011708450001, sudah dilayani.\n")
    result = check(repo, "--office", "kantorcontoh")
    assert result.returncode == 1
    assert ("  baris 10  nomor 3171********0001 adalah NIK (nomor KTP) seseorang; data pribadi tidak boleh terbit, "
            "hapus nomornya. Bila ini contoh yang sudah diperiksa, tulis <!-- infohub: allow nik --> di akhir baris"
            ) in result.stdout
    assert "3171011708450001" not in result.stdout


def test_nik_spelled_with_spaces_and_the_allow_marker(repo):
    write(repo, f"{KANTOR}/docs/a.md", page("A", "NIK 3171 0117 0845 0001\n"
                                                 "Contoh NIK 3171011708450001 <!-- infohub: allow nik -->\n"
                                                 "Bukan NIK: 9999999999999999 dan 1234567890123456"))
    found = [p for p in problems(repo) if p.code == "privacy_nik"]
    assert [(p.line, p.severity) for p in found] == [(5, "error")]


def test_passport_phone_and_email_are_warnings_unless_declared(repo):
    write(repo, f"{KANTOR}/docs/a.md", page("A", "Paspor X1234567 dan AB1234567 tertinggal.\n"
                                                 "Hubungi Pak Budi 0812-3456-7890 atau budi.s@surel.contoh.co.\n"
                                                 "Kantor: +628110000000, info@kantorcontoh.example.org, "
                                                 "pengaduan@imigrasi.go.id.\n"
                                                 "Nomor 0812 3456 7890 # ok <!-- infohub: allow phone, email -->"))
    found = [p for p in problems(repo) if p.code.startswith("privacy")]
    assert [(p.line, p.code, p.values["value"], p.severity) for p in found] == [
        (5, "privacy_passport", "X1****67", "warning"),
        (5, "privacy_passport", "AB*****67", "warning"),
        (6, "privacy_phone", "0812-****-7890", "warning"),
        (6, "privacy_email", "b*****@surel.contoh.co", "warning"),
    ]


def test_yaml_allow_marker_is_a_comment(repo):
    office = repo / KANTOR / "office.yml"
    text = office.read_text(encoding="utf-8")
    text = text.replace("      id: Ada, di halaman kantor contoh.",
                        "      id: Ada, tanya satpam 081234567890  # infohub: allow phone")
    office.write_text(text.replace("      en: Yes, in the example office's yard.",
                                   "      en: Yes, ask the guard on 081234567891"), encoding="utf-8")
    found = [p for p in problems(repo) if p.code.startswith("privacy")]
    assert texts(found) == [(f"{KANTOR}/office.yml", line_of(office, "081234567891"),
                             "nomor ponsel 0812****7891 bukan kontak resmi kantor dan bisa jadi milik pribadi; hapus, "
                             "atau bila memang boleh terbit, tulis nomornya di contact.published (editor web: Kontak, "
                             "Nomor dan surel lain yang boleh terbit). Catatan # infohub: allow di office.yml hilang "
                             "saat editor web menyimpan")]


def test_a_number_the_office_publishes_on_purpose_is_a_field_a_save_keeps(repo):
    """A '# infohub: allow' marker is a comment, and the web editor drops comments on every save
    (cms_yaml): in office.yml the number is declared in contact.published instead, which the
    editor's form shows and keeps; the check's warning says so."""
    office = repo / KANTOR / "office.yml"
    text = office.read_text(encoding="utf-8")
    text = text.replace("      id: Ada, di halaman kantor contoh.", "      id: Ada, tanya satpam 0812 3456 7890")
    office.write_text(text.replace("      en: Yes, in the example office's yard.",
                                   "      en: Yes, ask the guard on 0812 3456 7891 or pos@surel.contoh.co"),
                      encoding="utf-8")
    found = [p for p in problems(repo) if p.code.startswith("privacy")]
    assert [(p.line, p.code) for p in found] == [(line_of(office, "7890"), "privacy_phone_office"),
                                                 (line_of(office, "7891"), "privacy_phone_office"),
                                                 (line_of(office, "7891"), "privacy_email_office")]
    assert found[0].text("id") == (
        "nomor ponsel 0812 **** 7890 bukan kontak resmi kantor dan bisa jadi milik pribadi; hapus, atau bila memang "
        "boleh terbit, tulis nomornya di contact.published (editor web: Kontak, Nomor dan surel lain yang boleh "
        "terbit). Catatan # infohub: allow di office.yml hilang saat editor web menyimpan")
    assert found[2].text("en") == (
        "the e-mail address p**@surel.contoh.co is not one of the office's contacts and may be personal; remove it, "
        "or if it may be published, list it under contact.published (web editor: Contacts, Other numbers and "
        "e-mail addresses that may be published). A # infohub: allow comment in office.yml is lost when the web "
        "editor saves")
    office.write_text(office.read_text(encoding="utf-8").replace(
        "  email: info@kantorcontoh.example.org\n",
        "  email: info@kantorcontoh.example.org\n  published:\n    - 0812-3456-7890\n    - +62 812 3456 7891\n"
        "    - pos@surel.contoh.co\n"), encoding="utf-8")
    assert [p for p in problems(repo) if p.code.startswith("privacy") or p.code.startswith("cms_form")] == []


def test_mask_keeps_only_the_ends():
    assert mask("3171011708450001") == "3171********0001"
    assert mask("X1234567") == "X1****67"


# --- HTML ----------------------------------------------------------------------------


def test_hostile_html_fails_with_what_would_be_removed(repo):
    write(repo, f"{KANTOR}/docs/a.md", page("A", '<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n'
                                                 '<a href="jav&#x09;ascript:alert(1)">klik</a>\n'
                                                 '<iframe src="https://evil.example/"></iframe>\n'
                                                 '[x](javascript:alert(1)) [y](#a){ onclick="alert(1)" }'))
    write(repo, f"{KANTOR}/docs/a.en.md", page("A", "Fine."))
    result = check(repo, "--office", "kantorcontoh")
    assert result.returncode == 1
    lines = [line for line in result.stdout.split("\n") if "HTML ini" in line]
    prefix = "HTML ini akan dibuang saat situs dibangun: "
    suffix = ". Hapus dari halaman atau tulis dengan Markdown biasa"
    assert lines == [
        f"  baris 5  {prefix}atribut 'onerror' pada <img>{suffix}",
        f"  baris 7  {prefix}elemen <script> beserta isinya{suffix}",
        f"  baris 9  {prefix}alamat 'jav\tascript:alert(1)' pada <a>; yang boleh hanya alamat http, https, "
        f"mailto dan tel{suffix}",
        f"  baris 10  {prefix}bingkai (iframe) ke 'https://evil.example/'; yang boleh hanya video YouTube lewat "
        f"https://www.youtube-nocookie.com/embed/<id-video>{suffix}",
        f"  baris 11  {prefix}alamat 'javascript:alert(1)' pada <a>; yang boleh hanya alamat http, https, "
        f"mailto dan tel{suffix}",
        f"  baris 11  {prefix}atribut 'onclick' di dalam {{ … }}{suffix}",
    ]


def test_allowed_html_and_youtube_embeds_pass(repo):
    write(repo, f"{KANTOR}/docs/a.md", page("A", '<div class="x" markdown>\n**a**\n</div>\n\n'
                                                 '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" '
                                                 'title="Video" allowfullscreen></iframe>\n\n'
                                                 '<details><summary>S</summary>isi</details>\n'
                                                 'Kode: `<script>` aman di dalam kode.'))
    assert [p for p in problems(repo) if p.code == "html_removed"] == []


def test_markup_in_office_data_is_an_error(repo):
    office = repo / KANTOR / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace(
        "Ada, di halaman kantor contoh.", "Ada <img src=x onerror=alert(1)>"), encoding="utf-8")
    found = [p for p in problems(repo) if p.code == "html_in_data"]
    assert texts(found) == [(f"{KANTOR}/office.yml", line_of(office, "<img"), "ada tag HTML <img> di data; data ditampilkan apa "
                                                          "adanya, jadi tulis teks biasa tanpa tag")]


# --- placement and domains ------------------------------------------------------------


def test_news_post_in_the_wrong_folder(repo):
    write(repo, f"{KANTOR}/docs/libur-lebaran.md",
          "---\ntitle: Libur\ndate: 2025-03-28\ncategory: pengumuman\n---\n\nTutup.\n")
    found = [p for p in problems(repo) if p.code == "news_outside_folder"]
    assert texts(found) == [(f"{KANTOR}/docs/libur-lebaran.md", 1,
                             "halaman ini punya tanggal dan kategori berita tetapi tidak ada di folder berita/, jadi "
                             "tidak muncul di daftar berita dan feed; pindahkan ke "
                             "offices/kantorcontoh/docs/berita/2025/libur-lebaran.md")]


def test_two_offices_with_one_domain(repo):
    shutil.copytree(repo / KANTOR, repo / "offices" / "kantorsalinan")
    found = [p for p in run_checks(Scope(repo, ["kantorsalinan"], include_hub=False)) if p.code == "domain_duplicate"]
    assert texts(found) == [("offices/kantorsalinan/office.yml", 61,
                             "domain: domain 'kantorcontoh.id' juga dipakai oleh kantor kantorcontoh; setiap kantor "
                             "punya domain sendiri, untuk folder ini 'kantorsalinan.id'")]


def _with_domain(repo: Path, slug: str, domain: str) -> None:
    if slug != "kantorcontoh":
        shutil.copytree(repo / KANTOR, repo / "offices" / slug)
    office = repo / "offices" / slug / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("domain: kantorcontoh.id", f"domain: {domain}"),
                      encoding="utf-8")


# Found by trying it (2026-12-05): an office that wrote the hub's address, or 'www.' and another
# office's domain, passed the check, and site/_deploy/nginx.conf then had two server blocks for one
# name: nginx answers with the first and only warns ("conflicting server name ... ignored").
def test_an_office_cannot_take_the_hubs_address(repo):
    _with_domain(repo, "kantorcontoh", "www.infohub.example.org")
    found = [p for p in run_checks(Scope(repo, ["kantorcontoh"], include_hub=False)) if p.code.startswith("domain_")]
    assert [(p.path, p.line, p.text("id"), p.text("en")) for p in found] == [(
        f"{KANTOR}/office.yml", 61,
        "domain: domain 'www.infohub.example.org' adalah alamat portal semua kantor (infohub.example.org, dengan "
        "atau tanpa www.); setiap kantor punya domain sendiri, untuk folder ini 'kantorcontoh.id'",
        "domain: the domain 'www.infohub.example.org' is the address of the portal of all offices "
        "(infohub.example.org, with or without www.); every office has its own domain, for this folder "
        "'kantorcontoh.id'")]


def test_an_office_cannot_take_another_offices_www_address(repo):
    _with_domain(repo, "kantorsalinan", "www.kantorcontoh.id")
    found = [p for p in run_checks(Scope(repo, ["kantorsalinan", "kantorcontoh"], include_hub=False))
             if p.code.startswith("domain_")]
    assert [(p.path, p.text("id")) for p in found] == [
        ("offices/kantorsalinan/office.yml",
         "domain: domain 'www.kantorcontoh.id' juga dipakai oleh kantor kantorcontoh (kantorcontoh.id, dengan atau "
         "tanpa www.); setiap kantor punya domain sendiri, untuk folder ini 'kantorsalinan.id'"),
        (f"{KANTOR}/office.yml",
         "domain: domain 'kantorcontoh.id' juga dipakai oleh kantor kantorsalinan (www.kantorcontoh.id, dengan atau "
         "tanpa www.); setiap kantor punya domain sendiri, untuk folder ini 'kantorcontoh.id'")]
    assert found[0].text("en") == (
        "domain: the domain 'www.kantorcontoh.id' is also used by the office kantorcontoh (kantorcontoh.id, with "
        "or without www.); every office has its own domain, for this folder 'kantorsalinan.id'")


def test_a_subdomain_of_another_office_is_another_address(repo):
    _with_domain(repo, "kantorsalinan", "layanan.kantorcontoh.id")
    assert [p for p in run_checks(Scope(repo, ["kantorsalinan"], include_hub=False)) if p.code.startswith("domain_")] == []


# --- output for CI ---------------------------------------------------------------------


def test_under_ci_problems_are_also_github_annotations(repo):
    text = (repo / POST).read_text(encoding="utf-8")
    write(repo, POST, text + "\n<script>alert(1)</script>\n")
    result = check(repo, "--office", "kantorcontoh", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert (f"::error file={POST},line=10::HTML ini akan dibuang saat situs dibangun: elemen <script> beserta "
            "isinya. Hapus dari halaman atau tulis dengan Markdown biasa") in result.stdout.split("\n")


def test_a_file_name_cannot_write_a_workflow_command_of_its_own(repo):
    """A file name may hold a new line, ':' and ','; in an annotation's file= they would end the
    command and start another (found by tests/test_one_verdict_fuzz.py)."""
    name = "offices/kantorcontoh/docs/berita/2025/a\n::error file=x,line=1::palsu,b.md"
    report = Report([Problem(name, 2, "", "html_in_data", {"tag": "script"})])
    assert report.github_annotations("en").split("\n") == [
        "::error file=offices/kantorcontoh/docs/berita/2025/a%0A%3A%3Aerror file=x%2Cline=1%3A%3Apalsu%2Cb.md,line=2::"
        "there is an HTML tag <script> in the data; data is shown as written, so write plain text without tags"]


def test_one_office_is_checked_fast_and_alone(repo):
    write(repo, "docs/rusak.md", page("Rusak", "[x](hilang.md)"))
    assert check(repo, "--office", "kantorcontoh").returncode == 0  # the hub is not in scope
    assert check(repo).returncode == 1


def test_the_handbook_section_links_resolve():
    found = run_checks(Scope(ROOT, [], include_hub=True))
    assert [p for p in found if p.path.startswith("docs/panduan/pemeriksaan") and p.severity == "error"] == []


def test_the_checks_and_hooks_load_without_the_editors_configuration():
    """An office's check and build (every edit's) import every check and every hook; the editor's
    configuration (cms_config, cms_yaml: large modules, compiled from source on every run where no
    bytecode is written) is imported only when a form is made, the hub's settings are checked or
    the hub's /admin/ is written."""
    code = ("import sys, infohub.checks as c, cms_admin; c.registry(); "
            "print(sorted(m for m in ('infohub.cms_config', 'infohub.cms_yaml') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "hooks")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout == "[]\n"
