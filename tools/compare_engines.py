"""make compare-engines: the same sites built by ProperDocs and by MkDocs 1.6, compared file by file.

    python tools/compare_engines.py [--office SLUG …] [--root DIR] [--keep DIR]

Each engine builds the sites (default: the hub, imigrasiblitar and imigrasibatam) in a process of
its own, since a process chooses its engine once (hooks/infohub/engine.py), from the same
repository, at the same moment (INFOHUB_NOW) and epoch (SOURCE_DATE_EPOCH), into a folder of its
own. Then every file of the two folders is compared byte for byte, nothing normalised: a file
that differs or exists on one side only is listed with the lines that differ. Three differences
are the build's bookkeeping, not output, and are named as such when they are the only change:

- site/.manifest/<unit>.json: its digest names the engine (manifest.py), so a change of engine
  rebuilds every site; every other key must be equal;
- site/.cache/theme/<key>.json: the key of the theme's listing names the engine
  (theme_cache.py); the listing itself must be equal;
- site/.cache/pages/<slug>/*.json and <slug>.<lang>.json: each page's key (render_cache.py) and
  each language's digest (language_reuse.py) name the engine; the rest must be equal.

Prints the build time of each engine and exits 1 when anything else differs. tests/test_engines.py
runs the same comparison on the fixture office in `make test`.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("mkdocs", "properdocs")
MOMENT = "2026-12-04T08:00:00Z"  # INFOHUB_NOW of both builds: what is published depends on it
EPOCH = "1735689600"
DEFAULT_SITES = ("hub", "imigrasiblitar", "imigrasibatam")

# Runs in the child: builds with the engine INFOHUB_ENGINE names, then says which one ran.
BUILD = """
import sys
from pathlib import Path
from infohub.build import build_sites
results = build_sites(sys.argv[3:], Path(sys.argv[2]), jobs=1, root=Path(sys.argv[1]), echo=lambda _: None)
failed = [(r.slug, r.report) for r in results if not r.ok]
if failed:
    sys.exit(f"failed: {failed}")
print(sys.modules["mkdocs"].__name__)
"""


@dataclass
class Build:
    engine: str  # the engine that ran, as the child reports it
    wall: float
    cpu: float


def build(engine: str, root: Path, out: Path, sites: list[str], python: str = sys.executable) -> Build:
    """Build ``sites`` of ``root`` into ``out`` with ``engine``, in a fresh process."""
    env = {**os.environ, "INFOHUB_ENGINE": engine, "INFOHUB_NOW": MOMENT, "SOURCE_DATE_EPOCH": EPOCH,
           "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(
               [str(ROOT / "hooks"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([python, "-c", BUILD, str(root), str(out), *sites], env=env,
                          capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{engine}: the build failed\n{done.stderr[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Build(done.stdout.split()[-1], wall, cpu)


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def bookkeeping(path: str, first: Path | None, second: Path | None) -> str | None:
    """Why a difference at ``path`` is the build's bookkeeping, or None when it is not."""
    if path.startswith(".manifest/") and first and second:
        one, other = json.loads(first.read_bytes()), json.loads(second.read_bytes())
        if one.pop("digest", None) != other.pop("digest", None) and one == other:
            return "the manifest's digest names the engine (manifest.py)"
    if path.startswith(".cache/theme/") and (first is None) != (second is None):
        return "the theme listing's key names the engine (theme_cache.py)"
    if path.startswith(".cache/pages/") and first and second:
        if _without_keys(first) == _without_keys(second):
            return "the keys of the page and language records name the engine (render_cache.py, language_reuse.py)"
    return None


def _without_keys(records: Path) -> dict:
    """An office's page records (render_cache.py) without each page's key, or the record of one
    of its languages (language_reuse.py) without its digest."""
    data = json.loads(records.read_bytes())
    for pages in data.get("pages", {}).values():
        for record in pages.values():
            record.pop("key", None)
    if isinstance(data.get("language"), dict):
        data["language"].pop("digest", None)
    return data


@dataclass
class Difference:
    path: str
    lines: list[str]  # what differs: a unified diff of a text file, or a note
    reason: str | None  # bookkeeping, explained; None: a difference in the output


def differences(first: Path, second: Path, names: tuple[str, str] = ENGINES) -> list[Difference]:
    """Every file that differs between two build folders, byte for byte."""
    one, other = _files(first), _files(second)
    found = []
    for path in sorted(one.keys() | other.keys()):
        a, b = one.get(path), other.get(path)
        if a and b and a.read_bytes() == b.read_bytes():
            continue
        if a is None or b is None:
            lines = [f"only in {names[0] if a else names[1]}'s build"]
        else:
            try:
                lines = list(difflib.unified_diff(a.read_text(encoding="utf-8").splitlines(),
                                                  b.read_text(encoding="utf-8").splitlines(),
                                                  names[0], names[1], n=0, lineterm=""))[2:]
            except UnicodeDecodeError:
                lines = [f"binary: {a.stat().st_size} and {b.stat().st_size} bytes"]
        found.append(Difference(path, lines, bookkeeping(path, a, b)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--office", action="append", metavar="SLUG", help="a site to build (repeatable)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this checkout)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build into DIR/<engine> and keep it")
    args = parser.parse_args(argv)
    sites = args.office or list(DEFAULT_SITES)
    with tempfile.TemporaryDirectory(prefix="infohub-engines-") as scratch:
        base = args.keep or Path(scratch)
        outs = {engine: base / engine for engine in ENGINES}
        for engine, out in outs.items():
            if out.exists():
                raise SystemExit(f"{out} exists: name an empty folder")
            print(f"{engine}: building {', '.join(sites)}…", flush=True)
            made = build(engine, args.root.resolve(), out, sites)
            if made.engine != engine:
                raise SystemExit(f"asked for {engine}, {made.engine} built")
            print(f"{engine}: {made.wall:.2f} s wall, {made.cpu:.2f} s CPU", flush=True)
        found = differences(outs["mkdocs"], outs["properdocs"])
        total = len(_files(outs["mkdocs"]).keys() | _files(outs["properdocs"]).keys())
    print(f"\n{total} files compared, {len(found)} differ")
    for difference in found:
        print(f"- {difference.path}: {difference.reason or 'OUTPUT DIFFERS'}")
        if difference.reason is None:
            print("\n".join(f"    {line}" for line in difference.lines[:12]))
    return 1 if any(d.reason is None for d in found) else 0


if __name__ == "__main__":
    sys.exit(main())
