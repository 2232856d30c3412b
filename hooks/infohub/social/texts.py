"""The text of a social post, fitted to each platform's limit.

Every platform counts length its own way: X weighs characters and counts
every link as 23; Mastodon counts code points and links as 23; Bluesky
counts grapheme clusters and wants links and hashtags as facets with UTF-8
byte offsets; Telegram counts UTF-16 units; Threads (500) and LinkedIn (3,000)
count characters; Instagram allows 2,200 characters (counted here as UTF-16
units, the safe side), at most 30 hashtags and 20 @-mentions in the whole
caption, the summary's own included. Where a text is too long, the
summary is cut; hashtags (from the last) give way before it is cut below
MIN_SUMMARY; then the title is cut. The link always stays.
A cut falls between words and ends with an ellipsis, so it never splits a
link, a hashtag or a character made of several code points (an emoji, a
flag, a letter with a combining mark).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Literal
from urllib.parse import urlsplit

import regex

ELLIPSIS = "…"
LINK_LENGTH = 23  # what X and Mastodon count for any link, however long
MIN_SUMMARY = 80  # a summary is cut shorter than this only when no hashtag is left to drop
_URL = regex.compile(r"https?://\S+")
# X also links bare domains ('imigrasi.go.id'); counted as at least a link, to stay on the safe side.
_DOMAIN = regex.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?", regex.IGNORECASE)
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
_HASHTAG = regex.compile(r"(?<!\S)#([^\s#]+)")
# what Instagram may take for a hashtag or a mention anywhere in a caption (counted generously)
_TAG_LIKE = regex.compile(r"#\w")
_MENTION_LIKE = regex.compile(r"@\w")
# twitter-text's configuration v3: code points in these ranges weigh 1, all others 2
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def graphemes(text: str) -> list[str]:
    # ASCII: each character is a cluster but CR LF (the one pair Unicode joins), at no regex's cost;
    # `make check` measures every page's text for six platforms
    if text.isascii() and "\r\n" not in text:
        return list(text)
    return regex.findall(r"\X", text)


def _x_plain(text: str) -> int:
    if text.isascii():  # no ASCII character is an emoji, and each weighs 1 (_X_LIGHT)
        return len(text)
    weight = 0
    for cluster in graphemes(text):
        if _EMOJI.search(cluster):
            weight += 2  # an emoji weighs 2 whatever its code points (ZWJ sequences, flags)
        else:
            weight += sum(1 if any(lo <= ord(ch) <= hi for lo, hi in _X_LIGHT) else 2 for ch in cluster)
    return weight


def x_length(text: str) -> int:
    """The length X counts (twitter-text weighted length, links as 23)."""
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for match in regex.finditer(rf"{_URL.pattern}|{_DOMAIN.pattern}", text, flags=regex.IGNORECASE):
        total += _x_plain(text[pos:match.start()])
        link = match.group()
        total += LINK_LENGTH if _URL.fullmatch(link) else max(LINK_LENGTH, _x_plain(link))
        pos = match.end()
    return total + _x_plain(text[pos:])


def mastodon_length(text: str) -> int:
    """Code points, with every http(s) link counted as 23 (Mastodon's counter)."""
    return len(_URL.sub("x" * LINK_LENGTH, text))


def grapheme_length(text: str) -> int:
    return len(graphemes(text))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Platform:
    name: str
    limit: int | None
    measure: Callable[[str], int]
    # how the page's address appears in the text: whole; without scheme and query for reading
    # ('bare': Instagram does not link it); that shortened to 40 ('short': Bluesky links it
    # through a facet); or not at all (Facebook takes it as a link that becomes a preview)
    link: Literal["full", "bare", "short", "none"] = "full"
    max_hashtags: int | None = None  # of the page's hashtags, appended at the end
    hashtag_limit: int | None = None  # hashtags in the whole text, the summary's included
    mention_limit: int | None = None  # @-mentions in the whole text
    facets: bool = False

    def fits(self, text: str) -> bool:
        return ((self.limit is None or self.measure(text) <= self.limit)
                and (self.hashtag_limit is None or len(_TAG_LIKE.findall(text)) <= self.hashtag_limit)
                and (self.mention_limit is None or len(_MENTION_LIKE.findall(text)) <= self.mention_limit))


PLATFORMS: dict[str, Platform] = {p.name: p for p in (
    Platform("facebook", 63206, len, link="none"),
    Platform("instagram", 2200, utf16_length, link="bare", max_hashtags=5, hashtag_limit=30, mention_limit=20),
    Platform("x", 280, x_length),
    Platform("whatsapp_channel", 65536, utf16_length),
    Platform("telegram", 4096, utf16_length),
    Platform("mastodon", 500, mastodon_length),
    Platform("bluesky", 300, grapheme_length, link="short", facets=True),
    Platform("threads", 500, len),
    Platform("linkedin", 3000, len),
    Platform("log", None, len),
)}


@dataclass(frozen=True)
class Draft:
    """What a post says before it is fitted to a platform."""

    title: str
    summary: str
    url: str
    hashtags: tuple[str, ...] = ()


def bare_link(url: str) -> str:
    """'kantorcontoh.id/berita/2025/a/': the address to read, without scheme and query."""
    parts = urlsplit(url)
    return parts.netloc + parts.path


def short_link(url: str, width: int = 40) -> str:
    """The bare address, at most ``width`` characters."""
    clusters = graphemes(bare_link(url))
    return "".join(clusters) if len(clusters) <= width else "".join(clusters[: width - 1]) + ELLIPSIS


def _render(title: str, summary: str, link: str, tags: list[str]) -> str:
    return "\n\n".join(part for part in (title, summary, link, " ".join(tags)) if part)


def truncate(text: str, fits: Callable[[str], bool]) -> str:
    """The longest start of ``text`` that fits, cut between words and ending in '…'.

    Links and hashtags are whole words, so they are kept or dropped whole. Text
    without spaces (a single long word) is cut between grapheme clusters.
    Returns '' when not even one word fits.
    """
    if fits(text):
        return text
    words = text.split()
    found = _longest(len(words) - 1, lambda count: " ".join(words[:count]).rstrip(",;:–—-") + ELLIPSIS, fits)
    if found is None and words and not (_URL.match(words[0]) or words[0].startswith("#")):
        clusters = graphemes(words[0])
        found = _longest(len(clusters) - 1, lambda count: "".join(clusters[:count]) + ELLIPSIS, fits)
    return found or ""


def _longest(most: int, candidate: Callable[[int], str], fits: Callable[[str], bool]) -> str | None:
    """The candidate of the largest count from 1 to ``most`` that fits, or None. Found by halving
    (a longer start measures more, but for a link cut short, which X may count differently):
    measuring costs the text's length, so trying every count from the top cost its square
    (`make check` took minutes on a 2,000-character title)."""
    low, high, found = 1, most, None
    while low <= high:
        middle = (low + high) // 2
        text = candidate(middle)
        if fits(text):
            found, low = text, middle + 1
        else:
            high = middle - 1
    return found


_LINK_FORMS: dict[str, Callable[[str], str]] = {
    "full": lambda url: url, "bare": bare_link, "short": short_link, "none": lambda url: ""}


def compose(draft: Draft, platform: Platform) -> str:
    """The post's text for ``platform``, within its limit."""
    link = _LINK_FORMS[platform.link](draft.url)  # only the platform's own form is worked out
    tags = [f"#{tag}" for tag in draft.hashtags][: platform.max_hashtags]
    full = _render(draft.title, draft.summary, link, tags)
    if platform.limit is None:
        return full
    fits = platform.fits
    # What the steps below return for a text that fits whole, found without them (most posts:
    # `make check` composes every post for every platform). They would keep every hashtag, since
    # the text without the summary fits too (each measure counts a part's characters, links and
    # tags within that part: the parts are separated by blank lines), and the whole summary.
    if fits(full):
        return full
    for count in range(len(tags), -1, -1):
        kept = tags[:count]
        if not fits(_render(draft.title, "", link, kept)):
            continue
        summary = truncate(draft.summary, lambda s: fits(_render(draft.title, s, link, kept)))
        if platform.measure(summary) >= min(MIN_SUMMARY, platform.measure(draft.summary)) or count == 0:
            return _render(draft.title, summary, link, kept)
    title = truncate(draft.title, lambda s: fits(_render(s, "", link, [])))
    return _render(title, "", link, [])


def bluesky_facets(text: str, url: str) -> list[dict]:
    """Links and hashtags of a Bluesky post as facets, with UTF-8 byte offsets.

    The page's address is shown shortened; its facet carries the whole URL.
    """
    def span(start: int, end: int) -> dict:
        return {"byteStart": len(text[:start].encode("utf-8")), "byteEnd": len(text[:end].encode("utf-8"))}

    facets = []
    shown = short_link(url)
    at = text.rfind(shown)
    if at >= 0:
        facets.append({"index": span(at, at + len(shown)),
                       "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}]})
    for match in _URL.finditer(text):
        facets.append({"index": span(match.start(), match.end()),
                       "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group()}]})
    for match in _HASHTAG.finditer(text):
        tag = match.group(1).rstrip(".,;:!?…")
        facets.append({"index": span(match.start(), match.start() + 1 + len(tag)),
                       "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}]})
    return sorted(facets, key=lambda f: f["index"]["byteStart"])
