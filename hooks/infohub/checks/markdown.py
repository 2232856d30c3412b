"""A Markdown page as the checks read it: lines numbered as in the editor.

The checks look for links, images, raw HTML and personal data in what an
editor wrote, not in code examples: fenced code blocks and inline code are
blanked out (keeping every line in place) before they look. Indented code
blocks are not told apart from indented admonition text: both are read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator

from .. import limits, paths
from ..content import load_page, markdown_files, source_text

_FENCE = re.compile(r"^\s*(```+|~~~+)")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# <https://…> and <name@example.org>: Markdown autolinks, not HTML tags
_AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
# the autolinks Python-Markdown makes a link of (its AUTOLINK_RE): http, https and ftp
_WEB_AUTOLINK = re.compile(r"<((?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*)>")

# [text](target "title"), ![alt](target), [id]: target
_INLINE_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))*)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$")
# quoted or not, on one line or several: browsers read <img src=x> as well as <img src="x">
_HTML_URL = re.compile(r"<(a|img|iframe)\b[^>]*?\s(href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))", re.I)


@dataclass(frozen=True)
class Reference:
    """A link or image target in a page, with the line it is on."""

    line: int
    target: str
    is_image: bool
    in_html: bool = False


@dataclass
class MarkdownPage:
    path: Path
    docs_dir: Path
    text: str

    @classmethod
    def read(cls, path: Path, docs_dir: Path) -> "MarkdownPage | None":
        """The page, or None when the front matter check refuses to read it: not UTF-8, or
        beyond a bound (limits.py) that the checks' own scans rely on."""
        if any(problem.code in limits.CODES for problem in load_page(path)[1]):
            return None
        text = source_text(path)
        return None if text is None else cls(path, docs_dir, text)

    @property
    def shown(self) -> str:
        return paths.rel(self.path)

    @cached_property
    def src_uri(self) -> str:
        return paths.relative_posix(self.path, self.docs_dir)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def body_start(self) -> int:
        """Index of the first line after the front matter (0 when there is none)."""
        if self.lines and self.lines[0].strip() == "---":
            for i, line in enumerate(self.lines[1:], start=1):
                if line.strip() in ("---", "..."):
                    return i + 1
        return 0

    @cached_property
    def prose(self) -> list[tuple[int, str]]:
        """(line number, text) of the body with code and autolinks blanked out."""
        return [(number, _AUTOLINK.sub(lambda m: " " * len(m[0]), line)) for number, line in self._without_code]

    @cached_property
    def _without_code(self) -> list[tuple[int, str]]:
        """(line number, text) of the body with code blocks and inline code blanked out."""
        out, fence = [], None
        for number, line in enumerate(self.lines[self.body_start:], start=self.body_start + 1):
            match = _FENCE.match(line)
            if fence:
                if match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
                    fence = None
                out.append((number, ""))
                continue
            if match:
                fence = match[1]
                out.append((number, ""))
                continue
            out.append((number, _INLINE_CODE.sub(lambda m: " " * len(m[0]), line)))
        return out

    def references(self) -> list[Reference]:
        """Every link and image target, in Markdown (autolinks too) or in raw HTML; found once per
        page (the links check and the news images' check read every page's)."""
        return list(self._references)

    @cached_property
    def _references(self) -> tuple[Reference, ...]:
        return tuple(self._find_references())

    def _find_references(self) -> Iterator[Reference]:
        # Every form below holds '<' (autolinks, HTML), '](' (inline links) or ']:' (reference
        # definitions): a page with none of them, as most news posts are, has no reference to find.
        if "<" not in self.text and "](" not in self.text and "]:" not in self.text:
            return
        for number, line in self._without_code:
            for match in _WEB_AUTOLINK.finditer(line):
                yield Reference(number, match[1], False)
        for number, line in self.prose:
            for match in _INLINE_LINK.finditer(line):
                yield Reference(number, match[2], match[1] == "!")
            match = _REFERENCE.match(line)
            if match:
                yield Reference(number, match[1], bool(re.search(r"\.(png|jpe?g|gif|webp|svg|avif)$", match[1], re.I)))
        # raw HTML tags may span lines (<img\n  src="x">): read the body as one text
        prose = self.prose
        text = "\n".join(line for _, line in prose)
        for match in _HTML_URL.finditer(text):
            group = next(i for i in (3, 4, 5) if match[i] is not None)
            number = prose[text.count("\n", 0, match.start(group))][0]
            yield Reference(number, match[group], match[1].lower() == "img", in_html=True)


def pages_in(docs_dir: Path) -> list[MarkdownPage]:
    """Every readable page of a docs folder; read once per check (paths.files_unchanged)."""
    return paths.kept("pages", docs_dir, lambda: [page for file in markdown_files(docs_dir)
                                                  if (page := MarkdownPage.read(file, docs_dir))])


def is_external(target: str) -> bool:
    """A target on another site or of another kind (mailto:, tel:) or a page anchor."""
    return bool(re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", target))
