"""Feeds of one site's news: RSS 2.0, Atom 1.0 and JSON Feed 1.1, per language.

Social schedulers (Buffer, Hootsuite, dlvr.it, IFTTT, Zapier), RSS-to-Mastodon
tools (feed2toot, feediverse) and feed readers read these files, so every item
carries what they rely on:

- an id that never changes (``NewsPost.uid``: office + path + language), so
  editing a title or a date never makes a post "new" again downstream;
- an absolute link on the office's own domain, also in the hub's feed;
- the rendered post with absolute links, a plain-text summary, categories
  (the post's category and hashtags: schedulers turn them into hashtags);
- titles and summaries that read as the editor wrote them, '<paspor>' and '&'
  included, in each format's own terms: Atom says they are text, JSON Feed's
  are text by definition, and RSS readers (feedparser, feed2toot, browsers'
  readers) read RSS's as HTML, so there they are written as HTML (_rss_text);
- an image at least 600 px wide, as RSS ``enclosure`` and ``media:content``
  with its type, size in bytes and width read from the file itself: the
  post's own image, else its social card (cards.py).

Nothing here reads the clock: the channel's date is the newest item's, so the
same content gives the same bytes. The hook (hooks/feeds.py) decides when to
call ``write_feeds``; this module only turns items into files.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

import imagesize
import lxml.html
from feedgen.feed import FeedGenerator
from lxml import etree

from . import cards, images, paths
from .checks.html import plain_text
from .files import replace_file
from .paths import language_root
from .messages import t
from .news import NewsPost

if TYPE_CHECKING:
    from .sitedata import SiteData

# File name, MIME type and the name a reader shows, per format.
FORMATS = {
    "rss": ("rss.xml", "application/rss+xml", "RSS"),
    "atom": ("atom.xml", "application/atom+xml", "Atom"),
    "json": ("feed.json", "application/feed+json", "JSON Feed"),
}
DEFAULT_ITEMS = 20  # mkdocs.yml extra.infohub.feed_items
TTL_MINUTES = 60  # how long a reader may cache a feed before asking again
MIN_IMAGE_WIDTH = 600  # below this Facebook, LinkedIn and Mastodon show no large preview
# What social networks accept as a preview image (not SVG).
RASTER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
SUMMARY_CHARS = 280
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"


class FeedError(Exception):
    """A feed cannot be written without lying: stop the build and say why."""


# The HTML MkDocs rendered for each news post of the site being built, per language: what an
# office's feeds carry. hooks/feeds.py fills it as the posts render, render_cache.py for a post
# whose page it reuses. One site at a time per process: another site's build starts afresh.
_rendered: dict = {"site_dir": None, "languages": {}}


def rendered_posts(site_dir: str | Path, lang: str) -> dict[str, str]:
    """norm_src_uri -> the post's HTML, for the build into ``site_dir`` and language ``lang``."""
    if _rendered["site_dir"] != str(site_dir):
        _rendered.update(site_dir=str(site_dir), languages={})
    return _rendered["languages"].setdefault(lang, {})


@dataclass(frozen=True)
class Image:
    url: str
    type: str
    width: int
    height: int
    length: int  # bytes


@dataclass(frozen=True)
class Author:
    name: str
    url: str


@dataclass(frozen=True)
class Item:
    uid: str
    title: str
    link: str
    published: dt.datetime
    updated: dt.datetime
    summary: str
    content_html: str
    categories: tuple[str, ...]
    author: Author
    image: Image
    language: str
    source: Author | None = None  # in the hub's feed: the office's own feed it comes from


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    language: str
    home_url: str  # the language root of the site: https://imigrasiblitar.id/en/
    author: Author
    icon_url: str
    image: Image | None  # RSS <image>, Atom <logo>, JSON Feed icon

    def feed_url(self, kind: str) -> str:
        return urljoin(self.home_url, FORMATS[kind][0])


# --- what a feed's settings and addresses are ------------------------------------


