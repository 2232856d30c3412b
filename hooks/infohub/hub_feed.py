"""The hub's feeds: the newest posts of every office, and the national posts once.

Every office republishes the national posts; repeating each of them thirty
times would flood a scheduler, so the hub's feed carries them once, linked
to the hub's own page, next to each office's own posts, linked to that
office's domain.

The hub renders none of the offices' pages, so every item here is rendered
from its Markdown source, with the site's markdown_extensions, the same HTML
allow-list as every page (infohub.checks.html, with the same image hosts) and '.md' links resolved the
way MkDocs resolves them. The trade-off: an item misses whatever other hooks
do to a page's HTML. What it gains: the feed depends on sources only, never
on another site's output (sites build in parallel) nor on the hub's own
rendered pages. So the same function writes it in two places, with the same
bytes:

- the hub's MkDocs build (hooks/feeds.py, on_post_build of each language);
- the build driver, when only the offices' news changed (build.py): it
  writes the feeds again into the built hub instead of rebuilding its pages.

Of each office, only its newest posts can make the feed: they are taken from the record of
what the office offers (feed_candidates.py), not found among all its posts each time.

The hub draws the cards of the offices' items into its own output, under
assets/cards/<office>/, instead of pointing at the offices' cards (the
office may not be built yet); those folders belong to this feed alone and
are drawn anew each time, so no card of a post that left the feed stays.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from functools import partial
from itertools import takewhile
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlparse

import markdown

from . import cards, feeds, messages, paths, verdict
from .check_memo import code_digest
from .checks.html import sanitise
from .files import read_record, write_record
from .feed_candidates import office_posts
from .feeds import Author, Item
from .news import NewsPost, published_posts, save_dating
from .sitedata import SiteData, hashtags


@dataclass(frozen=True)
class FeedSettings:
    """What the hub's feeds take from its MkDocs config."""

    site_url: str
    favicon: str
    count: int  # extra.infohub.feed_items
    markdown_extensions: list
    mdx_configs: dict

    @classmethod
    def from_config(cls, config) -> FeedSettings:
        return cls(config.site_url, config.theme["favicon"], feeds.feed_items(config.extra),
                   list(config.markdown_extensions), dict(config.mdx_configs))


# The settings of the hub's feeds, as its last build loaded its config, kept under the digest of
# the hub's inputs (manifest.Inputs.digest: the base and hub configs, the code, the engine and the
# pinned packages): the refresh of the feeds of a hub whose pages are current (build.py) takes
# them from here instead of having the engine load and validate a whole config (a third of the
# refresh's time). A record of other inputs, or that cannot be read, is not used.
_SETTINGS_FORMAT = "1"


def _settings_record() -> Path:
    return paths.cache_dir("hub-feed") / "settings.json"


def keep_settings(settings: FeedSettings, digest: str) -> None:
    values = {"digest": digest, "site_url": settings.site_url, "favicon": settings.favicon, "count": settings.count,
              "markdown_extensions": settings.markdown_extensions, "mdx_configs": settings.mdx_configs}
    try:
        text = json.dumps(values, sort_keys=True)
        if json.loads(text) != values:  # not all JSON's (a key that is not a string, a tuple)
            return
        write_record(_settings_record(), _SETTINGS_FORMAT, "settings", values)
    except (OSError, TypeError, ValueError):
        pass  # a record not kept costs the next refresh its time, never its result


def kept_settings(digest: str) -> FeedSettings | None:
    values = read_record(_settings_record(), _SETTINGS_FORMAT, "settings")
    if values.get("digest") != digest:
        return None
    site_url, favicon, count = values.get("site_url"), values.get("favicon"), values.get("count")
    extensions, configs = values.get("markdown_extensions"), values.get("mdx_configs")
    if not (isinstance(site_url, str) and isinstance(favicon, str) and type(count) is int and count >= 1
            and isinstance(extensions, list) and all(isinstance(name, str) for name in extensions)
            and isinstance(configs, dict)):
        return None
    return FeedSettings(site_url, favicon, count, extensions, configs)


