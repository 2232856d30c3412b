"""Pictures made fit for a phone: resized copies of every raster image a page shows.

An office uploads photos as the phone took them (4032×3024, 3-6 MB, the place it
was taken in its EXIF data). What the site publishes instead are copies at most
``WIDTHS`` wide (never wider than the original), named after the original and
the hash of its content:

    berita/2025/gambar/foto.jpg  ->  berita/2025/gambar/foto-480.3f2a1c9d0b.jpg
                                     berita/2025/gambar/foto-960.3f2a1c9d0b.jpg
                                     berita/2025/gambar/foto-1600.3f2a1c9d0b.jpg

and pages offer them with ``srcset``/``sizes`` (page_images.py, news_pages.py), so
a phone 360 px wide downloads the 480 or 960 copy. The social card, feeds and
Open Graph tags use the largest copy (``Resized.largest``).

The original is not published at all (page_images.py leaves it out of the site):
no page shows it, it may weigh megabytes, and its EXIF data may say where and
when the photo was taken (GPS); the copies carry none of that (only the colour
profile, so colours stay right). It stays in the repository.

Formats: a JPEG stays JPEG (quality ``JPEG_QUALITY``, progressive), a PNG stays
PNG (screenshots and drawings keep their sharp edges), a WebP stays WebP. A GIF
is published as it is (resizing would lose its animation); limits.IMAGE_BYTES
bounds it.

Each source is resized once: the copies are kept in the build cache
(paths.cache_dir('images'), site/.cache/images/ under `make site`) under the hash
of the source's bytes and ``RECIPE``, and a rebuild copies them from there.

Cost is bounded: `make check` refuses an image over limits.IMAGE_BYTES or
limits.IMAGE_PIXELS (checks/images.py) before anything decodes it, and this module
reads the size from the file's header and refuses again before decoding (a build
run without the check must not decode a decompression bomb either). A JPEG is
decoded at the smallest scale its format allows that still covers the largest
copy (Pillow's draft mode): a 12-megapixel photo is decoded at half size.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import imagesize

from . import limits, output_writes
from .files import replace_file, status_stamp

# The widths of the copies, in pixels: 480 for a phone at 1× (360-414 CSS px), 960 for a
# phone at 2× and for the page's column on a desktop (at most about 740 CSS px wide), 1600
# for a 3× phone, a wide screen at 2× and the social card (1200 px wide).
WIDTHS = (480, 960, 1600)
# Quality 80 (libjpeg's scale): no visible loss on photos at these sizes; a 960 px wide
# photo is 100-230 kB. PNG copies are lossless.
JPEG_QUALITY = 80
WEBP_QUALITY = 80
# Bump when the copies change (sizes, quality, format), so cached copies are made again.
RECIPE = 1

# What is resized, by the file's extension (lower case), and the format it is written in.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# Every raster image a page may show: the resized ones and GIF (published as it is).
RASTER_SUFFIXES = frozenset(FORMATS) | {".gif"}

# How a page's <img> asks for a copy: the whole width on a phone; on a desktop, Material's
# content column (at most 61rem minus both sidebars: about 740 px).
SIZES = "(min-width: 76.25em) 740px, 100vw"


class ImageRefused(Exception):
    """The source is not an image this module will decode (too large, unreadable): the
    message code (under 'problem.') and its values, as `make check` words it."""

    def __init__(self, code: str, values: dict | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.values = values or {}


@dataclass(frozen=True)
class Copy:
    path: str  # in the site, from its root: 'berita/2025/gambar/foto-480.3f2a1c9d0b.jpg'
    width: int
    height: int
    cached: Path  # the same bytes in the build cache


@dataclass(frozen=True)
class Resized:
    """The copies of one source, narrowest first."""

    source: str  # the original's path in the site (what pages name): 'berita/2025/gambar/foto.jpg'
    copies: tuple[Copy, ...]

    @property
    def largest(self) -> Copy:
        return self.copies[-1]

    @property
    def default(self) -> Copy:
        """The copy for a browser that reads no srcset: the one for a page's column (960)."""
        return next((c for c in self.copies if c.width >= WIDTHS[1]), self.largest)

    def srcset(self, url_of) -> str:
        """``url_of``: a site path -> the address the page writes (relative to the page)."""
        return ", ".join(f"{url_of(c.path)} {c.width}w" for c in self.copies)


def is_resized(name: str) -> bool:
    """Whether the build publishes copies of this file instead of the file."""
    return posixpath.splitext(name)[1].lower() in FORMATS


def front_matter_image(image: object, page_src_uri: str) -> str | None:
    """The site path of a page's front-matter ``image`` ('gambar/a.jpg' beside the page,
    '/berita/gambar/a.jpg' from the site's root); None for none or another site's."""
    if not isinstance(image, str) or not image or re.match(r"[a-z][a-z0-9+.-]*:|//", image):
        return None
    if image.startswith("/"):
        return posixpath.normpath(image).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_src_uri), image))


def copy_widths(width: int) -> list[int]:
    """The widths of the copies of an image ``width`` pixels wide: never wider than it."""
    return [w for w in WIDTHS[:-1] if w < width] + [min(width, WIDTHS[-1])]