def feed_items(extra: dict) -> int:
    """How many posts each feed carries: ``extra.infohub.feed_items`` in mkdocs.yml."""
    value = (extra.get("infohub") or {}).get("feed_items", DEFAULT_ITEMS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FeedError(t("feeds.error.bad_feed_items", value=str(value)))
    return value


def home_url(domain_url: str, lang: str) -> str:
    return urljoin(domain_url, language_root(lang))


def office_url(domain: str) -> str:
    return f"https://{domain}/"


def site_channel(site: SiteData, lang: str, site_url: str, favicon: str, site_dir: Path | None) -> Channel:
    """The feed's own description; ``site_dir`` None: without the image (not drawn yet)."""
    name = site.name(lang)
    home = home_url(site_url, lang)
    key = "feeds.hub" if site.is_hub else "feeds.office"
    image = card_image(site_dir, site_url, "", lang) if site_dir else None
    return Channel(title=t(f"{key}.title", lang, site=name), description=t(f"{key}.description", lang, site=name),
                   language=lang, home_url=home, author=Author(name, home), icon_url=urljoin(site_url, favicon),
                   image=image)


def feed_links(channel: Channel) -> list[dict]:
    """The <link rel="alternate"> tags that let browsers and readers find the feeds."""
    return [{"type": mime, "title": t("feeds.link_title", channel.language, format=name, title=channel.title),
             "href": channel.feed_url(kind)} for kind, (_, mime, name) in FORMATS.items()]


# --- items ---------------------------------------------------------------------------


def item_from_post(post: NewsPost, *, domain: str, link_lang: str, author: Author, content_html: str,
                   categories: Iterable[str], image: Image, source: Author | None = None) -> Item:
    """One feed item; ``link_lang`` is the language root the post is read under."""
    link = urljoin(home_url(office_url(domain), link_lang), post.url_path)
    content = clean_html(content_html, link)
    summary = post.source.meta.description or excerpt(content)
    return Item(uid=post.uid, title=post.title, link=link, published=post.published, updated=post.updated,
                summary=summary, content_html=content, categories=tuple(dict.fromkeys(categories)),
                author=author, image=image, language=post.lang, source=source)


def categories(post: NewsPost, lang: str, hashtags: Iterable[str]) -> list[str]:
    """The post's category in the feed's language, then its hashtags (front matter
    < office < national, as the caller resolved them)."""
    found = [t(f"feeds.category.{post.category}", lang)] if post.category else []
    return found + list(hashtags)


def clean_html(content_html: str, page_url: str) -> str:
    """The post's HTML as a feed reader needs it: every link and image absolute
    (a reader has no page to resolve them against), no '¶' heading anchors."""
    if not content_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(content_html, create_parent="div")
    for anchor in root.xpath('.//a[contains(concat(" ", normalize-space(@class), " "), " headerlink ")]'):
        anchor.drop_tree()
    root.rewrite_links(lambda link: urljoin(page_url, link), resolve_base_href=False)
    for image in root.iter("img"):  # one address a reader can load: srcset's are relative to the page
        image.attrib.pop("srcset", None)
        image.attrib.pop("sizes", None)
    return _inner_html(root)


def resized_sources(content_html: str, domain_url: str, docs_dirs: list[Path]) -> str:
    """A post's HTML (addresses absolute) with each picture of the office's own that the
    build resizes (images.py) at the address of its copy: the original is not published.
    For posts rendered outside MkDocs (the hub's feed); MkDocs' pages get theirs from
    hooks/page_images.py."""
    if not content_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(content_html, create_parent="div")
    for element in root.iter("img", "a"):
        attribute = "src" if element.tag == "img" else "href"
        address = element.get(attribute) or ""
        if not address.startswith(domain_url):
            continue
        named = urlsplit(address).path.lstrip("/")
        # pictures are not translated: 'en/berita/…' resolved from an English page is 'berita/…'
        found = [(path, d / path) for path in (named, re.sub(r"^[a-z]{2}/", "", named))
                 for d in reversed(docs_dirs) if paths.is_file(d / path)]
        if not found or not images.is_resized(named):
            continue
        site_path, file = found[0]
        try:
            resized = images.resize(file, site_path, paths.cache_dir("images"))
        except images.ImageRefused:
            element.drop_tree() if element.tag == "img" else element.attrib.pop("href")
            continue
        copy = resized.default if element.tag == "img" else resized.largest
        element.set(attribute, urljoin(domain_url, copy.path))
    return _inner_html(root)


def _inner_html(root) -> str:
    text = html_lib.escape(root.text or "", quote=False)
    return (text + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)).strip()


