"""Reuse a page of an office's last build when nothing it is made from has changed.

One edited news post used to rebuild the whole office: every page's Markdown and template
rendered again in both languages (9 s at 300 posts). The build driver (build.py) now gives an
office's build a RenderCache, and MkDocs' page loop (mkdocs/commands/build.py:
_populate_page, then _build_page, for each language mkdocs-static-i18n builds) goes through
the two wrappers below. For each page they work out a key from everything its HTML is made
from; when the last build of the office recorded the same key for the same page, its output is
taken from the last build's folder (a hard link: no byte copied) and what rendering it did
besides is done again from the record, without rendering anything:

- the files the page put into the site besides its HTML (its social card, resized pictures:
  ``wrote`` is told of them), linked from the last output too;
- its entries in Material's search index, appended in the same order;
- its title (the navigation, the breadcrumbs of pages below it, the sitemap read it), its
  canonical address (hooks/page_meta.py sets it for a page shown in Indonesian), and the HTML
  of a news post's body, which the office's feeds carry (hooks/feeds.py);
- its front matter as the engine read it (``page.meta``: the sitemap, the navigation and the
  hooks read it), with where its Markdown starts, so that a reused page's YAML is not parsed
  again (``_kept_source``; a page whose front matter JSON cannot hold exactly is read as before);
- the language menu mkdocs-static-i18n left for it in config.extra.alternate (an attribute
  of the mapping, which the templates read before its key): the plugin sets it page by page
  and never resets it, so the next language's 404 page, rendered before any of that
  language's pages, shows the menu of the last page built;
- the warnings its rendering logged, logged again: the build's summary stays the same.

What a page's key holds (``RenderCache.page_key``):
- the site's inputs except the office's news posts, hashed as the manifest hashes them
  (manifest.Inputs: office.yml, the national data, the templates, hooks, config, pinned
  packages, the engine), and which of the moments the data's output changes by the clock
  (timeline.data_moments: an alert's end, a closure) have passed: a change to any of them
  renders every page again;
- the language being built and the list of the build's files (a link to another page is
  resolved against it: a post added, removed or published at its moment renders every page
  again);
- the page's own source (or generated Markdown), and which other language versions it has
  (whether a translation exists changes the language menu and the fallback notice);
- the sources of the posts the page shows: a list page's posts and the start page's newest
  (hooks/news_pages.py declares them with ``shows``), each in the language built when it has
  that language's text (``versions``).
The epoch (SOURCE_DATE_EPOCH) is left out: no page's HTML carries it, only the sitemap and the
feeds, which are written whole every build.

Written whole every build, as before: the sitemap, the search index, the feeds, the .ics
files, the static assets, the open data and the social outbox. A language none of whose inputs
changed is not built at all: language_reuse.py takes its output whole from the last build.

The records are kept in shards (``_SHARDS`` files a language, a page's by the hash of its
address): an edit changes the records of the few pages it renders again, and writing all of
them, 3 MB at 300 posts, cost more than its own rendering's bookkeeping. A shard whose
records are the same as the last build's is neither removed nor written again: it describes
the new output as well as the last (a reused page is the last build's file).
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import stat
import zlib
from pathlib import Path
from typing import Iterator

from . import output_writes, paths
from .files import link, read_record, text_of, write_record
from .news import is_news_source, split_language

CONFIG_KEY = "infohub_render_cache"  # config.extra: the RenderCache of this build (build.py sets it)
_SHOWS = "infohub_shows"  # attribute of a File: the posts its page shows, and what else decides it
_FORMAT = 1  # of a record file: a record of another format is not read
# Record files a language: an edit at 300 posts changes the records of some 5 of a language's 32
# shards (about 10 pages each; 60 at 1,500 posts), reading 32 files costs ~1 ms more than one.
_SHARDS = 32
_LOGGERS = ("mkdocs", "properdocs")

# The page being rendered, while it is: what it writes and logs goes into its record.
_recording: Recording | None = None


def shows(file, norm_src_uris, extra: str = "") -> None:
    """Declare that ``file``'s page shows the posts ``norm_src_uris`` (their Indonesian source
    paths) and depends on ``extra`` besides (e.g. which categories exist)."""
    setattr(file, _SHOWS, (tuple(norm_src_uris), extra))


class Recording(logging.Handler):
    """What one page's rendering wrote besides its HTML, and the warnings it logged."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.outputs: set[str] = set()
        self.warnings: list[tuple[str, int, str]] = []
        self.source: list | None = None  # what the page's read_source gave (_read_source)

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def capturing_warnings(recording: Recording) -> Iterator[Recording]:
    """The engine's warnings into ``recording`` while this holds (a page's, or a whole language
    build's: language_reuse.py)."""
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for log in loggers:
        log.addHandler(recording)
    try:
        yield recording
    finally:
        for log in loggers:
            log.removeHandler(recording)


