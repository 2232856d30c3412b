"""One check, one verdict: `make site` publishes a site only when `make check` passes it.

The check of a site is ``checks.site_report``: ``checks.check_report`` for that site alone: one office
(what `make check OFFICE=<slug>` reports), or the hub with the national data.
The build driver (build.py) runs it before building a site; a site with an
error is not built and keeps its last good output.

The hub's aggregate feeds carry every office's posts, read from the sources
(hub_feed.py), so they need each office's verdict too: they take an office's
posts only while that office passes its check. For an office that fails,
they keep the posts of its last good state, a copy of the office's folder
made the last time its check passed (site/.cache/last-good/<slug>/, in the
build cache, never published). So a broken office changes nobody else's
output, and its posts do not come back to the schedulers as new once it is
fixed. An office that has never passed has no copy: its posts are left out.

Verdicts are kept in the build cache under the office's check digest
(manifest.Inputs.check_digest): an office whose files have not changed is
not checked again, and in a build of the hub and its offices together each
office is checked once, by its own build, before the hub reads its verdict.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import manifest, paths
from .files import modified_ns, read_record, replace_file, stamp_trusted, status_stamp, write_record

if TYPE_CHECKING:
    from .schema import Office
    from .sitedata import SiteData

LAST_GOOD = "last-good"
_VERDICTS = "verdicts"
_DIGEST_FILE = ".digest"
# Beside the marker: each file's status when it was copied (files.status_stamp): see _sync.
_SOURCES_FILE = ".sources.json"
_SOURCES_FORMAT = "1"
# How long the hub waits for a verdict another worker is checking: far longer than any office's check.
AWAIT_SECONDS = 120.0


def record(slug: str, digest: str, ok: bool) -> None:
    replace_file(paths.cache_dir(_VERDICTS) / f"{slug}.json",
                 json.dumps({"digest": digest, "ok": ok}, sort_keys=True).encode("utf-8"))


def known(slug: str, digest: str) -> bool | None:
    """The verdict recorded for the office's files as they are now, or None."""
    try:
        data = json.loads((paths.cache_dir(_VERDICTS) / f"{slug}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return bool(data.get("ok")) if isinstance(data, dict) and data.get("digest") == digest else None


def passes(slug: str, root: Path, digest: str) -> bool:
    ok = _awaited(slug, digest) if slug in being_checked else known(slug, digest)
    if ok is None:
        from .checks import site_report

        ok = not site_report(slug, root).errors
        record(slug, digest, ok)
    return ok


def _awaited(slug: str, digest: str) -> bool | None:
    """The verdict another worker's build of the office records: the build driver starts the
    hub after every office, so that office's check has begun and usually ended. None after
    AWAIT_SECONDS (that worker died, say): then the hub checks the office itself."""
    deadline = time.monotonic() + AWAIT_SECONDS
    while (ok := known(slug, digest)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return ok


@dataclass(frozen=True)
class OfficeSource:
    """Where the hub reads one office's posts from."""

    slug: str
    office: Office
    root: Path  # the repository, or the office's last good copy (a repository of one office)
    digest: str  # the office's check digest, or the one its last good copy was made at
    last_good: bool = False  # read from the last good copy


@dataclass
class HubSources:
    offices: list[OfficeSource] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # failed their check: their last good posts
    left_out: list[str] = field(default_factory=list)  # failed and never passed: no posts


# Set by the build driver for the hub's build: the digests it has computed already, and the
# offices whose builds in the same run record their verdicts (the hub waits for those);
# the last answer of hub_sources, for the build summary.
given_digests: dict[str, str] = {}
being_checked: frozenset[str] = frozenset()
last: HubSources = HubSources()


def hub_sources(hub: SiteData, root: Path) -> HubSources:
    """Every office the hub's feeds read, each from where its last good posts are. Found once
    while paths.files_unchanged holds: the feeds of each language ask, and finding them reads
    each office's verdict and its last good copy's marker (two languages at 120 offices: 480
    files a refresh, where 240 tell the same)."""
    global last
    last = paths.kept_value("hub sources", (os.fspath(root), tuple(hub.offices)), lambda: _hub_sources(hub, root))
    return last


def _hub_sources(hub: SiteData, root: Path) -> HubSources:
    inputs = None
    found = HubSources()
    for slug in paths.office_slugs(root):
        office = hub.offices.get(slug)
        if office is not None:
            digest = given_digests.get(slug)
            if digest is None:
                inputs = inputs or manifest.Inputs(root)
                digest = inputs.check_digest(slug)
            if passes(slug, root, digest):
                _keep_copy(slug, root, digest)
                found.offices.append(OfficeSource(slug, office, root, digest))
                continue
        copy = _last_good(slug, hub)
        if copy is not None:
            found.offices.append(copy)
            found.kept.append(slug)
        else:
            found.left_out.append(slug)
    return found


def _copy_root(slug: str, cache: Path | None = None) -> Path:
    """Where the office's last good copy is: in ``cache`` (site/.cache), else this process's cache."""
    return (cache / LAST_GOOD if cache else paths.cache_dir(LAST_GOOD)) / slug


def has_copy(slug: str, cache: Path | None = None) -> bool:
    """A complete copy: its marker (the digest it was made at) is written once the copy is."""
    copy = _copy_root(slug, cache)
    return (copy / _DIGEST_FILE).is_file() and (copy / "offices" / slug / "office.yml").is_file()


def _keep_copy(slug: str, root: Path, digest: str) -> None:
    """Bring the copy of the office's folder to the folder as it passed its check, unless it is
    that already. One edited post copies one file: the whole folder (3,000 files at 1,500 posts)
    copied and the old copy deleted took 2 s of CPU on every edit. The marker goes first and
    comes back last, so a copy a killed build left half-way is no copy (has_copy) until the
    next passing build completes it."""
    target = _copy_root(slug)
    marker = target / _DIGEST_FILE
    try:
        if marker.read_text(encoding="utf-8") == digest:
            return
    except OSError:
        pass
    marker.unlink(missing_ok=True)
    sources = target / _SOURCES_FILE
    copied = _sync(root / "offices" / slug, target / "offices" / slug,
                   read_record(sources, _SOURCES_FORMAT, "files"), modified_ns(sources))
    write_record(sources, _SOURCES_FORMAT, "files", copied)
    marker.write_text(digest, encoding="utf-8")


def _sync(source: Path, target: Path, copied: dict, copied_at: int) -> dict[str, list[int]]:
    """Make ``target`` hold what ``source`` holds, and say each file's status as it was copied.
    ``copied`` says it of the last sync, recorded at ``copied_at``: a file whose status is still
    that one is what was copied, if it was last written long enough before (files.stamp_trusted;
    the size and modification time alone would not tell: `cp -p` and `rsync -t` keep them); the
    rest is copied, and what ``source`` no longer has is deleted. (A folder with a link in it
    never passes its check: checks/office_folder.py.)"""
    now_copied: dict[str, list[int]] = {}
    kept: set[str] = set()
    for folder, _, names in os.walk(source):
        relative = os.path.relpath(folder, source)
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        kept.add(os.path.normpath(relative))
        for name in names:
            path, copy = os.path.join(folder, name), os.path.join(target, relative, name)
            file = os.path.normpath(os.path.join(relative, name))
            kept.add(file)
            stamp = now_copied[file] = status_stamp(path)
            if copied.get(file) == stamp and stamp_trusted(stamp, copied_at) and os.path.isfile(copy):
                continue
            try:
                os.unlink(copy)  # a new file, never one written over
            except FileNotFoundError:
                pass
            shutil.copy2(path, copy)
    for folder, dirs, names in os.walk(target, topdown=False):
        relative = os.path.relpath(folder, target)
        for name in names:
            if os.path.normpath(os.path.join(relative, name)) not in kept:
                os.unlink(os.path.join(folder, name))
        if os.path.normpath(relative) not in kept:
            os.rmdir(folder)
    return now_copied


def _last_good(slug: str, hub: SiteData) -> OfficeSource | None:
    from .content import load_office

    if not has_copy(slug):
        return None
    copy = _copy_root(slug)
    try:
        digest = (copy / _DIGEST_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    office, _ = load_office(slug, hub.national, copy)
    return OfficeSource(slug, office, copy, digest, last_good=True) if office is not None else None
