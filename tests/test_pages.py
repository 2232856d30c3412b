"""The pages people read: fees, service hours, FAQ, services, news, the alert.

Most tests read the fixture office kantorcontoh built once (``built_repo``,
built with the real clock). The news tests that depend on the day of the
build use one more build of their own at a fixed moment (INFOHUB_NOW).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import make_repo, with_base_extra
from infohub.build import build_sites
from infohub.content import load_page
from infohub.news import published_posts
from infohub.sitedata import load_site, rupiah

WIT = ZoneInfo("Asia/Jayapura")


def page(root: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((root / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.fixture(scope="module")
def office(built_repo: Path) -> Path:
    return built_repo / "site" / "kantorcontoh"


# --- fees --------------------------------------------------------------------------


def test_rupiah_is_written_the_way_each_language_writes_it():
    assert rupiah(350000, "id") == "Rp350.000"
    assert rupiah(1000000, "id") == "Rp1.000.000"
    assert rupiah(350000, "en") == "IDR 350,000"


def test_fee_amounts_in_indonesian_and_english(office):
    id_row = page(office, "biaya").find(id="paspor-biasa-5-tahun")
    en_row = page(office, "en/biaya").find(id="paspor-biasa-5-tahun")
    assert text(id_row.select_one(".infohub-amount__value")) == "Rp350.000"
    assert text(en_row.select_one(".infohub-amount__value")) == "IDR 350,000"
    assert text(en_row.find("th")).startswith("Ordinary non-electronic passport, valid up to 5 years")


def test_an_office_fee_shows_its_reason_and_the_national_amount(office):
    row = page(office, "biaya").find(id="percepatan-paspor")
    assert text(row.select_one(".infohub-amount__value")) == "Rp1.200.000"
    assert text(row.select_one(".infohub-badge")) == "Tarif kantor ini"
    assert text(row.select_one(".infohub-fee-override")) == (
        "Tarif nasional Rp1.000.000; kantor ini menerapkan tarif lain karena: Contoh penyesuaian untuk pengujian")
    en_row = page(office, "en/biaya").find(id="percepatan-paspor")
    assert text(en_row.select_one(".infohub-fee-override")) == (
        "National fee IDR 1,000,000; this office charges differently because: An example adjustment for testing")


def test_a_fee_the_office_does_not_serve_has_no_row_and_is_named_below(office):
    html = page(office, "biaya")
    assert html.find(id="splp-wna") is None
    assert html.find(id="splp-wni") is not None
    assert text(html.select_one(".infohub-not-served")) == (
        "Kantor ini tidak melayani: Surat Perjalanan Laksana Paspor (SPLP) untuk orang asing. "
        "Ajukan di kantor imigrasi lain.")


def test_services_link_their_fees_to_the_fee_schedule(office):
    html = page(office, "layanan")
    links = [a["href"] for a in html.select(".infohub-service-facts a[href^='../biaya/#']")]
    assert "../biaya/#paspor-biasa-5-tahun" in links
    assert not any(href.endswith("#splp-wna") for href in links)  # not served here: no fee to link


# --- hours -------------------------------------------------------------------------


def test_hours_table_shows_breaks_and_closed_days_in_the_office_zone(office):
    html = page(office, "jam-layanan")
    assert text(html.select_one("table.infohub-hours caption")) == "Jadwal layanan mingguan (waktu setempat, WIT)"
    friday = html.select_one("tr[data-days='friday']")
    assert [text(c) for c in friday.find_all(["th", "td"])] == ["Jumat", "08:00–11:30, 13:30–16:00 WIT", "11:30–13:30"]
    saturday = html.select_one("tr[data-days='saturday']")
    assert [text(c) for c in saturday.find_all(["th", "td"])] == ["Sabtu", "Tutup", "–"]


def test_closures_ahead_are_listed_with_their_reason_and_past_ones_are_not(office):
    closures = [text(li) for li in page(office, "jam-layanan").select(".infohub-closures li")]
    assert closures == ["30 Desember 2099: Contoh penutupan di masa depan (fiktif)"]
    english = [text(li) for li in page(office, "en/jam-layanan").select(".infohub-closures li")]
    assert english == ["30 December 2099: An example closure in the future (fictional)"]  # day first, as read in Indonesia


def test_the_schedule_for_the_open_now_indicator_is_in_the_page(office):
    html = page(office, "jam-layanan")
    data = json.loads(html.find("script", id="infohub-hours").string)
    assert data["timezone"] == "Asia/Jayapura" and data["tz"] == "WIT"
    assert data["week"][4] == [["08:00", "11:30"], ["13:30", "16:00"]]
    assert data["week"][5] == []
    # every closure, past ones too: a reader's clock may be anywhere
    assert data["closures"]["2025-09-10"] == "Contoh penutupan sekali untuk pemeliharaan sistem (fiktif)"
    indicator = html.select_one("[data-infohub-now]")
    assert indicator.has_attr("hidden")  # shown by the script only
    assert html.find("script", src=re.compile(r"assets/javascripts/infohub-hours\.js$"))


def test_home_page_summarises_the_week(office):
    rows = [text(div) for div in page(office, "").select(".infohub-week > div")]
    assert rows == ["Senin–Kamis 08:00–12:00, 13:00–16:00 WIT", "Jumat 08:00–11:30, 13:30–16:00 WIT",
                    "Sabtu–Minggu Tutup"]


# --- FAQ ---------------------------------------------------------------------------


def test_faq_groups_questions_by_topic_each_with_its_own_anchor(office):
    html = page(office, "faq")
    parking = html.find("details", id="parkir")
    assert text(parking.summary) == "Apakah ada tempat parkir?"
    # the answer is in the page even while folded, so find-in-page reaches it
    assert "Ada, di halaman kantor contoh." in text(parking)
    assert parking.find_previous("h2").get("id") == "antrean"
    assert parking.select_one(".infohub-faq__link a")["href"] == "#parkir"


# --- news --------------------------------------------------------------------------


def post_titles(html: BeautifulSoup) -> list[str]:
    return [text(e) for e in html.select(".infohub-news-list .h-entry .p-name")]


def test_news_list_is_newest_first_with_date_reading_time_and_category(office):
    html = page(office, "berita")
    titles = post_titles(html)
    mine = ["Hari terbuka kantor contoh", "Layanan paspor akhir pekan", "Berita tanpa terjemahan",
            "Tarif paspor baru berlaku sejak 18 Desember 2024"]
    assert [t for t in titles if t in mine] == mine
    first = html.select_one(".infohub-news-list .h-entry")
    assert first.select_one("time.dt-published")["datetime"] == "2025-08-01T09:00:00+09:00"
    assert text(first.select_one(".infohub-news-meta")) == "1 Agustus 2025 · 1 menit baca · Acara"
    # the picture's resized copy (infohub/images.py), named by its content's hash
    assert re.fullmatch(r"2025/gambar/hari-terbuka-960\.[0-9a-f]{10}\.png", first.select_one("img.u-photo")["src"])
    assert first.select_one("img.u-photo")["alt"] == "Logo contoh berbentuk lingkaran di atas latar biru"


def test_drafts_and_future_posts_are_not_published_anywhere(office):
    for lang_root in ("", "en/"):
        titles = post_titles(page(office, f"{lang_root}berita"))
        assert "Draf yang belum siap terbit" not in titles
        assert "Berita terjadwal untuk masa depan" not in titles
        assert not (office / lang_root / "berita/2025/draf-belum-siap").exists()
        assert not (office / lang_root / "berita/2025/terjadwal").exists()
    assert "Draf ini" not in (office / "search" / "search_index.json").read_text(encoding="utf-8")


def test_news_categories_have_their_own_lists(office):
    html = page(office, "berita/kategori/acara")
    assert post_titles(html) == ["Hari terbuka kantor contoh"]
    current = html.select_one(".infohub-news-categories [aria-current='page']")
    assert text(current) == "Acara"
    english = page(office, "en/berita/kategori/acara")
    assert text(english.find("h1")) == "News: Events"
    assert post_titles(english) == ["Open day at the example office"]


def test_a_post_is_an_h_entry_with_date_reading_time_category_and_image(office):
    html = page(office, "berita/2025/hari-terbuka")
    entry = html.select_one(".h-entry")
    assert text(entry.select_one(".p-name")) == "Hari terbuka kantor contoh"
    assert entry.select_one(".u-url")["href"] == "https://kantorcontoh.id/berita/2025/hari-terbuka/"
    assert entry.select_one(".dt-published")["datetime"] == "2025-08-01T09:00:00+09:00"
    source = entry.select_one("img.u-photo")["src"]
    assert re.fullmatch(r"\.\./gambar/hari-terbuka-960\.[0-9a-f]{10}\.png", source)
    assert (office / "berita/2025" / source.removeprefix("../")).is_file()
    assert not (office / "berita/2025/gambar/hari-terbuka.png").exists()  # the original is not published
    assert "Pengunjung dapat melihat proses" in text(entry.select_one(".e-content"))
    assert text(entry.select_one(".p-category")) == "Acara"
    assert "1 menit baca" in text(entry.select_one(".infohub-news-meta"))


def test_an_event_post_says_when_and_where_and_offers_an_ics_file(office):
    event = page(office, "berita/2025/hari-terbuka").select_one(".infohub-event")
    assert [text(dd) for dd in event.find_all("dd")] == [
        "20 September 2025 09:00 WIT – 12:00 WIT",
        "Aula Kantor Imigrasi Contoh, Jalan Contoh No. 1, Kota Contoh"]
    link = event.select_one("a[download]")
    assert link["href"] == "hari-terbuka.ics"
    assert text(link) == "Simpan ke kalender (.ics)"
    english = page(office, "en/berita/2025/hari-terbuka").select_one(".infohub-event")
    assert text(english.find("dd")) == "20 September 2025 09:00 WIT – 12:00 WIT"


@pytest.mark.parametrize("lang_root, summary", [("", "Hari terbuka kantor contoh"),
                                                ("en/", "Open day at the example office")])
def test_the_ics_file_is_valid_icalendar_in_the_office_zone(office, lang_root, summary):
    raw = (office / lang_root / "berita/2025/hari-terbuka/hari-terbuka.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in lines)  # long lines are folded
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Jayapura"]
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
    start = event.decoded("DTSTART")
    assert start.astimezone(dt.timezone.utc) == dt.datetime(2025, 9, 20, 0, 0, tzinfo=dt.timezone.utc)
    assert event.decoded("DTEND") - start == dt.timedelta(hours=3)
    assert event.decoded("DTSTAMP") == dt.datetime(2025, 8, 1, 0, 0, tzinfo=dt.timezone.utc)
    assert str(event["SUMMARY"]) == summary
    assert str(event["LOCATION"]).endswith("Jalan Contoh No. 1, Kota Contoh")  # commas unescaped again
    assert str(event["UID"]).startswith("urn:uuid:")
    assert str(event["URL"]) == f"https://kantorcontoh.id/{lang_root}berita/2025/hari-terbuka/"


def test_an_event_that_ends_before_it_starts_is_reported(repo):
    post = repo / "offices/kantorcontoh/docs/berita/2025/salah.md"
    post.write_text("---\ntitle: Salah\ndate: 2025-01-01\ncategory: acara\n"
                    "event_start: 2025-09-20 09:00\nevent_end: 2025-09-19 12:00\n---\n\nTeks.\n", encoding="utf-8")
    source, problems = load_page(post)
    assert source is None
    assert [(p.line, p.key, p.text("id")) for p in problems] == [
        (6, "event_end", "event_end: diharapkan waktu selesai yang tidak lebih awal dari event_start, seperti "
                         "'2025-09-20 12:00', tertulis '2025-09-19 12:00'")]
    assert problems[0].text("en") == ("event_end: expected an end no earlier than event_start, like '2025-09-20 12:00', "
                                      "got '2025-09-19 12:00'")


# --- the alert banner ----------------------------------------------------------------


def test_the_alert_shows_until_the_end_of_its_expiry_day_in_the_office_zone(repo):
    site = load_site("kantorcontoh", repo)

    def alert_at(moment: dt.datetime, lang: str = "id"):
        return dataclasses.replace(site, now=moment).view(lang).alert

    assert alert_at(dt.datetime(2025, 9, 10, 23, 59, tzinfo=WIT)) == {
        "text": "Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).", "lang": None,
        "level": "warning", "ends": "2025-09-11T00:00:00+09:00"}
    assert alert_at(dt.datetime(2025, 9, 10, 23, 59, tzinfo=WIT), "en") == {
        "text": "Example alert: passport services are closed on 10 September 2025 (fictional).", "lang": None,
        "level": "warning", "ends": "2025-09-11T00:00:00+09:00"}
    assert alert_at(dt.datetime(2025, 9, 11, 0, 0, tzinfo=WIT)) is None


def test_an_office_alert_without_english_is_marked_indonesian_on_the_english_site(repo):
    office_yml = repo / "offices/kantorcontoh/office.yml"
    text = office_yml.read_text(encoding="utf-8")
    english = "    en: 'Example alert: passport services are closed on 10 September 2025 (fictional).'\n"
    assert english in text
    office_yml.write_text(text.replace(english, ""), encoding="utf-8")
    site = dataclasses.replace(load_site("kantorcontoh", repo), now=dt.datetime(2025, 9, 10, 12, 0, tzinfo=WIT))
    assert site.view("en").alert == {
        "text": "Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).", "lang": "id",
        "level": "warning", "ends": "2025-09-11T00:00:00+09:00"}


def test_an_expired_alert_is_not_on_the_built_site(office):
    assert page(office, "").select_one(".md-banner") is None
    assert page(office, "").select_one(".infohub-alert") is None


# --- one build on a fixed day, with two posts per list page ---------------------------------


# After the last fixture post, before the alert expires.
BUILD_NOW = "2025-09-05T12:00:00+09:00"


@pytest.fixture(scope="module")
def dated_office(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("pages") / "repo")
    with_base_extra(root, news_per_page=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOHUB_NOW", BUILD_NOW)
        results = build_sites(["kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root


def test_news_is_split_into_pages_of_the_configured_size(dated_office):
    office = dated_office / "site" / "kantorcontoh"
    now = dt.datetime.fromisoformat(BUILD_NOW)
    expected = [p.title for p in published_posts("kantorcontoh", "id", "Asia/Jayapura", dated_office, now=now)]
    assert len(expected) >= 3
    pages = [post_titles(page(office, "berita"))]
    for number in range(2, (len(expected) + 1) // 2 + 1):
        pages.append(post_titles(page(office, f"berita/halaman/{number}")))
    assert [title for chunk in pages for title in chunk] == expected
    assert all(len(chunk) == 2 for chunk in pages[:-1])
    assert not (office / f"berita/halaman/{len(pages) + 1}").exists()
    second = page(office, "berita/halaman/2")
    assert text(second.find("h1")) == f"Berita (halaman 2 dari {len(pages)})"
    assert second.select_one(".infohub-pagination a[rel='prev']")["href"] == "../../"
    assert text(second.select_one(".infohub-pagination__where")) == f"Halaman 2 dari {len(pages)}"
    english = page(office, "en/berita/halaman/2")
    assert text(english.find("h1")) == f"News (page 2 of {len(pages)})"


def test_the_alert_is_on_every_page_before_it_expires(dated_office):
    office = dated_office / "site" / "kantorcontoh"
    for path in ("", "biaya", "en/faq"):
        banner = page(office, path).select_one(".md-banner .infohub-alert--warning")
        assert banner is not None, path
    assert text(page(office, "").select_one(".infohub-alert")) == (
        "Perhatian: Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).")
    assert text(page(office, "en/biaya").select_one(".infohub-alert")) == (
        "Attention: Example alert: passport services are closed on 10 September 2025 (fictional).")
