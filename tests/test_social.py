"""Social posts: texts that fit each platform, which pages are posted, the outbox the build writes."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest


from infohub.build import build_sites
from infohub.sitedata import load_site
from infohub.social.ledger import Ledger, ledger_path
from infohub.social.outbox import outbox_path, outbox_posts
from infohub.social.texts import (PLATFORMS, Draft, bluesky_facets, compose, grapheme_length, graphemes,
                                  mastodon_length, truncate, x_length)

URL = "https://kantorcontoh.id/berita/2025/layanan-akhir-pekan/?utm_source=x&utm_medium=social&utm_campaign=kantorcontoh"
LONG_ID = ("Mulai bulan depan Kantor Imigrasi Contoh membuka layanan paspor pada hari Sabtu 🇮🇩 untuk pemohon "
           "yang sudah mendaftar lewat aplikasi M-Paspor. Pemohon diminta datang tiga puluh menit sebelum "
           "jadwal 👨‍👩‍👧 dengan membawa KTP-el, kartu keluarga dan akta kelahiran asli. Informasi lengkap tentang "
           "persyaratan, tarif dan jam layanan dapat dibaca di situs resmi kantor atau ditanyakan melalui "
           "WhatsApp resmi kantor pada hari dan jam kerja. Terima kasih atas perhatian Bapak dan Ibu sekalian 🙏")
TAGS = ("KantorContoh", "Imigrasi", "LayananPaspor", "Pengumuman")
FAKE_NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


# --- lengths as each platform counts them ------------------------------------------------


def test_x_counts_links_as_23_and_wide_characters_and_emoji_as_2():
    assert x_length("Paspor") == 6
    assert x_length(URL) == 23
    assert x_length("Lihat " + URL) == 6 + 23
    assert x_length("护照") == 4  # CJK: outside the light ranges
    assert x_length("🇮🇩") == 2  # a flag: two code points, one emoji
    assert x_length("👨‍👩‍👧") == 2  # a ZWJ sequence of five code points
    assert x_length("“kutipan”") == 9  # 8220/8221 lie in the light range 8208-8223
    assert x_length("info di imigrasi.go.id") == 8 + 23  # a bare domain is a link on X


def test_mastodon_and_bluesky_counters():
    assert mastodon_length("Lihat " + URL) == 6 + 23
    assert grapheme_length("Paspor 👨‍👩‍👧🇮🇩") == 9


# --- fitting a text ------------------------------------------------------------------------


def _assert_cut_cleanly(text: str, original: str) -> None:
    """``text`` is a start of ``original`` cut between words, ending in '…'."""
    assert text.endswith("…")
    kept = text[:-1]
    assert original.startswith(kept)
    assert original[len(kept)] == " " or original[len(kept) - 1] in ",;:"  # between words
    assert graphemes(original)[: len(graphemes(kept))] == graphemes(kept)  # no cluster split


def test_x_text_fits_280_and_keeps_link_and_hashtags_whole():
    text = compose(Draft("Layanan paspor akhir pekan", LONG_ID, URL, TAGS), PLATFORMS["x"])
    assert x_length(text) <= 280
    title, summary, link, tags = text.split("\n\n")
    assert title == "Layanan paspor akhir pekan"
    assert link == URL
    assert tags.split() == [f"#{t}" for t in TAGS]
    _assert_cut_cleanly(summary, LONG_ID)


def test_hashtags_give_way_before_the_summary_disappears():
    tags = tuple(f"TagarPanjangSekali{n}" for n in range(12))
    text = compose(Draft("Judul", LONG_ID, URL, tags), PLATFORMS["x"])
    assert x_length(text) <= 280
    blocks = text.split("\n\n")
    assert blocks[2] == URL
    kept = blocks[3].split()
    assert 0 < len(kept) < 12 and kept == [f"#{t}" for t in tags[: len(kept)]]
    assert len(blocks[1]) > 20


def test_an_overlong_title_is_cut_and_the_link_stays():
    title = " ".join(["Pengumuman penting tentang layanan paspor 🛂"] * 12)
    text = compose(Draft(title, LONG_ID, URL, TAGS), PLATFORMS["x"])
    assert x_length(text) <= 280
    first, link = text.split("\n\n")
    assert link == URL
    _assert_cut_cleanly(first, title)


def test_text_without_spaces_is_cut_between_grapheme_clusters():
    family = "👨‍👩‍👧" * 200
    cut = truncate(family, lambda s: grapheme_length(s) <= 50)
    assert grapheme_length(cut) == 50 and cut.endswith("…")
    assert set(graphemes(cut[:-1])) == {"👨‍👩‍👧"}


def test_every_platform_stays_within_its_limit():
    draft = Draft("Layanan paspor akhir pekan 🇮🇩", LONG_ID * 12, URL, TAGS + tuple(f"Tagar{n}" for n in range(8)))
    for platform in PLATFORMS.values():
        text = compose(draft, platform)
        if platform.limit:
            assert platform.measure(text) <= platform.limit, platform.name
    instagram = compose(draft, PLATFORMS["instagram"])
    assert len(re.findall(r"#\w+", instagram)) == 5
    assert "https://" not in instagram and "kantorcontoh.id/berita/2025/layanan-akhir-pekan/" in instagram
    assert URL not in compose(draft, PLATFORMS["facebook"])  # sent as the post's link instead


def test_bluesky_facets_have_utf8_byte_offsets():
    text = compose(Draft("Paspor 🇮🇩 akhir pekan", "Dibuka untuk umum 👨‍👩‍👧.", URL, ("KantorContoh", "Pengumuman")),
                   PLATFORMS["bluesky"])
    facets = bluesky_facets(text, URL)
    raw = text.encode("utf-8")
    found = {raw[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode(): f["features"][0] for f in facets}
    assert found["#KantorContoh"] == {"$type": "app.bsky.richtext.facet#tag", "tag": "KantorContoh"}
    assert found["#Pengumuman"]["tag"] == "Pengumuman"
    link = next(f for shown, f in found.items() if shown.startswith("kantorcontoh.id/"))
    assert link == {"$type": "app.bsky.richtext.facet#link", "uri": URL}
    assert grapheme_length(text) <= 300


# --- which pages, which platforms --------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _page(title: str, extra: str = "", date: str = "2025-03-01", category: str = "pengumuman") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\n{extra}---\n\nIsi {title}.\n"


def _posts(repo: Path, now: dt.datetime | None = FAKE_NOW) -> list[dict]:
    site = load_site("kantorcontoh", repo)
    return outbox_posts(site, repo, Ledger(ledger_path(repo, "kantorcontoh")), now=now)


def test_news_posts_by_default_and_pages_that_ask(repo):
    docs = repo / "offices" / "kantorcontoh" / "docs"
    _write(docs / "berita" / "2025" / "draf.md", _page("Draf", "draft: true\n"))
    _write(docs / "berita" / "2025" / "nanti.md", _page("Nanti", date="2025-12-31"))
    _write(docs / "berita" / "2025" / "diam.md", _page("Diam", "social: false\n"))
    _write(docs / "pengumuman-parkir.md", "---\ntitle: Parkir baru\nsocial: true\ndescription: Tempat parkir pindah.\n---\n\nIsi.\n")
    _write(docs / "pengumuman-parkir.en.md", "---\ntitle: New car park\nsocial: true\n---\n\nThe car park moved to the back yard.\n")
    _write(docs / "tentang.md", "---\ntitle: Tentang\n---\n\nBukan untuk media sosial.\n")
    posts = _posts(repo)
    pages = {(p["url"].split("?")[0].removeprefix("https://kantorcontoh.id/"), p["language"]) for p in posts}
    assert {("berita/2024/tarif-paspor-pp-45-2024/", "id"), ("en/berita/2024/tarif-paspor-pp-45-2024/", "en"),
            ("berita/2025/layanan-akhir-pekan/", "id"), ("en/berita/2025/layanan-akhir-pekan/", "en"),
            ("pengumuman-parkir/", "id"), ("en/pengumuman-parkir/", "en")} <= pages
    # no English text: the Indonesian one is not posted a second time
    assert {lang for path, lang in pages if "hanya-indonesia" in path} == {"id"}
    assert not {path for path, _ in pages if re.search(r"draf|nanti|diam|tentang", path)}
    # kantorcontoh declares an Instagram account and has no channel: instagram and log
    assert {p["platform"] for p in posts} == {"instagram", "log"}
    assert len(posts) == 2 * len(pages)
    assert len({p["id"] for p in posts}) == len(posts)
    english = next(p for p in posts if p["language"] == "en" and "pengumuman-parkir" in p["url"])
    assert "The car park moved to the back yard." in english["text"]


def test_post_fields_url_image_and_hashtag_precedence(repo):
    docs = repo / "offices" / "kantorcontoh" / "docs"
    _write(docs / "berita" / "2025" / "tagar.md", _page("Tagar sendiri", "hashtags: [PasporAman]\n", category="kebijakan"))
    posts = {(p["url"].split("?")[0], p["language"], p["platform"]): p for p in _posts(repo)}
    post = posts[("https://kantorcontoh.id/en/berita/2025/layanan-akhir-pekan/", "en", "log")]
    assert post["url"] == ("https://kantorcontoh.id/en/berita/2025/layanan-akhir-pekan/"
                           "?utm_source=log&utm_medium=social&utm_campaign=kantorcontoh")
    assert post["image"] == "https://kantorcontoh.id/en/assets/cards/berita/2025/layanan-akhir-pekan.jpg"
    assert post["office"] == "kantorcontoh" and post["uid"].startswith("urn:uuid:")
    assert post["hashtags"][0] == "KantorContoh"  # the office's replace the national ones
    own = posts[("https://kantorcontoh.id/berita/2025/tagar/", "id", "instagram")]
    assert own["hashtags"] == ["PasporAman", "Kebijakan"]  # the page's own, plus its category
    assert "utm_source=instagram" in own["url"]


def test_a_page_in_the_ledger_is_not_new(repo):
    before = _posts(repo)
    ledger = Ledger(ledger_path(repo, "kantorcontoh"))
    first = before[0]
    ledger.record(first["language"], first["platform"], first["uid"], via="log")
    after = _posts(repo)
    assert [p["id"] for p in after] == [p["id"] for p in before if p["id"] != first["id"]]
    saved = (repo / "offices" / "kantorcontoh" / "social-ledger.json").read_text(encoding="utf-8")
    assert saved.endswith("}\n") and json.loads(saved)[first["language"]][first["platform"]][first["uid"]]["via"] == "log"


# --- the build hook ------------------------------------------------------------------------------


def _files(root: Path) -> set[str]:
    """The repository's files, less the build's output and caches (site/, .cache/)."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and not {"site", ".cache"} & set(p.relative_to(root).parts)}


