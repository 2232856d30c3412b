"""Every bound on what an office writes, and the small functions that enforce them.

An office's folder is untrusted input (see DEVELOPERS.md): whatever it holds,
`make check` must answer in bounded time and memory, and refuse, with the file
and line, what the build could not render in bounded time. Each limit is a
named constant here with the reason for its value; the loaders call the
functions below before they do anything whose cost grows with the input:

- a file's size is read (stat) before the file is (``too_large``);
- raw YAML is scanned for control characters, anchors and aliases, its number
  of values and its depth before it is composed (``yaml_problem``), so an
  alias bomb is refused after reading a few lines, not after expanding it;
- a page's Markdown is scanned once, linearly, for what makes Python-Markdown's
  cost grow faster than the text: long paragraphs, deep nesting and openers
  left open (``markdown_problems``);
- text fields are bounded in the schema (schema.py: Name, Title, Text,
  LongText), which calls ``control_character`` and ``printable``.

This module imports nothing from infohub but problems (and through it
messages): content, yamlsource and schema all import it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import yaml

from .messages import Msg
from .problems import Problem

KB = 1000

# --- files: their size is read before they are -----------------------------------------

# The longest page today (the editors' handbook, data-kantor.md) is 21 kB and a news post
# 1-5 kB; 200 kB is about 30,000 words, and the build renders that much of the worst
# Markdown the checks below let through in seconds (tests/test_limits.py measures it).
MARKDOWN_BYTES = 200 * KB
# Every front matter key holds a bounded value (the text limits below): all of them at
# their longest come to about 5 kB.
FRONT_MATTER_BYTES = 10 * KB
# The fullest office.yml (the test fixture) is 2.6 kB; 100 kB still holds 40 FAQ answers
# of 1,000 characters in two languages.
OFFICE_YML_BYTES = 100 * KB
# national/services.yml, the largest national file, is 3.8 kB: room for the whole country's
# catalogue many times over.
NATIONAL_YML_BYTES = 500 * KB
# The hub's mkdocs.yml is 0.3 kB: a few settings, not data.
SITE_CONFIG_BYTES = 50 * KB

# --- images: their size and header are read before they are decoded ----------------------

# A phone's photo is 2-8 MB (12 megapixels), one taken in a 50-megapixel mode 10-15 MB. Every
# image stays in the repository's history for good and every clone downloads it: a larger file
# is a scan or a video frame to be made smaller first. The editor's upload limit is the same
# (cms_config.py, media_libraries).
IMAGE_BYTES = 15_000_000
# Pixels of one image (width × height). Decoding costs 3-4 bytes a pixel whatever the file's
# size: a 40 kB PNG can claim 100,000 × 100,000 pixels (a decompression bomb, 30 GB decoded).
# 50 megapixels covers every phone and camera mode (8160 × 6120) and decodes in 200 MB at most;
# Pillow's own guard (Image.MAX_IMAGE_PIXELS, 89 megapixels) only warns below twice that.
IMAGE_PIXELS = 50_000_000

# --- documents: a PDF under docs/ is published as it is (checks/file_types.py) -------------

# The one kind of document a docs folder publishes (and the web editor uploads, cms_config.py).
DOCUMENT_SUFFIX = ".pdf"

# A scanned circular of 20 pages at 200 dpi is 3-8 MB; a larger file is a scan to be made smaller
# first (every clone downloads it, every reader on a phone too). The same as a picture's: the web
# editor has one upload limit (cms_config.py, media_libraries).
DOCUMENT_BYTES = IMAGE_BYTES


def megabytes(size: int) -> int:
    """``size`` bytes in whole megabytes, rounded up: a file 1 byte over 15 MB is not '15 MB'."""
    return -(-size // 1_000_000)

# --- YAML ---------------------------------------------------------------------------------

# Values (scalars, lists and mappings) in one file or front matter: national/services.yml,
# the largest today, has about 400. Bounds the schema's validation work with the size.
YAML_VALUES = 20_000
# Lists and mappings inside each other: the schema's deepest is 5 (fees.overrides.<fee>.
# reason.en). The conversion to Python is recursive: this keeps it far from the recursion limit.
YAML_DEPTH = 20

# --- Markdown ---------------------------------------------------------------------------

# Characters of one paragraph, list or table (lines without an empty line between them).
# Python-Markdown's inline processing costs about the square of a paragraph's length when it
# is full of markup (emphasis, code, links); the longest paragraph in the repository is 3,700
# characters.
MARKDOWN_BLOCK_CHARS = 10_000
# Lists, quotes and notes (admonitions) inside each other: three or four is already hard to read.
MARKDOWN_NESTING = 10
# Code blocks ('```') in one page: each costs the build about a millisecond (Pygments prepares
# a formatter for it), 200 kB of them half a minute; the handbook's longest page has 11.
MARKDOWN_CODE_BLOCKS = 200
# '[' not yet closed by ']' in one paragraph, and '(' of a link's address not yet closed by ')'.
# Python-Markdown looks for the end of each from where it opens: its cost is the number
# open at a time times the paragraph's length.
MARKDOWN_OPEN_BRACKETS = 20
MARKDOWN_OPEN_PARENS = 20
# '<' of a tag, comment or declaration not yet closed by '>', in Markdown and in data (which
# templates write into pages as it is): every HTML parser on the way (Python-Markdown's, the
# sanitiser's, the checks') looks for the '>' of each from where it opens.
OPEN_TAGS = 20

# --- text fields: characters, without the spaces around them -----------------------------

# A name (an office, a city, a fee, a service, a unit): the longest office name today has
# 58 characters. Drawn on every social card of the site (cards.py).
NAME_CHARS = 150
# A page's title: search results show about 60 characters and the social card three lines
# (about 90); 200 leaves room for a long official name in it.
TITLE_CHARS = 200
# A sentence or a short paragraph (a description, summary, question, reason, alert, address).
TEXT_CHARS = 1_000
# An answer or note of several paragraphs.
LONG_TEXT_CHARS = 10_000
# A value of a fixed form (an address on the web, a slug, a hashtag, a phone number): the
# longest, a URL, stays under 2,000 characters wherever it has to work.
FORM_CHARS = 2_000
# A file or folder name under docs/: it is part of the page's address, of the feeds' links and
# of the social card's name. A title typed as a slug (2,000 characters) is refused by Linux
# (255 bytes a name) and, once committed, `git clone` fails; Windows gives a whole path 260.
# 80 characters leaves room for offices/<slug>/docs/berita/<year>/ and '.en.md' on every system.
FILE_NAME_CHARS = 80

# --- characters no text may hold ---------------------------------------------------------

# C0 controls but tab, line feed and carriage return (a line end in every file), DEL, the C1
# controls and the noncharacters U+FFFE and U+FFFF: invisible in an editor, and XML (the
# feeds, the sitemap) cannot carry them, so the build fails on them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """The first character of ``text`` no text may hold, as 'U+0000', or None."""
    found = _CONTROL.search(text)
    return f"U+{ord(found[0]):04X}" if found else None


def printable(text: str) -> str:
    """``text`` with each such character written as \\u0000, to be quoted in a message."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m[0]):04X}", text)


