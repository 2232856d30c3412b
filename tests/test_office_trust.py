"""An office's folder is untrusted input: nothing in it runs as code, changes which code runs, or
reads outside the folder (issue: "Nothing an office writes runs as code …", attacks 1 to 3).

Each attack below was reproduced on the code before this change: the Python tag in an office's
mkdocs.yml ran during `make site` and `make check` passed it; `hooks: []` and `docs_dir` moved
by an office's mkdocs.yml took effect; each symbolic link was published as a file of the site
(the missing one crashed the build with a traceback from manifest.py).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from infohub import site_config
from infohub.build import build_sites
from infohub.checks import check_report

OFFICE = "kantorcontoh"
LINK_MESSAGE = ("tautan simbolik (ke {target!r}) tidak diizinkan: isi situs hanya dibaca dari berkas di folder ini "
                "sendiri; ganti dengan salinan berkasnya")
ENGINE_CONFIG = ("kantor tidak punya konfigurasi MkDocs sendiri: nama dan alamat situs diambil dari office.yml, "
                 "selebihnya dari mkdocs.yml di akar repositori; hapus berkas ini")


def _quiet_build(repo: Path, slugs=(OFFICE,)):
    return build_sites(list(slugs), repo / "site", jobs=1, root=repo, echo=lambda _: None)


def _report_lines(repo: Path, offices=(OFFICE,), hub=False, lang="id") -> list[str]:
    return check_report(list(offices), hub, repo).format(lang, outcome="check_failed").splitlines()


# --- 1. an office's mkdocs.yml runs nothing and configures nothing ------------------------------

def test_a_python_tag_in_an_office_mkdocs_yml_runs_nothing_and_the_file_is_refused(repo, tmp_path):
    marker = tmp_path / "ran"
    (repo / f"offices/{OFFICE}/mkdocs.yml").write_text(
        f"extra:\n  x: !!python/object/apply:os.system [\"id > {marker}\"]\n", encoding="utf-8")
    lines = _report_lines(repo)
    at = lines.index(f"KESALAHAN  offices/{OFFICE}/mkdocs.yml")
    assert lines[at + 1] == f"  berkas  {ENGINE_CONFIG}"
    [result] = _quiet_build(repo)
    assert not result.ok and ENGINE_CONFIG in result.report
    assert not marker.exists() and not (repo / "site" / OFFICE).exists()


def test_an_office_can_neither_drop_a_hook_nor_move_docs_dir(repo):
    """Even were the check bypassed, what MkDocs is told comes from the base and office.yml alone."""
    (repo / f"offices/{OFFICE}/mkdocs.yml").write_text(
        "INHERIT: ../../mkdocs.yml\nhooks: []\ndocs_dir: ../../.git\nplugins: []\n", encoding="utf-8")
    data = site_config.config_data(OFFICE, repo, "Kantor Imigrasi Contoh", "https://kantorcontoh.id/")
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert data["hooks"] == [str(repo.resolve() / hook) for hook in base["hooks"]]
    assert str(repo.resolve() / "hooks/sanitize.py") in data["hooks"]
    assert data["docs_dir"] == str(repo.resolve() / "offices" / OFFICE / "docs")
    assert data["plugins"] == base["plugins"] and data["markdown_extensions"] == base["markdown_extensions"]
    assert (data["site_name"], data["site_url"]) == ("Kantor Imigrasi Contoh", "https://kantorcontoh.id/")


def test_the_generated_config_carries_office_text_as_text(repo, tmp_path, monkeypatch):
    """An office name that reads like a YAML tag stays a string: MkDocs' loader builds no object."""
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    name = "!!python/object/apply:os.system ['id']"
    written = site_config.write_config(OFFICE, repo, name, "https://kantorcontoh.id/")
    from mkdocs.config import load_config

    assert load_config(config_file=str(written)).site_name == name


def test_the_site_is_built_from_office_yml_name_and_domain(repo):
    [result] = _quiet_build(repo)
    assert result.ok, result.report
    page = (repo / "site" / OFFICE / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://kantorcontoh.id/">' in page


def test_the_hub_settings_allow_only_the_address_and_the_web_editor(repo):
    settings = repo / "offices/_hub/mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "hooks: []\nextra:\n  infohub:\n    news_per_page: 1\n"
                        "  analytics: x\n", encoding="utf-8")
    lines = _report_lines(repo, offices=(), hub=True)
    at = lines.index("KESALAHAN  offices/_hub/mkdocs.yml")
    assert lines[at + 1:at + 4] == [
        "  baris 6  hooks: kunci tidak dikenal 'hooks'; kunci yang boleh: site_url, extra",
        "  baris 9  extra.infohub.news_per_page: kunci tidak dikenal 'news_per_page'; kunci yang boleh: cms",
        "  baris 10  extra.analytics: kunci tidak dikenal 'analytics'; kunci yang boleh: infohub",
    ]
    [hub] = _quiet_build(repo, ["hub"])
    assert not hub.ok


