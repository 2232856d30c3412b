"""What search engines, social networks and chatbots read: JSON-LD, Open Graph,
canonical URLs, the sitemap, social cards and the open data file."""
from __future__ import annotations

import re

import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from lxml import etree, html
from PIL import Image

from infohub import cards, jsonld
from infohub.cards import Card, card_path, write_card
from infohub.sitedata import load_site

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://kantorcontoh.id/"
SCHEMA = json.loads((ROOT / "tests" / "open_data.schema.json").read_text(encoding="utf-8"))


def office_out(built_repo: Path) -> Path:
    return built_repo / "site" / "kantorcontoh"


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("index.html") if "search" not in p.parts)


def url_path(out: Path, page: Path) -> tuple[str, str]:
    """(path inside its language root, language) of a built page."""
    rel = page.parent.relative_to(out).as_posix()
    rel = "" if rel == "." else rel + "/"
    if rel.startswith("en/") or rel == "en/":
        return rel[3:], "en"
    return rel, "id"


def head(page: Path):
    return html.fromstring(page.read_bytes()).find("head")


def ld_items(page: Path) -> list[dict]:
    scripts = head(page).xpath('script[@type="application/ld+json"]')
    assert len(scripts) == 1, page
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org"
    return data.get("@graph", [data])


def of_type(page: Path, kind: str) -> dict:
    found = [item for item in ld_items(page) if item["@type"] == kind]
    assert len(found) == 1, (page, [i["@type"] for i in ld_items(page)])
    return found[0]


def meta(page: Path, key: str) -> str:
    values = head(page).xpath(f'meta[@property="{key}" or @name="{key}"]/@content')
    assert len(values) == 1, (page, key, values)
    return values[0]


# --- JSON-LD -------------------------------------------------------------------


def test_home_describes_the_office_with_hours_and_closure(built_repo):
    office = of_type(office_out(built_repo) / "index.html", "GovernmentOffice")
    assert office["name"] == "Kantor Imigrasi Contoh"
    assert office["url"] == SITE
    assert office["address"]["streetAddress"] == "Jalan Contoh No. 1, Kota Contoh"
    assert office["geo"] == {"@type": "GeoCoordinates", "latitude": -3.6954, "longitude": 128.1814}
    assert office["sameAs"] == ["https://instagram.example.org/kantorcontoh"]
    assert [p.get("telephone") or p.get("email") for p in office["contactPoint"]] == [
        "+62911000000", "+628110000000", "info@kantorcontoh.example.org"]
    hours = office["openingHoursSpecification"]
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": "Friday", "opens": "13:30",
            "closes": "16:00"} in hours
    assert not [h for h in hours if h.get("dayOfWeek") in ("Saturday", "Sunday")]
    # A closed day: validity dates and no hours, which schema.org reads as closed.
    assert {"@type": "OpeningHoursSpecification", "validFrom": "2025-08-17",
            "validThrough": "2025-08-17", "description": "Hari Kemerdekaan"} in hours
    english = of_type(office_out(built_repo) / "en" / "index.html", "GovernmentOffice")
    # one @id per language: each names the office and its address in that language
    assert (office["@id"], english["@id"]) == (SITE + "#office", SITE + "en/#office")
    assert (english["name"], english["url"]) == ("Example Immigration Office", SITE + "en/")
    assert "Independence Day" in [h.get("description") for h in english["openingHoursSpecification"]]
    assert not [i for i in ld_items(office_out(built_repo) / "index.html") if i["@type"] == "BreadcrumbList"]


def test_real_office_without_address_gets_none_invented():
    site = load_site("imigrasiblitar", ROOT)
    view = site.view("id")
    office = jsonld.government_office(view, "https://imigrasiblitar.id/", "https://imigrasiblitar.id/",
                                      "https://imigrasiblitar.id/assets/cards/index.jpg", "x")
    for key in ("address", "telephone", "email", "contactPoint", "geo", "hasMap", "openingHoursSpecification",
                "sameAs"):
        assert key not in office, key
    assert office["name"] == "Kantor Imigrasi Blitar"