def _control_problem(text: str, shown: str, first_line: int) -> Problem | None:
    found = _CONTROL.search(text)
    if not found:
        return None
    return Problem(shown, first_line + text.count("\n", 0, found.start()), "", "control_character",
                   {"character": f"U+{ord(found[0]):04X}"})


# --- files ----------------------------------------------------------------------------


def file_bytes(path: Path) -> tuple[int, str]:
    """The largest a file of this kind may be, and the kind (for the message)."""
    if path.suffix == ".md":
        return MARKDOWN_BYTES, "markdown"
    if path.name == "office.yml":
        return OFFICE_YML_BYTES, "office"
    if path.name == "mkdocs.yml":
        return SITE_CONFIG_BYTES, "site_config"
    return NATIONAL_YML_BYTES, "national"


def too_large(path: Path, shown: str | None = None) -> Problem | None:
    """A problem when the file is larger than its kind may be; its size is read, not the file."""
    limit, kind = file_bytes(path)
    size = path.stat().st_size
    if size <= limit:
        return None
    return Problem(shown or str(path), None, "", "file_too_large",
                   {"kind": _kind(kind), "size": _kb(size), "limit": _kb(limit)})


def front_matter_too_large(front_matter: str, shown: str, line: int) -> Problem | None:
    size = len(front_matter.encode("utf-8"))
    if size <= FRONT_MATTER_BYTES:
        return None
    return Problem(shown, line, "", "front_matter_too_large", {"size": _kb(size), "limit": _kb(FRONT_MATTER_BYTES)})


