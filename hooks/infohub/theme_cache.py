"""What the build driver's workers reuse of the theme from one build to the next.

1. The listing of the theme's static files, once per worker, not once per
   language build.

   Every MkDocs build walks the theme's folders (Material's, our overrides)
   to find the static files it copies: about 0.2 s, twice per site because
   mkdocs-static-i18n builds each language separately; 15 % of a warm build
   of an office with 150 posts (measured with cProfile). The build driver's
   workers build many sites with the same theme in one run, so the listing
   is kept per set of theme folders, in memory and in the build cache
   (site/.cache/theme/), so that a rebuild of one office does not walk
   Material's ten thousand icons again. The cache's key names each folder
   and what can change its list of files: for a folder of an installed
   package, the engine and the versions of it and Material; for any other folder (our
   overrides), the names of all its files.
2. Compiled templates for every Jinja environment of the theme, never
   looked at on disk again once loaded (auto_reload off). The
   template_cache hook gives the page environment a bytecode cache, but
   Material's search plugin makes environments of its own (to translate its
   settings) in on_config, before any hook runs, and compiles
   partials/language.html from source each time: about 0.07 s a build.
3. The compiled templates, once read or compiled, kept in memory
   (``KeptBytecodeCache``): each build makes its environments anew and loads
   some 65 templates into them; reading and unmarshalling each from the
   cache's files again was 10 ms a build.
4. One copy of each static file of the theme, linked into every site. Each site had a copy of
   Material's ~50 assets (lunr's languages, the bundle, the stylesheets) and ours, written by
   each language's build over the last one's (mkdocs-static-i18n builds every language into the
   same site folder): 4,800 new files in a clean build of 40 offices, and making a file costs
   the file system 30 times what a hard link does. Now the first build that needs a theme file
   copies it into the build cache (site/.cache/theme/files/, named by the hash of its bytes, read
   once per process: another version of the theme is another name, the same one is found again by
   the next run), and every site's file is a hard link to that copy, made once per site: a later
   language's build finds it there (the same file). No copy and no site file is ever written
   into, only replaced whole (a link renamed over it, as cards.py does): the build writes a site's
   output into a folder holding no file (output_folders.py), the engine's writes replace a file
   other names share (output_writes.py), and nothing else writes a theme file's name. A cache on
   another file system is copied from as before.

The engine does all four before any hook could, so the build driver installs them
(build.py), and a plain `mkdocs build` is unchanged. Theme files do not
change during a run of `make site`. Imported after engine.activate(): `mkdocs`
is then the chosen engine (ProperDocs' modules under MkDocs' names, or MkDocs).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import material
import mkdocs
from jinja2 import FileSystemBytecodeCache
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme

from . import output_writes, paths
from .files import link_in_place, replace_file, status_stamp

# key (see _listing_key) -> [(path, index of its theme folder)]
_listed: dict[str, list[tuple[str, int]]] = {}
_original_listing = Files.add_files_from_theme
# Folders of installed packages change only when a package is installed: then a version changes.
_INSTALLED = tuple({os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix)})
_VERSIONS = [mkdocs.__name__, mkdocs.__version__, material.__version__]  # __name__: 'properdocs' or 'mkdocs'
_original_get_env = Theme.get_env
# theme file -> (its status, the name of its copy in the build cache, its bytes): see 4. above.
# The name, not the path: a process may build into several site folders, each with its own cache
# (tests, a preview), and a site's files must link to its own cache's copies.
_shared: dict[str, tuple[tuple[int, ...], str, bytes]] = {}


def _folder_state(folder: str) -> list:
    if folder.startswith(_INSTALLED):
        return [_VERSIONS]
    return sorted(os.path.relpath(os.path.join(base, name), folder)
                  for base, _, names in os.walk(folder) for name in names)


def _listing_key(config) -> str:
    # Each office names the overrides as offices/<slug>/../../overrides: the same
    # folder under another spelling, so the key has the real path.
    folders = [os.path.realpath(d) for d in config.theme.dirs]
    state = [folders, sorted(config.theme.static_templates), [_folder_state(f) for f in folders]]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def _listing(env, config) -> list[tuple[str, int]]:
    key = _listing_key(config)
    stored = paths.cache_dir("theme") / f"{key}.json"
    if key in _listed:
        if not stored.exists():  # a build into another site/ folder: its cache gets it too
            replace_file(stored, json.dumps(_listed[key]).encode("utf-8"))
        return _listed[key]
    try:
        _listed[key] = [(uri, index) for uri, index in json.loads(stored.read_text(encoding="utf-8"))]
        return _listed[key]
    except (OSError, ValueError, TypeError):
        pass
    probe = Files([])
    _original_listing(probe, env, config)  # MkDocs' own listing and filtering
    _listed[key] = [(file.src_uri, config.theme.dirs.index(file.src_dir)) for file in probe]
    replace_file(stored, json.dumps(_listed[key]).encode("utf-8"))
    return _listed[key]


def _shared_copy(source: str) -> Path | None:
    """The build cache's copy of the theme file ``source`` (see 4. above), made when missing;
    None when it cannot be made."""
    try:
        stamp = tuple(status_stamp(source))
        copy = _shared.get(source)
        if copy is None or copy[0] != stamp:
            data = Path(source).read_bytes()
            name = f"{hashlib.sha256(data).hexdigest()}{os.path.splitext(source)[1]}"
            copy = _shared[source] = (stamp, name, data)
        shared = paths.cache_dir("theme") / "files" / copy[1]
        if not shared.exists():
            replace_file(shared, copy[2])
        return shared
    except OSError:
        return None


class ThemeFile(File):
    """A static file of the theme: a hard link to the build cache's copy (see 4. above)."""

    def copy_file(self, dirty: bool = False) -> None:
        # a file a plugin gave content to is written from memory, as the engine does
        shared = _shared_copy(self.abs_src_path) if self._content is None else None
        if shared is None:
            self._copy(dirty)
            return
        target = self.abs_dest_path
        try:
            if os.path.samefile(shared, target):
                return  # an earlier language's build of this site linked it
        except OSError:
            pass  # no file there yet
        try:
            link_in_place(shared, target)
        except OSError:  # the cache on another file system
            self._copy(dirty)

    def _copy(self, dirty: bool) -> None:
        """The engine's copy, never into a file linked elsewhere (output_writes.py)."""
        output_writes.unshare(self.abs_dest_path, self.abs_src_path)
        super().copy_file(dirty)