def test_faq_page_lists_every_question(built_repo):
    faq = of_type(office_out(built_repo) / "en" / "faq" / "index.html", "FAQPage")
    assert faq["inLanguage"] == "en"
    assert {"@type": "Question", "name": "Is there parking?",
            "acceptedAnswer": {"@type": "Answer", "text": "Yes, in the example office's yard."}} in faq["mainEntity"]
    assert len(faq["mainEntity"]) >= 5


def test_news_post_is_a_news_article_with_zoned_dates(built_repo):
    page = office_out(built_repo) / "en" / "berita" / "2025" / "layanan-akhir-pekan" / "index.html"
    article = of_type(page, "NewsArticle")
    url = SITE + "en/berita/2025/layanan-akhir-pekan/"
    assert article["headline"] == "Weekend passport service"
    assert article["datePublished"] == "2025-03-01T09:00:00+09:00"  # the office is in WIT
    assert article["dateModified"] == "2025-03-01T09:00:00+09:00"
    assert article["inLanguage"] == "en"
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["image"] == [SITE + "en/assets/cards/berita/2025/layanan-akhir-pekan.jpg"]
    assert article["author"] == article["publisher"] == {
        "@type": "GovernmentOffice", "@id": SITE + "en/#office", "name": "Example Immigration Office", "url": SITE + "en/"}
    untranslated = office_out(built_repo) / "en" / "berita" / "2025" / "hanya-indonesia" / "index.html"
    assert of_type(untranslated, "NewsArticle")["inLanguage"] == "id"


def test_every_page_but_home_has_breadcrumbs_ending_at_itself(built_repo):
    out = office_out(built_repo)
    checked = 0
    for page in pages(out):
        path, lang = url_path(out, page)
        if path == "":
            continue
        trail = of_type(page, "BreadcrumbList")["itemListElement"]
        assert trail[0]["item"] == SITE + ("en/" if lang == "en" else "")
        assert trail[-1]["item"] == head(page).xpath('link[@rel="canonical"]/@href')[0]
        assert [i["position"] for i in trail] == list(range(1, len(trail) + 1))
        checked += 1
    assert checked >= 12
    post = out / "berita" / "2025" / "layanan-akhir-pekan" / "index.html"
    assert [i["name"] for i in of_type(post, "BreadcrumbList")["itemListElement"]] == [
        "Kantor Imigrasi Contoh", "Berita", "Layanan paspor akhir pekan"]


def test_hub_home_lists_the_offices(built_repo):
    listing = of_type(built_repo / "site" / "hub" / "index.html", "ItemList")
    assert listing["itemListElement"] == [{"@type": "ListItem", "position": 1, "item": {
        "@type": "GovernmentOffice", "name": "Kantor Imigrasi Contoh", "url": SITE}}]


def test_json_ld_cannot_close_its_script_element():
    text = jsonld.script([{"@type": "Thing", "name": "</script><b>"}])
    assert "</script>" not in text and json.loads(text)["name"] == "</script><b>"


# --- canonical, Open Graph, head requests ----------------------------------------


@pytest.mark.parametrize("rel, url", [("faq/index.html", SITE + "faq/"), ("en/faq/index.html", SITE + "en/faq/"),
                                      ("en/index.html", SITE + "en/")])
def test_canonical_and_og_url_are_absolute_on_the_office_domain(built_repo, rel, url):
    page = office_out(built_repo) / rel
    assert head(page).xpath('link[@rel="canonical"]/@href') == [url]
    assert meta(page, "og:url") == url


def test_open_graph_and_twitter_tags(built_repo):
    page = office_out(built_repo) / "en" / "biaya" / "index.html"
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:locale") == "en_US"
    assert meta(page, "og:locale:alternate") == "id_ID"
    assert meta(page, "og:image") == meta(page, "twitter:image") == SITE + "en/assets/cards/biaya.jpg"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "og:image:alt") == f"{meta(page, 'og:title')} — Example Immigration Office"
    assert meta(page, "twitter:card") == "summary_large_image"
    home = office_out(built_repo) / "index.html"
    assert meta(home, "og:title") == "Kantor Imigrasi Contoh"
    post = office_out(built_repo) / "berita" / "2025" / "layanan-akhir-pekan" / "index.html"
    assert meta(post, "og:type") == "article"
    assert meta(post, "article:published_time") == "2025-03-01T09:00:00+09:00"