@contextlib.contextmanager
def _record(recording: Recording):
    global _recording
    _recording = recording
    try:
        with capturing_warnings(recording), output_writes.recording_extra_outputs(recording.outputs):
            yield recording
    finally:
        _recording = None


def record_path(slug: str, site_root: Path) -> Path:
    """The folder of the records of an office's last build: in the build's cache (site/.cache/,
    kept with the output between CI runs), not beside the manifests, which every deploy uploads
    as its record (3 MB an office at 300 posts)."""
    return site_root / ".cache" / "pages" / slug


def shard_name(lang: str, dest_uri: str) -> str:
    """The file, in an office's records folder, that holds the record of a page of ``lang``."""
    return f"{lang}-{zlib.crc32(dest_uri.encode('utf-8', 'surrogatepass')) % _SHARDS:02d}.json"


def inputs_digest(slug: str, root: Path, site) -> str:
    """What every page of an office is made from, except the office's own news posts (see the
    module's docstring); ``site`` is its SiteData."""
    from . import manifest, timeline

    inputs = manifest.Inputs(root)
    docs = f"offices/{slug}/docs/"
    digest = hashlib.sha256(inputs.engine.encode() + b"\0")
    for relative in inputs.site_inputs(slug):
        if relative.startswith(docs) and relative.endswith(".md") and is_news_source(relative[len(docs):]):
            continue  # a post's page, and the pages that show it, have it in their own key
        digest.update(relative.encode() + b"\0" + inputs.file_hash(relative))
    digest.update(repr(inputs.domain_twins(slug)).encode())
    # A post's publication is in the list of files (an unpublished post is not built); its date
    # is in its own key: only the data's moments are every page's.
    passed = sorted(m.isoformat() for m in timeline.data_moments(site) if m <= site.now)
    digest.update(json.dumps(passed).encode())
    return digest.hexdigest()


