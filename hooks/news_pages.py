"""MkDocs hook: the news pages people read.

- The list (berita/) newest first, split into pages of ``extra.infohub.news_per_page``
  posts (berita/halaman/2/, …), and one list per category
  (berita/kategori/<category>/, its own pages below it).
- Each post with its date, reading time, category and image (template
  infohub/news-post.html, marked up as a microformats2 h-entry); an event
  (category 'acara' with event_start) also gets an .ics file beside its page.
- Drafts and posts dated after the build's moment (SiteData.now) are taken
  out of the files: no page is written for them, in any list or language.

List pages exist only in the build (File.generated). mkdocs-static-i18n
re-creates every File from disk in its on_files (priority -100), which drops
generated content, so it is handed back right after (priority -110), as
hooks/standard_pages.py does. The .ics files are added after i18n, one per
language, at their final path.
"""
from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from infohub import ical
from infohub.images import SIZES, ImageRefused
from infohub.messages import t
from infohub.mkdocs_context import current_language, repo_root, site_images, site_of
from infohub.paths import kept_value, language_root
from infohub.render_cache import shows
from infohub.generated_files import add_generated, restore_generated
from infohub.news import NEWS_DIR, NewsPost, is_news_source, published_posts, split_language
from infohub.schema import CATEGORIES
from infohub.sitedata import SiteData

PAGE_DIR = "halaman"  # berita/halaman/2/
CATEGORY_DIR = "kategori"  # berita/kategori/kebijakan/
WORDS_PER_MINUTE = 200
DEFAULT_PER_PAGE = 10


@dataclass(frozen=True)
class ListPage:
    """One page of one listing (all news, or one category), in one language."""

    norm_src_uri: str  # as the Indonesian file is named: berita/halaman/2.md
    category: str | None
    number: int
    count: int  # pages in this listing
    posts: tuple[NewsPost, ...]


def list_src_uri(category: str | None, number: int) -> str:
    base = NEWS_DIR if category is None else f"{NEWS_DIR}/{CATEGORY_DIR}/{category}"
    return f"{base}/index.md" if number == 1 else f"{base}/{PAGE_DIR}/{number}.md"


def list_url_path(category: str | None, number: int) -> str:
    return list_src_uri(category, number)[: -len("index.md")] if number == 1 else \
        list_src_uri(category, number)[: -len(".md")] + "/"


def paginate(posts: list[NewsPost], size: int) -> list[ListPage]:
    """The whole list, then each category that has posts, each cut into pages."""
    listings = [(None, posts)] + [(c, [p for p in posts if p.category == c]) for c in CATEGORIES]
    pages = []
    for category, items in listings:
        if category is not None and not items:
            continue
        chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            pages.append(ListPage(list_src_uri(category, number), category, number, len(chunks), tuple(chunk)))
    return pages


def localized_src_uri(norm_src_uri: str, lang: str, default: str) -> str:
    return norm_src_uri if lang == default else norm_src_uri[: -len(".md")] + f".{lang}.md"


@functools.lru_cache(maxsize=4096)  # a post is counted once, not again on every list that shows it
def reading_minutes(markdown: str) -> int:
    words = len(re.findall(r"\w+", re.sub(r"<[^>]+>|\]\([^)]*\)", " ", markdown)))
    return max(1, round(words / WORDS_PER_MINUTE))


# --- what one site publishes, worked out once per build --------------------------


@dataclass
class Plan:
    posts: dict[str, list[NewsPost]]  # lang -> published posts, newest first
    pages: dict[str, list[ListPage]]  # lang -> list pages

    def published(self, lang: str) -> set[str]:
        return {p.norm_src_uri for p in self.posts.get(lang, [])}

    def post(self, norm_src_uri: str, lang: str) -> NewsPost | None:
        return next((p for p in self.posts.get(lang, []) if p.norm_src_uri == norm_src_uri), None)

    def list_page(self, norm_src_uri: str, lang: str) -> ListPage | None:
        return next((p for p in self.pages.get(lang, []) if p.norm_src_uri == norm_src_uri), None)


def plan_of(config: MkDocsConfig) -> Plan:
    """The site's posts and list pages in every language, made once per build of the site (while
    paths.files_unchanged holds): kept longer, by the clock alone, a second build in one process
    at the same moment (INFOHUB_NOW, `make serve`) showed the posts as the first had read them."""
    site = site_of(config)
    size = int((config.extra.get("infohub") or {}).get("news_per_page") or DEFAULT_PER_PAGE)
    root = repo_root(config)

    def plan() -> Plan:
        posts = {lang: published_posts(site.slug, lang, site.timezone, root, now=site.now)
                 for lang in site.languages}
        return Plan(posts, {lang: paginate(found, size) for lang, found in posts.items()})

    return kept_value("news_plan", (site.slug, str(root), site.now, size), plan)


