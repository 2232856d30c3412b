"""The smaller hostile values of issue 25, item 7: each is a check error with file and line in
both languages, never a traceback, and the build agrees with the check."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from infohub import deploy, paths
from infohub.build import build_sites
from infohub.checks import check_report
from infohub.content import load_national, load_office, load_page
from infohub.social.secrets import env_prefix, secret_name
from infohub.social.workflow import secrets_block

OFFICE = "offices/kantorcontoh/office.yml"
POST = "offices/kantorcontoh/docs/berita/2025/hari-terbuka.md"


def edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(repo: Path, lang: str, offices=("kantorcontoh",)) -> list[tuple[str, int | None, str]]:
    report = check_report(list(offices), False, repo)
    return [(p.path, p.line, p.text(lang)) for p in report.errors]


def build(repo: Path, slug: str = "kantorcontoh"):
    return build_sites([slug], repo / "site", jobs=1, root=repo, echo=lambda _: None)[0]


# --- alert.expires: 9999-12-31 -----------------------------------------------------------------


@pytest.mark.parametrize("lang, message", [
    ("id", "alert.expires: diharapkan tanggal antara tahun 1900 dan 2999, seperti '2025-01-31', tertulis '9999-12-31'"),
    ("en", "alert.expires: expected a date in the years 1900 to 2999, like '2025-01-31', got '9999-12-31'"),
])
def test_a_date_at_the_end_of_the_calendar_is_a_check_error(repo, lang, message):
    edit(repo, OFFICE, "expires: 2025-09-10", "expires: 9999-12-31")
    assert errors(repo, lang) == [(OFFICE, 57, message)]


def test_the_build_refuses_it_too_without_a_traceback(repo):
    edit(repo, OFFICE, "expires: 2025-09-10", "expires: 9999-12-31")
    result = build(repo)
    assert not result.ok and "9999-12-31" in result.report and "Traceback" not in result.report


def test_a_date_at_the_start_of_the_calendar_in_an_event_is_refused(repo):
    edit(repo, POST, "event_start: 2025-09-20 09:00\nevent_end: 2025-09-20 12:00\n", "event_start: 0001-01-01 09:00\n")
    assert [e for e in errors(repo, "en") if e[0] == POST] == [
        (POST, 8, "event_start: expected a date in the years 1900 to 2999, like '2025-01-31', got '0001-01-01 09:00'")]


# --- direction-control characters (bidi) --------------------------------------------------------


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_a_direction_control_character_in_a_title_is_refused_with_its_code_point(repo, char):
    edit(repo, POST, "title: ", f"title: Jadwal {char}fdp.exe ")
    source, problems = load_page(repo / POST)
    code = f"U+{ord(char):04X}"
    assert source is None
    assert [(p.path, p.line, p.text("en")) for p in problems] == [
        (POST, 2, f"title: expected text without direction-control characters (it holds {code}, which changes "
                  f"the order in which the text around it is shown: delete it), got 'Jadwal [{code}]fdp.exe "
                  + problems[0].values["value"].split("fdp.exe ", 1)[1] + "'")]


def test_office_text_in_either_language_is_checked_and_said_in_indonesian(repo):
    edit(repo, OFFICE, "  en: Example Immigration Office", "  en: \"Example \\u202Eeciffo\"")
    assert errors(repo, "id") == [(OFFICE, 71, "name: diharapkan teks tanpa karakter pengatur arah (ada U+202E, yang "
                                              "mengubah urutan tampilan teks di sekitarnya: hapus karakter itu), "
                                              "tertulis 'Example [U+202E]eciffo'")]


def test_a_right_to_left_mark_in_arabic_text_stays_allowed(repo):
    edit(repo, OFFICE, "  en: Example Immigration Office", "  en: Example Immigration Office\n  ar: \"مكتب\u200f الهجرة\"")
    assert errors(repo, "en") == []


# --- office folder names ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["imigrasi_batam", "Imigrasibatam", "imigrasi-", "-imigrasi", "imigrasi--batam",
                                  "imigrasi batam", "hub", "en", "fonts", "locales", "nasional", "a" * 64])
def test_an_office_folder_name_that_is_not_a_slug_is_refused(repo, name):
    """'en', 'fonts', 'locales' and 'nasional' are the hub's /admin/ folders beside the offices' editors."""
    shutil.copytree(repo / "offices/kantorcontoh", repo / "offices" / name)
    edit(repo, f"offices/{name}/office.yml", "domain: kantorcontoh.id", "domain: kantorbaru.id")
    assert errors(repo, "en", [name]) == [
        (f"offices/{name}/office.yml", None,
         f"the folder name '{name}' cannot be an office's: use lowercase letters and digits, with single hyphens "
         f"between them (at most 63 characters, none of hub, en, fonts, locales, nasional), like 'imigrasibatam'; it becomes the office's domain "
         f"and the name of its secrets")]
    assert errors(repo, "id", [name])[0][2].startswith(f"nama folder '{name}' tidak bisa menjadi nama kantor")


def test_a_refused_folder_has_no_secrets_and_is_not_built(repo):
    shutil.copytree(repo / "offices/kantorcontoh", repo / "offices/imigrasi_batam")
    shutil.copytree(repo / "offices/kantorcontoh", repo / "offices/imigrasi-batam")
    block = secrets_block(paths.office_slugs(repo), "")
    assert "IMIGRASI_BATAM_MASTODON_TOKEN: ${{ secrets.IMIGRASI_BATAM_MASTODON_TOKEN }}" in block
    assert block.count("IMIGRASI_BATAM_MASTODON_TOKEN:") == 1  # imigrasi-batam's alone
    assert not build(repo, "imigrasi_batam").ok
    owners = deploy.codeowners(repo)
    assert "/offices/imigrasi-batam/ @imigrasi/imigrasi-batam-editors\n" in owners and "imigrasi_batam" not in owners


@pytest.mark.parametrize("name", ["imigrasibatam", "imigrasi-batam", "imigrasi-batam-2", "kanim1", "a"])
def test_office_slugs_pass(name):
    assert paths.is_office_slug(name)


def test_two_office_slugs_never_share_a_secret_prefix():
    """'-' is the only character changed (to '_', which no slug holds), and no platform's
    name holds '_': a prefix and a platform give back exactly one slug."""
    slugs = ["imigrasi-batam", "imigrasibatam", "imigrasi-b-atam", "imigrasi-batam-x", "x", "imigrasi-batam-threads"]
    assert all(paths.is_office_slug(s) for s in slugs)
    assert len({env_prefix(s) for s in slugs}) == len(slugs)
    names = [secret_name(s, p) for s in slugs for p in ("x", "threads", "mastodon", "linkedin")]
    assert len(set(names)) == len(names)


# --- image: ../… ---------------------------------------------------------------------------------


def test_a_post_image_outside_the_offices_docs_is_refused(repo):
    shutil.copytree(repo / "offices/kantorcontoh", repo / "offices/kantorlain")
    edit(repo, "offices/kantorlain/office.yml", "domain: kantorcontoh.id", "domain: kantorlain.id")
    edit(repo, POST, "image: gambar/hari-terbuka.png",
         "image: ../../../../kantorlain/docs/berita/2025/gambar/hari-terbuka.png")
    assert [e for e in errors(repo, "en") if e[0] == POST] == [
        (POST, 6, "image: the image '../../../../kantorlain/docs/berita/2025/gambar/hari-terbuka.png' is outside "
                  "this site's folder offices/kantorcontoh/docs; copy it into that folder and name it from there")]
    assert not build(repo).ok


def test_a_page_image_outside_the_docs_folder_is_refused_too(repo):
    page = repo / "offices/kantorcontoh/docs/profil.md"
    page.write_text("---\ntitle: Profil\nimage: ../office.yml\n---\n\n# Profil\n\n![x](../../../national/fees.yml)\n",
                    encoding="utf-8")
    assert sorted(e[1:] for e in errors(repo, "id") if e[0] == "offices/kantorcontoh/docs/profil.md") == [
        (3, "image: gambar '../office.yml' ada di luar folder situs ini, offices/kantorcontoh/docs; salin ke folder "
            "itu dan sebut dari sana"),
        (8, "gambar '../../../national/fees.yml' ada di luar folder situs ini, offices/kantorcontoh/docs; salin ke "
            "folder itu dan sebut dari sana")]


# --- social.linkedin: (empty) ---------------------------------------------------------------------


def test_an_empty_social_account_is_no_account_for_the_check_and_the_build_alike(repo):
    """One verdict: 'linkedin:' with nothing after it (or '~') is no account, as if the line were
    not there; the editor's form (Sveltia) may leave a cleared field so. The check passes it and
    the build shows no LinkedIn link, in the page or in its structured data."""
    edit(repo, OFFICE, "social:\n", "social:\n  linkedin:\n  facebook: ~\n")
    assert errors(repo, "en") == []
    assert build(repo).ok
    home = (repo / "site/kantorcontoh/index.html").read_text(encoding="utf-8")
    assert "LinkedIn" not in home and "Facebook" not in home
    assert '"sameAs":["https://instagram.example.org/kantorcontoh"]' in home


def test_a_linkedin_account_passes_the_check_and_builds_with_its_label(repo):
    """'social.linkedin: https://…' passed the check and failed the build: the contact list had no
    label for it in either language table (found by the one-verdict fuzz test)."""
    edit(repo, OFFICE, "social:\n", "social:\n  linkedin: https://www.linkedin.com/company/kantorcontoh\n")
    assert errors(repo, "en") == []
    assert build(repo).ok
    home = (repo / "site/kantorcontoh/index.html").read_text(encoding="utf-8")
    assert "LinkedIn" in home and "https://www.linkedin.com/company/kantorcontoh" in home


# --- found by the one-verdict fuzz test ---------------------------------------------------------


def test_a_language_the_theme_has_no_interface_in_is_refused(repo):
    """'uy' or 'jv' passed the check (two letters) and the build failed: Material has no
    partials/languages/jv.html to include."""
    from infohub.schema import theme_languages

    edit(repo, OFFICE, "languages:\n  - id\n  - en\n", "languages:\n  - id\n  - jv\n")
    assert "jv" not in theme_languages() and {"id", "en", "ar", "zh", "ms"} <= set(theme_languages())
    choices = ", ".join(theme_languages())
    assert errors(repo, "id") == [(OFFICE, 69, f"languages.1: diharapkan kode bahasa yang tampilan situsnya tersedia: "
                                               f"{choices}, tertulis 'jv'")]
    assert errors(repo, "en") == [(OFFICE, 69, f"languages.1: expected a language code the site's interface is "
                                               f"available in: {choices}, got 'jv'")]
    result = build(repo)
    assert not result.ok and "Traceback" not in result.report and "TemplateNotFound" not in result.report


@pytest.mark.parametrize("line", ["[peta](https://[::1)", "![foto](https://[::1/a.png)", "<https://[::1>",
                                  "[peta][1]\n\n[1]: https://[::1", '<a href="https://[::1">peta</a>'])
def test_a_link_no_browser_can_read_is_a_check_error(repo, line):
    """MkDocs stopped the whole build on it: 'Error reading page …: Invalid IPv6 URL'."""
    text = (repo / POST).read_text(encoding="utf-8")
    (repo / POST).write_text(text + "\n" + line + "\n", encoding="utf-8")
    at = text.count("\n") + 2
    target = "https://[::1/a.png" if "png" in line else "https://[::1"
    assert [e for e in errors(repo, "id") if e[0] == POST] == [
        (POST, at + (2 if "[1]:" in line else 0), f"alamat tautan ini tidak bisa dibaca peramban: '{target}' (ada '[' tanpa ']' penutupnya)")]
    assert [e[2] for e in errors(repo, "en") if e[0] == POST] == [
        f"browsers cannot read this link's address: '{target}' (a '[' without its closing ']')"]
    result = build(repo)
    assert not result.ok and "Traceback" not in result.report


def test_the_build_drops_a_link_it_cannot_read_instead_of_stopping():
    """Whatever the check's reading of Markdown misses, the build's own one does not stop on."""
    import markdown

    from infohub.unreadable_links import UnreadableLinks

    html = markdown.markdown("[peta](https://[::1) dan [ini](https://example.org/) ![foto kantor](https://[::1/a.png)",
                             extensions=[UnreadableLinks()])
    assert html == '<p><span>peta</span> dan <a href="https://example.org/">ini</a> <span>foto kantor</span></p>'


@pytest.mark.parametrize("url", ["https://[::1", "https://maps.example.org:99999/kantor"])
def test_an_address_in_office_yml_urllib_cannot_read_is_refused(repo, url):
    """The schema took any 'https://' text; the feeds, the cards and MkDocs read it with urllib."""
    edit(repo, OFFICE, "map_url: https://maps.example.org/kantorcontoh", f"map_url: {url}")
    assert errors(repo, "en") == [(OFFICE, 70, f"map_url: expected a full address starting with 'https://', got '{url}'")]
