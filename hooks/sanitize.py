"""MkDocs hook: every page body passes an HTML allow-list before it is published.

Raw HTML in Markdown goes into the page as written; an editor's paste (or a
compromised account) could carry a script. The rendered body is cleaned
with the policy in infohub.checks.html: what Python-Markdown and the
configured extensions emit survives, scripts, event handlers, `javascript:`
URLs, frames other than YouTube's privacy-enhanced embeds and images from
hosts national/defaults.yml does not name in ``image_hosts`` do not.
`make check` reports the same removals, with file and line, before merge.

A link whose address urllib cannot read would stop MkDocs before that (its 'relpath' step reads
every address): on_config gives Markdown infohub.unreadable_links, which drops such an address.

It runs first among the on_page_content hooks, so HTML that later hooks add
from trusted templates is not touched. Cleaning is pure, so running once per
language build (mkdocs-static-i18n) gives the same result each time.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

from infohub.checks.html import sanitise
from infohub.mkdocs_context import site_of
from infohub.unreadable_links import UnreadableLinks


def on_config(config):
    if not any(isinstance(ext, UnreadableLinks) for ext in config.markdown_extensions):
        config.markdown_extensions.append(UnreadableLinks())  # Python-Markdown takes an instance too
    return config


@event_priority(100)
def on_page_content(html: str, page, config, files) -> str:
    return sanitise(html, site_of(config).national.defaults.image_hosts)
