"""The national alert (national/alert.yml): on every office and the hub at once, above the
office's own alert, gone at its end, checked like all data, and one urgent social post per
office, language and platform, sent exactly once."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import make_repo
from fakes.social import read_ledger, run_publish, write_outbox_of
from infohub import checks
from infohub.build import build_sites
from infohub.content import load_national
from infohub.manifest import Inputs
from infohub.sitedata import load_site
from infohub.social.ledger import Ledger, ledger_path
from infohub.social.national_alert import alert_uid
from infohub.social.outbox import outbox_posts

HANDBOOK = Path(__file__).resolve().parents[1] / "docs" / "panduan"
ALERT = """\
# a crisis everywhere
level: danger
text:
  id: Layanan paspor di seluruh kantor dihentikan sementara karena gangguan sistem nasional.
  en: Passport services at every office are suspended because of a nationwide system outage.
expires: 2025-09-20
"""
TEXT_ID = "Layanan paspor di seluruh kantor dihentikan sementara karena gangguan sistem nasional."
TEXT_EN = "Passport services at every office are suspended because of a nationwide system outage."
BEFORE = "2025-09-05T12:00:00+09:00"  # both alerts up (the office's ends 10 September, WIT)
# The end of 20 September in WIT (kantorcontoh), still 20 September 22:30 in WIB (the hub)
AFTER_WIT = "2025-09-21T00:30:00+09:00"
QUIET = {"jobs": 1, "echo": lambda _: None}


def write_alert(repo: Path, text: str = ALERT) -> None:
    (repo / "national" / "alert.yml").write_text(text, encoding="utf-8")


def page(root: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((root / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("national-alert") / "repo")
    write_alert(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOHUB_NOW", BEFORE)
        patch.setenv("INFOHUB_LANG", "id")
        patch.setenv("SOURCE_DATE_EPOCH", "1735689600")
        results = build_sites(["hub", "kantorcontoh"], root / "site", root=root, **QUIET)
    assert all(r.ok for r in results), [r.report for r in results]
    return root


# --- the banner ------------------------------------------------------------------------


@pytest.mark.parametrize("path, lang, label, body, office_alert", [
    ("", "id", "Pengumuman nasional · Darurat:", TEXT_ID,
     "Perhatian: Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif)."),
    ("en/biaya", "en", "National notice · Emergency:", TEXT_EN,
     "Attention: Example alert: passport services are closed on 10 September 2025 (fictional)."),
])
def test_on_every_office_page_above_the_office_alert(built, path, lang, label, body, office_alert):
    html = page(built / "site" / "kantorcontoh", path)
    assert html.find("html")["lang"] == lang
    national, office = html.select(".md-banner .infohub-alert")
    assert national["class"] == ["infohub-alert", "infohub-alert--national", "infohub-alert--danger"]
    assert national["role"] == "alert"  # danger interrupts a screen reader
    assert text(national) == f"{label} {body}"
    assert national.select_one("span").get("lang") is None  # in the page's own language
    assert "infohub-alert--national" not in office["class"] and office["role"] == "status"
    assert text(office) == office_alert


@pytest.mark.parametrize("path, lang, expected", [
    ("", "id", f"Pengumuman nasional · Darurat: {TEXT_ID}"),
    ("en", "en", f"National notice · Emergency: {TEXT_EN}"),
    ("en/panduan/data-kantor", "en", f"National notice · Emergency: {TEXT_EN}"),
])
def test_on_the_hub(built, path, lang, expected):
    html = page(built / "site" / "hub", path)
    assert html.find("html")["lang"] == lang
    [national] = html.select(".md-banner .infohub-alert")
    assert text(national) == expected


def test_an_untranslated_alert_is_marked_as_indonesian_on_the_english_site(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)
    write_alert(repo, "level: info\ntext: Hanya bahasa Indonesia.\nexpires: 2025-09-20\n")
    site = load_site("kantorcontoh", repo)
    assert site.view("en").national_alert == {"text": "Hanya bahasa Indonesia.", "lang": "id", "level": "info",
                                              "ends": "2025-09-21T00:00:00+09:00"}  # the end of 20 September, WIT
    assert site.view("id").national_alert["lang"] is None
    # and it is posted in Indonesian only: not twice with the same text
    posts = [p for p in outbox_posts(site, repo, Ledger(ledger_path(repo, "kantorcontoh"))) if p.get("urgent")]
    assert {p["language"] for p in posts} == {"id"}


# --- its end -----------------------------------------------------------------------------


def test_a_bare_date_ends_at_midnight_in_each_sites_zone(repo, monkeypatch):
    write_alert(repo)
    monkeypatch.setenv("INFOHUB_NOW", AFTER_WIT)
    assert load_site("kantorcontoh", repo).view("id").national_alert is None  # WIT: 21 September
    assert load_site("hub", repo).view("id").national_alert is not None  # WIB: still the 20th
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-21T00:00:00+07:00")
    assert load_site("hub", repo).view("id").national_alert is None


def test_a_time_without_a_zone_is_wib_everywhere(repo, monkeypatch):
    write_alert(repo, ALERT.replace("expires: 2025-09-20", "expires: 2025-09-20 16:00"))
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-20T15:59:00+07:00")  # 17:59 in WIT
    assert load_site("kantorcontoh", repo).view("id").national_alert is not None
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-20T16:00:00+07:00")
    assert load_site("kantorcontoh", repo).view("id").national_alert is None
    assert load_site("hub", repo).view("en").national_alert is None


def test_gone_after_expiry_without_any_file_changing(built, tmp_path, monkeypatch):
    root = Path(shutil.copytree(built, tmp_path / "repo", symlinks=True))
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)
    assert [r.skipped for r in build_sites(["hub", "kantorcontoh"], root / "site", root=root, **QUIET)] == [True, True]
    monkeypatch.setenv("INFOHUB_NOW", AFTER_WIT)
    results = build_sites(["kantorcontoh"], root / "site", root=root, **QUIET)
    assert [(r.ok, r.skipped) for r in results] == [(True, False)]  # the end of the day rebuilt it
    for path in ("", "en/faq"):
        assert page(root / "site" / "kantorcontoh", path).select_one(".infohub-alert") is None
    posts = json.loads((root / "site/_social/kantorcontoh.json").read_text(encoding="utf-8"))
    assert not any(p.get("urgent") for p in posts)  # not queued once it has ended


def test_a_change_to_the_alert_changes_every_sites_digest(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)
    before = {slug: Inputs(repo).digest(slug, "1") for slug in ("hub", "kantorcontoh")}
    write_alert(repo)
    after = {slug: Inputs(repo).digest(slug, "1") for slug in ("hub", "kantorcontoh")}
    assert all(before[slug] != after[slug] for slug in before)


# --- make check ----------------------------------------------------------------------------


def report_lines(repo: Path, lang: str) -> list[str]:
    return checks.check_report(["kantorcontoh"], False, repo).format(lang, outcome="check_failed").splitlines()


def test_check_refuses_a_malformed_alert_with_file_and_line(repo):
    write_alert(repo, "level: merah\nwarna: biru\ntext:\n  en: Only English.\nexpires: 2025-02-30\n"
                      "id: Gangguan Nasional\n")
    defaults = repo / "national" / "defaults.yml"
    defaults.write_text(defaults.read_text(encoding="utf-8") + "alert:\n  text: x\n  expires: 2025-01-01\n",
                        encoding="utf-8")
    lines = report_lines(repo, "id")
    at = lines.index("KESALAHAN  national/alert.yml")
    assert lines[at + 1:at + 8] == [
        "  baris 1  level: diharapkan salah satu dari 'info', 'warning' atau 'danger', tertulis 'merah'",
        "  baris 2  warna: kunci tidak dikenal 'warna'; kunci yang boleh: expires, id, level, text",
        "  baris 3  text.id: wajib diisi tetapi tidak ada",
        "  baris 5  expires: diharapkan tanggal yang ada di kalender seperti '2025-01-31', tertulis '2025-02-30'",
        "  baris 6  id: diharapkan pengenal huruf kecil dengan tanda hubung seperti 'paspor-baru', "
        "tertulis 'Gangguan Nasional'",
        "KESALAHAN  national/defaults.yml",
        "  baris 8  alert: kunci tidak dikenal 'alert'; kunci yang boleh: description, directorate_general_url, "
        "hashtags, image_hosts, mpaspor_url",
    ]
    english = report_lines(repo, "en")
    at = english.index("ERROR  national/alert.yml")
    assert english[at + 1:at + 4] == [
        "  line 1  level: expected one of 'info', 'warning' or 'danger', got 'merah'",
        "  line 2  warna: unknown key 'warna'; allowed keys: expires, id, level, text",
        "  line 3  text.id: required but missing",
    ]
    [result] = build_sites(["kantorcontoh"], repo / "site", root=repo, **QUIET)
    assert not result.ok and "national/alert.yml" in result.report  # nothing built with it


def test_check_warns_about_an_expired_alert_in_both_languages(repo, monkeypatch):
    write_alert(repo, ALERT.replace("expires: 2025-09-20", "expires: 2025-09-20 16:00"))
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-20T15:59:00+07:00")
    assert "PERINGATAN  national/alert.yml" not in report_lines(repo, "id")
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-20T16:00:00+07:00")
    lines = report_lines(repo, "id")
    assert lines[lines.index("PERINGATAN  national/alert.yml") + 1] == (
        "  baris 6  (peringatan) expires: pengumuman nasional ini sudah berakhir (2025-09-20 16:00) dan tidak "
        "tampil lagi di situs mana pun; hapus berkas national/alert.yml (atau isinya), atau perbarui 'expires' "
        "bila pengumuman masih berlaku")
    english = report_lines(repo, "en")
    assert english[english.index("WARNING  national/alert.yml") + 1] == (
        "  line 6  (warning) expires: this national alert ended (2025-09-20 16:00) and is no longer shown on any "
        "site; delete the file national/alert.yml (or its contents), or update 'expires' if it still applies")


def test_a_bare_date_warns_once_it_has_ended_everywhere(repo, monkeypatch):
    write_alert(repo)
    monkeypatch.setenv("INFOHUB_NOW", AFTER_WIT)  # over in WIT, not yet in WIB
    assert not [p for p in load_national(repo)[1] if p.code == "national_alert_expired"]
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-21T00:00:00+07:00")
    assert [p.line for p in load_national(repo)[1] if p.code == "national_alert_expired"] == [6]


def test_a_file_of_comments_only_is_no_alert(repo):
    write_alert(repo, "# nothing now\n")
    national, problems = load_national(repo)
    assert problems == [] and national.alert is None


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_the_handbook_example_is_valid(repo, suffix, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)
    handbook = (HANDBOOK / f"data-kantor{suffix}.md").read_text(encoding="utf-8")
    write_alert(repo, re.search(r"```yaml\n(# national/alert\.yml\n.*?)```", handbook, re.S)[1])
    national, problems = load_national(repo)
    assert problems == [] and national.alert.id and national.alert.text.has("en")


# --- social posts ----------------------------------------------------------------------------


def test_one_urgent_post_per_language_and_platform_first_in_the_outbox(built):
    posts = json.loads((built / "site/_social/kantorcontoh.json").read_text(encoding="utf-8"))
    urgent = [p for p in posts if p.get("urgent")]
    assert posts[:len(urgent)] == urgent and len(posts) > len(urgent)  # first, then the pages
    # kantorcontoh posts to instagram (its account) and log, in Indonesian and English
    assert sorted((p["language"], p["platform"]) for p in urgent) == [
        ("en", "instagram"), ("en", "log"), ("id", "instagram"), ("id", "log")]
    by_lang = {p["language"]: p for p in urgent if p["platform"] == "log"}
    assert by_lang["id"]["text"] == (
        f"Pengumuman nasional · Darurat\n\n{TEXT_ID}\n\nhttps://kantorcontoh.id/?utm_source=log&utm_medium=social"
        "&utm_campaign=kantorcontoh\n\n#KantorContoh")
    assert by_lang["en"]["url"].startswith("https://kantorcontoh.id/en/?") and TEXT_EN in by_lang["en"]["text"]
    assert {p["expires"] for p in urgent} == {"2025-09-21T00:00:00+09:00"}  # the end of the 20th in WIT
    assert len({p["id"] for p in urgent}) == 4
    assert not (built / "site/_social/hub.json").exists()


def test_identity_is_the_id_or_else_the_text():
    from infohub.schema import NationalAlert

    def alert(**change):
        data = {"text": {"id": "Teks A.", "en": "Text A."}, "expires": "2025-09-20", **change}
        return NationalAlert.model_validate(data)

    plain = alert_uid("kantorcontoh", "id", alert())
    assert alert_uid("kantorcontoh", "id", alert(level="info", expires="2025-12-31")) == plain
    assert alert_uid("kantorcontoh", "id", alert(text={"id": "Teks B."})) != plain
    assert alert_uid("kantorcontoh", "en", alert()) != plain
    assert alert_uid("kantorlain", "id", alert()) != plain
    named = alert_uid("kantorcontoh", "id", alert(id="krisis-1"))
    assert alert_uid("kantorcontoh", "id", alert(id="krisis-1", text={"id": "Teks diperbaiki."})) == named
    assert alert_uid("kantorcontoh", "id", alert(id="krisis-2")) != named


def test_log_channel_sends_it_first_and_exactly_once_across_runs_and_rebuilds(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)  # the publisher reads the same clock
    write_alert(repo)
    queued = write_outbox_of(repo)
    urgent = [p for p in queued if p.get("urgent") and p["platform"] == "log"]
    assert len(urgent) == 2
    first = run_publish(repo, "--channel", "log")
    sent = [line for line in first.stdout.splitlines() if line.startswith("terkirim")]
    assert sent[:2] == [f"terkirim kantorcontoh · log · {p['language']} · {p['url']}" for p in urgent]
    published = repo / "site" / "_social" / "published.jsonl"
    logged = [json.loads(line) for line in published.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in logged[:2]] == [p["id"] for p in urgent]

    # a second run sends nothing again; a rebuild queues no second copy for the log
    run_publish(repo, "--channel", "log")
    requeued = write_outbox_of(repo)
    assert not [p for p in requeued if p.get("urgent") and p["platform"] == "log"]
    run_publish(repo, "--channel", "log")
    logged = [json.loads(line) for line in published.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["id"] for line in logged if line.get("urgent")) == sorted(p["id"] for p in urgent)
    assert all(p["uid"] in read_ledger(repo)[p["language"]]["log"] for p in urgent)

    # a new text is a new alert: queued again
    write_alert(repo, ALERT.replace("nasional.", "nasional (diperbarui)."))
    assert [p["language"] for p in write_outbox_of(repo) if p.get("urgent") and p["platform"] == "log"] == ["id"]


def test_not_sent_once_it_has_ended(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)
    write_alert(repo)
    urgent = [p for p in write_outbox_of(repo) if p.get("urgent") and p["platform"] == "log"]
    monkeypatch.setenv("INFOHUB_NOW", AFTER_WIT)  # the outbox was written before the end
    done = run_publish(repo, "--channel", "log")
    assert [line for line in done.stdout.splitlines() if line.startswith("berakhir")] == [
        f"berakhir kantorcontoh · log · {p['language']} · {p['url']}: pengumuman nasional ini sudah berakhir, "
        "jadi tidak dikirim lagi" for p in urgent]
    published = repo / "site" / "_social" / "published.jsonl"
    assert not any(json.loads(line).get("urgent") for line in published.read_text(encoding="utf-8").splitlines())
    assert not any(p["uid"] in by.get("log", {}) for p in urgent for by in read_ledger(repo).values())


def test_an_office_without_channels_sends_nothing(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", BEFORE)
    write_alert(repo)
    assert any(p.get("urgent") for p in write_outbox_of(repo))
    done = run_publish(repo)
    assert done.stdout.startswith("Belum ada kantor yang memasang saluran media sosial")
    assert not ledger_path(repo, "kantorcontoh").exists()