def test_head_requests_nothing_from_another_host(built_repo):
    out = office_out(built_repo)
    allowed = {"kantorcontoh.id", "instagram.example.org"}  # the site and its declared social account
    for page in pages(out):
        top = head(page)
        urls = top.xpath("link/@href | script/@src | meta/@content")
        hosts = {urlsplit(u).hostname for u in urls if u.startswith(("http://", "https://", "//"))}
        assert hosts <= allowed, (page, hosts - allowed)


# --- sitemap -------------------------------------------------------------------


def test_sitemap_has_every_page_with_alternates_and_x_default(built_repo):
    out = office_out(built_repo)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = etree.parse(str(out / "sitemap.xml"))
    entries = tree.xpath("//s:url", namespaces=ns)
    locs = {e.findtext("s:loc", namespaces=ns) for e in entries}
    assert locs == {SITE + ("en/" if lang == "en" else "") + path
                    for path, lang in (url_path(out, p) for p in pages(out))}
    for entry in entries:
        alternates = {a.get("hreflang"): a.get("href") for a in entry.xpath("x:link", namespaces=ns)}
        assert set(alternates) == {"id", "en", "x-default"}
        assert alternates["x-default"] == alternates["id"]
        assert alternates["en"] == SITE + "en/" + alternates["id"][len(SITE):]
        assert entry.findtext("s:loc", namespaces=ns) in alternates.values()
    post = [e for e in entries if e.findtext("s:loc", namespaces=ns) == SITE + "berita/2025/layanan-akhir-pekan/"]
    assert post[0].findtext("s:lastmod", namespaces=ns) == "2025-03-01"
    home = [e for e in entries if e.findtext("s:loc", namespaces=ns) == SITE]
    assert home[0].findtext("s:lastmod", namespaces=ns) == "2025-01-01"  # SOURCE_DATE_EPOCH


# --- social cards ----------------------------------------------------------------


def test_every_page_has_its_card(built_repo):
    out = office_out(built_repo)
    for page in pages(out):
        path, lang = url_path(out, page)
        card = out / card_path(path, lang)
        with Image.open(card) as image:
            assert (image.format, image.size) == ("JPEG", (1200, 630)), card
        articles = [i for i in ld_items(page) if i["@type"] == "NewsArticle"]
        if articles and len(articles[0]["image"]) == 2:  # a post with its own image shows that first
            assert articles[0]["image"][1] == SITE + card_path(path, lang)
            assert meta(page, "og:image") == articles[0]["image"][0]
        else:
            assert meta(page, "og:image") == SITE + card_path(path, lang)


def test_a_post_with_its_own_image_shares_it_with_its_size(built_repo):
    page = office_out(built_repo) / "berita" / "2025" / "layanan-keliling" / "index.html"
    # the largest resized copy of the 800 px PNG (infohub/images.py): the original is not published
    address = meta(page, "og:image")
    assert re.fullmatch(re.escape(SITE) + r"berita/2025/gambar/layanan-keliling-800\.[0-9a-f]{10}\.png", address)
    with Image.open(office_out(built_repo) / address.removeprefix(SITE)) as opened:
        size = opened.size
    assert size == (800, 450)
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == tuple(map(str, size))
    assert (office_out(built_repo) / "assets" / "cards" / "berita" / "2025" / "layanan-keliling.jpg").is_file()


def test_card_path_is_the_documented_interface():
    assert card_path("", "id") == "assets/cards/index.jpg"
    assert card_path("faq/", "en") == "en/assets/cards/faq.jpg"
    assert card_path("berita/2025/a/", "id") == "assets/cards/berita/2025/a.jpg"
    assert cards.card_url("https://kantorcontoh.id", "berita/2025/a/", "en") == \
        "https://kantorcontoh.id/en/assets/cards/berita/2025/a.jpg"


def test_a_cards_address_is_the_one_urljoin_gives():
    """card_url joins a plain address and path as text, and leaves anything else to urljoin."""
    from urllib.parse import urljoin

    sites = ["https://kantorcontoh.id", "https://kantorcontoh.id/", "https://a.example:8443/situs/",
             "https://a.example/x/../", "https://a.example/?q=1/", "http://a.example/./"]
    pages = ["", "faq/", "berita/2025/a/", "berita/2025/a.b/", "a/../b/", "./c/", "a?b/", "a#b/", "a;b/",
             "a%2Fb/", "a//b/", "a:b/", "berita/2025/ñ/", "a b/", "-x/_y/"]
    for site in sites:
        for page in pages:
            for lang in ("id", "en"):
                expected = urljoin(site if site.endswith("/") else site + "/", card_path(page, lang))
                assert cards.card_url(site, page, lang) == expected, (site, page, lang)