@dataclass(frozen=True)
class _Candidate:
    post: NewsPost  # read in full only if it makes the feed
    site: SiteData  # the hub itself for a national post, else the office's
    domain: str
    link_lang: str  # the language root the post is read under
    root: Path  # the repository the post is read from (verdict.OfficeSource.root)

    @property
    def link(self) -> str:
        return urljoin(feeds.home_url(feeds.office_url(self.domain), self.link_lang), self.post.url_path)


def write_hub_feeds(settings: FeedSettings, hub: SiteData, lang: str, root: Path, site_dir: Path,
                    warn: Callable[[str], None]) -> list[Path]:
    """rss.xml, atom.xml and feed.json of one language, into the hub's ``site_dir``.
    ``warn`` hears about the national posts' images (the offices' builds report
    their own posts')."""
    channel = feeds.site_channel(hub, lang, settings.site_url, settings.favicon, site_dir)
    return feeds.write_feeds(site_dir / paths.language_root(lang), channel,
                             hub_items(settings, hub, lang, root, site_dir, warn))


def clear_office_cards(hub: SiteData, site_dir: Path) -> None:
    """Remove the cards drawn for the offices' items (assets/cards/<office>/ in every
    language root), before the feeds of a built hub are written again."""
    for lang in hub.languages:
        for slug in hub.offices:
            shutil.rmtree(site_dir / paths.language_root(lang) / cards.CARDS_DIR / slug, ignore_errors=True)


def hub_items(settings: FeedSettings, hub: SiteData, lang: str, root: Path, site_dir: Path,
              warn: Callable[[str], None]) -> list[Item]:
    """The ``settings.count`` newest items: national posts and every office's own."""
    hub_domain = urlparse(settings.site_url).netloc
    candidates = [_Candidate(post, hub, hub_domain, lang, root)
                  for post in published_posts(hub.slug, lang, hub.timezone, root, now=hub.now)]
    # Each office as it last passed its check (verdict.py): a failing one keeps its last good posts.
    # Of each, only its newest can make the feed (feed_candidates.py: read from its record).
    for source in verdict.hub_sources(hub, root).offices:
        slug, office = source.slug, source.office
        # An office that does not publish in this language is read in Indonesian.
        post_lang = lang if lang in office.languages else "id"
        site = SiteData(slug, hub.national, office)
        candidates += [_Candidate(post, site, office.domain, post_lang, source.root)
                       for post in office_posts(source).newest(post_lang, hub.now, settings.count)]
    save_dating()  # the next build reads only the posts that changed
    renderer = markdown.Markdown(extensions=settings.markdown_extensions, extension_configs=settings.mdx_configs)
    try:
        return [_item(c, hub, settings, lang, root, site_dir, renderer, warn) for c in _newest(candidates, settings.count)]
    finally:
        _RENDERED.save()


def _newest(candidates: list[_Candidate], count: int) -> list[_Candidate]:
    """The ``count`` first of ``candidates`` ordered newest first, those of one moment by their
    links: as sorting them all by (-timestamp, link), with the links of only those that can be
    among the first (a link is a URL joined, for each of thousands of posts)."""
    by_moment = sorted(candidates, key=lambda c: -c.post.published.timestamp())
    if len(by_moment) > count:
        last = by_moment[count - 1].post.published.timestamp()
        by_moment = list(takewhile(lambda c: c.post.published.timestamp() >= last, by_moment))
    return sorted(by_moment, key=lambda c: (-c.post.published.timestamp(), c.link))[:count]