class RenderCache:
    """The pages of one office's build: which are reused from its last build, and the records
    the next build reuses."""

    def __init__(self, site, root: Path, previous_dir: Path, records: Path) -> None:
        self.site = site
        self.root = root
        self.previous_dir = Path(previous_dir)
        self.records_dir = records
        self.digest = inputs_digest(site.slug, root, site)
        self.previous: dict[str, dict[str, dict]] = {}  # lang -> dest_uri -> record, of the last build
        # each record file as read ({lang: {dest_uri: record}}); without a last output, every
        # file there is stale (None): removed, or written again, by this build
        self._previous_shards: dict[str, dict | None] = {}
        self._shards: dict[str, dict] = {}  # this build's, made by forget_stale
        try:
            names = [name for name in os.listdir(records) if name.endswith(".json")]
        except OSError:
            names = []
        for name in names:
            if not self.previous_dir.is_dir():
                self._previous_shards[name] = None
                continue
            pages = self._previous_shards[name] = read_record(records / name, _FORMAT, "pages")
            for lang, records_of_lang in pages.items():
                if isinstance(records_of_lang, dict):
                    self.previous.setdefault(lang, {}).update(records_of_lang)
        self.records: dict[str, dict[str, dict]] = {}  # lang -> dest_uri -> record
        self.rendered = 0
        self.reused = 0
        self._language_digests: dict[tuple[str, int], bytes] = {}
        self._sources: dict[tuple[str, str], bytes] = {}  # (page, language) -> versions
        self._found: dict[str, list[tuple[str, bytes, str, str]]] = {}  # page -> _version_files
        self._page_dirs = [os.fspath(folder) for folder in paths.page_dirs(site.slug, root)]
        # the records of the languages this build built whole (language_reuse.py): replaced, as
        # the page records are, with the output they describe
        self.language_records: dict[Path, dict] = {}

    def forget_stale(self) -> None:
        """Before this build's output replaces the last: remove the record files that change
        (they describe the output about to be replaced; a build stopped before save() then
        renders their pages again). Those that stay the same describe both outputs."""
        for lang, pages in self.records.items():
            for dest_uri, record in pages.items():
                self._shards.setdefault(shard_name(lang, dest_uri), {}).setdefault(lang, {})[dest_uri] = record
        for name, pages in self._previous_shards.items():
            if self._shards.get(name) != pages:
                (self.records_dir / name).unlink(missing_ok=True)
        for path in self.language_records:
            path.unlink(missing_ok=True)
        # the one record file of the builds before the shards, 3 MB at 300 posts, in a kept cache
        self.records_dir.with_name(f"{self.records_dir.name}.json").unlink(missing_ok=True)

    def save(self) -> None:
        """After the new output is in place: write the record files that changed."""
        for name, pages in self._shards.items():
            if pages != self._previous_shards.get(name):
                write_record(self.records_dir / name, _FORMAT, "pages", pages)
        for path, record in self.language_records.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_record(path, _FORMAT, "language", record)

    # --- keys -----------------------------------------------------------------

    def _language_digest(self, lang: str, files) -> bytes:
        known = self._language_digests.get((lang, id(files)))
        if known is None:
            digest = hashlib.sha256(f"{self.digest}\0{lang}\0".encode())
            for file in files:
                digest.update(f"{file.src_uri}\0{file.dest_uri}\0".encode())
            known = self._language_digests[(lang, id(files))] = digest.digest()
        return known

    def versions(self, norm_src_uri: str, lang: str) -> bytes:
        """What a page of ``lang`` takes from the language versions of ``norm_src_uri`` (national
        shell and the office's own), as one hash: which versions exist (the language menu, the
        hreflang links, the fallback notice), and the text of those in ``lang`` when each folder
        that has a version of the page has one in ``lang``; else (a fallback to another
        language's text, an office's file replacing a national one) the text of all of them.
        Another language's text is not in it otherwise: no page shows it (news.published_posts
        takes a post's text in the language built), so an edited Indonesian post no longer
        renders the English pages that show its translation again."""
        known = self._sources.get((norm_src_uri, lang))
        if known is None:
            found = self._version_files(norm_src_uri)
            in_lang = [f for f in found if f[0] == lang]
            shown = in_lang if {f[3] for f in in_lang} == {f[3] for f in found} else found
            digest = hashlib.sha256()
            for _, named, _, _ in found:
                digest.update(named)
            for _, named, path, _ in shown:
                digest.update(named + hashlib.sha256(paths.source_bytes(path)).digest())
            known = self._sources[norm_src_uri, lang] = digest.digest()
        return known

    def _version_files(self, norm_src_uri: str) -> list[tuple[str, bytes, str, str]]:
        """(language, what names the file, its path, its folder) of each language version of a
        page, looked up once for all the languages built."""
        found = self._found.get(norm_src_uri)
        if found is None:
            found = self._found[norm_src_uri] = []
            for folder in self._page_dirs:
                for version in self.site.languages:
                    name = norm_src_uri if version == paths.ROOT_LANGUAGE else f"{norm_src_uri[:-3]}.{version}.md"
                    path = os.path.join(folder, name)
                    if _is_regular_file(path):  # a link is no page (checks/office_folder.py)
                        found.append((version, f"{os.path.basename(folder)}/{name}\0".encode(), path, folder))
        return found

    def page_key(self, page, files, lang: str) -> str:
        file = page.file
        digest = hashlib.sha256(self._language_digest(lang, files))
        digest.update(f"{file.src_uri}\0{file.dest_uri}\0{page.url}\0".encode())
        digest.update(hashlib.sha256(_content_bytes(file)).digest())
        norm = split_language(getattr(file, "norm_src_uri", file.src_uri))[0]
        if norm.endswith(".md"):
            digest.update(self.versions(norm, lang))
        shown, extra = getattr(file, _SHOWS, ((), ""))
        for post in shown:
            digest.update(post.encode() + b"\0" + self.versions(post, lang))
        digest.update(extra.encode())
        return digest.hexdigest()

    # --- the two steps of MkDocs' page loop ------------------------------------

    def populate(self, original, page, config, files, dirty) -> None:
        from .mkdocs_context import current_language

        lang = current_language(config)
        key = self.page_key(page, files, lang)
        record = self._reusable(lang, page, key)
        if record is not None:
            if not _kept_source(page, config, record):
                page.read_source(config)  # its front matter: the sitemap and the lists read it
            page.title = record["title"]
            page.content = record.get("body") or ""
            page.infohub_reused = record
            log_again(record["warnings"][0])
            return
        with _record(Recording()) as recording:
            original(page, config, files, dirty)
        page.infohub_rendering = (key, recording, len(recording.warnings))

    def build(self, original, page, config, doc_files, nav, env, dirty, excluded) -> None:
        from .mkdocs_context import current_language

        lang = current_language(config)
        record = getattr(page, "infohub_reused", None)
        if record is not None:
            self._replay(page, config, record, lang)
            return
        key, recording, read = page.infohub_rendering
        entries = _search_entries(config)
        before = len(entries)
        with _record(recording):
            original(page, config, doc_files, nav, env, dirty, excluded)
        self.rendered += 1
        site_dir = Path(config.site_dir)
        outputs = sorted({Path(p).relative_to(site_dir).as_posix() for p in recording.outputs
                          if Path(p).is_relative_to(site_dir)} - {page.file.dest_uri})
        record = {"key": key, "title": page.title, "canonical_url": page.canonical_url,
                  "entries": copy.deepcopy(entries[before:]), "outputs": outputs,
                  "warnings": [recording.warnings[:read], recording.warnings[read:]],
                  "alternate": copy.deepcopy(vars(config.extra).get("alternate"))}
        if recording.source is not None:
            record["source"] = recording.source
        if is_news_source(page.file.src_uri):  # the feeds carry its body, as hooks/feeds.py took it
            from . import feeds

            record["body"] = feeds.rendered_posts(config.site_dir, lang).get(split_language(page.file.src_uri)[0])
        self.records.setdefault(lang, {})[page.file.dest_uri] = record

    def _reusable(self, lang: str, page, key: str) -> dict | None:
        record = self.previous.get(lang, {}).get(page.file.dest_uri)
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        needed = [page.file.dest_uri, *record["outputs"]]
        previous = os.fspath(self.previous_dir)
        if not all(os.path.isfile(os.path.join(previous, relative)) for relative in needed):
            return None
        return record

    def _replay(self, page, config, record: dict, lang: str) -> None:
        previous = os.fspath(self.previous_dir)
        for relative in [page.file.dest_uri, *record["outputs"]]:
            link_from_last(os.path.join(previous, relative), os.path.join(config.site_dir, relative))
        # copies: the plugins change the index's entries and the menu in place, the record is saved
        _search_entries(config).extend(json_copy(record["entries"]))
        page.canonical_url = record["canonical_url"]
        if record["alternate"] is not None:
            config.extra.alternate = json_copy(record["alternate"])
        if "body" in record:
            from . import feeds

            feeds.rendered_posts(config.site_dir, lang)[split_language(page.file.src_uri)[0]] = record["body"]
        log_again(record["warnings"][1])
        self.records.setdefault(lang, {})[page.file.dest_uri] = record
        self.reused += 1


