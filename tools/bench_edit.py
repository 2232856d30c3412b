"""The cost of one edited post as the archive grows: CPU and wall time of `infohub site` after one
post of one office is edited, for corpora of 1 office with N posts per language (tools/bench.py's
own generator), N given as --posts 40,300,1500.

For each N: a clean build (its records are what an edit reuses), then --edits edits of the same
post, each measured in a fresh child process (its CPU time: user + sys of the command and its
workers). The corpus is made in a temporary folder (--keep DIR to keep it, and reuse it on the
next run); the repository is not touched.

    PYTHONPATH=hooks python tools/bench_edit.py --posts 40,300,1500
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the corpus generator and the measuring child

OFFICE = "kantorbench000"


def edit_curve(posts: list[int], edits: int, base: Path) -> dict[int, dict]:
    results = {}
    for count in posts:
        repo = base / f"posts-{count}"
        if not repo.exists():
            bench.prepare(repo, 1, count)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600",
               "INFOHUB_ROOT": str(repo)}
        site = [sys.executable, "-m", "infohub", "site"]
        print(f"{count} posts: clean build…", flush=True)
        clean = bench.measure([site + ["--force"]], env, f"{count} posts: clean")
        post = repo / "offices" / OFFICE / "docs" / "berita" / "2025" / f"berita-{min(7, count - 1):03d}.md"
        measured = []
        for number in range(1, edits + 1):
            # words only: digits could read as a personal number to the check (checks/privacy.py)
            post.write_text(post.read_text(encoding="utf-8") + "\nSatu kalimat tambahan" + " lagi" * number
                            + ".\n", encoding="utf-8")
            measured.append(bench.measure([site], env, f"{count} posts: edit {number}"))
            print(f"{count} posts: edit {number}: {measured[-1]['cpu']:.2f} s CPU, {measured[-1]['wall']:.2f} s wall",
                  flush=True)
        results[count] = {"clean": clean, "edits": measured}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", default="40,300,1500", help="posts per language, comma-separated")
    parser.add_argument("--edits", type=int, default=2, help="edits measured per corpus")
    parser.add_argument("--keep", metavar="DIR", help="make (or reuse) the corpora here")
    parser.add_argument("--json", default="bench-edit.json", help="where to write the results")
    args = parser.parse_args()
    posts = [int(n) for n in args.posts.split(",")]
    if args.keep:
        results = edit_curve(posts, args.edits, Path(args.keep))
    else:
        with tempfile.TemporaryDirectory(prefix="infohub-bench-edit-") as tmp:
            results = edit_curve(posts, args.edits, Path(tmp))
    Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"{'posts':>6} {'clean cpu s':>12} {'edit cpu s':>11} {'edit wall s':>12}")
    for count, result in results.items():
        cpu = sorted(e["cpu"] for e in result["edits"])[len(result["edits"]) // 2]
        wall = sorted(e["wall"] for e in result["edits"])[len(result["edits"]) // 2]
        print(f"{count:>6} {result['clean']['cpu']:>12.2f} {cpu:>11.2f} {wall:>12.2f}")
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
