"""national/search-synonyms.yml: read for the search, checked with file and line."""
from __future__ import annotations

import json

from infohub.build import build_sites
from infohub.search_synonyms import load_synonyms, normalise


def _write(repo, text: str) -> None:
    (repo / "national" / "search-synonyms.yml").write_text(text, encoding="utf-8")


def test_the_national_file_is_valid_and_has_the_groups_editors_asked_for(repo):
    groups, problems = load_synonyms(repo)
    assert problems == []
    assert ["e-paspor", "paspor elektronik", "epaspor", "e-passport", "electronic passport"] in groups
    assert any("KITAS" in g and "izin tinggal terbatas" in g for g in groups)
    assert any("M-Paspor" in g and "mpaspor" in g for g in groups)


def test_a_hyphen_counts_as_a_space_as_in_the_search():
    assert normalise("M-Paspor") == normalise("m paspor") == "m paspor"
    assert normalise("mpaspor") == "mpaspor"


def test_bad_entries_are_reported_with_file_and_line(repo):
    _write(repo, "synonyms:\n"
                 "  - [e-paspor, paspor elektronik]\n"
                 "  - KITAS\n"
                 "  - [KTP, '--']\n"
                 "  - [Paspor Elektronik, e-passport]\n")
    groups, problems = load_synonyms(repo)
    assert groups == [["e-paspor", "paspor elektronik"]]
    shown = [(p.path, p.line, p.text("id")) for p in problems]
    assert shown == [
        ("national/search-synonyms.yml", 3,
         "synonyms.1: diharapkan satu kelompok berisi paling sedikit dua kata atau frasa, "
         "misalnya [e-paspor, paspor elektronik], tertulis 'KITAS'"),
        ("national/search-synonyms.yml", 4, "synonyms.2.1: diharapkan kata atau frasa, tertulis '--'"),
        ("national/search-synonyms.yml", 5,
         "synonyms.3.0: 'Paspor Elektronik' sudah ada di kelompok pada baris 2; "
         "satu kata hanya boleh ada di satu kelompok"),
    ]
    assert problems[0].text("en") == ("synonyms.1: expected a group of at least two words or phrases, "
                                      "like [e-paspor, paspor elektronik], got 'KITAS'")


def test_unknown_keys_and_syntax_errors_name_the_line(repo):
    _write(repo, "synonyms: []\nsinonim: []\n")
    problems = load_synonyms(repo)[1]
    assert [(p.line, p.text("id")) for p in problems] == [
        (2, "sinonim: kunci tidak dikenal 'sinonim'; kunci yang boleh: synonyms")]
    _write(repo, "synonyms:\n  - [a, b\n")
    [problem] = load_synonyms(repo)[1]
    assert (problem.line, problem.text("id")) == (
        3, "nilai tidak lengkap: ada kurung '[' atau '{' yang tidak ditutup, atau nilainya terputus")


def test_a_bad_file_stops_the_build_and_says_why(repo):
    _write(repo, "synonyms:\n  - [KITAS]\n")
    result = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)[0]
    assert not result.ok  # refused by the same check as `make check`, before anything is built
    assert "national/search-synonyms.yml" in result.report and "baris 2" in result.report, result.report


def test_the_build_hands_the_search_its_data(built_repo):
    site = built_repo / "site" / "kantorcontoh"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["id"]
    data = (site / "assets/javascripts/lunr/min/lunr.id.data.js").read_text(encoding="utf-8")
    payload = json.loads(data.split("self.infohubSearchData = ", 1)[1])
    assert payload["languages"] == ["id", "en"]
    assert "layan" in payload["roots"] and "yang" in payload["stopWords"]
    assert ["KITAS", "ITAS", "izin tinggal terbatas"] in payload["synonyms"]
    # What the services template renders is searchable, not only the page's introduction.
    renewal = [d for d in index["docs"] if d["location"] == "layanan/#penggantian-paspor-title"]
    assert renewal and "memperpanjang" in renewal[0]["text"]
    assert '?lang=en"' in (site / "en" / "index.html").read_text(encoding="utf-8")
