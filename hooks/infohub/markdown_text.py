"""Text from an office, written into GitHub Markdown as text: the pull request comment.

A post's title, a folder's name, a channel's account: whatever an office writes can reach
the preview comment (preview.py, social/review.py, deploy.social_summary), which the bot
posts under its own name. There it must stay inert: no mention that notifies a team, no
link or image ("✅ make check passed, safe to merge", a tracking pixel), no autolink, no
HTML element, no HTML comment hiding the rest of the comment, no heading, list or table.

- ``inert``: for Markdown text (a heading, a list item, a sentence);
- ``code``: as an inline code span (a page's address); not in a table cell;
- ``inert_html``: inside an HTML element the comment writes (``<summary>``), where
  Markdown is not read.

Every one of them puts the text on one line: a line break could end the paragraph or the
HTML block and start anything. GitHub turns "@name" into a mention after rendering, in the
text of the page, so no escape of Markdown stops it; a zero-width space after each "@"
does (a mention needs a letter or digit right after the "@"), and readers do not see it.
"""
from __future__ import annotations

import html
import re

# Line breaks in the eyes of Markdown or of Python's str.splitlines
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# What starts Markdown anywhere in a line: backslash escapes, code, emphasis and strikethrough,
# links and images, HTML, autolinks and entities, table cells, math; ':', '.' and '@' start
# GitHub's bare autolinks (https://…, www.…, name@host.example).
_INLINE = re.compile(r"([\\`*_~\[\]!<>&|:.@$])")
# What starts a block at the start of a line: a heading, a list, a quote, a rule, a table row.
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_NO_MENTION = "@\u200b"


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", str(text))


def inert(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text and nothing else."""
    line = _one_line(text)
    escaped = _INLINE.sub(r"\\\1", line)
    if line[:1] and _ASCII_PUNCTUATION.match(line[0]) and not escaped.startswith("\\"):
        escaped = "\\" + escaped
    return escaped.replace("@", _NO_MENTION)


def code(text: str) -> str:
    """``text`` as an inline code span: its backticks are fenced by a longer run."""
    line = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""  # stripped again when shown
    return f"{fence}{pad}{line}{pad}{fence}"


def inert_html(text: str) -> str:
    """``text`` inside an HTML element: its markup escaped, and no mention."""
    return html.escape(_one_line(text)).replace("@", _NO_MENTION)
