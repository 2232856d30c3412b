"""The sitemap rendered once per site, by its last language's build.

mkdocs-static-i18n builds each language into the same site folder, and each build renders the
theme's static templates: sitemap.xml (and sitemap.xml.gz) is written by every language's build
over the last one's, and only the last language's, which lists every language's pages
(overrides/sitemap.xml reads i18n_alternates), is published. The earlier renderings (the whole
archive's pages: 13-17 ms at 300 posts, and a gzip) are left out.
"""
from __future__ import annotations

from .mkdocs_context import last_language_built

SITEMAP = "sitemap.xml"
_original: dict = {}


def _build_theme_template(template_name, env, files, config, nav) -> None:
    if template_name == SITEMAP and not last_language_built(config):
        return  # written over by the last language's build
    _original["_build_theme_template"](template_name, env, files, config, nav)


def install() -> None:
    """Route the engine's static templates through the rule above, once per process."""
    from . import engine

    build = engine.build_module()
    if "_build_theme_template" not in _original:
        _original["_build_theme_template"] = build._build_theme_template
        build._build_theme_template = _build_theme_template
