"""Render once what Material's templates would render the same on many pages of a build.

Material renders every page from the top: its search dialog, its navigation, the
language strings, ... are rendered again for each of an office's pages although most
come out the same, character for character, on every page of one language's build
(2.7 ms of Jinja for each news post; a quarter of an office's clean build). The page
environment's templates are ``MemoTemplate``s (hooks/template_cache.py sets it, in every
build), which keep, for the partials below, what a partial rendered under a key made of
exactly what its output depends on, and give it back when the key comes again.

The memo belongs to the environment: one language of one site (MkDocs makes an
environment for each build, mkdocs-static-i18n a build for each language). So what stays
the same throughout a build is in no key: the configuration's theme and ``extra`` (the
plugin changes only ``extra.alternate`` from page to page, which no memoized partial
reads), the language, the navigation's items and titles (all set before the first page
is rendered), and the globals the hooks set in on_env (``infohub``, ``t``,
``infohub_feeds``). ``READS`` lists the names each memoized partial reads from its
context, and tests/test_template_memo.py checks it against the templates themselves:
a new Material that reads something else fails that test rather than a page.

- ``SAME_IN_BUILD``, and Material's icons (a file with no Jinja in it): the same on every
  page of a build. Once one is kept, including it again does not even copy the page's
  context for it (``new_context``), a good part of what an include costs.
- ``partials/language.html``, imported with the page's context on every page for
  ``lang.t``: its module depends on the theme's language only, so one module a build,
  whose ``t`` keeps each string it has looked up (Material's ``t`` builds a dictionary of
  a hundred strings for each one).
- ``partials/copyright.html`` (the footer): by the footer's links (hooks/standard_pages.py
  makes the handbook's relative to the page).
- ``partials/nav.html``: for a page that is not in the navigation (a news post, a list's
  later page), nothing in the navigation is active and no item is the page: its HTML
  differs from page to page only by the addresses the ``url`` filter makes relative to
  the page, so the key is those addresses. A page in the navigation is rendered as before
  (it is active, with its table of contents).
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.runtime import Context

NO_MEMO = None  # a key function's answer when this page's partial must be rendered
SAME = ()  # the key of a partial that renders the same on every page of a build
ICONS = ".icons/"
LANGUAGE = "partials/language.html"

SAME_IN_BUILD = frozenset({
    "partials/search.html",
    "partials/palette.html",
    "partials/javascripts/palette.html",
    "partials/javascripts/content.html",
    "partials/top.html",
    "partials/infohub/feed-links.html",
    "partials/infohub/alert.html",
})

# What each memoized partial reads from its context, and what the partials it includes
# with context read (the names a macro sets in one branch and reads in another count too:
# nav-item.html's is_pruned, indeterminate, ... which no page's context carries; toc is read
# for the page itself only, which is never kept).
READS = {
    "partials/search.html": {"config", "features", "lang"},
    "partials/palette.html": {"config", "t"},
    "partials/javascripts/palette.html": set(),
    "partials/javascripts/content.html": {"features"},
    "partials/top.html": {"config", "lang"},
    "partials/infohub/feed-links.html": {"infohub_feeds"},
    "partials/infohub/alert.html": {"infohub", "t"},
    "partials/copyright.html": {"config", "infohub", "infohub_footer", "t"},
    "partials/nav.html": {"config", "features", "lang", "nav"},
    "partials/nav-item.html": {"_", "checked", "config", "features", "first", "indeterminate", "index",
                               "is_pruned", "is_section", "page", "tabindex", "toc"},
    "partials/logo.html": {"config", "icon"},
    "partials/source.html": {"config", "lang"},
    "partials/language.html": {"config"},
}

_MEMO = "infohub_template_memo"  # an attribute of the environment: {(template name, key): output,
# (LANGUAGE, language): module}. Not a weak mapping by environment: a kept module holds its
# environment, which would never leave such a mapping; this way the memo goes with its build.


def _memo(environment) -> dict:
    memo = getattr(environment, _MEMO, None)
    if memo is None:
        memo = {}
        setattr(environment, _MEMO, memo)
    return memo


def _same(context: Context):
    return SAME


def _footer_links(context: Context):
    links = context.get("infohub_footer")
    return tuple(sorted(links.items())) if isinstance(links, dict) else NO_MEMO


class _NavItems:
    """The items of a navigation as the nav partial walks them (not ``nav.pages``:
    hooks/navigation.py takes the news posts out of the items, not out of that list),
    its pages, and the addresses it passes through ``url``."""

    def __init__(self, nav):
        self.items: list = []
        self.addresses: list[str] = []

        def walk(items) -> None:
            for item in items:
                self.items.append(item)
                if item.is_section:
                    walk(item.children)
                else:  # a page or a link
                    self.addresses.append(item.url)

        walk(nav.items)
        self.pages = [item for item in self.items if item.is_page]


_nav_items: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _nav_key(context: Context):
    page, nav, config = context.get("page"), context.get("nav"), context["config"]
    if page is None or not nav:
        return NO_MEMO
    known = _nav_items.get(nav)
    if known is None:
        known = _nav_items[nav] = _NavItems(nav)
    if page in known.pages or any(item.active for item in known.items):
        return NO_MEMO
    # nav.html's home link and logo, then each item's link, as the page's url filter makes them
    homepage = config.extra.get("homepage") or (nav.homepage.url if nav.homepage else None)
    addresses = [homepage, config.theme.get("logo"), *known.addresses]
    url = context.environment.filters["url"]
    return tuple(None if address is None else url(context, address) for address in addresses)


KEYS: dict[str, Callable[[Context], Any]] = {
    **{name: _same for name in SAME_IN_BUILD},
    "partials/copyright.html": _footer_links,
    "partials/nav.html": _nav_key,
}


def _key_function(environment, name: str | None):
    if name in KEYS:
        return KEYS[name]
    if name and name.startswith(ICONS) and _static(environment, name):
        return _same
    return None


def _static(environment, name: str) -> bool:
    """Whether the template's source has no Jinja in it (an icon: an SVG file)."""
    source = environment.loader.get_source(environment, name)[0]
    marks = (environment.block_start_string, environment.variable_start_string, environment.comment_start_string)
    return not any(mark in source for mark in marks) and environment.line_statement_prefix is None \
        and environment.line_comment_prefix is None