def test_build_writes_the_outbox_beside_the_sites_and_nothing_in_the_sources(repo):
    sources_before = _files(repo)
    results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    outbox = outbox_path(repo / "site", "kantorcontoh")
    posts = json.loads(outbox.read_text(encoding="utf-8"))
    assert [p["id"] for p in posts] == [p["id"] for p in _posts(repo, now=None)]
    assert _files(repo) == sources_before
    names = {p.name for p in (repo / "site").iterdir()}
    assert {"_social", "kantorcontoh"} <= names and not [n for n in names if n.startswith(".staging")]
    assert not list((repo / "site" / "kantorcontoh").rglob("_social"))  # not published on the domain
    assert [p.name for p in outbox.parent.iterdir()] == ["kantorcontoh.json"]  # no temp files left

    # everything published (first deployment), then one new post in two languages
    from infohub.social.publish import publish
    assert publish(["kantorcontoh"], mark_all=True, root=repo, site_root=repo / "site", echo=lambda _: None) == 0
    docs = repo / "offices" / "kantorcontoh" / "docs" / "berita" / "2025"
    _write(docs / "baru.md", _page("Berita baru", date="2025-01-02"))
    _write(docs / "baru.en.md", _page("New story", date="2025-01-02"))
    build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    posts = json.loads(outbox.read_text(encoding="utf-8"))
    assert sorted((p["language"], p["platform"]) for p in posts) == [
        ("en", "instagram"), ("en", "log"), ("id", "instagram"), ("id", "log")]
    assert {p["url"].split("?")[0] for p in posts} == {"https://kantorcontoh.id/berita/2025/baru/",
                                                       "https://kantorcontoh.id/en/berita/2025/baru/"}