def _is_office(config: MkDocsConfig) -> bool:
    return not site_of(config).is_hub


def _list_page_content(page: ListPage, lang: str) -> str:
    if page.category is None:
        title = t("news.title", lang)
        intro = ""
    else:
        label = t(f"news.category.{page.category}", lang)
        title = t("news.category_title", lang, category=label)
        intro = t(f"news.category_intro.{page.category}", lang)
    if page.number > 1:
        title = t("news.page_title", lang, title=title, number=page.number, count=page.count)
    # List pages repeat the posts' text: searching them would show every hit twice.
    return f"---\ntitle: \"{title}\"\ntemplate: infohub/news.html\nsearch:\n  exclude: true\n---\n\n{intro}\n"


def _generated_lists(config: MkDocsConfig) -> dict[str, str]:
    """src_uri -> Markdown of every list page this hook adds, in every language."""
    if not _is_office(config):
        return {}
    site = site_of(config)
    default = site.languages[0]
    generated = {}
    for lang, pages in plan_of(config).pages.items():
        for page in pages:
            if page.norm_src_uri == f"{NEWS_DIR}/index.md":
                continue  # the national list page (standard_pages) carries the first page
            generated[localized_src_uri(page.norm_src_uri, lang, default)] = _list_page_content(page, lang)
    return generated


# --- files ----------------------------------------------------------------------


# After standard_pages adds the national posts (10), before i18n (-100).
@event_priority(5)
def drop_unpublished_and_add_lists(files: Files, config: MkDocsConfig) -> Files:
    if not _is_office(config):
        return files
    published = plan_of(config).published(current_language(config))
    for file in list(files.documentation_pages()):
        norm, _ = split_language(file.src_uri)
        if is_news_source(norm) and norm not in published and not _is_list(norm):
            files.remove(file)
    return add_generated(files, config, _generated_lists(config))


def _is_list(norm_src_uri: str) -> bool:
    parts = norm_src_uri.split("/")
    return len(parts) > 2 and parts[0] == NEWS_DIR and parts[1] in (PAGE_DIR, CATEGORY_DIR)


@event_priority(-110)
def restore_list_content(files: Files, config: MkDocsConfig) -> Files:
    files = restore_generated(files, _generated_lists(config))
    if _is_office(config):
        _declare_shown_posts(files, config)
    return files


def _declare_shown_posts(files: Files, config: MkDocsConfig) -> None:
    """Which posts each list page and the start page show (see on_page_context): a build that
    reuses unchanged pages (infohub/render_cache.py) renders these again when one of them changes."""
    lang = current_language(config)
    plan = plan_of(config)
    present = sorted({p.category for p in plan.pages.get(lang, []) if p.category})
    for file in files.documentation_pages():
        norm = getattr(file, "norm_src_uri", file.src_uri)
        listed = plan.list_page(norm, lang)
        if listed is not None:
            shows(file, [p.norm_src_uri for p in listed.posts], extra=f"{listed.count} {' '.join(present)}")
        elif norm == "index.md":
            shows(file, [p.norm_src_uri for p in plan.posts.get(lang, [])[:3]])


# After i18n (-100): at the final path of the language being built.
@event_priority(-120)
def add_calendar_files(files: Files, config: MkDocsConfig) -> Files:
    if not _is_office(config):
        return files
    site = site_of(config)
    lang = current_language(config)
    for post in plan_of(config).posts.get(lang, []):
        if post.source.meta.event_start is None:
            continue
        src_uri = language_root(lang) + post.url_path + ics_name(post)
        if src_uri not in files.src_uris:
            files.append(File.generated(config, src_uri, content=event_ics(post, site, config, lang)))
    return files


on_files = CombinedEvent(drop_unpublished_and_add_lists, restore_list_content, add_calendar_files)


def ics_name(post: NewsPost) -> str:
    return posixpath.basename(post.norm_src_uri)[: -len(".md")] + ".ics"


def event_ics(post: NewsPost, site: SiteData, config: MkDocsConfig, lang: str) -> str:
    meta = post.source.meta
    url = urljoin(config.site_url or "/", language_root(lang) + post.url_path)
    event = ical.Event(uid=post.uid, summary=post.title, start=meta.event_start, end=meta.event_end,
                       timezone=site.timezone, stamp=post.updated, location=meta.event_location,
                       description=meta.description, url=url)
    return ical.calendar(event, site.slug, lang)


