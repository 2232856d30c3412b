"""MkDocs hook: rss.xml, atom.xml and feed.json at each language root (infohub/feeds.py).

mkdocs-static-i18n builds the site once per language, each build inside the
first one's on_post_build. So the feeds of a language are written at the end
of that language's own build: this hook's on_post_build runs before the i18n
plugin's (-100), which starts the next language.

An office's feed carries the HTML MkDocs rendered for its posts, collected
per language in on_page_content (infohub.feeds.rendered_posts; for a post
whose page the build reuses from the last one, infohub/render_cache.py puts
it there). The hub's feed (infohub/hub_feed.py) is rendered from the
sources, so the build driver can also write it without building the hub's
pages.
"""
from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from infohub import feeds, hub_feed, messages, paths
from infohub.feeds import Author, Channel, FeedError
from infohub.mkdocs_context import current_language, repo_root, site_of
from infohub.news import is_news_source, published_posts, split_language
from infohub.sitedata import SiteData, hashtags

log = logging.getLogger("mkdocs.hooks.feeds")

# Problems with a post's image are the same in every language: say each once per site.
_warned: set[tuple[str, str]] = set()


def _warn_once(config: MkDocsConfig, message: str) -> None:
    if (config.site_dir, message) not in _warned:
        _warned.add((config.site_dir, message))
        log.warning(message)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        feeds.feed_items(config.extra)
    except FeedError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    feeds.rendered_posts(config.site_dir, current_language(config)).clear()


def on_env(env, config: MkDocsConfig, files):
    """The feed addresses every page's <head> advertises (partials/infohub/feed-links.html)."""
    env.globals["infohub_feeds"] = feeds.feed_links(_channel(config, current_language(config), None))
    return env


# After other hooks have had their say on the HTML.
@event_priority(-50)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    if is_news_source(page.file.src_uri):
        norm, _ = split_language(page.file.src_uri)
        feeds.rendered_posts(config.site_dir, current_language(config))[norm] = html
    return html


# Before mkdocs-static-i18n (-100) starts the next language's build; after the
# cards (drawn in on_post_page) are in the output.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    site, lang = site_of(config), current_language(config)
    site_dir = Path(config.site_dir)
    count = feeds.feed_items(config.extra)
    try:
        if site.is_hub:
            hub_feed.write_hub_feeds(hub_feed.FeedSettings.from_config(config), site, lang, repo_root(config),
                                     site_dir, warn=partial(_warn_once, config))
        else:
            channel = _channel(config, lang, site_dir)
            feeds.write_feeds(site_dir / paths.language_root(lang), channel, _office_items(config, site, lang, count))
    except FeedError as exc:
        raise PluginError(str(exc)) from None


def _channel(config: MkDocsConfig, lang: str, site_dir: Path | None) -> Channel:
    return feeds.site_channel(site_of(config), lang, config.site_url, config.theme["favicon"], site_dir)


def _office_items(config: MkDocsConfig, site: SiteData, lang: str, count: int) -> list[feeds.Item]:
    """The office's own posts (and the national ones it republishes) as MkDocs rendered them."""
    root, site_dir = repo_root(config), Path(config.site_dir)
    domain = urlparse(config.site_url).netloc
    domain_url = feeds.office_url(domain)
    author = Author(site.name(lang), feeds.home_url(domain_url, lang))
    rendered = feeds.rendered_posts(config.site_dir, lang)
    items = []
    for post in published_posts(site.slug, lang, site.timezone, root, now=site.now)[:count]:
        if post.norm_src_uri not in rendered:
            raise FeedError(messages.t("feeds.error.not_rendered", path=post.norm_src_uri, lang=lang))
        image = feeds.choose_image(post, domain_url=domain_url, docs_dirs=paths.page_dirs(site.slug, root),
                                   card=partial(feeds.card_image, site_dir, domain_url, post.url_path, lang),
                                   warn=partial(_warn_once, config))
        items.append(feeds.item_from_post(post, domain=domain, link_lang=lang, author=author,
                                          content_html=rendered[post.norm_src_uri],
                                          categories=feeds.categories(post, lang, hashtags(post.source.meta, site, lang)),
                                          image=image))
    return items
