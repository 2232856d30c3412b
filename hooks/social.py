"""MkDocs hook: the social posts of an office's new pages, into site/_social/<slug>.json.

Pure: it reads the pages and the office's ledger and writes only the outbox,
outside the site (the outbox is not published on the office's domain), where
social/outbox.py's write_build_outbox says.

mkdocs-static-i18n runs every hook once per language; the outbox covers
all languages at once, so it is written when the last language is built.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from infohub.mkdocs_context import last_language_built, repo_root, site_of
from infohub.social.outbox import write_build_outbox


def on_post_build(config: MkDocsConfig) -> None:
    if last_language_built(config):
        write_build_outbox(site_of(config), repo_root(config), Path(config.site_dir))
