"""MkDocs hook: rss.xml, atom.xml and feed.json at each language root (infohub/feeds.py).

mkdocs-static-i18n builds the site once per language, each build inside the
first one's on_post_build. So the feeds of a language are written at the end
of that language's own build: this hook's on_post_build runs before the i18n
plugin's (-100), which starts the next language.

An office's feed carries the HTML MkDocs rendered for its posts, collected
per language in on_page_content. The hub's feed carries the national posts
once, from its own pages, and aggregates every office's own posts, which the
hub does not render as pages: it renders their Markdown with
the same markdown_extensions itself and resolves '.md' links the way MkDocs
would. The trade-off: the hub's copy of a post misses whatever other hooks do
to the page's HTML, but the hub never waits for, or reads, another site's
output (sites build in parallel). For the same reason the hub draws the cards
of its items into its own output instead of pointing at the offices' cards.
"""
from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlparse

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from infohub import cards, feeds, messages, paths
from infohub.feeds import Author, Channel, FeedError
from infohub.mkdocs_context import current_language, repo_root, site_of
from infohub.news import NewsPost, is_news_source, published_posts, split_language
from infohub.sitedata import SiteData, effective

log = logging.getLogger("mkdocs.hooks.feeds")

# language -> {norm_src_uri: the post's HTML as MkDocs rendered it}, for the build under way
_rendered: dict[str, dict[str, str]] = {}
# Problems with a post's image are the same in every language: say each once per site.
_warned: set[tuple[str, str]] = set()


def _warn_once(config: MkDocsConfig, message: str) -> None:
    if (config.site_dir, message) not in _warned:
        _warned.add((config.site_dir, message))
        log.warning(message)


def _silent(message: str) -> None:
    """The hub does not repeat what the office's own build reports about its posts."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        feeds.feed_items(config.extra)
    except FeedError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    _rendered[current_language(config)] = {}


def on_env(env, config: MkDocsConfig, files):
    """The feed addresses every page's <head> advertises (partials/infohub/feed-links.html)."""
    env.globals["infohub_feeds"] = feeds.feed_links(_channel(config, current_language(config), None))
    return env


# After other hooks have had their say on the HTML.
@event_priority(-50)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    if is_news_source(page.file.src_uri):
        norm, _ = split_language(page.file.src_uri)
        _rendered.setdefault(current_language(config), {})[norm] = html
    return html


# Before mkdocs-static-i18n (-100) starts the next language's build; after the
# cards (drawn in on_post_page) are in the output.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    site, lang = site_of(config), current_language(config)
    site_dir = Path(config.site_dir)
    count = feeds.feed_items(config.extra)
    try:
        channel = _channel(config, lang, site_dir)
        items = _hub_items(config, site, lang, count) if site.is_hub else _office_items(config, site, lang, count)
        feeds.write_feeds(site_dir / feeds.language_root(lang), channel, items)
    except FeedError as exc:
        raise PluginError(str(exc)) from None


def _channel(config: MkDocsConfig, lang: str, site_dir: Path | None) -> Channel:
    """The feed's own description; ``site_dir`` None: without the image (not drawn yet)."""
    site = site_of(config)
    name = site.name(lang)
    home = feeds.home_url(config.site_url, lang)
    key = "feeds.hub" if site.is_hub else "feeds.office"
    image = feeds.card_image(site_dir, config.site_url, "", lang) if site_dir else None
    return Channel(title=messages.t(f"{key}.title", lang, site=name),
                   description=messages.t(f"{key}.description", lang, site=name),
                   language=lang, home_url=home, author=Author(name, home),
                   icon_url=urljoin(config.site_url, config.theme["favicon"]), image=image)


def _docs_dirs(root: Path, slug: str) -> list[Path]:
    return [root / "national" / "pages", root / "offices" / slug / "docs"]


def _hashtags(post: NewsPost, site: SiteData, lang: str) -> list[str]:
    return effective("hashtags", {"hashtags": post.source.meta.hashtags}, site, lang) or []