# --- 2. symbolic links -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, target", [
    ("docs/passwd.txt", "/etc/passwd"),
    ("docs/gitconfig.txt", str(Path.home() / ".gitconfig")),
    ("docs/environ.txt", "/proc/self/environ"),
    ("docs/hilang.md", "/tidak/ada.md"),  # a link to nothing: no traceback
    ("docs/zero.md", "/dev/zero"),  # read, it would never end
    ("office.yml", "/dev/zero"),
])
def test_a_symbolic_link_in_an_office_folder_is_refused_and_never_read(repo, name, target):
    link = repo / "offices" / OFFICE / name
    if link.exists():
        link.unlink()
    link.symlink_to(target)
    start = time.perf_counter()
    lines = _report_lines(repo)
    assert time.perf_counter() - start < 30  # /dev/zero was never read
    at = lines.index(f"KESALAHAN  offices/{OFFICE}/{name}")
    assert lines[at + 1] == "  berkas  " + LINK_MESSAGE.format(target=target)
    [result] = _quiet_build(repo)
    assert not result.ok and not (repo / "site" / OFFICE).exists()
    assert "Traceback" not in (result.report or "")


def test_a_link_to_another_office_folder_publishes_nothing_of_it(repo):
    (repo / f"offices/{OFFICE}/docs/lain").symlink_to(repo / "offices/_hub")
    lines = _report_lines(repo, lang="en")
    at = lines.index(f"ERROR  offices/{OFFICE}/docs/lain")
    assert lines[at + 1] == (f"  file  symbolic links (this one points to {str(repo / 'offices/_hub')!r}) are not "
                             "allowed: a site's content is read only from files in its own folder; put a copy of the "
                             "file here instead")
    [result] = _quiet_build(repo)
    assert not result.ok and not (repo / "site" / OFFICE).exists()


def test_the_check_never_lists_a_linked_office_folder(repo):
    (repo / "offices/kantortautan").symlink_to(repo / "offices" / OFFICE)
    from infohub import paths

    assert "kantortautan" not in paths.office_slugs(repo)


def test_a_link_in_the_national_pages_is_refused_too(repo):
    (repo / "national/pages/rahasia.md").symlink_to("/etc/passwd")
    lines = _report_lines(repo)
    assert lines[lines.index("KESALAHAN  national/pages/rahasia.md") + 1] == \
        "  berkas  " + LINK_MESSAGE.format(target="/etc/passwd")


def test_a_new_office_has_no_mkdocs_config(repo):
    from infohub.scaffold import create_office

    folder = create_office("kantorbaru", "Kantor Imigrasi Baru", "Kota", "Provinsi", "Asia/Jakarta", root=repo)
    assert sorted(p.name for p in folder.iterdir()) == ["docs", "office.yml"]
    assert not [p for p in (ROOT / "offices").glob("*/mkdocs.yml") if p.parent.name != "_hub"]
    assert os.path.isfile(ROOT / "offices/_hub/mkdocs.yml")


# --- file names: each becomes part of an address, a feed item and a card's name -----------------
# Found by the one-verdict fuzz test: a post named 'Kabar Baru.md' or 'ka\nbar.md' passed the check;
# its card was written under the percent-encoded address and the feeds looked for it under the
# plain one. A name of 2,000 characters (a title typed as the slug) is refused by the disk itself.

NAME_FORM = ("nama berkas atau folder yang menjadi bagian alamat halaman: huruf kecil, angka dan tanda hubung "
             "saja, seperti 'layanan-paspor.md' (gambar dan berkas lain boleh juga memakai huruf besar, '_' dan "
             "'.'); tertulis '{name}'")
NAME_LENGTH = ("nama berkas atau folder paling panjang 80 karakter (yang ini {length}): nama yang lebih panjang "
               "tidak bisa disalin ke semua komputer; pendekkan namanya")


@pytest.mark.parametrize("name", ["Kabar Baru.md", "ka'bar.md", "\u00e9t\u00e9.md", "ka\nbar.md", "x::error file=a::b.md",
                                  "kabar.baru.md", "Kabar.md", "-kabar.md", "kabar_baru.md"])
