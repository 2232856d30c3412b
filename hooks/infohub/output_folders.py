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
from pathlib import Path

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
        for parent, folders, files in os.walk(previous):
            for name in files:
                os.unlink(os.path.join(parent, name))
            for name in folders:  # os.walk lists a link to a folder among the folders
                path = os.path.join(parent, name)
                if os.path.islink(path):
                    os.unlink(path)
        shutil.rmtree(spare, ignore_errors=True)
        spare.parent.mkdir(parents=True, exist_ok=True)
        previous.rename(spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def reuse_folders(spare: Path, staging: Path) -> None:
    """Make ``staging`` (which must not exist) of the folders kept in ``spare``, when there are."""
    if not spare.is_dir() or spare.is_symlink():
        return  # none kept (a first build): the build starts from no folder
    try:
        spare.rename(staging)
    except OSError:
        return  # not movable (another file system): as if none were kept
    _reused.add(_key(staging))


def prune(staging: Path) -> None:
    """Remove the kept folders the build left empty; the build of ``staging`` is over."""
    if _key(staging) not in _reused:
        return
    _reused.discard(_key(staging))
    for parent, folders, files in os.walk(staging, topdown=False):
        if not files and parent != os.fspath(staging):
            try:
                os.rmdir(parent)  # fails for a folder still holding a folder: it is not empty
            except OSError:
                pass


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
