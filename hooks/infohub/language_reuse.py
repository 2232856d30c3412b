"""A language's whole build taken from an office's last output when nothing it is made from changed.

mkdocs-static-i18n builds the Indonesian site, then, from its on_post_build, each other language
with the engine's ``build()``. An edit of an Indonesian post changes no byte under en/ (its English
version has its own text, render_cache.py), yet the English build did all of its bookkeeping again:
the plugin's file of every file, the navigation, every page's key, the feeds and the search index,
about a third of the edit's CPU at 300 posts. Here that build is left out, and its output taken
from the last one (hard links), when the record of the last build of that language says it was
made from the same:

- ``language_digest``: what the language's pages and files are made from. The office's inputs
  but its posts (render_cache.inputs_digest: office.yml, the national data, templates, hooks,
  config, engine, and the data's moments passed: an alert's end, a closure), the epoch
  (SOURCE_DATE_EPOCH), the name of every source file of the site, each post as the language
  shows it (RenderCache.versions: which versions exist, and its text in that language, or every
  text when it falls back to another), and the posts the language publishes now, with their
  dates (a scheduled post that comes out changes it). So the clock's moments (timeline.py) are in it.
- ``sitemap_digest``, for the last language, which writes the sitemap: it lists the other
  languages' pages too, with their addresses and dates.

What the build left out did besides writing its files is done from the record: its entries in
the site's one search index (the plugin stacks every language's), its pages' records (the next
build reuses them), its warnings (the build's summary is the same), the language menu it left in
config.extra, and, for the last language, the social outbox (social/outbox.py). The record is
replaced with the output it describes, as the page records are (RenderCache.forget_stale, save).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import news, paths
from .files import read_record
from .mkdocs_context import current_language, last_language_built
from .render_cache import CONFIG_KEY, Recording, capturing_warnings, json_copy, link_from_last, log_again
from .sitemap_once import SITEMAP
from .social.outbox import write_build_outbox

_FORMAT = 1
_SITEMAP_FILES = (SITEMAP, f"{SITEMAP}.gz")
_original: dict = {}


def record_path(records_dir: Path, lang: str) -> Path:
    """Beside the office's page records (render_cache.record_path)."""
    return records_dir.with_name(f"{records_dir.name}.{lang}.json")


def language_digest(cache, lang: str) -> str:
    """What the build of ``lang`` is made from (see the module's docstring); ``cache`` is the
    office's RenderCache."""
    site, root = cache.site, cache.root
    digest = hashlib.sha256(f"{_FORMAT}\0{cache.digest}\0{lang}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\0"
                            .encode())
    folders = paths.page_dirs(site.slug, root)
    own_docs = folders[-1]
    for folder in folders:
        for file in paths.source_files(folder, "*"):
            relative = paths.relative_posix(file, folder)
            digest.update(f"{folder.name}/{relative}\0".encode())
            # the office's posts are not in cache.digest: each in its place, as this language shows it
            if folder == own_docs and relative.endswith(".md") and news.is_news_source(relative):
                digest.update(cache.versions(news.split_language(relative)[0], lang))
    for post in news.published_posts(site.slug, lang, site.timezone, root, now=site.now):
        digest.update(f"{post.norm_src_uri}\0{post.lang}\0{post.published.isoformat()}\0"
                      f"{post.updated.isoformat()}\0".encode())
    return digest.hexdigest()


def sitemap_digest(config) -> str:
    """What the sitemap takes from the languages built before the last: their pages' addresses
    and dates (infohub/sitemap.py), as those builds left them."""
    i18n = config.plugins["i18n"]
    digest = hashlib.sha256()
    for lang, files in sorted(i18n.i18n_files_per_language.items()):
        if lang == i18n.current_language:
            continue
        for file in files:
            page = file.page
            meta = getattr(page, "meta", None) or {}
            digest.update(json.dumps([lang, file.src_uri, file.url, getattr(page, "canonical_url", None),
                                      str(meta.get("updated")), str(meta.get("date")),
                                      getattr(page, "update_date", None)]).encode())
    return digest.hexdigest()


def _carry(cache, config, lang: str, last: bool) -> bool:
    """The language's files linked from the last output into this build's: everything under its
    folder, what its pages wrote elsewhere (their records' outputs outside it: pictures at the
    site's root), and the sitemap for the last language. False, with nothing linked, when the
    last output lacks any of them."""
    previous, site_dir, own = os.fspath(cache.previous_dir), config.site_dir, paths.language_root(lang)
    top = os.path.join(previous, own)
    outputs = [relative for record in cache.previous.get(lang, {}).values() for relative in record["outputs"]
               if not relative.startswith(own)]
    outputs += list(_SITEMAP_FILES) if last else []
    if not os.path.isdir(top) or not all(os.path.isfile(os.path.join(previous, r)) for r in outputs):
        return False
    for folder, _, names in os.walk(top):
        target = os.path.join(site_dir, os.path.relpath(folder, previous))
        os.makedirs(target, exist_ok=True)
        for name in names:
            link_from_last(os.path.join(folder, name), os.path.join(target, name))
    for relative in outputs:
        target = os.path.join(site_dir, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_from_last(os.path.join(previous, relative), target)
    return True


def _build(config, dirty: bool = False) -> None:
    """The plugin's call to build one more language: left out when its record allows."""
    cache = config.extra.get(CONFIG_KEY)
    if cache is None:  # the hub, a plain build: no record of the last output to trust
        return _original["build"](config, dirty=dirty)
    lang, last = current_language(config), last_language_built(config)
    path = record_path(cache.records_dir, lang)
    wanted = {"digest": language_digest(cache, lang), "sitemap": sitemap_digest(config) if last else ""}
    record = read_record(path, _FORMAT, "language")
    if (record and all(record.get(key) == value for key, value in wanted.items())
            and _carry(cache, config, lang, last)):
        _replay(cache, config, lang, record, last)
        return None
    i18n = config.plugins["i18n"]
    before = len(i18n.search_entries)
    with capturing_warnings(Recording()) as warnings:
        _original["build"](config, dirty=dirty)
    cache.language_records[path] = {
        **wanted, "entries": json_copy(i18n.search_entries[before:]), "warnings": warnings.warnings,
        "alternate": json_copy(vars(config.extra).get("alternate"))}
    return None


def _replay(cache, config, lang: str, record: dict, last: bool) -> None:
    # the record was read for this build alone: its values are handed on, not copied
    config.plugins["i18n"].search_entries.extend(record["entries"])
    pages = cache.records[lang] = dict(cache.previous.get(lang, {}))
    cache.reused += len(pages)
    log_again(record["warnings"])
    if record["alternate"] is not None:
        config.extra.alternate = record["alternate"]
    if last:
        write_build_outbox(cache.site, cache.root, Path(config.site_dir))


def install() -> None:
    """Route mkdocs-static-i18n's build of each further language through ``_build``, once per
    process (build.py's workers). The plugin calls the ``build`` it imported."""
    from mkdocs_static_i18n import plugin

    if "build" not in _original:
        _original["build"] = plugin.build
        plugin.build = _build
