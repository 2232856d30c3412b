"""MkDocs hook: what each page says about itself in its <head> and at its top.

hreflang alternates for every language the site builds plus x-default, the
canonical URL on the office's own domain, and whether the page is shown in
Indonesian because it has no translation yet (the fallback notice).
"""
from __future__ import annotations

from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from infohub.mkdocs_context import current_language, site_of
from infohub.paths import language_root, path_in_language
from infohub.sitedata import SiteData


def alternates(page_url: str, lang: str, site: SiteData, site_url: str) -> list[dict]:
    """The URL of this page in every language; every page exists in each,
    since mkdocs-static-i18n falls back to Indonesian where a translation is missing."""
    path = path_in_language(page_url, lang)
    links = [{"hreflang": other, "href": urljoin(site_url, language_root(other) + path)}
             for other in site.languages]
    links.append({"hreflang": "x-default", "href": urljoin(site_url, path)})
    return links


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = site_of(config)
    lang = current_language(config)
    site_url = config.site_url or "/"
    context["hreflang_links"] = alternates(page.url, lang, site, site_url)
    file_locale = getattr(page.file, "locale", lang)
    context["is_fallback"] = file_locale != lang
    context["page_language"] = file_locale
    if context["is_fallback"]:
        # The text is the original's: search engines should index that one, not this copy.
        original = next(link["href"] for link in context["hreflang_links"] if link["hreflang"] == file_locale)
        page.canonical_url = original
    return context