def log_again(warnings: list) -> None:
    for name, level, message in warnings:
        logging.getLogger(name).log(level, message)


def _search_entries(config) -> list:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    return index.entries if index is not None else []


def _is_regular_file(path: str) -> bool:
    """``Path(path).is_file() and not Path(path).is_symlink()``, in one system call."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def link_from_last(source: str, target: str) -> None:
    """The last build's file at ``target``, without copying its bytes when the file system allows.
    A file of a site is never written in place (MkDocs writes a page anew), so the two builds
    sharing it is safe; the last build's folder is deleted once the new one is in place.
    The folder is made only when it is missing: the staging folder is made of the last output's
    folders already (output_folders.py), and making each again cost a system call a file."""
    try:
        link(source, target)
    except FileExistsError:
        pass  # another page (another language) put the same picture there already
    except OSError:
        shutil.copyfile(source, target)


def json_copy(value):
    """A copy of a record's JSON value (dicts, lists and scalars): copy.deepcopy's result, in a
    fraction of its time (a reused page's search entries and language menu are copied)."""
    if isinstance(value, dict):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    return value


# --- a page's front matter, kept -------------------------------------------------
# The engine's Page.read_source reads the page's file and parses its front matter (YAML) into
# page.meta, the rest into page.markdown. A reused page's source is the one its record was made
# from (its hash is in the key), so the record keeps the front matter as read, and where the
# Markdown starts in the text: read_source's result without the YAML parser (a tenth of the
# bookkeeping of 730 reused pages at 300 posts). What the record keeps is JSON, so values JSON
# cannot give back exactly as the YAML loader made them are not kept: dates and times without a
# zone are tagged; any other type, a key that is not a string, or one that looks like a tag, and
# the page is read as before.

_TAG = "\0"  # a dict {"\0date": "2025-01-31"} is a date (no front matter key starts with NUL)


def _encoded(value):
    """``value`` as JSON that _decoded gives back equal and of the same types; None if it cannot be."""
    if type(value) is str:  # a lone surrogate (a YAML escape) would make the record unreadable
        return [value] if value.isascii() or _utf8(value) else None
    if type(value) in (bool, int, float, type(None)):
        return [value]
    if type(value) is dt.datetime and value.tzinfo is None:
        return [{_TAG + "datetime": value.isoformat()}]
    if type(value) is dt.date:
        return [{_TAG + "date": value.isoformat()}]
    if type(value) is list:
        items = [_encoded(item) for item in value]
        return None if any(item is None for item in items) else [[item[0] for item in items]]
    if type(value) is dict:
        encoded = {}
        for key, item in value.items():
            if type(key) is not str or key.startswith(_TAG):
                return None
            item = _encoded(item)
            if item is None:
                return None
            encoded[key] = item[0]
        return [encoded]
    return None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decoded(value):
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, text), = value.items()
            if key == _TAG + "date":
                return dt.date.fromisoformat(text)
            if key == _TAG + "datetime":
                return dt.datetime.fromisoformat(text)
        return {key: _decoded(item) for key, item in value.items()}
    return value


