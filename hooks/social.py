"""MkDocs hook: the social posts of an office's new pages, into site/_social/<slug>.json.

Pure: it reads the pages and the office's ledger and writes only the outbox,
outside the site (the outbox is not published on the office's domain). The
build driver (infohub/build.py) builds into site/.staging-<slug>/ and renames
it to site/<slug>/, so the outbox goes beside the final folder. A build
elsewhere (`mkdocs serve`, a plain `mkdocs build`) writes no outbox: its
folder may sit in the source tree.

mkdocs-static-i18n runs every hook once per language; the outbox covers
all languages at once, so it is written when the last language is built.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from infohub.mkdocs_context import last_language_built, repo_root, site_of
from infohub.social.ledger import PublishedPosts, ledger_path
from infohub.social.outbox import outbox_path, outbox_posts, write_outbox


def on_post_build(config: MkDocsConfig) -> None:
    site = site_of(config)
    site_dir = Path(config.site_dir)
    if site.is_hub or site_dir.name not in (site.slug, f".staging-{site.slug}") or not last_language_built(config):
        return
    root = repo_root(config)
    posts = outbox_posts(site, root, PublishedPosts(ledger_path(root, site.slug)))
    write_outbox(outbox_path(site_dir.parent, site.slug), posts)