# --- pages ----------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    norm = getattr(page.file, "norm_src_uri", page.file.src_uri)
    if _is_office(config) and is_news_source(norm) and not _is_list(norm):
        page.meta.setdefault("template", "infohub/news-post.html")
    return markdown


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    if not _is_office(config):
        return context
    lang = current_language(config)
    plan = plan_of(config)
    norm = getattr(page.file, "norm_src_uri", page.file.src_uri)
    listed = plan.list_page(norm, lang)
    if listed is not None:
        context["news_listing"] = listing_view(listed, plan, page, config, lang)
    post = plan.post(norm, lang) if is_news_source(norm) else None
    if post is not None:
        context["news_post"] = post_view(post, page, config, lang)
    if norm == "index.md":  # the start page shows the newest three
        context["news_latest"] = [post_summary(p, page, config, lang) for p in plan.posts.get(lang, [])[:3]]
    return context


def _url(path: str, page: Page, config: MkDocsConfig, lang: str) -> str:
    """A site path (language root not included) as seen from ``page``."""
    root = language_root(lang)
    return get_relative_url(root + path, page.url)


def _category(category: str | None, page: Page, config: MkDocsConfig, lang: str) -> dict | None:
    if category is None:
        return None
    return {"id": category, "label": t(f"news.category.{category}", lang),
            "url": _url(list_url_path(category, 1), page, config, lang)}


def _image(post: NewsPost, page: Page, config: MkDocsConfig) -> dict | None:
    image = post.source.meta.image
    if not image:
        return None
    if re.match(r"https?://", image):
        return None  # only images the site itself serves: no request leaves its domain
    src_uri = image.lstrip("/") if image.startswith("/") else \
        posixpath.normpath(posixpath.join(posixpath.dirname(post.norm_src_uri), image))
    alt = post.source.meta.image_alt or ""
    try:
        resized = site_images(config).resized(src_uri)
    except ImageRefused:
        return None  # `make check` names it; hooks/page_images.py says so for the body's pictures
    if resized is None:  # a GIF or an SVG: published as it is
        # images are not translated: they stay at the site root for every language
        return {"url": get_relative_url(src_uri, page.url), "alt": alt}

    def url(path: str) -> str:
        return get_relative_url(path, page.url)

    default = resized.default
    return {"url": url(default.path), "srcset": resized.srcset(url), "sizes": SIZES,
            "width": default.width, "height": default.height, "alt": alt}


def post_summary(post: NewsPost, page: Page, config: MkDocsConfig, lang: str) -> dict:
    view = site_of(config).view(lang)
    return {
        "title": post.title,
        "url": _url(post.url_path, page, config, lang),
        "description": post.source.meta.description,
        "published_iso": post.published.isoformat(),
        "published": view.date(post.published.date()),
        "updated_iso": post.updated.isoformat() if post.updated != post.published else None,
        "updated": view.date(post.updated.date()) if post.updated != post.published else None,
        "reading": t("news.reading_time", lang, minutes=reading_minutes(post.source.body)),
        "category": _category(post.category, page, config, lang),
        "image": _image(post, page, config),
        "lang": post.lang,
    }


def post_view(post: NewsPost, page: Page, config: MkDocsConfig, lang: str) -> dict:
    view = post_summary(post, page, config, lang)
    meta = post.source.meta
    site = site_of(config)
    view["canonical"] = urljoin(config.site_url or "/", language_root(lang) + post.url_path)
    view["list_url"] = _url(list_url_path(None, 1), page, config, lang)
    if meta.event_start is not None:
        texts = site.view(lang)
        view["event"] = {
            "start": texts.datetime(meta.event_start),
            "start_iso": meta.event_start.isoformat(),
            "end": _event_end(meta.event_start, meta.event_end, texts) if meta.event_end else None,
            "end_iso": meta.event_end.isoformat() if meta.event_end else None,
            "location": meta.event_location,
            "ics_url": ics_name(post),
        }
    return view


def _event_end(start, end, texts) -> str:
    """The end of an event on the day it starts is only a time: '12:00 WIT'."""
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and start.date() == end.date():
        return f"{end:%H:%M} {texts.office.tz_label}"
    return texts.datetime(end)


def listing_view(listed: ListPage, plan: Plan, page: Page, config: MkDocsConfig, lang: str) -> dict:
    categories = [{"id": None, "label": t("news.all", lang),
                   "url": _url(list_url_path(None, 1), page, config, lang),
                   "current": listed.category is None}]
    present = {p.category for p in plan.pages[lang] if p.category}
    for category in CATEGORIES:
        if category in present:
            categories.append({**_category(category, page, config, lang), "current": listed.category == category})

    def link(number: int) -> str | None:
        if 1 <= number <= listed.count and number != listed.number:
            return _url(list_url_path(listed.category, number), page, config, lang)
        return None

    return {
        "posts": [post_summary(p, page, config, lang) for p in listed.posts],
        "categories": categories,
        "number": listed.number,
        "count": listed.count,
        "previous": link(listed.number - 1),
        "next": link(listed.number + 1),
        "pages": [{"number": n, "url": link(n)} for n in range(1, listed.count + 1)],
    }
