"""How a social card is drawn and encoded (infohub/cards.py): a card without a photo is its
office's frame, encoded once per office and language, with only the rows its title covers
encoded per card; the result is, byte for byte, the whole card encoded at once."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from infohub import cards

OFFICE = {"Bahasa Indonesia": ("Kantor Imigrasi Kelas I TPI Blitar", "imigrasiblitar.example.id"),
          "English": ("Blitar Immigration Office", "imigrasiblitar.example.id")}
TITLES = [
    "Biaya",
    "Berita nomor 12",
    "News item 7",
    "Tarif paspor baru berlaku mulai 17 Agustus sesuai PP 45 Tahun 2024",  # three lines
    "Pengumuman perubahan jadwal pelayanan paspor elektronik selama libur nasional Hari Raya "
    "Idulfitri 1446 Hijriah dan cuti bersama tahun 2025 di seluruh unit layanan",  # cut with an ellipsis
    "Permohonan" * 8,  # one word wider than a line
    "Ǹ̷̡̛̖͓̫̙̖̫̦̀̃̈́͌̓ͅ" * 6 + " layanan " + "Ṭ̸̢̪͓̹̂̾͒̃́̈́͗͘" * 9,  # marks stacked above and below the line
    "Jl. Raya 1 — 日本語 العربية",  # glyphs the font lacks
]


def card(title: str, language: str = "Bahasa Indonesia", photo: str = "") -> cards.Card:
    site, domain = OFFICE[language]
    return cards.Card(site_name=site, title=title, language_name=language, domain=domain, photo=photo)


@pytest.mark.parametrize("language", sorted(OFFICE))
@pytest.mark.parametrize("title", TITLES)
def test_a_card_on_its_offices_frame_is_the_whole_card_encoded_at_once(title, language):
    drawn = card(title, language)
    assert cards.encode(drawn) == cards.jpeg(cards.draw(drawn))


def test_a_card_with_a_photo_is_the_whole_card_encoded_at_once(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.linear_gradient("L").resize((1600, 900)).convert("RGB").save(photo)
    drawn = card("Layanan paspor di hari Sabtu", photo=str(photo))
    encoded = cards.encode(drawn)
    assert encoded == cards.jpeg(cards.draw(drawn))
    assert encoded != cards.encode(card("Layanan paspor di hari Sabtu"))


def test_the_frame_is_encoded_once_per_office_and_language_and_a_card_encodes_only_its_titles_rows(monkeypatch):
    cards._coded_frame.cache_clear()
    heights: list[int] = []
    original = cards.jpeg
    monkeypatch.setattr(cards, "jpeg", lambda image: heights.append(image.height) or original(image))
    for number in range(3):
        cards.encode(card(f"Berita nomor {number}"))
    cards.encode(card("News item 1", "English"))
    frames = [h for h in heights if h == cards.HEIGHT]
    strips = [h for h in heights if h != cards.HEIGHT]
    assert len(frames) == 2 and len(strips) == 4  # one frame for each language, one strip for each card
    # a one-line title: its rows, a sixth of the card
    assert all(h % 8 == 0 and h <= cards.HEIGHT // 6 for h in strips), strips


def test_a_card_is_a_baseline_jpeg_with_the_colour_halved_across_only():
    with Image.open(io.BytesIO(cards.encode(card("Biaya")))) as opened:
        assert (opened.format, opened.size, opened.mode) == ("JPEG", (cards.WIDTH, cards.HEIGHT), "RGB")
        assert "progressive" not in opened.info
        assert opened.layer[0][1:3] == (2, 1) and opened.layer[1][1:3] == (1, 1)  # 4:2:2


class CountingFont:
    """A font that counts its measurements."""

    def __init__(self, font):
        self.font, self.measured = font, []
        self.path, self.size = font.path, font.size

    def getlength(self, text: str) -> float:
        self.measured.append(text)
        return self.font.getlength(text)


def test_a_title_that_fits_on_one_line_is_measured_once():
    font = CountingFont(cards._font("RobotoBold", 88))
    assert cards.wrap("Berita  nomor 12 ", font, 1056, 3) == (["Berita nomor 12"], True)
    assert font.measured == ["Berita nomor 12"]


def word_by_word(text: str, font, width: int, max_lines: int) -> tuple[list[str], bool]:
    """The greedy wrap the card promises, measured the slow way: each word added to the line
    and the line measured again; a word wider than a line broken where the most fits."""
    fits = lambda line: font.getlength(line) <= width  # noqa: E731
    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while not fits(word):
            cut = max(n for n in range(1, len(word) + 1) if n == 1 or fits(word[:n]))
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines[:max_lines], len(lines) <= max_lines


MORE_TITLES = TITLES + [
    "Kantor Imigrasi Blitar membuka layanan paspor pada hari Sabtu selama bulan Desember",
    "Sosialisasi keimigrasian kepada calon pekerja migran Indonesia di Kabupaten Blitar",
    "Tata cara permohonan paspor: daftar antrean daring, datang tepat waktu, bawa KTP, KK dan akta",
    "Visa on arrival (VoA) for 97 countries — what travellers to Indonesia need to know in 2025",
    "A " + "very " * 40 + "long title",
    "Satu",
    "kata-yang-sangat-panjang-sekali-tanpa-spasi-sama-sekali-yang-tidak-muat",
]


@pytest.mark.parametrize("width", [1056, 640, 300])
@pytest.mark.parametrize("size", cards._TITLE_SIZES)
def test_a_title_wraps_as_measuring_it_word_by_word(size, width):
    font = cards._font("RobotoBold", size)
    for title in MORE_TITLES:
        assert cards.wrap(title, font, width, 3) == word_by_word(title, font, width, 3), title


def test_a_title_takes_the_largest_size_it_fits_in_else_the_smallest_cut():
    for title in MORE_TITLES:
        for size in cards._TITLE_SIZES:
            font = cards._font("RobotoBold", size)
            expected = word_by_word(title, font, 1056, 3)
            if expected[1]:
                break
        else:
            expected[0][-1] = cards._with_ellipsis(expected[0][-1], font, 1056)
        assert cards.title_lines(title, 1056) == (expected[0], font), title


def test_a_title_on_several_lines_is_measured_a_few_times_a_line(monkeypatch):
    fonts: dict = {}
    font = cards._font
    monkeypatch.setattr(cards, "_font", lambda weight, size: fonts.setdefault(size, CountingFont(font(weight, size))))
    measured = {}
    for title in MORE_TITLES[8:12]:  # news titles of 80 to 90 characters: two or three sizes tried
        fonts.clear()
        cards.title_lines(title, 1056)
        measured[title] = sum(len(counting.measured) for counting in fonts.values())
    # word by word, with an ellipsis searched for each size that was too large: 53, 29, 58 and 65
    assert list(measured.values()) == [20, 13, 21, 20], measured


def test_the_restart_markers_change_no_pixel():
    for drawn in (card(TITLES[1]), card(TITLES[4], "English")):
        plain = io.BytesIO()
        cards.draw(drawn).save(plain, format="JPEG", quality=90, subsampling=1)
        with Image.open(io.BytesIO(cards.encode(drawn))) as spliced, Image.open(plain) as whole:
            assert spliced.tobytes() == whole.tobytes()
