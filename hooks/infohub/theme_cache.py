"""What the build driver's workers reuse of the theme from one build to the next.

1. The listing of the theme's static files, once per worker, not once per
   language build.

   Every MkDocs build walks the theme's folders (Material's, our overrides)
   to find the static files it copies: about 0.2 s, twice per site because
   mkdocs-static-i18n builds each language separately; 15 % of a warm build
   of an office with 150 posts (measured with cProfile). The build driver's
   workers build many sites with the same theme in one run, so the listing
   is kept per set of theme folders.
2. Compiled templates for every Jinja environment of the theme. The
   template_cache hook gives the page environment a bytecode cache, but
   Material's search plugin makes environments of its own (to translate its
   settings) in on_config, before any hook runs, and compiles
   partials/language.html from source each time: about 0.07 s a build.

MkDocs does both before any hook could, so the build driver installs them
(build.py), and a plain `mkdocs build` is unchanged. Theme files do not
change during a run of `make site`.
"""
from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme

from . import paths

# realpaths of the theme folders and the static templates -> (path, index of its theme folder)
_listed: dict[tuple, list[tuple[str, int]]] = {}
_original_listing = Files.add_files_from_theme
_original_get_env = Theme.get_env


def add_files_from_theme(self: Files, env, config) -> None:
    dirs = config.theme.dirs
    # Each office names the overrides as offices/<slug>/../../overrides: the same
    # folder under another spelling, so the key is the real path.
    key = (tuple(os.path.realpath(d) for d in dirs), tuple(config.theme.static_templates))
    if key not in _listed:
        probe = Files([])
        _original_listing(probe, env, config)  # MkDocs' own listing and filtering, once
        _listed[key] = [(file.src_uri, dirs.index(file.src_dir)) for file in probe]
    for src_uri, index in _listed[key]:
        # theme files do not override docs_dir files (as in MkDocs)
        if self.get_file_from_path(src_uri) is None:
            self.append(File(src_uri, dirs[index], config.site_dir, config.use_directory_urls))


def get_env(self: Theme):
    env = _original_get_env(self)
    # the same folder as hooks/template_cache.py: one cache, keyed by template and source
    env.bytecode_cache = FileSystemBytecodeCache(str(paths.cache_dir("jinja")))
    return env


def install() -> None:
    Files.add_files_from_theme = add_files_from_theme
    Theme.get_env = get_env