def excerpt(content_html: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of the post as plain text, cut at a word: for posts without a description."""
    text = plain_text(content_html)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + "…"


def source_links_to_pages(content_html: str, source_url: str) -> str:
    """Links as an editor wrote them ('../../biaya.md'), resolved against the post's
    source path and turned into page addresses ('https://…/biaya/'), as MkDocs does
    for the pages it renders. For posts rendered outside MkDocs (the hub's feed)."""
    if not content_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(content_html, create_parent="div")
    root.rewrite_links(lambda link: _page_address(urljoin(source_url, link)), resolve_base_href=False)
    return _inner_html(root)


def _page_address(url: str) -> str:
    parts = urlsplit(url)
    path = PurePosixPath(parts.path)
    if path.suffix != ".md":
        return url
    name = re.sub(r"\.[a-z]{2}$", "", path.stem)  # 'biaya.en.md' is the page 'biaya'
    page = str(path.parent).rstrip("/") + "/" + ("" if name == "index" else f"{name}/")
    return urlunsplit(parts._replace(path=page))


# --- images ---------------------------------------------------------------------------


def read_image(file: Path, url: str) -> Image:
    """An image's type, pixel size and byte length, from the file itself."""
    if not file.is_file():
        raise FeedError(t("feeds.error.image_missing", path=str(file)))
    width, height = imagesize.get(file)
    mime = mimetypes.guess_type(file.name)[0]
    if width <= 0 or not mime or not mime.startswith("image/"):
        raise FeedError(t("feeds.error.image_unreadable", path=str(file)))
    return Image(url=url, type=mime, width=round(width), height=round(height), length=file.stat().st_size)


def post_image_file(post: NewsPost, docs_dirs: Iterable[Path]) -> tuple[Path, str] | None:
    """The post's own image (front matter ``image``) on disk and its path in the site;
    None when the post has none, or names a remote one (its size cannot be read offline)."""
    image = post.source.meta.image
    if not image or re.match(r"https?://", image):
        return None
    page = post.source.path.resolve()
    docs = next((d.resolve() for d in docs_dirs if page.is_relative_to(d.resolve())), page.parent)
    target = (docs / image.lstrip("/")) if image.startswith("/") else (page.parent / image)
    target = Path(os.path.normpath(target))
    return target, target.relative_to(docs).as_posix() if target.is_relative_to(docs) else target.name


def choose_image(post: NewsPost, *, domain_url: str, docs_dirs: Iterable[Path], card: Callable[[], Image],
                 warn: Callable[[str], None]) -> Image:
    """The image every item needs: the post's own when social networks can show it
    (PNG, JPEG, GIF or WebP, at least 600 px wide), else its card.

    This is the one place that decides it. ``card`` reads the social card
    (cards.py) of the post's page; an own image left out is reported, not hidden.
    """
    own = post_image_file(post, docs_dirs)
    if own is not None:
        file, site_path = own
        try:
            image = _published_image(file, site_path, domain_url)
        except images.ImageRefused:
            return card()  # `make check` names it, and the page leaves it out
        shown = {"path": paths.rel(post.source.path), "image": post.source.meta.image}
        if image.type not in RASTER_TYPES:
            warn(t("feeds.warning.image_not_raster", **shown))
        elif image.width < MIN_IMAGE_WIDTH:
            warn(t("feeds.warning.image_narrow", **shown, width=image.width, minimum=MIN_IMAGE_WIDTH))
        else:
            return image
    return card()


def _published_image(file: Path, site_path: str, domain_url: str) -> Image:
    """The image as the site publishes it: the largest resized copy (images.py) of a JPEG,
    PNG or WebP file, read from the build cache (the office's own build publishes the
    same copy, for the hub's feed too); any other file as it is."""
    if not images.is_resized(site_path) or not paths.is_file(file):
        return read_image(file, urljoin(domain_url, site_path))
    largest = images.resize(file, site_path, paths.cache_dir("images")).largest
    return Image(url=urljoin(domain_url, largest.path), type=mimetypes.guess_type(largest.path)[0],
                 width=largest.width, height=largest.height, length=largest.cached.stat().st_size)


def card_image(site_dir: Path, domain_url: str, url_path: str, lang: str) -> Image:
    """The social card of a page as built into ``site_dir`` (cards.py draws it).

    Missing means the cards hook did not run before the feeds: an error, never
    an enclosure that points nowhere.
    """
    relative = cards.card_path(url_path, lang)
    file = site_dir / relative
    if not file.is_file():
        raise FeedError(t("feeds.error.card_missing", path=relative))
    return read_image(file, cards.card_url(domain_url, url_path, lang))


# --- the three formats ------------------------------------------------------------------


def channel_updated(items: list[Item], fallback: dt.datetime) -> dt.datetime:
    """When the feed last changed: its newest item's date (never the clock)."""
    return max((item.updated for item in items), default=fallback)


def build_epoch() -> dt.datetime:
    """A fixed moment for a feed with no items: SOURCE_DATE_EPOCH (the last commit,
    set by build.py), else 2025-01-01."""
    return dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "1735689600")), dt.timezone.utc)


def _rss_text(text: str) -> str:
    """Plain text as RSS carries it in <title> and <description>: readers take both
    for HTML (feedparser guesses, feed2toot strips tags from the toot), so '<' and
    '&' go in as HTML entities, which the XML then escapes once more. Atom and JSON
    Feed say what their texts are and carry them as they are."""
    return html_lib.escape(text, quote=False)