def _kb(size: int) -> int:
    return -(-size // KB)  # rounded up: a file 1 byte over 200 kB is not '200 kB'


def _kind(kind: str) -> Msg:
    return Msg(f"limits.kind.{kind}")


# --- YAML -------------------------------------------------------------------------------

_TAG_MARK = re.compile(r"<[A-Za-z/!?]|>")


def unclosed_tag(text: str, shown: str, first_line: int = 1) -> Problem | None:
    """More than OPEN_TAGS '<' opening a tag with no '>' after them, in data."""
    tags = 0
    for match in _TAG_MARK.finditer(text):
        tags = 0 if match[0] == ">" else tags + 1
        if tags > OPEN_TAGS:
            return Problem(shown, first_line + text.count("\n", 0, match.start()), "", "unclosed_marks",
                           {"mark": "<", "close": ">", "limit": OPEN_TAGS})
    return None


def yaml_problem(text: str, events: Iterable[yaml.Event], shown: str, line_offset: int = 0) -> Problem | None:
    """The first bound ``text`` breaks, read from its parser's events before anything is built:
    a control character, tags left open, too many values or values nested too deep.

    An alias counts as the values it stands for, at the depth they reach: the data is built with
    each alias expanded (yamlsource._to_python), and 8 lines of aliases of aliases expand to
    a billion values ("billion laughs"). Anchors themselves are fine: national data uses them.
    """
    found = _control_problem(text, shown, 1 + line_offset) or unclosed_tag(text, shown, 1 + line_offset)
    if found:
        return found
    values = 0
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (values, height) of what it names
    open_: list[list] = []  # the collections being read: [anchor, values, height]
    for event in events:
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size, height = open_.pop()
            if anchor is not None:
                anchored[anchor] = (size, height)
            if open_:
                open_[-1][1] += size
                open_[-1][2] = max(open_[-1][2], height + 1)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        line = event.start_mark.line + 1 + line_offset
        if isinstance(event, yaml.AliasEvent):
            size, height = anchored.get(event.anchor, (1, 0))  # an unknown one: the composer says so
        else:
            size, height = 1, 0
        values += size
        if values > YAML_VALUES:
            return Problem(shown, line, "", "yaml_too_many_values", {"limit": YAML_VALUES})
        if isinstance(event, yaml.CollectionStartEvent):
            height = 1  # the depth it opens; its own height is known at its end
        if len(open_) + height > YAML_DEPTH:
            return Problem(shown, line, "", "yaml_too_deep", {"limit": YAML_DEPTH})
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append([event.anchor, 1, 0])
            continue
        if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            anchored[event.anchor] = (1, 0)
        if open_:
            open_[-1][1] += size
            open_[-1][2] = max(open_[-1][2], height + 1)
    return None


# --- Markdown ---------------------------------------------------------------------------

# What the scan looks at in a line: an escaped character (never markup), brackets, the '(' of
# a link's address ('](', or any '(' inside one), the '<' that opens a tag, comment or
# declaration, and '>'.
_MARKUP = re.compile(r"\\.|\]\(|[\[\]()>]|<[A-Za-z/!?]")
_QUOTE = re.compile(r" {0,3}> ?")
_FENCE = re.compile(r"\s*(```+|~~~+)")
# A list item or a note (admonition, details) opens a level when indented by 4 per level.
_OPENS_LEVEL = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)|(?:!!!|\?\?\?\+?)\s")


