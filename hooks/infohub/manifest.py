"""What each site is built from, hashed, so unchanged sites are not rebuilt.

A site's inputs are everything that can change its output: its own folder,
the national data and page shells, the base config, the overrides, the
hooks and the pinned requirements. The hub also reads every office's data
and news (its directory and aggregate feeds). The digest of those files is
stored beside the output in site/.manifest/<slug>.json after a successful
build; the next build skips a site whose digest and output are unchanged.

Some output depends on the clock, not on a file: a post dated in the future
appears when its moment comes, an alert disappears when it expires. So the
digest also counts how many dates written in the site's content have passed
(in each Indonesian time zone): when one more passes, the site is rebuilt.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

from . import paths
from .clock import build_moment

SHARED_INPUTS = ("mkdocs.yml", "national", "overrides", "hooks", "requirements.txt")
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?")


def _files(root: Path, relative: str, pattern: str = "**/*") -> list[Path]:
    target = root / relative
    if target.is_file():
        return [target]
    if not target.is_dir():
        return []
    return [p for p in target.glob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")]


def site_inputs(slug: str, root: Path) -> list[Path]:
    files: list[Path] = []
    for shared in SHARED_INPUTS:
        files += _files(root, shared)
    if slug == paths.HUB_SLUG:
        files += _files(root, "docs") + _files(root, "offices/_hub")
        for office in paths.office_slugs(root):
            files += _files(root, f"offices/{office}/office.yml")
            files += _files(root, f"offices/{office}/mkdocs.yml")
            files += _files(root, f"offices/{office}/docs/berita")
    else:
        files += _files(root, f"offices/{slug}")
    return sorted(set(files))


class Inputs:
    """Hashes the files of a repository once, however many sites share them."""

    def __init__(self, root: Path):
        self.root = root
        self._hashes: dict[Path, bytes] = {}
        self._date_cache: dict[Path, list[str]] = {}
        self._commit_times: dict[str, int] | None = None

    def _hash(self, file: Path) -> bytes:
        if file not in self._hashes:
            self._hashes[file] = hashlib.sha256(file.read_bytes()).digest()
        return self._hashes[file]

    def digest(self, slug: str, epoch: str) -> str:
        digest = hashlib.sha256(epoch.encode())  # the epoch changes the output too
        files = site_inputs(slug, self.root)
        for file in files:
            digest.update(file.relative_to(self.root).as_posix().encode() + b"\0" + self._hash(file))
        digest.update(repr(self._dates_passed(files)).encode())
        return digest.hexdigest()

    def _dates_passed(self, files: list[Path]) -> tuple[int, ...]:
        """How many dates in the content have passed, at UTC+7, +8 and +9 (WIB, WITA, WIT)."""
        now = build_moment()
        dates = [d for f in files if f.suffix in (".md", ".yml") and "hooks" not in f.parts
                 for d in self._dates(f)]
        return tuple(sum(d <= (now + dt.timedelta(hours=h)).strftime("%Y-%m-%d %H:%M") for d in dates)
                     for h in (7, 8, 9))

    def _dates(self, file: Path) -> list[str]:
        if file not in self._date_cache:
            text = file.read_text(encoding="utf-8", errors="replace")
            self._date_cache[file] = [f"{m[1]} {m[2] or '00:00'}" for m in _DATE.finditer(text)]
        return self._date_cache[file]

    def epoch(self, slug: str) -> str:
        """SOURCE_DATE_EPOCH for one site: the time of the last commit that touched its
        inputs. It does not move when other sites change, so a site that is skipped
        and one that is rebuilt from the same input are byte for byte the same."""
        times = self._git_times()
        inputs = {f.relative_to(self.root).as_posix() for f in site_inputs(slug, self.root)}
        latest = max((times[p] for p in inputs if p in times), default=None)
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


def manifest_path(slug: str, site_root: Path) -> Path:
    return site_root / ".manifest" / f"{slug}.json"


def outputs(slug: str, site_root: Path) -> list[Path]:
    """What a good build of the site leaves: its folder and, for an office, its social outbox."""
    found = [site_root / slug]
    if slug != paths.HUB_SLUG:
        found.append(site_root / "_social" / f"{slug}.json")
    return found


def is_current(slug: str, digest: str, site_root: Path) -> bool:
    path = manifest_path(slug, site_root)
    if not all(p.exists() for p in outputs(slug, site_root)) or not path.is_file():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("digest") == digest
    except (OSError, ValueError):
        return False


def record(slug: str, digest: str, site_root: Path, pages: int) -> None:
    path = manifest_path(slug, site_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"digest": digest, "pages": pages}, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
