"""MkDocs hook: a site search that understands Indonesian.

lunr.js, which Material's search runs in a web worker, has no Indonesian, so
mkdocs-static-i18n leaves the search in English with no stemming at all.
This hook:

- sets the search language to `id`, so Material's worker loads
  assets/javascripts/lunr/min/lunr.id.min.js (ours, in overrides/): the
  Indonesian stemmer and stop words for Indonesian pages, lunr's English ones
  for pages under en/, synonyms folded into one token;
- writes lunr.id.data.js beside it: root words, stop words, the synonyms of
  national/search-synonyms.yml and the site's languages;
- tells the worker which language the page is in (?lang= on its address),
  so a search on an English page lists English pages;
- indexes what the page templates render (services, fees, FAQ): Material's
  search plugin only sees a page's Markdown, which for those pages is one
  introductory sentence;
- escapes the page title Material gives a section that has no heading of its
  own: its search box shows every title as HTML.
"""
from __future__ import annotations

import html
import json
import re
import types
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from material.plugins.search.plugin import SearchIndex

from infohub.mkdocs_context import current_language, repo_root, site_of
from infohub.problems import Report
from infohub.search_synonyms import load_synonyms
from infohub.stemmer import roots, stop_words

DATA_FILE = Path("assets") / "javascripts" / "lunr" / "min" / "lunr.id.data.js"
_WORKER_URL = re.compile(r'("search":\s*"[^"?]*/workers/search\.[0-9a-f]+\.min\.js)"')


def _search_plugin(config: MkDocsConfig):
    return config.plugins.get("material/search") or config.plugins.get("search")


# After mkdocs-static-i18n (priority -100), which would set the search
# language to English alone: lunr.js has no Indonesian for it to find.
@event_priority(-150)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search = _search_plugin(config)
    if search is None or site_of(config).languages[0] != "id":
        return config
    _, problems = load_synonyms(repo_root(config))
    if problems:
        report = Report(problems)
        raise PluginError("\n" + report.format(outcome="nothing_built"))
    search.config.lang = ["id"]
    # Material's plugin made its index in its own on_config, before ours.
    if getattr(search, "search_index", None) is not None:
        search.search_index.config["lang"] = ["id"]
        if type(search.search_index) is SearchIndex:
            search.search_index.__class__ = TextTitleIndex
    return config


def _indexed_as_rendered(page) -> bool:
    """Whether the page is indexed from what its template rendered (on_post_page)."""
    return bool(page.meta.get("template")) and not (page.meta.get("search") or {}).get("exclude")


class TextTitleIndex(SearchIndex):
    """Material's index, but a section without a heading of its own (a page whose title is
    in its front matter, or drawn by its template) gets the page's title escaped, as the
    headings' text is: Material copies the title as it is, and its search box shows every
    title as HTML, so a title '<svg onload=…>' ran there. Titles are plain text
    (hooks/escaping.py).

    A page drawn by a template is indexed once, from its rendered article (add_rendered):
    Material would parse its Markdown first, for entries thrown away when the page is rendered
    (5 % of a build). Its entries come at the same place: MkDocs renders one page at a time."""

    def add_entry_from_context(self, page):
        if not _indexed_as_rendered(page):
            super().add_entry_from_context(page)

    def add_rendered(self, rendered) -> None:
        super().add_entry_from_context(rendered)

    def create_entry_for_section(self, section, toc, url, page):
        if not section.title:
            section.title = [html.escape(str(page.meta.get("title", page.title)), quote=False)]
        super().create_entry_for_section(section, toc, url, page)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    search = _search_plugin(config)
    if search is None or search.config.lang != ["id"]:
        return output
    if isinstance(search.search_index, TextTitleIndex) and _indexed_as_rendered(page):
        _index_rendered_article(search.search_index, page, output)
    lang = current_language(config)
    return _WORKER_URL.sub(lambda m: f'{m.group(1)}?lang={lang}"', output, count=1)


def _index_rendered_article(index: TextTitleIndex, page: Page, output: str) -> None:
    """Index the page from everything its template rendered into the article."""
    start = output.find('<article class="md-content__inner')
    end = output.rfind("</article>")
    if start < 0 or end < start:
        return
    index.add_rendered(types.SimpleNamespace(content=output[start:end], toc=page.toc, url=page.url,
                                             meta=page.meta, title=page.title))


def on_post_build(config: MkDocsConfig) -> None:
    search = _search_plugin(config)
    if search is None or search.config.lang != ["id"]:
        return
    synonyms, _ = load_synonyms(repo_root(config))
    data = {
        "languages": site_of(config).languages,
        "roots": sorted(roots()),
        "stopWords": sorted(stop_words()),
        "synonyms": synonyms,
    }
    target = Path(config.site_dir) / DATA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    text = ("/* infohub: data for lunr.id.min.js, written by hooks/search_id.py */\n"
            f"self.infohubSearchData = {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n")
    target.write_text(text, encoding="utf-8")
