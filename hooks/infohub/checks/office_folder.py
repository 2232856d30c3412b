"""Nothing outside an office's folder is read as its content, and nothing in it configures the engine.

A symbolic link in offices/<slug>/ would publish whatever it points at as a file of the office's
site: /etc/passwd, the build's environment (/proc/self/environ), the job's token in .git/config,
or another office's pages under this office's domain. Every link is refused, wherever it points
(a link inside the folder is a copy the editor can make instead), before anything reads it:
check_report looks for links first and reads no further in a folder that has one; the loaders
skip links as well (yamlsource, paths.source_files), the build's manifest hashes the link itself,
and the build runs only after the check has passed. The same holds for national/ and the hub's
docs/.

An office has no MkDocs configuration (site_config.py makes each site's from the base and
office.yml): a mkdocs.yml left in its folder is refused, so nobody believes it takes effect.
"""
from __future__ import annotations

import os
from pathlib import Path

from .. import paths
from ..problems import Problem
from . import Check, Scope


def symlinks(folder: Path) -> list[Path]:
    """Every symbolic link at or below ``folder``, without following any."""
    if folder.is_symlink():
        return [folder]
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(dirs + names):
            if os.path.islink(os.path.join(parent, name)):
                found.append(Path(parent) / name)
    return found


def link_problems(folder: Path) -> list[Problem]:
    """One problem per symbolic link at or below ``folder``, each named by its own path."""
    problems = []
    for link in symlinks(folder):
        shown = f"{paths.rel(link.parent)}/{link.name}"  # the link's own path (rel() would follow it)
        problems.append(Problem(shown, None, "", "symlink", {"target": os.readlink(link)}))
    return problems


def check_office_folders(scope: Scope) -> list[Problem]:
    problems = []
    for slug in scope.offices:
        config = scope.root / "offices" / slug / "mkdocs.yml"
        if config.exists() or config.is_symlink():
            problems.append(Problem(paths.rel(config), None, "", "office_engine_config", {}))
    return problems


CHECK = Check("office_folder", check_office_folders)