def test_cards_are_cached_by_what_they_show(tmp_path):
    card = Card("Kantor Imigrasi Contoh", "Biaya", "Bahasa Indonesia", "kantorcontoh.id")
    assert write_card(card, tmp_path / "a.jpg", tmp_path / "cache") is True
    assert write_card(card, tmp_path / "b.jpg", tmp_path / "cache") is False
    assert (tmp_path / "a.jpg").read_bytes() == (tmp_path / "b.jpg").read_bytes()
    changed = Card("Kantor Imigrasi Contoh", "Tarif", "Bahasa Indonesia", "kantorcontoh.id")
    assert write_card(changed, tmp_path / "c.jpg", tmp_path / "cache") is True


def test_long_titles_wrap_and_end_with_an_ellipsis():
    title = ("Pengumuman perubahan jadwal pelayanan paspor elektronik selama libur nasional Hari Raya "
             "Idulfitri 1446 Hijriah dan cuti bersama tahun 2025 di seluruh unit layanan")
    lines, font = cards.title_lines(title, 1000)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1000 for line in lines)
    lines, font = cards.title_lines("Biaya", 1000)
    assert lines == ["Biaya"] and font.size == 88
    lines, _ = cards.title_lines("Permohonan" * 8, 1000)  # one word wider than a line
    assert "".join(lines).rstrip("…").startswith("Permohonan" * 3)


# --- open data -------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["kantorcontoh/data/infohub.json", "kantorcontoh/en/data/infohub.json",
                                 "hub/data/infohub.json"])
def test_open_data_validates_and_is_deterministic(built_repo, rel):
    text = (built_repo / "site" / rel).read_text(encoding="utf-8")
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_open_data_carries_the_office_facts(built_repo):
    data = json.loads((office_out(built_repo) / "en" / "data" / "infohub.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.0" and data["language"] == "en"
    assert data["languages"] == {"id": SITE + "data/infohub.json", "en": SITE + "en/data/infohub.json"}
    assert data["office"]["contact"]["whatsapp_url"] == "https://wa.me/628110000000"
    assert data["hours"]["weekly"]["friday"] == [{"opens": "08:00", "closes": "11:30"},
                                                 {"opens": "13:30", "closes": "16:00"}]
    assert {"date": "2025-08-17", "reason": "Independence Day"} in data["hours"]["closures"]
    fees = {fee["id"]: fee for fee in data["fees"]}
    assert "splp-wna" not in fees
    assert (fees["percepatan-paspor"]["amount"], fees["percepatan-paspor"]["national_amount"]) == (1200000, 1000000)
    assert fees["percepatan-paspor"]["office_reason"] == "An example adjustment for testing"
    hub = json.loads((built_repo / "site" / "hub" / "data" / "infohub.json").read_text(encoding="utf-8"))
    assert hub["office"] is None and hub["offices"][0]["data_url"] == SITE + "data/infohub.json"


def test_open_data_of_an_office_without_hours_says_unknown():
    from open_data import open_data  # hooks/ is on sys.path: the editable install of infohub

    data = open_data(load_site("imigrasiblitar", ROOT), "id", "https://imigrasiblitar.id/")
    jsonschema.validate(data, SCHEMA)
    assert data["hours"] is None
    assert data["office"]["address"] is None and data["office"]["contact"]["phone"] is None


def test_the_hubs_copy_of_a_national_post_is_a_news_article(built_repo):
    """The hub publishes the national posts too: its copy is a NewsArticle, published by the hub."""
    hub = "https://infohub.example.org/"
    article = of_type(built_repo / "site" / "hub" / "berita" / "2024" / "tarif-paspor-pp-45-2024" / "index.html",
                      "NewsArticle")
    assert article["url"] == hub + "berita/2024/tarif-paspor-pp-45-2024/"
    assert article["datePublished"].endswith("+07:00")  # Jakarta time
    assert article["publisher"]["@type"] == "Organization" and article["publisher"]["url"] == hub
