"""MkDocs hook: the page for an address that does not exist, in each language.

Material renders its 404.html once per build into the site's root; mkdocs-static-i18n builds
each language with the same site_dir, so the last language's page (English) replaced the
Indonesian one and no language had its own. Here the default language's page stays at
/404.html and every other language's goes to /<lang>/404.html, where the nginx configuration
of `deploy-files` serves it for any missing address under /<lang>/. The page itself is
overrides/404.html: a way home and the search, in the page's language.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from infohub.files import replace_file
from infohub.mkdocs_context import current_language
from infohub.paths import language_root

_default_page: dict[str, str] = {}  # site_dir -> the default language's 404 page, rendered first


def on_env(env, config: MkDocsConfig, files):
    # Served at any depth: the way home is absolute, like Material's asset links on this page.
    env.globals["infohub_not_found_home"] = "/" + language_root(current_language(config))
    return env


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name != "404.html":
        return output
    folder = language_root(current_language(config))
    if not folder:
        _default_page[config.site_dir] = output
        return output
    replace_file(Path(config.site_dir) / folder / "404.html", output.encode("utf-8"))
    # what MkDocs writes to the root: the default language's page again
    return _default_page.get(config.site_dir, output)
