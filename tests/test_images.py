"""Pictures made fit by the build (issue 22, item 2): a phone's photo goes out as resized
copies with srcset, never as uploaded; the card and the feeds use a copy; the copies are
cached; `make check` bounds every picture before anything decodes it, and refuses one
picture file shared by two posts (the web editor's 'Replace' changed a published post's)."""
from __future__ import annotations

import io
import json
import re
import struct
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import make_repo
from infohub import cards
from infohub.build import build_sites
from infohub.checks import check_report

OFFICE_DOCS = "offices/kantorcontoh/docs"
POST = f"{OFFICE_DOCS}/berita/2025/foto-kegiatan.md"
SITE = "https://kantorcontoh.id/"


def phone_photo(width: int = 4032, height: int = 3024, seed: int = 1) -> bytes:
    """A JPEG as a phone writes it: 4032×3024, about 4.7 MB (detail at every scale, so it
    does not compress away), with the place it was taken in its EXIF data."""
    import random

    random.seed(seed)

    def channel() -> Image.Image:
        coarse = Image.effect_noise((width // 8, height // 8), 60).resize((width, height), Image.Resampling.BICUBIC)
        return Image.blend(coarse, Image.effect_noise((width, height), 50), 0.4)

    photo = Image.merge("RGB", [channel() for _ in range(3)])
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (7.0, 48.0, 0.0)  # GPSLatitude: where it was taken
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=82, exif=exif)
    return out.getvalue()


def post_text(image: str, body: str = "", date: str = "2025-03-01 10:00") -> str:
    return (f"---\ntitle: Foto kegiatan pelayanan\ndate: {date}\ncategory: kegiatan\n"
            f"image: {image}\nimage_alt: Petugas melayani pemohon di loket\n---\n\n"
            f"Petugas melayani pemohon.\n\n{body}\n")


def png_header(width: int, height: int) -> bytes:
    """A PNG file of a few bytes that claims ``width`` × ``height`` pixels (its header alone)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def photo_bytes() -> bytes:
    return phone_photo()


@pytest.fixture(scope="module")
def built(tmp_path_factory, photo_bytes) -> Path:
    """kantorcontoh with a post showing a phone photo, and a screenshot (PNG) in its text."""
    root = make_repo(tmp_path_factory.mktemp("images") / "repo")
    pictures = root / OFFICE_DOCS / "berita/2025/gambar"
    (pictures / "foto-kegiatan.jpg").write_bytes(photo_bytes)
    Image.new("RGB", (1000, 700), (30, 90, 160)).save(pictures / "layar.png")
    (root / POST).write_text(post_text("gambar/foto-kegiatan.jpg",
                                       "![Tangkapan layar antrean](gambar/layar.png)\n\n"
                                       "[Foto ukuran penuh](gambar/foto-kegiatan.jpg)"), encoding="utf-8")
    results = build_sites(["kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root / "site" / "kantorcontoh"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def copies(site: Path, stem: str) -> dict[int, Path]:
    found = {}
    for file in (site / "berita/2025/gambar").glob(f"{stem}-*"):
        match = re.fullmatch(re.escape(stem) + r"-(\d+)\.[0-9a-f]{10}\.\w+", file.name)
        assert match, file.name
        found[int(match[1])] = file
    return dict(sorted(found.items()))


# --- the copies ------------------------------------------------------------------------


def test_a_phone_photo_goes_out_as_three_copies_and_never_as_taken(built, photo_bytes):
    assert 4_500_000 < len(photo_bytes) < 5_000_000
    written = copies(built, "foto-kegiatan")
    assert list(written) == [480, 960, 1600]
    for width, file in written.items():
        with Image.open(file) as copy:
            assert copy.size == (width, width * 3 // 4) and copy.format == "JPEG"
            assert not copy.getexif()  # nothing of where it was taken
    # a phone at 1× takes the 480 copy, at 2× the 960 one: both light
    assert written[480].stat().st_size < 80_000
    assert written[960].stat().st_size < 250_000
    # the original is not published, under any name
    assert not (built / "berita/2025/gambar/foto-kegiatan.jpg").exists()
    assert not [f for f in built.rglob("*") if f.is_file() and f.stat().st_size == len(photo_bytes)]


def test_the_post_page_offers_the_copies_with_srcset(built):
    image = page(built, "berita/2025/foto-kegiatan").select_one("figure.infohub-news-image img")
    name = copies(built, "foto-kegiatan")
    assert image["src"] == f"../gambar/{name[960].name}"
    assert image["srcset"] == ", ".join(f"../gambar/{name[w].name} {w}w" for w in (480, 960, 1600))
    assert image["sizes"] == "(min-width: 76.25em) 740px, 100vw"
    assert (image["width"], image["height"]) == ("960", "720")
    english = page(built, "en/berita/2025/foto-kegiatan").select_one("figure.infohub-news-image img")
    assert english["src"] == f"../../../../berita/2025/gambar/{name[960].name}"


def test_the_news_list_offers_them_too(built):
    item = next(li for li in page(built, "berita").select(".infohub-news-list .h-entry")
                if "Foto kegiatan" in li.get_text())
    name = copies(built, "foto-kegiatan")
    assert item.img["src"] == f"2025/gambar/{name[960].name}"
    assert item.img["srcset"].startswith(f"2025/gambar/{name[480].name} 480w, ")
    assert item.img["sizes"] == "(min-width: 45em) 240px, 100vw"


def test_pictures_in_the_text_get_copies_and_a_link_leads_to_the_largest(built):
    body = page(built, "berita/2025/foto-kegiatan").select_one(".e-content, article")
    screenshot = body.find("img", alt="Tangkapan layar antrean")
    shots = copies(built, "layar")
    assert list(shots) == [480, 960, 1000]  # never wider than the original
    assert screenshot["src"] == f"../gambar/{shots[960].name}"
    assert screenshot["srcset"] == ", ".join(f"../gambar/{shots[w].name} {w}w" for w in (480, 960, 1000))
    assert (screenshot["width"], screenshot["height"], screenshot["loading"]) == ("960", "672", "lazy")
    with Image.open(shots[1000]) as copy:
        assert copy.format == "PNG"  # a screenshot keeps its sharp edges
    link = body.find("a", string="Foto ukuran penuh")
    assert link["href"] == f"../gambar/{copies(built, 'foto-kegiatan')[1600].name}"
    assert not (built / "berita/2025/gambar/layar.png").exists()


def test_the_card_open_graph_and_feeds_use_the_largest_copy(built):
    largest = copies(built, "foto-kegiatan")[1600]
    address = SITE + f"berita/2025/gambar/{largest.name}"
    head = page(built, "berita/2025/foto-kegiatan")
    assert head.find("meta", property="og:image")["content"] == address
    assert head.find("meta", property="og:image:width")["content"] == "1600"
    feed = BeautifulSoup((built / "rss.xml").read_text(encoding="utf-8"), "xml")
    item = next(i for i in feed.find_all("item") if i.title.text == "Foto kegiatan pelayanan")
    assert item.enclosure["url"] == address and item.enclosure["length"] == str(largest.stat().st_size)
    assert 'srcset' not in item.find("description").text  # a feed reader resolves no page-relative srcset
    # the social card shows the photo behind the text, veiled in the card's colour
    with Image.open(built / cards.card_path("berita/2025/foto-kegiatan/", "id")) as card:
        corner = card.convert("RGB").crop((900, 420, 1140, 520))
    with Image.open(largest) as copy:
        expected = Image.blend(copy.resize((1200, 900)).crop((0, 135, 1200, 765)),
                               Image.new("RGB", (1200, 630), (40, 53, 147)), 0.78).crop((900, 420, 1140, 520))
    assert len(corner.getcolors(maxcolors=24_000)) > 1_000  # not the plain card
    difference = [abs(a - b) for a, b in zip(corner.tobytes(), expected.tobytes())]
    assert sum(difference) / len(difference) < 6  # drawn from the copy (JPEG's own loss aside)


def test_a_second_build_takes_the_copies_from_the_cache(tmp_path, monkeypatch, photo_bytes):
    from infohub import images

    source = tmp_path / "foto.jpg"
    source.write_bytes(photo_bytes)
    cache = tmp_path / "cache"
    made = []
    real = images.make_copies
    monkeypatch.setattr(images, "make_copies", lambda *args: made.append(1) or real(*args))
    first = images.resize(source, "berita/gambar/foto.jpg", cache)
    assert made == [1]
    images._made.clear()  # another process, another build
    assert images.resize(source, "berita/gambar/foto.jpg", cache) == first
    assert made == [1]
    source.write_bytes(photo_bytes + b"\0")  # the same picture (after its end), other bytes
    other = images.resize(source, "berita/gambar/foto.jpg", cache)
    assert made == [1, 1] and other.largest.path != first.largest.path  # another content: another name


def test_a_picture_is_never_upscaled_nor_turned_the_wrong_way(tmp_path):
    from infohub import images

    upright = Image.new("RGB", (400, 300), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the phone was held upright, turn 90° to show it
    out = io.BytesIO()
    upright.save(out, "JPEG", exif=exif)
    made = images.make_copies(out.getvalue(), "JPEG")
    assert [(w, h) for w, h, _ in made] == [(300, 400)]


# --- the check: bounded before anything decodes it -------------------------------------


def _problems(root: Path, lang: str) -> list[tuple[str, int | None, str]]:
    report = check_report(["kantorcontoh"], False, root)
    return [(p.path, p.line, p.text(lang)) for p in report.errors]


@pytest.mark.parametrize("lang, too_large, too_many, unreadable", [
    ("id",
     "gambar ini berukuran 16 MB, melebihi batas 15 MB; simpan salinan yang lebih kecil (fitur 'ubah ukuran' atau "
     "'ekspor' di aplikasi foto mana pun bisa: lebar 2.000 piksel sudah lebih dari cukup, situs menampilkan paling "
     "lebar 1.600) lalu unggah salinan itu",
     "gambar ini berukuran 100000 × 100000 piksel (10000 megapiksel), melebihi batas 50 megapiksel; simpan salinan "
     "yang lebih kecil (lebar 2.000 piksel sudah lebih dari cukup, situs menampilkan paling lebar 1.600) lalu unggah "
     "salinan itu",
     "berkas ini tidak bisa dibaca sebagai gambar JPEG, PNG, WebP, atau GIF (rusak, atau formatnya lain walau namanya "
     "begitu); buka di aplikasi foto, simpan ulang sebagai JPEG atau PNG, lalu unggah hasilnya"),
    ("en",
     "this picture is 16 MB, over the 15 MB limit; save a smaller copy (any photo app's 'resize' or 'export' does it: "
     "2,000 pixels wide is plenty, the site shows at most 1,600) and upload that instead",
     "this picture is 100000 × 100000 pixels (10000 megapixels), over the 50-megapixel limit; save a smaller copy "
     "(2,000 pixels wide is plenty, the site shows at most 1,600) and upload that instead",
     "this file cannot be read as a JPEG, PNG, WebP or GIF picture (it is damaged, or in another format under that "
     "name); open it in a photo app, save it again as JPEG or PNG and upload that"),
])
def test_the_check_refuses_a_picture_too_large_a_bomb_and_an_unreadable_one(repo, lang, too_large, too_many,
                                                                             unreadable):
    pictures = repo / OFFICE_DOCS / "gambar"
    pictures.mkdir()
    (pictures / "besar.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 15_000_000)
    (pictures / "bom.png").write_bytes(png_header(100_000, 100_000))  # 30 GB once decoded; 100 bytes here
    (pictures / "bukan-foto.jpg").write_text("ini teks, bukan foto", encoding="utf-8")
    assert _problems(repo, lang) == [(f"{OFFICE_DOCS}/gambar/besar.jpg", None, too_large),
                                     (f"{OFFICE_DOCS}/gambar/bom.png", None, too_many),
                                     (f"{OFFICE_DOCS}/gambar/bukan-foto.jpg", None, unreadable)]


def test_the_build_never_decodes_a_bomb_the_check_missed(tmp_path, monkeypatch):
    from infohub import images

    bomb = tmp_path / "bom.png"
    bomb.write_bytes(png_header(100_000, 100_000))
    monkeypatch.setattr(images, "make_copies", lambda *_: pytest.fail("decoded"))
    with pytest.raises(images.ImageRefused) as refused:
        images.resize(bomb, "gambar/bom.png", tmp_path / "cache")
    assert (refused.value.code, refused.value.values["megapixels"]) == ("image_too_many_pixels", 10_000)


def test_a_page_showing_a_picture_the_build_refuses_leaves_it_out(tmp_path, caplog):
    from infohub import images

    import page_images

    damaged = tmp_path / "rusak.jpg"
    damaged.write_text("bukan foto", encoding="utf-8")
    config = SimpleNamespace(extra={"infohub_images": images.SiteImages(
        {"berita/2025/gambar/rusak.jpg": damaged}, tmp_path / "site", tmp_path / "cache")})
    post = SimpleNamespace(url="berita/2025/a/", file=SimpleNamespace(src_uri="berita/2025/a.md"))
    html = '<p>Antrean <img alt="antrean" src="../gambar/rusak.jpg"> pagi.</p>'
    assert page_images.on_page_content(html, post, config, None) == "<p>Antrean  pagi.</p>"
    assert caplog.messages == ["berita/2025/a.md: gambar berita/2025/gambar/rusak.jpg tidak dipasang di halaman: "
                               "berkas ini tidak bisa dibaca sebagai gambar JPEG, PNG, WebP, atau GIF (rusak, atau "
                               "formatnya lain walau namanya begitu); buka di aplikasi foto, simpan ulang sebagai "
                               "JPEG atau PNG, lalu unggah hasilnya"]


# --- one picture, one post ---------------------------------------------------------------


@pytest.mark.parametrize("lang, message", [
    ("id", "image: gambar 'gambar/hari-terbuka.png' sudah menjadi gambar berita lain, "
           "offices/kantorcontoh/docs/berita/2025/hari-terbuka.md; bila berkasnya diganti, kedua berita ikut berubah. "
           "Beri setiap berita berkasnya sendiri: unggah gambar berita ini dengan nama sendiri, misalnya "
           "'foto-kegiatan.png'"),
    ("en", "image: the picture 'gambar/hari-terbuka.png' is already the picture of another post, "
           "offices/kantorcontoh/docs/berita/2025/hari-terbuka.md; replacing the file changes both posts. Give each "
           "post a file of its own: upload this post's picture under its own name, for example 'foto-kegiatan.png'"),
])
def test_one_picture_file_shown_by_two_posts_is_refused(repo, lang, message):
    # a post written after 'hari-terbuka' (2025-08-01) names its picture: the file is the older post's
    (repo / POST).write_text(post_text("gambar/hari-terbuka.png", date="2025-09-01 10:00"), encoding="utf-8")
    assert _problems(repo, lang) == [(POST, 5, message)]


def test_a_post_and_its_translation_share_their_picture(repo):
    post = repo / OFFICE_DOCS / "berita/2025/hari-terbuka.en.md"
    assert "image: gambar/hari-terbuka.png" in post.read_text(encoding="utf-8")
    assert _problems(repo, "en") == []


def test_the_editor_refuses_an_upload_the_check_would_refuse():
    """Too large, or named as no file under docs/ may be: the editor renames it in the slug's form."""
    from infohub import cms_config, limits

    config = cms_config.cms_config(Path(__file__).resolve().parents[1])
    assert config["media_libraries"] == {"default": {"config": {"max_file_size": limits.IMAGE_BYTES,
                                                                "slugify_filename": True}},
                                         "stock_assets": False}
    assert limits.DOCUMENT_BYTES == limits.IMAGE_BYTES  # one upload limit in the editor, for both
    assert limits.IMAGE_BYTES == 15_000_000


def test_the_editor_keeps_each_posts_pictures_in_a_folder_of_its_own():
    """Its year and file name (the post's path): an upload named like another post's picture goes to
    another folder, never over it. tests/test_cms_browser.py uploads one through the editor."""
    from infohub import cms_config

    root = Path(__file__).resolve().parents[1]
    office = {c["name"]: c for c in cms_config.cms_config(root, editor="imigrasiblitar")["collections"]}
    assert (office["berita"]["media_folder"], office["berita"]["public_folder"]) == (
        "/offices/imigrasiblitar/docs/berita/{{dirname}}/gambar/{{filename}}", "/berita/{{dirname}}/gambar/{{filename}}")
    national = {c["name"]: c for c in cms_config.cms_config(root)["collections"]}
    assert national["berita-nasional"]["media_folder"] == "/national/pages/berita/{{dirname}}/gambar/{{filename}}"


def test_the_hubs_feed_names_an_offices_picture_by_its_copy(monkeypatch, tmp_path):
    """The hub renders the offices' posts itself (hub_feed.py): their pictures are not published
    as uploaded either, in either language."""
    from infohub import feeds

    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path))
    docs = Path(__file__).resolve().parent / "fixtures/repo" / OFFICE_DOCS
    html = ('<p><img alt="a" src="https://kantorcontoh.id/berita/2025/gambar/hari-terbuka.png"> '
            '<img alt="b" src="https://kantorcontoh.id/en/berita/2025/gambar/hari-terbuka.png"> '
            '<img alt="c" src="https://peta.example.org/x.png"></p>')
    written = feeds.resized_sources(html, "https://kantorcontoh.id/", [docs])
    sources = re.findall(r'src="([^"]+)"', written)
    assert [re.sub(r"\.[0-9a-f]{10}\.", ".<hash>.", s) for s in sources] == [
        "https://kantorcontoh.id/berita/2025/gambar/hari-terbuka-960.<hash>.png",
        "https://kantorcontoh.id/berita/2025/gambar/hari-terbuka-960.<hash>.png",
        "https://peta.example.org/x.png"]