def add_files_from_theme(self: Files, env, config) -> None:
    dirs = config.theme.dirs
    for src_uri, index in _listing(env, config):
        # theme files do not override docs_dir files (as in MkDocs)
        if self.get_file_from_path(src_uri) is None:
            self.append(ThemeFile(src_uri, dirs[index], config.site_dir, config.use_directory_urls))


class KeptBytecodeCache(FileSystemBytecodeCache):
    """The files' cache, with what it read or wrote kept in memory for the process's next
    builds. Keyed as the files are (the template's name and the checksum of its source),
    and by folder: a folder holds templates compiled with one setting of autoescape."""

    _kept: dict[tuple[str, str, str], object] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._kept.get((self.directory, bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        super().load_bytecode(bucket)
        if bucket.code is not None:
            self._kept[(self.directory, bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket) -> None:
        super().dump_bytecode(bucket)
        self._kept[(self.directory, bucket.key, bucket.checksum)] = bucket.code


def get_env(self: Theme):
    env = _original_get_env(self)
    # the same folder as hooks/template_cache.py: one cache, keyed by template and source
    env.bytecode_cache = KeptBytecodeCache(str(paths.cache_dir("jinja")))
    # Theme files do not change while the driver builds (see above), so a template Jinja has
    # loaded is not looked at on disk again each time a page includes it (thousands a build).
    env.auto_reload = False
    return env


def install() -> None:
    Files.add_files_from_theme = add_files_from_theme
    Theme.get_env = get_env