def _read_source(page, config) -> None:
    """The engine's Page.read_source; while a page is rendered for the cache, what it gave is kept
    for the page's record, before any hook changes page.meta (no second YAML parse)."""
    _original["read_source"](page, config)
    if _recording is not None:
        _recording.source = _source_record(page, config)


def _source_record(page, config) -> list | None:
    """[where the Markdown starts, the front matter] of a page whose source read_source has just
    read; None when they cannot be kept (see above) or a plugin gave the source."""
    if config.plugins.events.get("page_read_source"):
        return None
    source = _content_string(page.file)  # as read_source read it: the sources do not change in a build
    encoded = _encoded(page.meta)
    if encoded is None or not isinstance(page.markdown, str) or not source.endswith(page.markdown):
        return None
    return [len(source) - len(page.markdown), encoded[0]]


def _kept_source(page, config, record: dict) -> bool:
    """Give a reused page the Markdown and front matter its record keeps, as read_source would
    (no plugin gives pages' sources here: then it reads them); False when it must read them."""
    kept = record.get("source")
    if not (isinstance(kept, list) and len(kept) == 2 and type(kept[0]) is int and isinstance(kept[1], dict)) \
            or config.plugins.events.get("page_read_source"):
        return False
    try:
        meta = _decoded(kept[1])
    except (TypeError, ValueError):  # not what _encoded wrote: read the page
        return False
    page.markdown, page.meta = _content_string(page.file)[kept[0]:], meta
    return True


# A page's file on disk is read once in a build (paths.source_bytes): its key, its language
# versions' hash, its kept Markdown and the content model's loaders all read it. A file whose
# content a plugin or hook gave (a generated page) is asked for it, as the engine asks it.

def _on_disk(file) -> bool:
    return getattr(file, "_content", None) is None and file.abs_src_path is not None


def _content_bytes(file) -> bytes:
    """``file.content_bytes``."""
    return paths.source_bytes(file.abs_src_path) if _on_disk(file) else file.content_bytes


def _content_string(file) -> str:
    """``file.content_string``."""
    return text_of(paths.source_bytes(file.abs_src_path)) if _on_disk(file) else file.content_string


# --- the wrappers around MkDocs' page loop ------------------------------------

_original: dict[str, object] = {}


def _populate_page(page, config, files, dirty: bool = False) -> None:
    cache = config.extra.get(CONFIG_KEY)
    if cache is None:
        return _original["_populate_page"](page, config, files, dirty)
    cache.populate(_original["_populate_page"], page, config, files, dirty)


def _build_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False) -> None:
    cache = config.extra.get(CONFIG_KEY)
    if cache is None:
        return _original["_build_page"](page, config, doc_files, nav, env, dirty, excluded)
    cache.build(_original["_build_page"], page, config, doc_files, nav, env, dirty, excluded)


def install() -> None:
    """Route the engine's page loop through the cache, once per process (build.py's workers).
    A build without a RenderCache in its config (`make serve`, a plain build) is unchanged."""
    from . import engine

    build = engine.build_module()
    if "_populate_page" not in _original:
        _original["_populate_page"] = build._populate_page
        _original["_build_page"] = build._build_page
        build._populate_page = _populate_page
        build._build_page = _build_page
        page_class = engine.pages_module().Page
        _original["read_source"] = page_class.read_source
        page_class.read_source = _read_source
