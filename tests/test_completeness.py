"""Missing facts are said once, usefully; `make check` shows who still owes what.

An office that has not published its address, a phone number or its hours
gets one short notice on its start page, with what to do instead, not "not
filled in" on every line. The completeness table after `make check` lists,
office by office, hours, address, map, phone, WhatsApp, e-mail and channels,
as information: it never fails the check.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from infohub.build import build_sites
from infohub.checks import Scope, summaries
from infohub.checks.completeness import COLUMNS, completeness_table, facts
from infohub.content import load_office

BARE = "kantorkosong"
BARE_OFFICE = f"""name:
  id: Kantor Imigrasi Kosong
  en: Empty Immigration Office
city: Kota Kosong
province: Provinsi Contoh
domain: {BARE}.id
timezone: Asia/Makassar
"""


def add_bare_office(repo: Path) -> None:
    folder = repo / "offices" / BARE
    (folder / "docs").mkdir(parents=True)
    (folder / "office.yml").write_text(BARE_OFFICE, encoding="utf-8")


def run_check(repo: Path, lang: str = "id") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "infohub", "check"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": lang, "GITHUB_ACTIONS": ""})


def table_rows(stdout: str, title: str) -> list[list[str]]:
    lines = stdout.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        rows.append(line.split())
    return rows


def test_facts_of_a_complete_and_an_empty_office(repo):
    add_bare_office(repo)
    from infohub.content import load_national

    national, _ = load_national(repo)
    full, _ = load_office("kantorcontoh", national, repo)
    bare, _ = load_office(BARE, national, repo)
    assert facts(full) == {"hours": True, "address": True, "map": True, "phone": True, "whatsapp": True,
                           "email": True, "channels": False}
    assert facts(bare) == dict.fromkeys(COLUMNS, False)


def test_make_check_prints_the_completeness_table_as_information(repo):
    add_bare_office(repo)
    result = run_check(repo)
    assert result.returncode == 0, result.stdout + result.stderr  # information, not a failure
    rows = table_rows(result.stdout, "Kelengkapan data kantor")
    assert rows[0] == ["kantor", "jam", "alamat", "peta", "telepon", "WhatsApp", "surel", "kanal"]
    by_office = {row[0]: row[1:] for row in rows[1:-1]}
    assert by_office["kantorcontoh"] == ["ada"] * 6 + ["–"]
    assert by_office[BARE] == ["–"] * 7
    assert " ".join(rows[-1]) == "0 dari 2 kantor sudah lengkap."
    # after the translation coverage, like it a summary
    assert result.stdout.index("Cakupan terjemahan") < result.stdout.index("Kelengkapan data kantor")


def test_the_table_in_english(repo):
    add_bare_office(repo)
    scope = Scope(repo, ["kantorcontoh", BARE], include_hub=True)
    text = completeness_table(scope, "en")
    assert text.splitlines()[1].split() == ["office", "hours", "address", "map", "phone", "WhatsApp", "e-mail",
                                            "channels"]
    assert text in summaries(scope, "en")


@pytest.fixture(scope="module")
def bare_site(tmp_path_factory) -> Path:
    from conftest import make_repo

    root = make_repo(tmp_path_factory.mktemp("bare") / "repo")
    add_bare_office(root)
    results = build_sites([BARE], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root / "site" / BARE


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def words(element) -> str:
    return " ".join(element.get_text().split())


@pytest.mark.parametrize("lang_root, notice, instead", [
    ("", "Situs ini belum memuat alamat, nomor telepon, dan jam layanan kantor ini, karena belum ada yang "
         "memeriksanya dari sumber resmi.",
     "Sebelum datang, pastikan lewat situs resmi Direktorat Jenderal Imigrasi, atau pilih kantor dan jadwal "
     "kedatangan di aplikasi M-Paspor."),
    ("en/", "This site does not list the address, a phone number, and the service hours of this office yet: "
            "nobody has checked them against an official source.",
     "Before you go, check on the official site of the Directorate General of Immigration, or choose the "
     "office and an appointment in the M-Paspor app."),
])
def test_an_office_without_facts_says_so_once_with_what_to_do_instead(bare_site, lang_root, notice, instead):
    html = page(bare_site, lang_root)
    notices = html.select(".infohub-missing")
    assert len(notices) == 1
    assert [words(p) for p in notices[0].find_all("p")] == [notice, instead]
    text = words(html.select_one("article"))
    for old in ("Belum diisi", "belum diisi", "not filled in", "Not yet filled in"):
        assert old not in text
    # no invented numbers: the notice holds no phone number, and its one link is the Directorate
    # General's site as national/defaults.yml records it
    links = [(words(a), a["href"]) for a in notices[0].find_all("a")]
    assert links == [({"": "situs resmi Direktorat Jenderal Imigrasi",
                       "en/": "the official site of the Directorate General of Immigration"}[lang_root],
                      "https://www.imigrasi.go.id/")]
    assert not any(ch.isdigit() for ch in words(notices[0]))
    # the status line says plainly that there are no hours, once
    status = html.select(".infohub-start__status .infohub-now")
    assert len(status) == 1 and status[0]["data-state"] == "unknown"


def test_an_office_with_every_fact_has_no_notice(built_repo):
    html = page(built_repo / "site" / "kantorcontoh", "")
    assert html.select(".infohub-missing") == []
    assert words(html.select_one(".infohub-contact--phone")) == "+62911000000"


def test_the_hub_no_longer_promises_profiles_and_contacts(built_repo):
    for lang_root in ("", "en/"):
        intro = words(page(built_repo / "site" / "hub", lang_root).select_one("article"))
        assert "profil dan kontak" not in intro.lower() and "profile and contacts" not in intro.lower()
        assert "panduan" not in str(page(built_repo / "site" / "hub", lang_root).select_one("article"))
