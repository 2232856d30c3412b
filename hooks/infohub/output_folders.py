"""The folders of a site's last output, kept empty for its next build.

Each build of a site writes a new tree (site/.staging-<slug>/) and swaps it in (build.py): an
office of 300 posts has some 1,100 folders, one per page and language, and making them anew
then deleting the last build's took a quarter of a second of CPU per edit (file-system work:
mkdir and rmdir), more than rendering the edited pages.

So the last output, once replaced, is not deleted: its files are (they belong to no site any
more; a file the new output shares through a hard link stays there), and its folders, empty,
wait in the build's cache (site/.cache/folders/<slug>/) to become the next build's staging
folder. MkDocs empties its output folder first (utils.clean_directory): for a staging folder
made of these empty folders that step is skipped, and after the build the folders the build
left empty (a page deleted, moved or no longer published) are removed. What the build writes is
the same as into an empty folder: it holds no file when the build starts.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from .files import PUBLIC_FILE, PUBLIC_FOLDER

_reused: set[str] = set()  # staging folders made of a last output's empty folders
_original: dict[str, object] = {}


def spare_path(slug: str, site_root: Path) -> Path:
    return site_root / ".cache" / "folders" / slug


def keep_folders(previous: Path, spare: Path) -> None:
    """Delete the files of ``previous`` (a replaced output) and keep its folders as ``spare``;
    where that cannot be done (the cache on another file system), delete ``previous`` whole."""
    if not previous.is_dir():
        return
    try:
        _delete_files(os.fspath(previous))
        shutil.rmtree(spare, ignore_errors=True)
        spare.parent.mkdir(parents=True, exist_ok=True)
        previous.rename(spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def _delete_files(folder: str) -> None:
    """Every file below ``folder`` deleted, and every link (a link to a folder too): the folders stay."""
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _delete_files(entry.path)
        else:
            os.unlink(entry.path)


def reuse_folders(spare: Path, staging: Path) -> None:
    """Make ``staging`` (which must not exist) of the folders kept in ``spare``, when there are."""
    if not spare.is_dir() or spare.is_symlink():
        return  # none kept (a first build): the build starts from no folder
    try:
        spare.rename(staging)
    except OSError:
        return  # not movable (another file system): as if none were kept
    _reused.add(_key(staging))


def finish(staging: Path) -> int:
    """The end of a good build of ``staging``, in one walk of it; the number of its pages (the
    index.html files). The kept folders the build left empty are removed (a page deleted, moved
    or no longer published), and what the web server reads is made public: every file 0644,
    every folder 0755, whatever the umask (files.PUBLIC_FILE, PUBLIC_FOLDER; nginx's worker runs
    as another user than the build). A mode already right is not set again: a page reused from
    the last build is a hard link to a file made public then. A link is neither followed nor
    changed. (Four walks of an office's 800 folders and 2,300 files, and a chmod a file, were
    0.06 s of CPU of each edit at 300 posts.)"""
    prune = _key(staging) in _reused
    _reused.discard(_key(staging))
    staging.chmod(PUBLIC_FOLDER)
    return _finish_folder(os.fspath(staging), prune, top=True)


def _finish_folder(folder: str, prune: bool, top: bool = False) -> int:
    pages, holds_file = 0, False
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            pages += _finish_folder(entry.path, prune)
            continue
        holds_file = holds_file or not entry.is_dir()  # as os.walk sorts them: a link to a folder is one
        if entry.name == "index.html" and not entry.is_dir():
            pages += 1
        if not entry.is_symlink() and stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode) != PUBLIC_FILE:
            os.chmod(entry.path, PUBLIC_FILE)
    if top:
        return pages
    if prune and not holds_file:
        try:
            os.rmdir(folder)  # fails for a folder still holding a folder: it is not empty
            return pages
        except OSError:
            pass
    if stat.S_IMODE(os.lstat(folder).st_mode) != PUBLIC_FOLDER:
        os.chmod(folder, PUBLIC_FOLDER)
    return pages


def forget(staging: Path) -> None:
    """The build of ``staging`` failed (the folder is deleted whole)."""
    _reused.discard(_key(staging))


def _key(folder: Path | str) -> str:
    return os.path.normpath(os.path.abspath(folder))


def _clean_directory(directory: str) -> None:
    if _key(directory) in _reused:
        return  # it holds no file, and its folders are reused (see the module's docstring)
    _original["clean_directory"](directory)


def install() -> None:
    """Route MkDocs' emptying of its output folder through here, once per process (build.py's
    workers); any other build (`make serve`, a plain build) empties it as before."""
    from . import engine

    utils = engine.build_module().utils  # the module whose clean_directory the build calls
    if "clean_directory" not in _original:
        _original["clean_directory"] = utils.clean_directory
        utils.clean_directory = _clean_directory
