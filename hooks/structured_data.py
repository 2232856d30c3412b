"""MkDocs hook: what machines read in a page's <head>.

schema.org JSON-LD (the office on its home page, the FAQ, news articles, a
breadcrumb trail on every other page; the hub lists its offices) and Open
Graph / Twitter card tags with the page's social card. The templates
overrides/partials/infohub/jsonld.html and opengraph.html print them.

Every URL is absolute on the site's own domain (site_url), so nothing in
the head points at another host except the office's declared social
accounts and map link.
"""
from __future__ import annotations

import datetime as dt
import mimetypes
import posixpath
import re
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
import imagesize

from infohub import cards, jsonld, messages
from infohub.cards import card_url
from infohub.paths import language_root, path_in_language
from infohub.images import ImageRefused
from infohub.mkdocs_context import current_language, repo_root, site_images, site_of
from infohub.news import is_news_source, published_posts, split_language
from infohub.sitedata import SiteData

# Open Graph wants language_TERRITORY.
OG_LOCALES = {"id": "id_ID", "en": "en_US", "zh": "zh_CN", "ar": "ar_AR", "ja": "ja_JP", "ko": "ko_KR",
              "ms": "ms_MY", "nl": "nl_NL"}
_FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc)

# This build's pages by URL and news posts by source, per language: the hook
# module is loaded once per site, and every language builds separately.
_pages_by_url: dict[str, dict[str, Page]] = {}
_files: dict[str, Files] = {}
_posts: dict[str, dict] = {}


def on_nav(nav, config: MkDocsConfig, files: Files):
    lang = current_language(config)
    _files[lang] = files
    _pages_by_url.pop(lang, None)
    _posts.pop(lang, None)
    return nav


def _site_url(config: MkDocsConfig) -> str:
    url = config.site_url or "/"
    return url if url.endswith("/") else url + "/"


def _page_at(url: str, lang: str) -> Page | None:
    if lang not in _pages_by_url:
        _pages_by_url[lang] = {f.page.url: f.page for f in _files[lang].documentation_pages() if f.page}
    return _pages_by_url[lang].get(url)


def _post(site: SiteData, config: MkDocsConfig, page: Page, lang: str):
    """The news post a page shows, with its dates in the office's zone, or None. The hub
    shows the national posts (Jakarta time: SiteData.timezone)."""
    norm = split_language(getattr(page.file, "norm_src_uri", page.file.src_uri))[0]
    if not is_news_source(norm):
        return None
    if lang not in _posts:
        # Every post that is built, future-dated ones included: their page exists too.
        posts = published_posts(site.slug, lang, site.timezone, repo_root(config), now=_FAR_FUTURE)
        _posts[lang] = {post.norm_src_uri: post for post in posts}
    return _posts[lang].get(norm)