class _Kept:
    """What ``new_context`` gives a partial the same on every page once its output is kept:
    its memoized render function then gives the output without reading any context."""


_KEPT = _Kept()


class MemoTemplate(Template):
    _same_in_build = False

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        template = super()._from_namespace(environment, namespace, globals)
        key_of = _key_function(environment, template.name)
        template._same_in_build = key_of is _same
        template._render_each_time = template.root_render_func
        if key_of is not None:
            template.root_render_func = _memoized(template.name, key_of, template.root_render_func, environment)
        return template

    def new_context(self, vars=None, shared=False, locals=None):
        if self._same_in_build and (self.name, SAME) in _memo(self.environment):
            return _KEPT
        return super().new_context(vars, shared, locals)

    def make_module(self, vars=None, shared=False, locals=None):
        if self.name != LANGUAGE or not shared or not vars or "config" not in vars:
            # a module is the partial's own context (the names it sets), so it is rendered: never kept
            context = Template.new_context(self, vars, shared, locals)
            return TemplateModule(self, context, list(self._render_each_time(context)))
        # base.html imports it with the page's context: all it reads is the theme's language
        memo = _memo(self.environment)
        key = (LANGUAGE, vars["config"].theme["language"])
        module = memo.get(key)
        if module is None:
            module = memo[key] = super().make_module(vars, shared, locals)
            module.t = _remembering(module.t)
        return module


def _remembering(macro):
    strings: dict = {}

    def t(key):
        if key not in strings:
            strings[key] = macro(key)
        return strings[key]

    return t


def _memoized(name: str, key_of, render, environment):
    def root_render_func(context):
        memo = _memo(environment)
        key = SAME if context is _KEPT else key_of(context)
        if key is NO_MEMO:
            yield from render(context)
            return
        output = memo.get((name, key))
        if output is None:
            output = memo[(name, key)] = "".join(render(context))
        yield output

    return root_render_func
