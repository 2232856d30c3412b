"""List the theme's static files once per worker, not once per language build.

Every MkDocs build walks the theme's folders (Material's, our overrides)
to find the static files it copies: about 0.2 s, twice per site because
mkdocs-static-i18n builds each language separately; 15 % of a warm build
of an office with 150 posts (measured with cProfile). The build driver's
workers build many sites with the same theme in one run, so the listing is
kept per set of theme folders. MkDocs does this before any plugin or hook
runs, so the build driver installs it (build.py), and a plain `mkdocs
build` is unchanged. Theme files do not change during a run of `make site`.
"""
from __future__ import annotations

from mkdocs.structure.files import File, Files

_listed: dict[tuple, list[tuple[str, str]]] = {}
_original = Files.add_files_from_theme


def add_files_from_theme(self: Files, env, config) -> None:
    key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
    if key not in _listed:
        probe = Files([])
        _original(probe, env, config)  # MkDocs' own listing and filtering, once
        _listed[key] = [(file.src_uri, file.src_dir) for file in probe]
    for src_uri, theme_dir in _listed[key]:
        # theme files do not override docs_dir files (as in MkDocs)
        if self.get_file_from_path(src_uri) is None:
            self.append(File(src_uri, theme_dir, config.site_dir, config.use_directory_urls))


def install() -> None:
    Files.add_files_from_theme = add_files_from_theme
