"""What each site is built from, hashed, so unchanged sites are not rebuilt.

A site's inputs are everything that can change its output: its own folder,
the national data and page shells, the base config, the overrides, the
hooks, the pinned requirements and the engine chosen (engine.py). The hub
also reads every office's data (its directory). The digest of those files is stored beside the output in
site/.manifest/<slug>.json after a successful build; the next build skips a
site whose digest and output are unchanged.

The hub's feeds aggregate every office's news as well (infohub/hub_feed.py).
They are a unit of their own, HUB_FEEDS, whose inputs are the hub's plus
every office's whole folder (its news, and whatever decides whether its
check passes, infohub/verdict.py): when only an office's files changed,
the build driver writes the hub's feeds again instead of rebuilding its pages.

Some output depends on the clock, not on a file: a post dated in the future
appears when its moment comes, an alert disappears when it ends. The build
works out the next such moment of each unit (timeline.py) and records it
beside the digest (``changes_at``); a build at or after it rebuilds the unit
though no file changed. Knowing it costs a no-change build nothing: the
moment is read with the digest. The national data (national/alert.yml among
it) is an input of every site.

One input lies outside an office's folder: `make check` refuses an office
whose domain another office.yml also declares (checks/domains.py), so an
office's digest also names the other offices that declare its domain.
The digest without the epoch and the engine (``check_digest``) keys the check's
verdict (infohub/verdict.py): the check reads neither.

The build driver keeps each input's hash in site/.cache/inputs.json under the file's status
(``hashes_file``): an edit's run reads the one file that changed, not the 2,600 files of four
offices of 300 posts (0.05 s of CPU), and a file whose status changed in any way is read again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import subprocess
from pathlib import Path

from . import engine, paths
from .files import modified_ns, read_record, replace_file, stamp_of, stamp_trusted, write_record
from .social.ledger import FILE_NAME as LEDGER_FILE

SHARED_INPUTS = ("mkdocs.yml", "national", "overrides", "hooks", "requirements/build.txt")
CMS_INSTALLED = "tools/cms/node_modules/@sveltia/cms/package.json"  # the hub's /admin/ (cms_config.py)
HUB_FEEDS = f"{paths.HUB_SLUG}-feeds"  # the manifest's name for the hub's aggregate feeds
_DOMAIN = re.compile(r"^domain:[ \t]*[\"']?([^\"'#\s]+)", re.M)
# The inputs' hashes kept between runs (Inputs(hashes_file=…)): each file's under its status
# (files.status_stamp), trusted while the status is the same for a file last written long enough
# before the record was (its own modification time: files.stamp_trusted, git's "racily clean" rule);
# the others are read again, and the record written again so that they are trusted next time.
_HASHES_FORMAT = "1"


def _files(root: Path, relative: str) -> list[str]:
    """The files at or under ``relative``, as repository paths ('hooks/site_data.py')."""
    target = os.path.join(root, relative)
    if os.path.isfile(target):
        return [relative]
    found = []
    for folder, dirs, names in os.walk(target, followlinks=False):  # a link is an input itself
        names += [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        base = os.path.relpath(folder, root).replace(os.sep, "/")
        found += [f"{base}/{name}" for name in names if not name.endswith(".pyc")]
    return found


class Inputs:
    """Lists and hashes the files of a repository once, however many sites share them."""

    def __init__(self, root: Path, hashes_file: Path | None = None):
        """``hashes_file``: where the files' hashes are kept between runs (see _HASHES_FORMAT);
        without it every input is read and hashed."""
        self.root = root
        self._hashes_file = hashes_file
        self._kept = read_record(hashes_file, _HASHES_FORMAT, "files") if hashes_file else {}
        self._kept_at = modified_ns(hashes_file) if self._kept else 0
        self._keep: dict[str, list] = {}  # what this run hashed, kept for the next
        self._racy = False  # a kept hash not trusted for its file's recent writing
        self._listings: dict[str, list[str]] = {}
        self._inputs: dict[str, list[str]] = {}
        self._hashes: dict[str, bytes] = {}
        self._named: dict[str, bytes] = {}  # _named_hash's
        self._commit_times: dict[str, int] | None = None
        self._domains: dict[str, str] | None = None
        self._engine: str | None = None

    @property
    def engine(self) -> str:
        """The engine that builds ('properdocs 1.6.7'), read once."""
        if self._engine is None:
            self._engine = engine.identity()
        return self._engine

    def _files(self, relative: str) -> list[str]:
        if relative not in self._listings:
            self._listings[relative] = _files(self.root, relative)
        return self._listings[relative]

    def site_inputs(self, slug: str) -> list[str]:
        if slug not in self._inputs:
            files = [f for shared in SHARED_INPUTS for f in self._files(shared)]
            if slug in (paths.HUB_SLUG, HUB_FEEDS):
                files += self._files("docs") + self._files("offices/_hub")
                # /admin/: the web editor's pinned package, and whether it is installed
                files += self._files("tools/cms/package-lock.json") + self._files(CMS_INSTALLED)
                # The feeds carry an office's posts only while its check passes (verdict.py):
                # any file of the office can change that.
                parts = ("",) if slug == HUB_FEEDS else ("/office.yml",)
                for office in paths.office_slugs(self.root):
                    for part in parts:
                        files += self._files(f"offices/{office}{part}")
            else:
                # the hub's address: an office links the hub once it is set (hub_address.py)
                files += self._files(f"offices/{slug}") + self._files("offices/_hub/mkdocs.yml")
            # The publisher's record (social/ledger.py), committed after each deploy that posted:
            # the outbox leaves out what it names, but `make publish` checks it before every send
            # anyway, so it changes nothing that must be rebuilt. As an input, each publication
            # would rebuild its office (and the hub's feeds) at the next scheduled run.
            self._inputs[slug] = sorted({f for f in files if not _is_ledger(f)})
        return self._inputs[slug]

    def file_hash(self, relative: str) -> bytes:
        """One input's hash, as the digests take it (render_cache.py takes all but the posts)."""
        return self._hash(relative)

    def _hash(self, relative: str) -> bytes:
        if relative not in self._hashes:
            path = os.path.join(self.root, relative)
            # a link in an office's folder is hashed as the link (_office_link): one lstat tells that
            # and, for a file, its status (2,400 files in an edit's run at 4x300: one call each, not two)
            status = os.lstat(path) if relative.startswith("offices/") else os.stat(path)
            if stat.S_ISLNK(status.st_mode):  # a link to /dev/zero must not hang
                self._hashes[relative] = hashlib.sha256(b"link:" + os.readlink(path).encode()).digest()
            else:
                self._hashes[relative] = self._content_hash(relative, path, status)
        return self._hashes[relative]

    def _named_hash(self, relative: str) -> bytes:
        """``relative``'s name, NUL and hash: its part of a digest."""
        named = self._named.get(relative)
        if named is None:
            named = self._named[relative] = relative.encode() + b"\0" + self._hash(relative)
        return named

    def _content_hash(self, relative: str, path: str, status: os.stat_result) -> bytes:
        if self._hashes_file is None:
            with open(path, "rb") as handle:
                return hashlib.sha256(handle.read()).digest()
        stamp = stamp_of(status)
        known = self._kept.get(relative)
        if isinstance(known, list) and len(known) == 6 and known[:5] == stamp and isinstance(known[5], str):
            if stamp_trusted(stamp, self._kept_at):
                self._keep[relative] = known
                return bytes.fromhex(known[5])
            self._racy = True
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).digest()
        self._keep[relative] = stamp + [digest.hex()]
        return digest

    def save_hashes(self) -> None:
        """Keep the hashes of the files this run read for the next (when asked to: hashes_file)."""
        if self._hashes_file is not None and (self._keep != self._kept or self._racy):
            write_record(self._hashes_file, _HASHES_FORMAT, "files", self._keep)

    def digest(self, slug: str, epoch: str) -> str:
        """What the build of one site reads, hashed: its files, the epoch and the engine (the
        pins hold both engines, INFOHUB_ENGINE chooses between them)."""
        return self._digest(slug, epoch, self.engine)

    def _digest(self, slug: str, epoch: str, engine_identity: str) -> str:
        digest = hashlib.sha256(epoch.encode())  # the epoch changes the output too
        digest.update(engine_identity.encode() + b"\0")
        # each file's name and hash, in one update: the same digest as one update a file, without
        # a call and two joins a file for each of the 5-6 digests a run takes of every office's files
        digest.update(b"".join(map(self._named_hash, self.site_inputs(slug))))
        if slug not in (paths.HUB_SLUG, HUB_FEEDS):
            digest.update(repr(self.domain_twins(slug)).encode())
        return digest.hexdigest()

    def check_digest(self, slug: str) -> str:
        """What the check of one site reads, hashed: its files (the check runs no engine)."""
        return self._digest(slug, "", "")

    def domain_twins(self, slug: str) -> list[str]:
        """The other offices whose office.yml declares this office's domain (usually none)."""
        if self._domains is None:
            self._domains = {}
            for office in paths.office_slugs(self.root):
                if self._office_link(f"offices/{office}/office.yml"):
                    continue
                try:
                    text = (self.root / "offices" / office / "office.yml").read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError):
                    continue
                if match := _DOMAIN.search(text):
                    self._domains[office] = match[1].strip().lower()
        domain = self._domains.get(slug)
        return sorted(o for o, d in self._domains.items() if domain and d == domain and o != slug)

    def _office_link(self, relative: str) -> bool:
        """A link in an office's folder: refused by the check (checks/office_folder.py), so never
        opened here. (The shared inputs may be links: a test repository links the real hooks.)"""
        return relative.startswith("offices/") and os.path.islink(os.path.join(self.root, relative))

    def epoch(self, slug: str) -> str:
        """SOURCE_DATE_EPOCH for one site: the time of the last commit that touched its
        inputs. It does not move when other sites change, so a site that is skipped
        and one that is rebuilt from the same input are byte for byte the same."""
        times = self._git_times()
        latest = max((times[p] for p in self.site_inputs(slug) if p in times), default=None)
        return str(latest) if latest is not None else "1735689600"  # no history: a fixed date

    def _git_times(self) -> dict[str, int]:
        """path -> time of the newest commit touching it, from one `git log`."""
        if self._commit_times is None:
            self._commit_times = {}
            try:
                out = subprocess.run(["git", "-C", str(self.root), "log", "--format=%x00%ct", "--name-only"],
                                     capture_output=True, text=True, timeout=60)
                stdout = out.stdout if out.returncode == 0 else ""
            except (OSError, subprocess.SubprocessError):
                stdout = ""
            for entry in stdout.split("\0")[1:]:
                lines = entry.strip().splitlines()
                if lines and lines[0].isdigit():
                    for name in lines[1:]:
                        self._commit_times.setdefault(name, int(lines[0]))  # newest first
        return self._commit_times