def test_built_news_post_carries_microformats_for_bridgy(built_repo):
    """Bridgy reads h-entry markup; the news post template (another change) adds it."""
    html = (built_repo / "site" / "kantorcontoh" / "berita" / "2025" / "layanan-akhir-pekan" / "index.html").read_text(
        encoding="utf-8")
    for name in ("h-entry", "p-name", "e-content", "dt-published"):
        assert re.search(rf'class="[^"]*\b{name}\b', html), name


def test_an_instagram_caption_keeps_to_30_hashtags_and_20_mentions_in_all():
    tags = compose(Draft("Judul", " ".join(f"#Tagar{n}" for n in range(40)), URL, TAGS), PLATFORMS["instagram"])
    assert len(re.findall(r"#\w", tags)) == 30
    assert tags.endswith("\n\n#KantorContoh #Imigrasi #LayananPaspor #Pengumuman")  # the page's own are kept
    assert tags.split("\n\n")[1] == " ".join(f"#Tagar{n}" for n in range(25)) + " #Tagar25…"
    mentions = compose(Draft("Judul", " ".join(f"@akun{n} kata" for n in range(30)), URL, ()), PLATFORMS["instagram"])
    assert mentions.split("\n\n")[1] == " ".join(f"@akun{n} kata" for n in range(20)) + "…"
    assert PLATFORMS["instagram"].measure("🇮🇩") == 4  # counted as UTF-16 units: never over Instagram's 2,200