def test_a_page_whose_name_is_no_address_is_refused_with_its_path(repo, name):
    folder = repo / "offices" / OFFICE / "docs/berita/2025"
    (folder / "hari-terbuka.md").rename(folder / name)
    report = check_report([OFFICE], False, repo)
    readable = name.replace("\n", "\\x0a")  # a line break is shown, not obeyed, in the report
    shown = f"offices/{OFFICE}/docs/berita/2025/{readable}"
    assert [(p.path, p.line, p.text("id")) for p in report.errors if p.code == "file_name"] == [
        (shown, None, NAME_FORM.format(name=readable))]
    [result] = _quiet_build(repo)
    assert not result.ok and not (repo / "site" / OFFICE).exists()


def test_a_name_too_long_for_every_computer_is_refused_in_both_languages(repo):
    folder = repo / "offices" / OFFICE / "docs/berita/2025"
    long_name = "kabar-" + "a" * 76 + ".md"  # 85 characters, a valid form
    (folder / "hari-terbuka.md").rename(folder / long_name)
    report = check_report([OFFICE], False, repo)
    [problem] = [p for p in report.errors if p.code == "file_name_length"]
    assert problem.path == f"offices/{OFFICE}/docs/berita/2025/{long_name}"
    assert problem.text("id") == NAME_LENGTH.format(length=85)
    assert problem.text("en") == ("file and folder names are at most 80 characters long (this one has 85): longer "
                                  "names cannot be copied to every computer; shorten it")


@pytest.mark.parametrize("name", ["IMG_20250101_093000.jpg", "foto-kegiatan.v2.png", "Surat_Edaran.pdf"])
def test_pictures_and_documents_keep_the_names_cameras_give_them(repo, name):
    folder = repo / "offices" / OFFICE / "docs/berita/2025/gambar"
    (folder / name).write_bytes(b"x")
    assert [p for p in check_report([OFFICE], False, repo).errors if p.code.startswith("file_name")] == []


def test_every_name_in_the_repository_is_an_address():
    from infohub import paths
    from infohub.checks.office_folder import name_problems

    folders = [ROOT / "national/pages", ROOT / "docs"] + [ROOT / "offices" / slug / "docs" for slug in paths.office_slugs(ROOT)]
    assert len(folders) == 32 and [p for folder in folders for p in name_problems(folder)] == []


# --- what an office's docs/ folder may publish --------------------------------------------------
# Found by trying it (2026-12-05): offices/<slug>/docs/assets/javascripts/infohub-search.js with
# 'alert(1)' in it passed `make check` ("Semua konten valid") and the build published it in place of
# the site's own script (a file in docs/ wins over the theme's), which the Content-Security-Policy
# allows ('self'): any office could run script on its site in the reader's browser. The same for a
# stylesheet, an HTML page next to the Markdown ones, an SVG with a script, or a feed.xml that a
# social scheduler would read instead of the build's.

FILE_TYPE = ("berkas {name!r} tidak akan diterbitkan: folder docs/ hanya boleh berisi halaman (.md), gambar "
             "(.jpg, .jpeg, .png, .webp, .gif) dan dokumen PDF (.pdf); berkas lain, seperti skrip, CSS, HTML atau "
             "SVG, bisa dijalankan peramban pembaca atas nama situs ini. Simpan isinya sebagai halaman, gambar atau "
             "PDF, atau hapus berkas ini")
FILE_TYPE_EN = ("the file {name!r} will not be published: a docs/ folder may hold only pages (.md), pictures (.jpg, "
                ".jpeg, .png, .webp, .gif) and PDF documents (.pdf); any other file, such as a script, CSS, HTML or "
                "SVG, could run in the reader's browser in this site's name. Save its content as a page, a picture "
                "or a PDF, or delete the file")


def test_an_office_cannot_replace_the_site_s_own_script(repo):
    script = repo / "offices" / OFFICE / "docs/assets/javascripts/infohub-search.js"
    script.parent.mkdir(parents=True)
    script.write_text("alert(document.cookie)\n", encoding="utf-8")
    lines = _report_lines(repo)
    at = lines.index(f"KESALAHAN  offices/{OFFICE}/docs/assets/javascripts/infohub-search.js")
    assert lines[at + 1] == "  berkas  " + FILE_TYPE.format(name="infohub-search.js")
    [result] = _quiet_build(repo)
    assert not result.ok and FILE_TYPE.format(name="infohub-search.js") in result.report
    assert not (repo / "site" / OFFICE).exists()