def _item(candidate: _Candidate, hub: SiteData, settings: FeedSettings, lang: str, root: Path, site_dir: Path,
          renderer: markdown.Markdown, warn: Callable[[str], None]) -> Item:
    post, site = candidate.post, candidate.site
    national = site is hub
    domain_url = feeds.office_url(candidate.domain)
    home = feeds.home_url(domain_url, candidate.link_lang)
    html = _RENDERED.html(post.source.body, settings, hub.national.defaults.image_hosts,
                          lambda: sanitise(renderer.reset().convert(post.source.body), hub.national.defaults.image_hosts))
    content = feeds.source_links_to_pages(html, urljoin(home, post.norm_src_uri))
    content = feeds.resized_sources(content, domain_url, paths.page_dirs(post.office, candidate.root))
    if national:  # the hub's own page, and the card its build drew
        card = partial(feeds.card_image, site_dir, domain_url, post.url_path, lang)
    else:
        card = partial(_office_card, settings, site, post, candidate.link_lang, site_dir)
    image = feeds.choose_image(post, domain_url=domain_url, docs_dirs=paths.page_dirs(post.office, candidate.root), card=card,
                               warn=warn if national else _silent)
    return feeds.item_from_post(post, domain=candidate.domain, link_lang=candidate.link_lang,
                                author=Author(site.name(lang), home), content_html=content,
                                categories=feeds.categories(post, lang, hashtags(post.source.meta, site, lang)),
                                image=image,
                                source=None if national else _office_feed(site, candidate.link_lang))


class _Rendered:
    """The sanitised HTML of the items' Markdown, kept between writes of the hub's feeds in the
    build cache (site/.cache/hub-feed/rendered.json): rendering each item's Markdown was a
    quarter of a refresh of the feeds, where one post changed. Each is kept under the hash of all
    it follows from: the text, the Markdown extensions and their settings, the image hosts and the
    code (check_memo.code_digest: this package and every installed package's version). Only the
    last items used are kept; a record that cannot be read is not used (the items are rendered)."""

    FORMAT, KEPT = "1", 100

    def __init__(self) -> None:
        self.found: dict[str, str] | None = None  # key -> HTML, the last used last
        self.changed = False

    def _record(self) -> Path:
        return paths.cache_dir("hub-feed") / "rendered.json"

    def html(self, body: str, settings: FeedSettings, image_hosts, render: Callable[[], str]) -> str:
        try:
            key = hashlib.sha256(json.dumps([code_digest(), settings.markdown_extensions, settings.mdx_configs,
                                             sorted(image_hosts), body]).encode("utf-8", "surrogatepass")).hexdigest()
        except (TypeError, ValueError):  # settings JSON cannot hold
            return render()
        if self.found is None:
            found = read_record(self._record(), self.FORMAT, "html")
            self.found = {k: v for k, v in found.items() if isinstance(v, str)}
        html = self.found.pop(key, None)
        if html is None:
            html, self.changed = render(), True
        self.found[key] = html
        return html

    def save(self) -> None:
        if self.found is not None and self.changed:
            kept = dict(list(self.found.items())[-self.KEPT:])
            try:
                write_record(self._record(), self.FORMAT, "html", kept)
            except (OSError, UnicodeEncodeError):
                pass  # a record not kept costs the next refresh its time, never its result
            self.changed = False
        self.found = None  # read again by the next write: another process may have written it


_RENDERED = _Rendered()


def _silent(message: str) -> None:
    """The hub does not repeat what the office's own build reports about its posts."""


def _office_feed(site: SiteData, post_lang: str) -> Author:
    """The office's own RSS feed, named as that feed names itself (RSS/Atom <source>)."""
    home = feeds.home_url(feeds.office_url(site.office.domain), post_lang)
    return Author(messages.t("feeds.office.title", post_lang, site=site.name(post_lang)),
                  urljoin(home, feeds.FORMATS["rss"][0]))


def _office_card(settings: FeedSettings, site: SiteData, post: NewsPost, lang: str, site_dir: Path) -> feeds.Image:
    """The office's card for the post, drawn as hooks/social_cards.py draws it, into
    the hub's output under assets/cards/<office>/."""
    card = cards.Card(site_name=site.name(lang), title=post.title or site.name(lang),
                      language_name=messages.t("machines.card_language", post.lang), domain=site.office.domain)
    url_path = f"{post.office}/{post.url_path}"
    cards.write_card(card, site_dir / cards.card_path(url_path, lang), paths.card_cache_dir())
    return feeds.card_image(site_dir, settings.site_url, url_path, lang)