def test_the_outbox_is_rewritten_only_when_its_posts_change(tmp_path):
    from infohub.social import jsonfile
    from infohub.social.outbox import write_outbox

    path = outbox_path(tmp_path, "kantorcontoh")
    posts = [{"id": "a", "text": "Berita ✓", "hashtags": ["imigrasi"], "published": None}]
    write_outbox(path, posts)
    assert path.read_text(encoding="utf-8") == jsonfile.dumps(posts)
    written = path.stat().st_ino
    write_outbox(path, [dict(p) for p in posts])  # the same posts: the file is left as it is
    assert path.stat().st_ino == written
    changed = [{**posts[0], "text": "Berita lain"}]
    write_outbox(path, changed)  # one post's text changed: written again
    assert path.read_text(encoding="utf-8") == jsonfile.dumps(changed)
    write_outbox(path, changed + posts)  # a post more
    assert json.loads(path.read_text(encoding="utf-8")) == changed + posts
    path.write_text("[{", encoding="utf-8")  # damaged: written again
    write_outbox(path, posts)
    assert path.read_text(encoding="utf-8") == jsonfile.dumps(posts)


def test_the_candidates_are_found_once_per_moment_while_the_files_do_not_change(repo):
    """The check and the outbox of one build share the office's candidates: never those of another
    moment, nor those of before a change once the build is over."""
    from infohub import paths
    from infohub.social.selection import candidates

    docs = repo / "offices" / "kantorcontoh" / "docs" / "berita" / "2025"
    _write(docs / "nanti.md", _page("Nanti", date="2025-06-01"))
    site = load_site("kantorcontoh", repo)
    before = dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)
    after = dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc)
    with paths.files_unchanged():
        first = candidates(site, repo, before)
        assert "berita/2025/nanti.md" not in {c.norm for c in first}
        assert candidates(site, repo, before) == first
        assert "berita/2025/nanti.md" in {c.norm for c in candidates(site, repo, after)}  # its moment has come
    _write(docs / "baru.md", _page("Baru", date="2025-04-01"))
    with paths.files_unchanged():
        assert "berita/2025/baru.md" in {c.norm for c in candidates(site, repo, before)}  # a new build sees it


@pytest.mark.parametrize("name", ["x", "bluesky", "mastodon", "threads", "instagram", "telegram"])
def test_a_post_that_fits_to_the_last_character_is_whole_and_one_more_cuts_its_last_word(name):
    """The boundary of compose's answer for a text that fits whole (found before any cutting)."""
    platform = PLATFORMS[name]
    header = compose(Draft("Layanan Sabtu", "", URL, TAGS), platform)  # title, link, hashtags
    room = platform.limit - platform.measure(header) - 2  # the summary's own paragraph

    def summary(length: int) -> list[str]:
        words = ["kata"] * ((length - 3) // 5)
        return words + ["a" * (length - 5 * len(words))]

    words = summary(room)
    whole = compose(Draft("Layanan Sabtu", " ".join(words), URL, TAGS), platform)
    assert platform.measure(whole) == platform.limit
    assert whole == header.replace("\n\n", "\n\n" + " ".join(words) + "\n\n", 1)
    words = summary(room + 1)
    cut = compose(Draft("Layanan Sabtu", " ".join(words), URL, TAGS), platform)
    assert cut == header.replace("\n\n", "\n\n" + " ".join(words[:-1]) + "…\n\n", 1)
