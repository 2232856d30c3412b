"""Social card images: one 1200×630 JPEG per page and language.

A card shows the office's name, the page's title and the language of the
text, and is what social networks, chat apps and feed readers show when a
page is shared. Where it lives is part of the interface other hooks rely on
(feeds, social posts):

    <language root>/assets/cards/<page path>.jpg

for example ``assets/cards/faq.jpg``, ``en/assets/cards/berita/2025/a.jpg``
and ``assets/cards/index.jpg`` for the home page; call ``card_path`` or
``card_url`` rather than building the path by hand.

A page with its own picture (a news post's front-matter ``image``) shows it behind
the text, veiled in the card's colour; the picture comes from its largest resized
copy (images.py), never from the file as uploaded.

A full build draws thousands of cards, so each is kept in a cache named by
the hash of everything that makes its image: what is drawn on it, and the
drawing itself (this module's code, Pillow's version, the fonts' files), so
a change to how cards look draws them all again with no version to bump.
The cache outlives site/ (paths.card_cache_dir) and CI keeps it between runs
under a key made of the same code (deploy.yml): a clean build draws only the
cards no earlier build drew.

JPEG, not PNG: encoding was most of a card's cost (measured on this machine:
11 ms for PNG at its fastest level, 2 ms for JPEG), and every social network
and feed reader takes JPEG. Quality 90 with the colour halved across only
(4:2:2): 38 % less encoding than full colour (4.5 ms to 2.8 ms a card) and
18 % smaller files, with the text as crisp at twice the size; halving it
down as well (4:2:0) would draw a dark line under the amber band. A card
without a photo encodes only the rows its title covers (see "encoding" below):
a card of a one-line title is drawn and encoded in 1.5 ms instead of 3.5 ms.
Huffman tables made for each card (``optimize``) would save 16 % of the bytes
for 2.4 times the encoding, and could not be spliced; progressive: 4.5 times.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

if TYPE_CHECKING:
    from PIL import Image, ImageFont

from . import output_writes
from .files import link, link_in_place, replace_file
from .paths import language_root

WIDTH, HEIGHT = 1200, 630
CARDS_DIR = "assets/cards"
EXTENSION = "jpg"

_MARGIN = 72
_BACKGROUND = (40, 53, 147)  # Material indigo 800: white text on it passes WCAG AAA
_BAND = (255, 193, 7)  # amber accent
_TEXT = (255, 255, 255)
_MUTED = (197, 202, 233)  # indigo 100
_TITLE_SIZES = (88, 76, 66, 58)  # largest that fits in _TITLE_LINES wins
_TITLE_LINES = 3
_ELLIPSIS = "…"
_VEIL = 0.78  # how much of the card's colour covers a photo behind the text


def card_path(page_url_path: str, lang: str) -> str:
    """Where the card of a page is, relative to the site's root.

    ``page_url_path`` is the page's path inside its language root, as in
    ``NewsPost.url_path``: '' for the home page, 'faq/', 'berita/2025/a/'.
    """
    name = page_url_path.strip("/").removesuffix(".html").removesuffix("/index") or "index"
    return f"{language_root(lang)}{CARDS_DIR}/{name}.{EXTENSION}"


# A site's address and a card's path that urljoin would join as they are written: no dot segments,
# query, fragment, parameters or escapes to resolve (a social outbox asks for 600 cards' addresses at
# 300 posts, and urljoin's parsing cost 35 µs each).
_PLAIN_SITE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*")
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*")


def card_url(site_url: str, page_url_path: str, lang: str) -> str:
    """The card's absolute address on the site's own domain."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    path = card_path(page_url_path, lang)
    if _PLAIN_SITE.fullmatch(base) and _PLAIN_PATH.fullmatch(path):
        return base + path  # what urljoin gives, without its parsing
    return urljoin(base, path)


