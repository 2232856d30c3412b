"""Which pages become social posts, and on which platforms.

A page is posted when it is a news post (unless its front matter says
``social: false``) or any other page whose front matter says ``social: true``;
never a draft, never a page dated in the future. It is posted in each
language it is written in: a page shown in Indonesian on the English site
(no translation yet) is not posted twice with the same text.

A page's identity is its feed guid (news.post_uid): the ledger of what was
published is keyed by it, so a renamed title or a changed date is not new.

A post's text is plain text: a title or a summary taken from the Markdown is
rendered and read as a reader sees it (no tags, no entities, no '**').
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown

from .. import paths
from ..checks.html import plain_text
from ..content import PageSource, load_page, markdown_files
from ..messages import t
from ..news import aware, dated_posts, is_news_source, post_uid, split_language
from ..schema import SOCIAL_PLATFORMS, Office
from ..sitedata import SiteData, hashtags


@dataclass(frozen=True)
class SocialPage:
    uid: str
    lang: str
    url_path: str  # inside the language root: 'berita/2025/a/'
    title: str
    summary: str  # plain text, whole: each platform's text cuts it to fit
    hashtags: tuple[str, ...]
    published: dt.datetime | None
    source: Path | None = None  # the Markdown file, for problems that name it


def platforms(office: Office) -> list[str]:
    """Where an office's posts go: every platform it has a channel for or an
    official account on (office.yml 'channels' and 'social'), plus 'log'."""
    configured = {channel.platform for channel in office.channels}
    accounts = office.social.model_dump(exclude_none=True)
    return [p for p in SOCIAL_PLATFORMS if p == "log" or p in configured or p in accounts]


def social_pages(site: SiteData, root: Path, now: dt.datetime | None = None) -> list[SocialPage]:
    """Every page of one office that is posted, in each language it is written in, oldest first."""
    return [page for candidate in candidates(site, root, now) if (page := candidate.page(site)) is not None]


@dataclass(frozen=True)
class Candidate:
    """A page that is posted unless its front matter says otherwise (a news post's ``social:
    false``), known before that is read: which posts are published is decided from their dates
    (news.published_posts). The check of the social texts (check.py) reads again only the pages
    changed since its last check."""

    lang: str
    norm: str  # norm_src_uri
    file: Path
    published: dt.datetime | None
    news: bool

    def page(self, site: SiteData) -> SocialPage | None:
        source = load_page(self.file)[0]
        if source is None or (self.news and source.meta.social is False):
            return None
        return _page(site, self.lang, self.norm, source, self.published)


def candidates(site: SiteData, root: Path, now: dt.datetime | None = None) -> list[Candidate]:
    """The pages social_pages gives, in its order, with the news posts not read yet: of the
    office's pages posted whatever the clock says (found once while paths.files_unchanged holds: a
    build's check, check.py, and its outbox, the hook, each ask at its own moment), those
    published by ``now``."""
    office = site.office
    now = now or site.now  # the build's moment, the same one the news pages use
    every = paths.kept("social candidates", (site.slug, root, office.timezone, tuple(site.languages)),
                       lambda: _candidates(site, root))
    return [candidate for candidate in every if candidate.published is None or candidate.published <= now]


def _candidates(site: SiteData, root: Path) -> list[Candidate]:
    """Every candidate, scheduled ones too, in candidates' order (filtering keeps it)."""
    office = site.office
    tz = ZoneInfo(office.timezone)
    found = []
    for lang in site.languages:
        for post in dated_posts(site.slug, lang, office.timezone, root):  # published_posts without its moment
            if post.lang == lang:
                found.append(Candidate(lang, post.norm_src_uri, post.file, post.published, True))
        for norm, files in _other_pages(root, site.slug).items():
            source = load_page(files[lang])[0] if lang in files else None
            if source is None or source.meta.social is not True or source.meta.draft:
                continue
            published = aware(source.meta.date, tz) if source.meta.date else None
            found.append(Candidate(lang, norm, files[lang], published, False))
    epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return sorted(found, key=lambda c: (c.published or epoch, url_path(c.norm), c.lang))


def _other_pages(root: Path, slug: str) -> dict[str, dict[str, Path]]:
    """norm_src_uri -> {lang: file} for pages that are not news; the office's replace national ones."""
    found: dict[str, dict[str, Path]] = {}
    for docs in paths.page_dirs(slug, root):
        if docs.is_dir():
            for file in markdown_files(docs):
                src_uri = paths.relative_posix(file, docs)
                if not is_news_source(src_uri):
                    norm, lang = split_language(src_uri)
                    found.setdefault(norm, {})[lang] = file
    return found


def url_path(norm_src_uri: str) -> str:
    """'biaya.md' -> 'biaya/', 'index.md' -> '', 'a/index.md' -> 'a/' (directory URLs)."""
    path = norm_src_uri[: -len(".md")]
    path = "" if path == "index" else path.removesuffix("/index")
    return f"{path}/" if path else ""


def _page(site: SiteData, lang: str, norm: str, source: PageSource, published: dt.datetime | None) -> SocialPage:
    meta = source.meta
    tags = hashtags(meta, site, lang)
    if meta.category:
        tags.append(t(f"syndication.category_hashtag.{meta.category}", lang))
    unique: dict[str, str] = {}
    for tag in tags:
        unique.setdefault(tag.lower(), tag)  # the first spelling wins
    return SocialPage(
        uid=post_uid(site.slug, norm, lang),
        lang=lang,
        url_path=url_path(norm),
        title=meta.title or _first_heading(source.body) or Path(norm).stem,
        summary=meta.description or _first_paragraph(source.body),
        hashtags=tuple(unique.values()),
        published=published,
        source=source.path,
    )


def _rendered(markdown_text: str) -> str:
    # attr_list, so that '{ .md-button }' after a link is read as the pages read it
    return markdown.markdown(markdown_text, extensions=["attr_list"])


def _first_heading(body: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, flags=re.MULTILINE)
    return plain_text(_rendered(match[1])) if match else ""


def _first_paragraph(body: str) -> str:
    """The first paragraph of Markdown as plain text: what a page opens with."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or re.match(r"[#!|>`:]|[-*+]\s|\d+\.\s|\{%|\[TOC\]", block):
            continue  # headings, admonitions, tables, quotes, code, lists: not an opening sentence
        html = _rendered(block)
        if not html.startswith("<p>"):
            continue  # a block of HTML (<div>, a comment): not a sentence either
        if text := plain_text(html):  # a paragraph of images only has none
            return text
    return ""
