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

    def getlength(self, text: str) -> float:
        self.measured.append(text)
        return self.font.getlength(text)


def test_a_title_that_fits_on_one_line_is_measured_once():
    font = CountingFont(cards._font("RobotoBold", 88))
    assert cards.wrap("Berita  nomor 12 ", font, 1056, 3) == (["Berita nomor 12"], True)
    assert font.measured == ["Berita nomor 12"]


@pytest.mark.parametrize("title", TITLES)
def test_a_title_wraps_as_greedily_as_measuring_it_word_by_word(title):
    font = cards._font("RobotoBold", 88)
    lines, _ = cards.wrap(title, font, 1056, 3)
    for line, following in zip(lines, lines[1:]):
        assert font.getlength(line) <= 1056 < font.getlength(f"{line} {following.split()[0]}")
