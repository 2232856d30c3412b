"""MkDocs hook: the pages every office has, without a copy in every office.

The page shells (title, description, introduction) and national news posts
live once, in national/pages/, one file per language. An office gets each
file its own docs/ does not already hold; writing offices/<slug>/docs/biaya.md
replaces the national one for that office (national < office). Each kind of page is rendered by its
template in overrides/infohub/ from the site's data.

The national files are added as generated pages (infohub/generated_files.py
explains how they survive mkdocs-static-i18n).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from infohub.generated_files import add_generated, restore_generated
from infohub.hub_address import public_hub_url
from infohub.mkdocs_context import current_language, repo_root, site_of
from infohub.news import is_news_source, split_language
from infohub.paths import language_root, source_files

# Page path (Indonesian source name) -> the template that renders its data.
STANDARD_PAGES = {
    "index.md": "infohub/home.html",
    "layanan.md": "infohub/services.html",
    "biaya.md": "infohub/fees.html",
    "jam-layanan.md": "infohub/hours.html",
    "faq.md": "infohub/faq.html",
    "berita/index.md": "infohub/news.html",
}
HUB_PAGES = {"index.md": "infohub/directory.html", "biaya.md": "infohub/fees.html"}
HUB_NATIONAL_PAGES = ("biaya.md",)


def _is_hub(config: MkDocsConfig) -> bool:
    return site_of(config).is_hub


def _shells(config: MkDocsConfig) -> dict[str, Path]:
    """src_uri -> national file, for every national page in the languages the site builds.

    The hub publishes the national news posts and the national fee schedule
    too (not the other office pages), so its aggregate feed carries each
    national post once, linked to a real page, and their links resolve."""
    pages = national_pages(repo_root(config), site_of(config).languages)
    if _is_hub(config):
        return {src: file for src, file in pages.items()
                if is_news_source(src) or split_language(src)[0] in HUB_NATIONAL_PAGES}
    return pages


def national_pages(root: Path, languages: list[str]) -> dict[str, Path]:
    folder = root / "national" / "pages"
    found = {}
    for file in source_files(folder, "*.md"):
        src_uri = file.relative_to(folder).as_posix()
        if split_language(src_uri)[1] in languages:
            found[src_uri] = file
    return found


def _shell_contents(config: MkDocsConfig) -> dict[str, str]:
    return {src_uri: shell.read_text(encoding="utf-8") for src_uri, shell in _shells(config).items()}


@event_priority(10)
def add_shells(files: Files, config: MkDocsConfig) -> Files:
    return add_generated(files, config, _shell_contents(config))


@event_priority(-110)
def restore_generated_content(files: Files, config: MkDocsConfig) -> Files:
    return restore_generated(files, _shell_contents(config))


on_files = CombinedEvent(add_shells, restore_generated_content)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    kinds = HUB_PAGES if _is_hub(config) else STANDARD_PAGES
    norm = getattr(page.file, "norm_src_uri", page.file.src_uri)
    template = kinds.get(norm)
    if template:
        page.meta.setdefault("template", template)
    return markdown


def _footer(config: MkDocsConfig, page_url: str | None) -> dict:
    """The footer's links: the hub from an office, the editor handbook from the hub.
    Without a page (the 404 page, served at any depth) the handbook's path is absolute."""
    lang = current_language(config)
    hub = public_hub_url(repo_root(config))  # None while a placeholder: no link to nowhere
    handbook = language_root(lang) + "panduan/"
    return {
        "hub_url": urljoin(hub, language_root(lang)) if hub and not _is_hub(config) else None,
        "handbook_url": get_relative_url(handbook, page_url) if page_url is not None else "/" + handbook,
    }


def on_env(env, config: MkDocsConfig, files: Files):
    env.globals["infohub_footer"] = _footer(config, None)
    return env


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    context["infohub_footer"] = _footer(config, page.url)
    return context