@pytest.mark.parametrize("name", ["assets/infohub.css", "halaman.html", "berita/peta.svg", "feed_rss_created.xml",
                                  "search/search_index.json", "robots.txt", "CNAME", "gambar/foto.jpg.js",
                                  "unduhan/formulir.docx", "berita/2025/gambar/Foto.HTM"])
def test_only_pages_pictures_and_pdf_documents_are_published(repo, name):
    file = repo / "offices" / OFFICE / "docs" / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"<script>alert(1)</script>\n")
    report = check_report([OFFICE], False, repo)
    base = name.rsplit("/", 1)[-1]
    assert [(p.path, p.line, p.text("id"), p.text("en")) for p in report.errors if p.code == "file_type"] == [
        (f"offices/{OFFICE}/docs/{name}", None, FILE_TYPE.format(name=base), FILE_TYPE_EN.format(name=base))]


def test_the_hub_and_the_national_pages_follow_the_same_rule(repo):
    (repo / "national/pages/tambahan.css").write_text("body{}", encoding="utf-8")
    (repo / "docs/panduan/skrip.js").write_text("alert(1)", encoding="utf-8")
    report = check_report([OFFICE], True, repo)
    assert sorted(p.path for p in report.errors if p.code == "file_type") == [
        "docs/panduan/skrip.js", "national/pages/tambahan.css"]


def test_the_editors_note_in_each_docs_folder_is_allowed_and_never_published(repo):
    for note in ("docs/README.txt", "docs/berita/README.txt"):
        (repo / "offices" / OFFICE / note).write_text("Catatan untuk editor.\n", encoding="utf-8")
    report = check_report([OFFICE], False, repo)
    assert [p for p in report.errors if p.code == "file_type"] == []
    [result] = _quiet_build(repo)
    assert result.ok, result.report
    assert not list((repo / "site" / OFFICE).rglob("README.txt"))


PDF_UNREADABLE = ("berkas ini tidak bisa dibaca sebagai dokumen PDF (rusak, atau formatnya lain walau namanya "
                  "begitu); buka di aplikasinya, simpan atau ekspor ulang sebagai PDF, lalu unggah hasilnya")


def test_a_pdf_is_published_when_it_is_one(repo):
    folder = repo / "offices" / OFFICE / "docs/unduhan"
    folder.mkdir()
    (folder / "formulir.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    (folder / "palsu.pdf").write_bytes(b"<html><script>alert(1)</script></html>")
    report = check_report([OFFICE], False, repo)
    assert [(p.path, p.text("id"), p.text("en")) for p in report.errors if p.path.endswith(".pdf")] == [
        (f"offices/{OFFICE}/docs/unduhan/palsu.pdf", PDF_UNREADABLE,
         "this file cannot be read as a PDF document (it is damaged, or in another format despite its name); open "
         "it in its application, save or export it as a PDF again, and upload the result")]
    (folder / "palsu.pdf").unlink()
    [result] = _quiet_build(repo)
    assert result.ok, result.report
    assert (repo / "site" / OFFICE / "unduhan/formulir.pdf").read_bytes().startswith(b"%PDF-1.4")


def test_a_pdf_too_large_is_refused_before_it_is_copied(repo):
    folder = repo / "offices" / OFFICE / "docs/unduhan"
    folder.mkdir()
    with open(folder / "besar.pdf", "wb") as pdf:
        pdf.write(b"%PDF-1.7\n")
        pdf.truncate(15_000_001)
    [problem] = [p for p in check_report([OFFICE], False, repo).errors if p.path.endswith("besar.pdf")]
    assert problem.text("id") == ("dokumen ini berukuran 16 MB, melebihi batas 15 MB; simpan ulang dengan ukuran "
                                  "lebih kecil (misalnya 'Kurangi ukuran' atau 'Optimalkan PDF' di aplikasi PDF, atau "
                                  "pindai dengan resolusi 150 dpi) lalu unggah hasilnya")
    assert problem.text("en") == ("this document is 16 MB, over the limit of 15 MB; save a smaller copy (for example "
                                  "'Reduce file size' or 'Optimize PDF' in a PDF application, or scan at 150 dpi) and "
                                  "upload that")


def test_every_office_s_note_for_editors_says_what_its_docs_folder_publishes():
    from infohub import paths
    from infohub.scaffold import DOCS_README

    assert "dokumen PDF; berkas lain ditolak" in DOCS_README and "PDF documents; the check refuses" in DOCS_README
    notes = {slug: (ROOT / "offices" / slug / "docs/README.txt").read_text(encoding="utf-8")
             for slug in paths.office_slugs(ROOT)}
    assert len(notes) == 30 and {slug for slug, note in notes.items() if note != DOCS_README} == set()