def _is_ledger(relative: str) -> bool:
    parts = relative.split("/")
    return len(parts) == 3 and parts[0] == "offices" and parts[2] == LEDGER_FILE


def manifest_path(slug: str, site_root: Path) -> Path:
    return site_root / ".manifest" / f"{slug}.json"


def outputs(slug: str, site_root: Path) -> list[Path]:
    """What a good build of the site leaves: its folder and, for an office, its social outbox."""
    if slug == HUB_FEEDS:
        return [site_root / paths.HUB_SLUG]
    found = [site_root / slug]
    if slug != paths.HUB_SLUG:
        found.append(site_root / "_social" / f"{slug}.json")
    return found


def is_current(slug: str, digest: str, site_root: Path, now: dt.datetime) -> bool:
    """Built from these inputs, still there, and not past the moment its output changes by the clock."""
    return all(p.exists() for p in outputs(slug, site_root)) and is_recorded(slug, digest, site_root, now)


def is_recorded(slug: str, digest: str, site_root: Path, now: dt.datetime) -> bool:
    """The manifest names these inputs and the moment its output changes has not come. Alone
    (without the output), it tells a scheduled run what the last deploy left (`infohub due`)."""
    try:
        data = json.loads(manifest_path(slug, site_root).read_text(encoding="utf-8"))
        return data.get("digest") == digest and not is_due(data, now)
    except (OSError, ValueError, TypeError, AttributeError):
        return False


def next_moment(site_root: Path) -> tuple[dt.datetime, str] | None:
    """The earliest moment any recorded unit changes by the clock, with the unit's name."""
    found = []
    for path in sorted((site_root / ".manifest").glob("*.json")):
        try:
            moment = json.loads(path.read_text(encoding="utf-8")).get("changes_at")
            if moment:
                found.append((dt.datetime.fromisoformat(moment), path.stem))
        except (OSError, ValueError, TypeError, AttributeError):
            continue
    return min(found, default=None)


def is_due(data: dict, now: dt.datetime) -> bool:
    """Whether a manifest's next moment (``changes_at``) has come."""
    moment = data.get("changes_at")
    return moment is not None and dt.datetime.fromisoformat(moment) <= now


def record(slug: str, digest: str, site_root: Path, pages: int, changes_at: dt.datetime | None) -> None:
    data = {"digest": digest, "pages": pages, "changes_at": changes_at.isoformat() if changes_at else None}
    replace_file(manifest_path(slug, site_root), json.dumps(data, sort_keys=True).encode("utf-8"))
