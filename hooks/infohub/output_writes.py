"""The engine's writes of output files: a file's folder made only when it is missing.

ProperDocs (and MkDocs) make the folder of every file they write, whether it is there or not:
``utils.write_file`` (every page), ``utils.copy_file`` and ``File.copy_file`` (every static
file: two makedirs, each a stat and a mkdir, and a stat of the target) -- some 6 mkdir calls
a page, most on folders made already, in a clean build of an office of 40 posts. Here the file
is opened (copied) first, and its folders are made, by the engine's own function, only when
that fails for want of them: one mkdir per new folder, none for a folder that is there. What
is written is the same.

The engine writes into the file it finds at a target. A file of the output may be a hard link
shared with other sites and the build cache (theme_cache.py's theme assets, render_cache.py's
reused pages, cards.py's cards): such a file is deleted first, so that what is written is a new
file and no other name sees a byte of it (nor half of it).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
from typing import Iterator

_original: dict = {}
_utils = None  # the engine's utils module (install)
_extra_outputs: set[str] | None = None  # while a page is recorded (recording_extra_outputs)


def wrote(path) -> None:
    """Say that the page being rendered put ``path`` into the site besides its HTML (a card, a
    resized picture): render_cache.py records it, since a page reused from the last build needs
    it too. Called from cards.py and images.py."""
    if _extra_outputs is not None:
        _extra_outputs.add(os.fspath(path))


@contextlib.contextmanager
def recording_extra_outputs(outputs: set[str]) -> Iterator[None]:
    """Add to ``outputs`` what ``wrote`` is told while this holds."""
    global _extra_outputs
    outer, _extra_outputs = _extra_outputs, outputs
    try:
        yield
    finally:
        _extra_outputs = outer


def unshare(output_path: str, source_path: str | None = None) -> None:
    """Delete the file at ``output_path`` if other names share it (see above), unless it is
    ``source_path`` itself (a plugin wrote the file into the site folder: the engine skips it)."""
    try:
        found = os.lstat(output_path)
        if not (stat.S_ISREG(found.st_mode) and found.st_nlink > 1):
            return
        if source_path is not None and os.path.samestat(found, os.stat(source_path)):
            return
        os.unlink(output_path)
    except FileNotFoundError:
        pass


def write_file(content: bytes, output_path: str) -> None:
    unshare(output_path)
    try:
        output = open(output_path, "wb")
    except FileNotFoundError:  # its folder is missing: made, and the file written, by the engine
        _original["write_file"](content, output_path)
        return
    with output:
        output.write(content)


def copy_file(source_path: str, output_path: str) -> None:
    unshare(output_path, source_path)
    try:
        shutil.copyfile(source_path, output_path)
    except (FileNotFoundError, IsADirectoryError):
        # its folder is missing, or ``output_path`` names a folder (copied into it), or the source
        # is missing: the engine's own copy does what it always did (and raises the same error)
        _original["copy_file"](source_path, output_path)


def copy_static_file(file, dirty: bool = False) -> None:
    """``File.copy_file`` of a static file that is a file on disk, without its own makedirs:
    copy_file above makes the folder when it is missing."""
    if dirty or file._content is not None or file.abs_src_path is None:
        if file._content is not None:  # written from memory by the engine, into the file it finds
            unshare(file.abs_dest_path)
        _original["File.copy_file"](file, dirty)  # or a dirty build
        return
    try:
        _utils.copy_file(file.abs_src_path, file.abs_dest_path)
    except shutil.SameFileError:
        pass  # a plugin wrote it straight into the site folder (as the engine allows)


def install() -> None:
    """Route the engine's writes through here, once per process (build.py's workers)."""
    global _utils
    from . import engine

    build = engine.build_module()  # its ``utils`` and ``File`` are the engine's
    utils, File = build.utils, build.File
    if "write_file" not in _original:
        _utils = utils
        _original["write_file"], _original["copy_file"] = utils.write_file, utils.copy_file
        _original["File.copy_file"] = File.copy_file
        utils.write_file, utils.copy_file = write_file, copy_file
        File.copy_file = copy_static_file
