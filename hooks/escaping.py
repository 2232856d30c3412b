"""MkDocs hook: text is text in every template, Material's and ours.

Office data and front matter (the office's name and description, a page's
title, description and status) are plain text, whatever escapes their YAML
or Markdown used. MkDocs gives Material's templates a Jinja environment that
prints every value as it is, so a title holding '<script>' ran as code in the
header, the navigation and the footer, and a quote in a description ended
the <meta> attribute it stood in. So:

- the environment escapes every value it prints (Jinja's autoescape): one
  switch for every template, Material's included, instead of overriding each
  block that prints a title;
- what is HTML is marked as such (markupsafe.Markup): the page body, which
  the sanitiser has cleaned (hooks/sanitize.py), and the JSON-LD our hook
  escaped for its <script>;
- a title MkDocs takes from the page's first heading, and the headings of the
  table of contents, arrive as HTML (entities kept, '&lt;' for '<'): they are
  turned into the text they show, so that every title in the templates and
  in the hooks that read ``page.title`` (feeds, JSON-LD, cards) is plain text,
  escaped once where it is printed.
"""
from __future__ import annotations

import html

from markupsafe import Markup
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page


# Before hooks/template_cache.py, which keeps autoescaped templates apart from plain ones.
@event_priority(10)
def on_env(env, config, files):
    env.autoescape = True
    return env


# Last among the on_page_content hooks: the title and headings are final.
@event_priority(-100)
def on_page_content(html_text: str, page: Page, config, files) -> str:
    if "title" not in page.meta:  # front matter titles are text already
        page.title = html.unescape(page.title or "")
    _headings_as_text(page.toc)
    return html_text


def _headings_as_text(items) -> None:
    for item in items:
        item.title = html.unescape(item.title)
        _headings_as_text(item.children)


# Last among the on_page_context hooks: the search plugin and ours have read or edited the body.
@event_priority(-1000)
def on_page_context(context: dict, page: Page, config, nav) -> dict:
    page.content = Markup(page.content or "")
    return context
