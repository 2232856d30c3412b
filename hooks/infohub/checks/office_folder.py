"""Nothing outside an office's folder is read as its content, and nothing in it configures the engine.

A symbolic link in offices/<slug>/ would publish whatever it points at as a file of the office's
site: /etc/passwd, the build's environment (/proc/self/environ), the job's token in .git/config,
or another office's pages under this office's domain. Every link is refused, wherever it points
(a link inside the folder is a copy the editor can make instead), before anything reads it:
check_report looks for links first and reads no further in a folder that has one; the loaders
skip links as well (yamlsource, paths.source_files), the build's manifest hashes the link itself,
and the build runs only after the check has passed. The same holds for national/ and the hub's
docs/.

Every file and folder name under docs/ becomes part of an address (of the page, of the feeds'
links, of the social card's file): a page or folder is named in lower case, digits and hyphens
('layanan-paspor.md', with '.en' before '.md' for a translation); pictures and documents may keep
a camera's name ('IMG_20250101.jpg'). Spaces, quotes, accents, line breaks and ':' are refused,
and every name is at most limits.FILE_NAME_CHARS long.

An office has no MkDocs configuration (site_config.py makes each site's from the base and
office.yml): a mkdocs.yml left in its folder is refused, so nobody believes it takes effect.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .. import limits, paths
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


_PAGE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z]{2})?\.md")
_FOLDER_NAME = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_OTHER_FILE_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")


def _readable(name: str) -> str:
    """The name with its control characters written out: the report shows a line break, never obeys it."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m[0]):02x}", name)


def _name_problem(parent: str, name: str, is_folder: bool) -> Problem | None:
    """The problem of a name in the folder ``parent``, if any (named only then: most names are fine)."""
    if len(name) > limits.FILE_NAME_CHARS:
        return Problem(_shown(parent, name), None, "", "file_name_length",
                       {"length": len(name), "limit": limits.FILE_NAME_CHARS})
    form = _FOLDER_NAME if is_folder else _PAGE_NAME if name.lower().endswith(".md") else _OTHER_FILE_NAME
    if not form.fullmatch(name):
        return Problem(_shown(parent, name), None, "", "file_name", {"name": _readable(name)})
    return None


def _shown(parent: str, name: str) -> str:
    return f"{paths.rel(Path(parent))}/{_readable(name)}"


def name_problems(docs_dir: Path) -> list[Problem]:
    """One problem per file or folder below ``docs_dir`` whose name cannot be part of an address."""
    problems = []
    for parent, dirs, names in os.walk(docs_dir, followlinks=False):
        dirs.sort()
        folders = set(dirs)
        for name in dirs + sorted(names):
            problem = _name_problem(parent, name, name in folders)
            if problem:
                problems.append(problem)
    return problems


def check_office_folders(scope: Scope) -> list[Problem]:
    problems = [problem for docs_dir in scope.docs_dirs() for problem in name_problems(docs_dir)]
    for slug in scope.offices:
        config = scope.root / "offices" / slug / "mkdocs.yml"
        if config.exists() or config.is_symlink():
            problems.append(Problem(paths.rel(config), None, "", "office_engine_config", {}))
    return problems


CHECK = Check("office_folder", check_office_folders)