def own_image(page: Page, lang: str, site_url: str, config: MkDocsConfig) -> dict | None:
    """A page's own local image (front matter 'image') with its size, or None: the
    largest of its resized copies (infohub/images.py) when the build makes them.
    A remote image is left out: the head asks nothing of another host."""
    image = page.meta.get("image")
    if not image or re.match(r"[a-z]+:", image):
        return None
    src = image.lstrip("/") if image.startswith("/") else posixpath.normpath(
        posixpath.join(posixpath.dirname(page.file.src_uri), image))
    alt = page.meta.get("image_alt") or page.title or ""
    try:
        resized = site_images(config).resized(src)
    except ImageRefused:
        return None
    if resized is not None:
        largest = resized.largest
        return {"url": urljoin(site_url, largest.path), "width": largest.width, "height": largest.height, "alt": alt}
    file = _files[lang].get_file_from_path(src)
    if file is None or not file.abs_src_path:
        return None
    if file.abs_src_path.lower().endswith(".svg"):
        return None  # search engines want a raster image here
    try:
        width, height = imagesize.get(file.abs_src_path)  # reads the header only
    except (OSError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    return {"url": urljoin(site_url, file.url), "width": width, "height": height,
            "alt": alt}


def _trail(page: Page, lang: str, site: SiteData, site_url: str) -> list[tuple[str, str]]:
    """Home, then every page above this one by URL (berita/ above berita/2025/a/), then this page."""
    root = language_root(lang)
    trail = [(site.name(lang), urljoin(site_url, root))]
    segments = path_in_language(page.url, lang).strip("/").split("/")
    for depth in range(1, len(segments)):
        above = _page_at(root + "/".join(segments[:depth]) + "/", lang)
        if above is not None:
            trail.append((above.title, above.canonical_url))
    trail.append((page.title, page.canonical_url))
    return trail


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = site_of(config)
    lang = current_language(config)
    text_lang = getattr(page.file, "locale", lang)
    view = site.view(lang)
    site_url = _site_url(config)
    home_url = urljoin(site_url, language_root(lang))
    # This page's own address (ar/faq/), also where it shows the Indonesian text: its
    # canonical URL names the original then, which is what search engines index.
    url = urljoin(site_url, page.url)
    path = path_in_language(page.url, lang)
    is_home = path == ""  # page.is_homepage is False for the home pages of the other languages
    description = page.meta.get("description") or config.site_description or site.description(lang)
    card = {"url": card_url(site_url, path, lang), "width": cards.WIDTH, "height": cards.HEIGHT,
            "alt": messages.t("machines.card_alt", text_lang, site=view.name,
                             title=view.name if is_home else (page.title or view.name))}
    image = own_image(page, lang, site_url, config)
    post = _post(site, config, page, lang)

    items: list[dict] = []
    if is_home:
        items.append(jsonld.website(view, home_url, description))
        if site.is_hub:
            items.append(jsonld.office_list(view))
        else:
            items.append(jsonld.government_office(view, site_url, home_url, card["url"], description))
    else:
        items.append(jsonld.breadcrumbs(_trail(page, lang, site, site_url)))
    norm = split_language(getattr(page.file, "norm_src_uri", page.file.src_uri))[0]
    if norm == "faq.md" and not site.is_hub:
        items.append(jsonld.faq_page(view, url))
    if post is not None:
        author = jsonld.portal(view, home_url) if site.is_hub else jsonld.publisher(view, site_url, home_url)
        images = ([image["url"]] if image else []) + [card["url"]]
        items.append(jsonld.news_article(post, url, images, description, author))
    context["jsonld"] = jsonld.script(items)
    title = view.name if is_home else (page.title or view.name)
    context["opengraph"] = _opengraph(title, view.name, text_lang, site.languages, page.canonical_url or url,
                                      description, image or card, post)
    return context


def _opengraph(title: str, site_name: str, text_lang: str, languages: list[str], url: str,
               description: str, image: dict, post) -> list[dict]:
    """Open Graph (property=) and Twitter (name=) tags, in the order they print."""
    tags = [("property", "og:type", "article" if post else "website"),
            ("property", "og:site_name", site_name),
            ("property", "og:title", title),
            ("property", "og:description", description),
            ("property", "og:url", url),
            ("property", "og:locale", OG_LOCALES.get(text_lang, text_lang))]
    tags += [("property", "og:locale:alternate", OG_LOCALES.get(other, other))
             for other in languages if other != text_lang]
    tags += [("property", "og:image", image["url"]),
             ("property", "og:image:type", mimetypes.guess_type(image["url"])[0]),
             ("property", "og:image:width", str(image["width"])),
             ("property", "og:image:height", str(image["height"])),
             ("property", "og:image:alt", image["alt"])]
    if post:
        tags += [("property", "article:published_time", post.published.isoformat()),
                 ("property", "article:modified_time", post.updated.isoformat())]
    tags += [("name", "twitter:card", "summary_large_image"),
             ("name", "twitter:title", title),
             ("name", "twitter:description", description),
             ("name", "twitter:image", image["url"]),
             ("name", "twitter:image:alt", image["alt"])]
    return [{"attribute": a, "key": k, "content": v} for a, k, v in filter(None, tags)]