def _office_items(config: MkDocsConfig, site: SiteData, lang: str, count: int) -> list[feeds.Item]:
    """The site's own posts as MkDocs rendered them (the hub's own: the national posts)."""
    root, site_dir = repo_root(config), Path(config.site_dir)
    domain = urlparse(config.site_url).netloc
    domain_url = feeds.office_url(domain)
    author = Author(site.name(lang), feeds.home_url(domain_url, lang))
    rendered = _rendered.get(lang, {})
    items = []
    for post in published_posts(site.slug, lang, site.timezone, root, now=site.now)[:count]:
        if post.norm_src_uri not in rendered:
            raise FeedError(messages.t("feeds.error.not_rendered", path=post.norm_src_uri, lang=lang))
        image = feeds.choose_image(post, domain_url=domain_url, docs_dirs=_docs_dirs(root, site.slug),
                                   card=partial(feeds.card_image, site_dir, domain_url, post.url_path, lang),
                                   warn=partial(_warn_once, config))
        items.append(feeds.item_from_post(post, domain=domain, link_lang=lang, author=author,
                                          content_html=rendered[post.norm_src_uri],
                                          categories=feeds.categories(post, lang, _hashtags(post, site, lang)),
                                          image=image))
    return items


def _hub_items(config: MkDocsConfig, hub: SiteData, lang: str, count: int) -> list[feeds.Item]:
    """The newest posts of every office, each naming its office and linking to its
    domain, and the national posts once, from the hub's own pages (every office
    republishes them; repeating each thirty times would flood a scheduler)."""
    root = repo_root(config)
    candidates = []
    for slug, office in sorted(hub.offices.items()):
        # An office that does not publish in this language is read in Indonesian.
        post_lang = lang if lang in office.languages else "id"
        for post in published_posts(slug, post_lang, office.timezone, root, now=hub.now):
            if not post.is_national:
                candidates.append((post, office, post_lang))
    candidates.sort(key=lambda c: (-c[0].published.timestamp(), c[0].office, c[0].norm_src_uri))
    own = _office_items(config, hub, lang, count)
    return sorted(own + _office_post_items(config, hub, lang, candidates[:count]),
                  key=lambda item: (-item.published.timestamp(), item.link))[:count]


def _office_post_items(config: MkDocsConfig, hub: SiteData, lang: str, candidates: list) -> list[feeds.Item]:
    root = repo_root(config)
    renderer = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    items = []
    for post, office, post_lang in candidates:
        site = SiteData(post.office, hub.national, office)
        domain_url = feeds.office_url(office.domain)
        source_url = urljoin(feeds.home_url(domain_url, post_lang), post.norm_src_uri)
        content = feeds.source_links_to_pages(renderer.reset().convert(post.source.body), source_url)
        image = feeds.choose_image(post, domain_url=domain_url, docs_dirs=_docs_dirs(root, post.office),
                                   card=partial(_hub_card, config, site, post, post_lang), warn=_silent)
        items.append(feeds.item_from_post(post, domain=office.domain, link_lang=post_lang,
                                          author=Author(site.name(lang), feeds.home_url(domain_url, post_lang)),
                                          content_html=content,
                                          categories=feeds.categories(post, lang, _hashtags(post, site, lang)),
                                          image=image, source=_office_feed(site, post_lang)))
    return items


def _office_feed(site: SiteData, post_lang: str) -> Author:
    """The office's own RSS feed, named as that feed names itself (RSS/Atom <source>)."""
    home = feeds.home_url(feeds.office_url(site.office.domain), post_lang)
    return Author(messages.t("feeds.office.title", post_lang, site=site.name(post_lang)),
                  urljoin(home, feeds.FORMATS["rss"][0]))


def _hub_card(config: MkDocsConfig, site: SiteData, post: NewsPost, lang: str) -> feeds.Image:
    """The office's card for the post, drawn as hooks/social_cards.py draws it, into
    the hub's output under assets/cards/<office>/ (the office's own copy may not be built yet)."""
    card = cards.Card(site_name=site.name(lang), title=post.title or site.name(lang),
                      language_name=messages.t("machines.card_language", post.lang), domain=site.office.domain)
    url_path = f"{post.office}/{post.url_path}"
    cards.write_card(card, Path(config.site_dir) / cards.card_path(url_path, lang), paths.cache_dir("cards"))
    return feeds.card_image(Path(config.site_dir), config.site_url, url_path, lang)
