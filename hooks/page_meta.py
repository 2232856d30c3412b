"""MkDocs hook: what each page says about itself in its <head> and at its top.

hreflang alternates for every language the page is built in plus x-default,
the canonical URL on the office's own domain, and whether the page is shown
in Indonesian because it has no translation yet (the fallback notice).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from infohub.mkdocs_context import current_language, repo_root, site_of
from infohub.news import split_language
from infohub.paths import ROOT_LANGUAGE, language_root, page_dirs, path_in_language
from infohub.sitedata import SiteData


def built_languages(file, site: SiteData, root: Path) -> list[str]:
    """The languages a page is built in. mkdocs-static-i18n falls back to the Indonesian
    text where a translation is missing, so a page with an Indonesian source (or made by
    the build: the national shells, the news lists) is in every language; a page written
    only in English is in English alone."""
    if not getattr(file, "abs_src_path", None):
        return list(site.languages)
    norm = split_language(file.src_uri)[0]
    own_docs = Path(file.abs_src_path).parents[len(Path(file.src_uri).parts) - 1]
    folders = {own_docs, *([] if site.is_hub else page_dirs(site.slug, root))}

    def has(lang: str) -> bool:
        name = norm if lang == ROOT_LANGUAGE else norm[:-len(".md")] + f".{lang}.md"
        return any((folder / name).is_file() for folder in folders)

    if has(ROOT_LANGUAGE):
        return list(site.languages)
    return [lang for lang in site.languages if has(lang)] or list(site.languages)


def alternates(page_url: str, lang: str, languages: list[str], site_url: str) -> list[dict]:
    """The URL of this page in each language it is built in, and x-default: the
    Indonesian one, or the first language the page has."""
    path = path_in_language(page_url, lang)
    links = [{"hreflang": other, "href": urljoin(site_url, language_root(other) + path)}
             for other in languages]
    links.append({"hreflang": "x-default", "href": urljoin(site_url, language_root(languages[0]) + path)})
    return links


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = site_of(config)
    lang = current_language(config)
    site_url = config.site_url or "/"
    languages = built_languages(page.file, site, repo_root(config))
    context["hreflang_links"] = alternates(page.url, lang, languages, site_url)
    file_locale = getattr(page.file, "locale", lang)
    context["is_fallback"] = file_locale != lang
    context["page_language"] = file_locale
    if context["is_fallback"]:
        # The text is the original's: search engines should index that one, not this copy.
        original = next(link["href"] for link in context["hreflang_links"] if link["hreflang"] == file_locale)
        page.canonical_url = original
    return context