def size_problem(file: Path) -> tuple[str, dict] | None:
    """Why the build will not decode ``file`` (a message code and its values), read from
    its size and header only; None when it may."""
    size = file.stat().st_size
    if size > limits.IMAGE_BYTES:
        return "image_too_large", {"size": limits.megabytes(size), "limit": limits.megabytes(limits.IMAGE_BYTES)}
    try:
        width, height = imagesize.get(file)
    except (OSError, ValueError):
        width = height = -1
    if width <= 0 or height <= 0:
        return "image_unreadable", {}
    if width * height > limits.IMAGE_PIXELS:
        return _pixels_problem(width, height)
    return None


def _pixels_problem(width: int, height: int) -> tuple[str, dict]:
    return "image_too_many_pixels", {"width": width, "height": height, "megapixels": _megapixels(width * height),
                                     "limit": _megapixels(limits.IMAGE_PIXELS)}


def _megapixels(pixels: int) -> int:
    return -(-pixels // 1_000_000)


def _copy_path(source: str, width: int, digest: str) -> str:
    stem, suffix = posixpath.splitext(source)
    return f"{stem}-{width}.{digest[:10]}{suffix.lower()}"


# One process resizes each source once per build, however many pages and languages show it.
_made: dict[tuple, tuple[str, list[tuple[int, int]]]] = {}  # under the file's status (files.status_stamp)


def resize(file: Path, source: str, cache_dir: Path) -> Resized:
    """The copies of ``file`` (named ``source`` in the site), made when the cache has none.
    Raises ImageRefused for a file the build will not decode."""
    key = (str(file), *status_stamp(file), str(cache_dir))
    known = _made.get(key)
    if known is None or not (_cached(cache_dir, known[0]) / "sizes.json").exists():  # the cache may be emptied
        problem = size_problem(file)
        if problem:
            raise ImageRefused(*problem)
        data = file.read_bytes()
        digest = hashlib.sha256(data + f"\0recipe {RECIPE}".encode()).hexdigest()
        try:
            known = digest, _cached_or_made(data, digest, FORMATS[Path(source).suffix.lower()], cache_dir)
        except ImageRefused:
            raise
        except Exception as exc:  # whatever Pillow raises for a damaged file (OSError, SyntaxError, …)
            raise ImageRefused("image_unreadable") from exc
        _made[key] = known
    digest, sizes = known
    return Resized(source, tuple(Copy(_copy_path(source, width, digest), width, height,
                                      _cached(cache_dir, digest) / str(width)) for width, height in sizes))


def publish(resized: Resized, site_dir: Path) -> None:
    """Put the copies into the built site (each language's build names the same ones)."""
    for copy in resized.copies:
        target = site_dir / copy.path
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copy.cached, target)
        output_writes.wrote(target)  # a page reused from the last build needs its copies too


class SiteImages:
    """The resized images of one site's build: which files are replaced by copies, and the
    copies of each, written into the site as pages name them."""

    def __init__(self, sources: dict[str, Path], site_dir: Path, cache_dir: Path) -> None:
        self.sources = sources  # site path of each image the build resizes -> its file
        self.site_dir = site_dir
        self.cache_dir = cache_dir

    def resized(self, site_path: str) -> Resized | None:
        """The copies of the image at ``site_path``, published; None when the build does not
        resize that file (a GIF, an SVG, no such file). Raises ImageRefused."""
        file = self.sources.get(site_path)
        if file is None:
            return None
        resized = resize(file, site_path, self.cache_dir)
        publish(resized, self.site_dir)
        return resized


def _cached(cache_dir: Path, digest: str) -> Path:
    return cache_dir / digest[:2] / digest


def _cached_or_made(data: bytes, digest: str, fmt: str, cache_dir: Path) -> list[tuple[int, int]]:
    folder = _cached(cache_dir, digest)
    index = folder / "sizes.json"
    if index.exists():
        return [tuple(size) for size in json.loads(index.read_text(encoding="utf-8"))]
    sizes = []
    for width, height, encoded in make_copies(data, fmt):
        replace_file(folder / f"{width}", encoded)  # parallel builds never see half a file
        sizes.append((width, height))
    replace_file(index, json.dumps(sizes).encode("utf-8"))  # last: its presence says the rest is there
    return sizes


def make_copies(data: bytes, fmt: str) -> list[tuple[int, int, bytes]]:
    """(width, height, encoded bytes) of each copy of the image ``data``, narrowest first."""
    from PIL import ExifTags, Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        if opened.width * opened.height > limits.IMAGE_PIXELS:  # the header again: never decode a bomb
            raise ImageRefused(*_pixels_problem(opened.width, opened.height))
        icc = opened.info.get("icc_profile")
        turned = opened.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)  # upright on a phone
        shown_width = opened.height if turned else opened.width
        scale = copy_widths(shown_width)[-1] / shown_width
        opened.draft(opened.mode if opened.mode in ("RGB", "L") else None,
                     (math.ceil(opened.width * scale), math.ceil(opened.height * scale)))
        image = ImageOps.exif_transpose(opened)  # a phone held upright writes the turn in EXIF
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode == "P" or image.mode in ("LA", "PA", "I;16", "I", "F", "CMYK"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    copies = []
    # the widest first, each narrower one from the copy before it: a 12-megapixel photo is
    # resampled once in full, not three times
    for width in reversed(copy_widths(image.width)):
        height = max(1, round(image.height * width / image.width))
        if (width, height) != image.size:
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        options = {"icc_profile": icc} if icc else {}
        if fmt == "JPEG":
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **options)
        elif fmt == "WEBP":
            image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **options)
        else:
            image.save(out, "PNG", optimize=True, **options)
        copies.append((width, height, out.getvalue()))
    return list(reversed(copies))