def _generator(channel: Channel, items: list[Item], kind: str, updated: dt.datetime) -> FeedGenerator:
    text = _rss_text if kind == "rss" else str
    fg = FeedGenerator()
    fg.load_extension("media", atom=True, rss=True)
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(channel.feed_url(kind))
    fg.title(text(channel.title))
    fg.description(text(channel.description))  # also Atom's <subtitle>
    fg.language(channel.language)
    fg.author({"name": channel.author.name, "uri": channel.author.url})
    fg.generator("infohub")
    # feedgen takes the RSS channel <link> from the last link() call: self first, the site last.
    fg.link(href=channel.feed_url(kind), rel="self", type=FORMATS[kind][1])
    fg.link(href=channel.home_url, rel="alternate", type="text/html")
    fg.icon(channel.icon_url)
    if channel.image:
        fg.logo(channel.image.url)
        fg.image(url=channel.image.url, title=text(channel.title), link=channel.home_url)
    fg.ttl(TTL_MINUTES)
    fg.updated(updated)  # also RSS lastBuildDate
    for item in items:
        fe = fg.add_entry(order="append")
        fe.id(item.uid)  # also the RSS guid, isPermaLink="false"
        fe.title(text(item.title))
        fe.link(href=item.link, rel="alternate", type="text/html")
        fe.published(item.published)
        fe.updated(item.updated)
        fe.author({"name": item.author.name, "uri": item.author.url})
        fe.dc.dc_creator(item.author.name)
        if kind == "rss":
            fe.description(_rss_text(item.summary))
        else:
            fe.summary(item.summary, type="text")
        fe.content(item.content_html, type="CDATA" if kind == "rss" else "html")
        for category in item.categories:
            fe.category(term=category)
        if item.source:
            fe.source(url=item.source.url, title=item.source.name)
        image = item.image
        fe.enclosure(image.url, str(image.length), image.type)  # RSS only: Atom's is written in atom_xml
        fe.media.content({"url": image.url, "type": image.type, "medium": "image", "width": str(image.width),
                          "height": str(image.height), "fileSize": str(image.length), "group": None})
    return fg


def rss_xml(channel: Channel, items: list[Item], updated: dt.datetime) -> bytes:
    return _generator(channel, items, "rss", updated).rss_str(pretty=True)


def atom_xml(channel: Channel, items: list[Item], updated: dt.datetime) -> bytes:
    feed = etree.fromstring(_generator(channel, items, "atom", updated).atom_str(),
                            etree.XMLParser(remove_blank_text=True))
    # feedgen 1.0.0 drops rel, type and length from an entry's links (it reads them
    # back from the new element): write the entry links here.
    for entry, item in zip(feed.iterfind(f"{{{ATOM_NS}}}entry"), items, strict=True):
        for link in entry.findall(f"{{{ATOM_NS}}}link"):
            entry.remove(link)
        etree.SubElement(entry, f"{{{ATOM_NS}}}link", href=item.link, rel="alternate", type="text/html")
        etree.SubElement(entry, f"{{{ATOM_NS}}}link", href=item.image.url, rel="enclosure",
                         type=item.image.type, length=str(item.image.length))
    return etree.tostring(feed, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def json_feed(channel: Channel, items: list[Item], updated: dt.datetime) -> bytes:
    """JSON Feed 1.1, written out by hand: feedgen does not speak it."""
    del updated  # JSON Feed has no feed-level date
    author = {"name": channel.author.name, "url": channel.author.url}
    feed = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.home_url,
        "feed_url": channel.feed_url("json"),
        "description": channel.description,
        "language": channel.language,
        "favicon": channel.icon_url,
        **({"icon": channel.image.url} if channel.image else {}),
        "authors": [author],
        "items": [{
            "id": item.uid,
            "url": item.link,
            "title": item.title,
            "content_html": item.content_html,
            "summary": item.summary,
            "image": item.image.url,
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "authors": [{"name": item.author.name, "url": item.author.url}],
            "tags": list(item.categories),
            "language": item.language,
            "attachments": [{"url": item.image.url, "mime_type": item.image.type,
                             "size_in_bytes": item.image.length}],
        } for item in items],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


WRITERS = {"rss": rss_xml, "atom": atom_xml, "json": json_feed}


def write_feeds(folder: Path, channel: Channel, items: list[Item]) -> list[Path]:
    """rss.xml, atom.xml and feed.json of one language, into its language root."""
    updated = channel_updated(items, build_epoch())
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (name, _, _) in FORMATS.items():
        target = folder / name
        # a reader never gets half a feed (the hub's is rewritten in place)
        replace_file(target, WRITERS[kind](channel, items, updated))
        written.append(target)
    return written
