"""One Python-Markdown converter per site and language build, not one per page.

The engine's Page.render makes a new ``markdown.Markdown`` for every page: it loads and
configures every extension again (superfences deep-copies its highlighter's settings), some 5 %
of an office's clean build, the same work 738 times for an office of 300 posts. Python-Markdown
is made to convert many documents with one instance, reset between them (``Markdown.reset``:
its stash, its references and every extension's own state; hub_feed.py renders the hub's feed
items that way).

So the engine's page module is given, in place of the ``markdown`` module it calls, one that
answers ``Markdown(extensions=…, extension_configs=…)`` with the converter it made last, reset,
when the extensions are the same list (the config being built) and their settings are equal;
anything else is the real module's. Page.render itself is the engine's, unchanged: it registers
its four per-page steps (raw HTML, anchors, relative links, title) on the converter again, under
their names, which replaces the last page's. The output is the same, byte for byte
(tests/test_markdown_reuse.py builds offices both ways).

Installed in the build's workers (build._worker_init), as render_cache.py is.
"""
from __future__ import annotations

import copy
import types

import markdown


class _KeptConverter(types.ModuleType):
    """The ``markdown`` module as the engine's page module sees it."""

    def __init__(self) -> None:
        super().__init__("markdown")
        self._extensions = None  # the list the converter was made from (the config's own)
        self._items: list = []  # what that list held then
        self._configs = None  # a copy of its settings then
        self._converter = None

    def __getattr__(self, name: str):
        return getattr(markdown, name)

    def Markdown(self, extensions=(), extension_configs=None, **options):  # noqa: N802 - markdown's name
        if options:
            return markdown.Markdown(extensions=extensions, extension_configs=extension_configs, **options)
        if (extensions is not self._extensions or list(extensions) != self._items
                or extension_configs != self._configs):
            self._converter = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
            self._extensions, self._items = extensions, list(extensions)
            self._configs = copy.deepcopy(extension_configs)
        return self._converter.reset()


def install() -> None:
    """The engine's page module calls the kept converter, once per process."""
    from . import engine

    pages = engine.pages_module()
    if not isinstance(pages.markdown, _KeptConverter):
        pages.markdown = _KeptConverter()