def _nesting(line: str) -> int:
    """How deep a line stands: its quote marks, and its indentation when it opens a level."""
    quotes, at = 0, 0
    while True:
        match = _QUOTE.match(line, at)
        if not match:
            break
        quotes, at = quotes + 1, match.end()
    rest = line[at:].expandtabs(4)
    content = rest.lstrip(" ")
    if _OPENS_LEVEL.match(content):
        return quotes + (len(rest) - len(content)) // 4 + 1
    return quotes


def markdown_problems(body: str, shown: str, first_line: int = 1) -> list[Problem]:
    """What in a page's Markdown the build could not render in bounded time: one problem per
    bound, at the first line that breaks it. One pass over the text."""
    found: dict[str, Problem] = {}

    def refuse(code: str, line: int, **values) -> None:
        key = code + values.get("mark", "")
        if key not in found:
            found[key] = Problem(shown, line, "", code, values)

    control = _control_problem(body, shown, first_line)
    if control:
        found["control_character"] = control
    block_start, block_chars = None, 0
    brackets = parens = tags = 0
    fence, code_blocks = None, 0
    for number, line in enumerate(body.split("\n"), start=first_line):
        if match := _FENCE.match(line):
            if fence is None:
                fence, code_blocks = match[1], code_blocks + 1
                if code_blocks > MARKDOWN_CODE_BLOCKS:
                    refuse("markdown_code_blocks", number, limit=MARKDOWN_CODE_BLOCKS)
            elif match[1][0] == fence[0] and len(match[1]) >= len(fence):
                fence = None
        if not line.strip():
            if block_chars > MARKDOWN_BLOCK_CHARS:
                refuse("markdown_block_too_long", block_start, length=block_chars, limit=MARKDOWN_BLOCK_CHARS)
            block_start, block_chars, brackets, parens = None, 0, 0, 0
            continue
        if block_start is None:
            block_start = number
        block_chars += len(line) + 1
        if line[0] in " \t>" and _nesting(line) > MARKDOWN_NESTING:  # else at most a list's first level
            refuse("markdown_too_deep", number, limit=MARKDOWN_NESTING)
        for match in _MARKUP.finditer(line):
            mark = match[0]
            if mark == "[":
                brackets += 1
                if brackets > MARKDOWN_OPEN_BRACKETS:
                    refuse("unclosed_marks", number, mark="[", close="]", limit=MARKDOWN_OPEN_BRACKETS)
            elif mark == "]":
                brackets = max(brackets - 1, 0)
            elif mark == "](" or (mark == "(" and parens):
                brackets = max(brackets - (mark == "]("), 0)
                parens += 1
                if parens > MARKDOWN_OPEN_PARENS:
                    refuse("unclosed_marks", number, mark="(", close=")", limit=MARKDOWN_OPEN_PARENS)
            elif mark == ")":
                parens = max(parens - 1, 0)
            elif mark == ">":
                tags = 0
            elif mark[0] == "<":
                tags += 1
                if tags > OPEN_TAGS:
                    refuse("unclosed_marks", number, mark="<", close=">", limit=OPEN_TAGS)
    if block_chars > MARKDOWN_BLOCK_CHARS:
        refuse("markdown_block_too_long", block_start, length=block_chars, limit=MARKDOWN_BLOCK_CHARS)
    return sorted(found.values(), key=lambda p: p.line or 0)


# Every problem code above: a page or file with one of them is not read by the other checks either.
CODES = frozenset({"control_character", "file_too_large", "front_matter_too_large", "yaml_too_many_values",
                   "yaml_too_deep", "markdown_block_too_long", "markdown_code_blocks", "markdown_too_deep",
                   "unclosed_marks"})