@dataclass(frozen=True)
class Card:
    """Everything drawn on one card; its hash names the cached image."""

    site_name: str
    title: str
    language_name: str
    domain: str
    # The page's own picture behind the text: the file of its largest resized copy
    # (images.py; never the original, which may be 50 megapixels), named by its content's hash.
    photo: str = ""

    @property
    def key(self) -> str:
        drawn = {name: value for name, value in asdict(self).items() if value or name != "photo"}
        if self.photo:  # its cached file, named by its content's hash: the same card on every machine
            drawn["photo"] = "/".join(Path(self.photo).parts[-2:])
        payload = json.dumps({"drawing": drawing_digest(), "size": [WIDTH, HEIGHT], **drawn},
                             sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_FONTS = ("Roboto", "RobotoMedium", "RobotoBold")


@lru_cache(maxsize=None)
def drawing_digest() -> str:
    """What draws every card, hashed: this module, Pillow's version (its encoder writes the
    bytes) and the font files. Read once per process; importing PIL's package alone is quick."""
    import font_roboto
    import PIL

    digest = hashlib.sha256(Path(__file__).read_bytes() + PIL.__version__.encode())
    for weight in _FONTS:
        digest.update(Path(font_roboto.font_files[weight]).read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    # Pillow is imported when a card is drawn: a rebuild that finds every card in the cache never loads it.
    import font_roboto
    from PIL import ImageFont

    # Roboto (Apache 2.0) comes from the font-roboto package: nothing is downloaded.
    return ImageFont.truetype(font_roboto.font_files[weight], size)


def _longest_start(text: str, fits) -> int:
    """The largest n such that ``fits(text[:n])`` (0 when none does), found by halving: a longer
    start is never narrower, and measuring costs its length, so shortening one character at a
    time cost the cube of a long title's length (a 2,000-character title: minutes per card)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle]):
            low = middle
        else:
            high = middle - 1
    return low


def _with_ellipsis(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` shortened until it and an ellipsis fit in ``width`` pixels."""
    kept = _longest_start(text, lambda start: not start.strip() or font.getlength(start.rstrip() + _ELLIPSIS) <= width)
    return text[:kept].rstrip().rstrip(" ,.;:–-") + _ELLIPSIS


def _fit(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` as is when it fits in ``width`` pixels, else cut with an ellipsis."""
    return text if font.getlength(text) <= width else _with_ellipsis(text, font, width)


@lru_cache(maxsize=4096)
def _advance(font: ImageFont.FreeTypeFont, char: str) -> float:
    """A character's width alone, for guessing where a line ends (_words_that_fit): measured
    without shaping, a tenth of a shaped measurement, and kept per worker."""
    return _plain_font(font.path, font.size).getlength(char)


@lru_cache(maxsize=None)
def _plain_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def _words_that_fit(start: str, words: list[str], font: ImageFont.FreeTypeFont, width: int) -> int:
    """How many of ``words`` follow ``start`` on its line: the most that fit, as adding them one
    by one would find (a longer line is never narrower). Shaping a line costs the same whatever
    its length, so the count is guessed from the characters' widths and then measured: two
    measurements when the guess is right, one more for each word it is off."""
    guess, guessed = 0, sum(_advance(font, char) for char in start)
    for word in words:
        guessed += sum(_advance(font, char) for char in " " + word)
        if guessed > width:
            break
        guess += 1

    def fits(count: int) -> bool:
        return font.getlength(" ".join([start, *words[:count]])) <= width

    if guess and not fits(guess):
        guess -= 1
        while guess and not fits(guess):
            guess -= 1
        return guess
    while guess < len(words) and fits(guess + 1):
        guess += 1
    return guess


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> tuple[list[str], bool]:
    """Greedy word wrap; a word longer than a line is broken. Returns at most ``max_lines``
    lines and whether everything fitted in them (if not, title_lines cuts the last one: only
    for the size it keeps)."""
    words = text.split()
    # Most titles fit on one line: measured whole once.
    if font.getlength(" ".join(words)) <= width:
        return [" ".join(words)] if words else [], True
    lines: list[str] = []
    following = 0  # the first word not placed yet
    while following < len(words):
        start = words[following]
        following += 1
        while len(lines) < max_lines:
            more = _words_that_fit(start, words[following:], font, width)
            if more or font.getlength(start) <= width:
                break
            # a word longer than a line (a long URL or compound word) is broken
            cut = max(_longest_start(start, lambda begin: font.getlength(begin) <= width), 1)
            lines.append(start[:cut])
            start = start[cut:]
        if len(lines) == max_lines:  # what follows is cut
            return lines, False
        lines.append(" ".join([start, *words[following:following + more]]))
        following += more
    return lines, True


def title_lines(title: str, width: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest title size that shows the whole title; else the smallest, cut."""
    for size in _TITLE_SIZES:
        font = _font("RobotoBold", size)
        lines, complete = wrap(title, font, width, _TITLE_LINES)
        if complete:
            return lines, font
    lines[-1] = _with_ellipsis(lines[-1], font, width)
    return lines, font


@lru_cache(maxsize=16)
def _frame(site_name: str, language_name: str, domain: str) -> Image.Image:
    """Everything on a card but its title: the same on every card of a site and language,
    so drawn once per worker."""
    from PIL import Image

    return _decorate(Image.new("RGB", (WIDTH, HEIGHT), _BACKGROUND), site_name, language_name, domain)


def _behind_text(photo: str) -> Image.Image:
    """The photo cut to the card's shape, under the card's colour: white text on it keeps at
    least 5:1 contrast whatever the photo (a white one gives #5761ab)."""
    from PIL import Image, ImageOps

    with Image.open(photo) as opened:
        # a JPEG is RGB already: converting it would only copy it (0.7 ms a card)
        picture = opened if opened.mode == "RGB" else opened.convert("RGB")
        # bilinear: under the veil a finer filter shows no difference (and costs 40 % more)
        fitted = ImageOps.fit(picture, (WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    return Image.blend(fitted, Image.new("RGB", (WIDTH, HEIGHT), _BACKGROUND), _VEIL)


def _decorate(image: Image.Image, site_name: str, language_name: str, domain: str) -> Image.Image:
    from PIL import ImageDraw

    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 14), fill=_BAND)
    site_font = _font("RobotoMedium", 38)
    pen.text((_MARGIN, 78), _fit(site_name, site_font, WIDTH - 2 * _MARGIN), font=site_font, fill=_MUTED)
    foot = _font("Roboto", 32)
    baseline = HEIGHT - 70
    pen.line((_MARGIN, baseline - 34, WIDTH - _MARGIN, baseline - 34), fill=_MUTED, width=2)
    pen.text((_MARGIN, baseline), domain, font=foot, fill=_TEXT, anchor="ls")
    pen.text((WIDTH - _MARGIN, baseline), language_name, font=foot, fill=_TEXT, anchor="rs")
    return image


@dataclass(frozen=True)
class _Title:
    """The card's title as drawn: its lines, font and where each line starts (left, top)."""

    lines: list[str]
    font: ImageFont.FreeTypeFont
    starts: list[tuple[int, int]]

    def rows(self) -> range:
        """The card's pixel rows its glyphs touch (empty for no text)."""
        boxes = [self.font.getbbox(line) for line in self.lines]
        tops = [top + box[1] for (_, top), box in zip(self.starts, boxes) if box[3] > box[1]]
        bottoms = [top + box[3] for (_, top), box in zip(self.starts, boxes) if box[3] > box[1]]
        return range(max(0, min(tops)), min(HEIGHT, max(bottoms))) if tops else range(0)

    def draw_on(self, image: Image.Image, shift: int = 0) -> None:
        """Draw the lines on ``image``, whose top is the card's row ``shift``."""
        from PIL import ImageDraw

        pen = ImageDraw.Draw(image)
        for line, (left, top) in zip(self.lines, self.starts):
            pen.text((left, top - shift), line, font=self.font, fill=_TEXT)


def _title(card: Card) -> _Title:
    lines, font = title_lines(card.title or card.site_name, WIDTH - 2 * _MARGIN)
    line_height = round(font.size * 1.18)
    top = 160 + (_TITLE_LINES - len(lines)) * line_height // 2
    return _Title(lines, font, [(_MARGIN, top + number * line_height) for number in range(len(lines))])


def draw(card: Card) -> Image.Image:
    """The whole card as one image."""
    if card.photo:
        image = _decorate(_behind_text(card.photo), card.site_name, card.language_name, card.domain)
    else:
        image = _frame(card.site_name, card.language_name, card.domain).copy()
    _title(card).draw_on(image)
    return image


# --- encoding --------------------------------------------------------------------------------
# A JPEG with a restart marker after every row of blocks codes each row on its own: a row's
# bytes depend on that row's pixels alone. Every card without a photo is its office's frame
# with a title on it, so the frame is encoded once per site and language, and a card encodes
# only the rows its title covers (a one-line title: a sixth of the card) and takes the others'
# bytes from the frame. The result is the whole card encoded at once, byte for byte
# (tests/test_card_drawing.py), and the same pixels as without markers; they cost about 500
# bytes a card (1 %: 2 bytes a row, and each row's first colours coded whole) and every
# decoder reads them (baseline JPEG since 1992; Chromium decodes the same pixels as Pillow).

_ROW = 8  # pixels in a row of blocks: the colour is halved across only (4:2:2), not down


def jpeg(image: Image.Image) -> bytes:
    """A card's encoding: quality 90, colour halved across only (4:2:2, see above): flat
    colours and text stay crisp; a restart marker after every row of blocks."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, subsampling=1, restart_marker_rows=1)
    return out.getvalue()


_RESTART = re.compile(rb"\xff[\xd0-\xd7]")  # in coded data a 0xFF byte is followed by 0x00


@dataclass(frozen=True)
class _Coded:
    """A JPEG cut apart: everything before its coded data, and each row's coded bytes."""

    head: bytes
    rows: list[bytes]

    @classmethod
    def of(cls, data: bytes) -> _Coded:
        at = 2  # after the start-of-image marker: segments of (marker, length) up to the scan's
        while data[at + 1] != 0xDA:
            at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        start = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
        return cls(data[:start], _RESTART.split(data[start:-2]))  # the file ends with end-of-image

    def joined(self) -> bytes:
        """The JPEG again; restart markers are numbered 0 to 7 in turn."""
        rows = b"".join(row + bytes((0xFF, 0xD0 + number % 8)) for number, row in enumerate(self.rows[:-1]))
        return self.head + rows + self.rows[-1] + b"\xff\xd9"


@lru_cache(maxsize=16)
def _coded_frame(site_name: str, language_name: str, domain: str) -> _Coded:
    return _Coded.of(jpeg(_frame(site_name, language_name, domain)))


def encode(card: Card) -> bytes:
    """The card's JPEG file."""
    if card.photo:
        return jpeg(draw(card))
    frame = (card.site_name, card.language_name, card.domain)
    coded = _coded_frame(*frame)
    title = _title(card)
    rows = title.rows()
    first, end = rows.start // _ROW, -(-rows.stop // _ROW)  # the rows of blocks they fall in
    if first >= end:
        return coded.joined()
    strip = _frame(*frame).crop((0, first * _ROW, WIDTH, min(HEIGHT, end * _ROW)))
    title.draw_on(strip, shift=first * _ROW)
    return _Coded(coded.head, coded.rows[:first] + _Coded.of(jpeg(strip)).rows + coded.rows[end:]).joined()


def write_card(card: Card, target: Path, cache_dir: Path) -> bool:
    """Put the card's image at ``target``, drawing it only when the cache lacks it.
    Returns whether it was drawn.

    The card in the output and the one in the cache are one file (a hard link) where the file
    system allows: copying every card cost as much as a tenth of a build. That is safe because
    no card file is ever written into, only replaced whole (files.replace_file, a rename)."""
    key = card.key
    cached = cache_dir / key[:2] / f"{key}.{EXTENSION}"
    output_writes.wrote(target)  # a page reused from the last build needs its card too
    if cached.exists():
        _place(cached, target)
        return False
    data = encode(card)
    replace_file(target, data)  # parallel builds never see half a file
    try:
        link(target, cached)
    except FileExistsError:
        pass  # another worker drew the same card: the same bytes
    except OSError:  # the cache is on another file system
        replace_file(cached, data)
    return True


def _place(cached: Path, target: Path) -> None:
    """``target`` becomes the cached card, whole at once: a link to it, else (another file
    system) a copy."""
    try:
        link_in_place(cached, target)
    except OSError:
        replace_file(target, cached.read_bytes())
