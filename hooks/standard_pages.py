"""MkDocs hook: the pages every office has, without a copy in every office.

The page shells (title, description, introduction) and national news posts
live once, in national/pages/, one file per language. An office gets each
file its own docs/ does not already hold; writing offices/<slug>/docs/biaya.md
replaces the national one for that office (national < office). Each kind of page is rendered by its
template in overrides/infohub/ from the site's data.

mkdocs-static-i18n re-creates every File from disk in its on_files, which
drops the content of generated files; so the content is handed back right
after it (priority -110), without writing anything into the source tree.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from infohub.mkdocs_context import repo_root, site_of
from infohub.news import is_news_source, split_language

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
    for file in sorted(folder.rglob("*.md")):
        src_uri = file.relative_to(folder).as_posix()
        if split_language(src_uri)[1] in languages:
            found[src_uri] = file
    return found


@event_priority(10)
def add_shells(files: Files, config: MkDocsConfig) -> Files:
    for src_uri, shell in _shells(config).items():
        if files.get_file_from_path(src_uri) is None and src_uri not in files.src_uris:
            file = File.generated(config, src_uri, content=shell.read_text(encoding="utf-8"))
            # mkdocs-static-i18n only takes files whose source path lies in docs_dir
            # (it does not exist: the content is handed back below).
            file.abs_src_path = str(Path(config.docs_dir) / src_uri)
            files.append(file)
    return files


@event_priority(-110)
def restore_generated_content(files: Files, config: MkDocsConfig) -> Files:
    shells = _shells(config)
    for file in files:
        shell = shells.get(file.src_uri)
        if shell is not None and file.abs_src_path and not Path(file.abs_src_path).exists():
            file.content_string = shell.read_text(encoding="utf-8")
    return files


on_files = CombinedEvent(add_shells, restore_generated_content)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    kinds = HUB_PAGES if _is_hub(config) else STANDARD_PAGES
    norm = getattr(page.file, "norm_src_uri", page.file.src_uri)
    template = kinds.get(norm)
    if template:
        page.meta.setdefault("template", template)
    return markdown
