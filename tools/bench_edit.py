"""The cost of one edited post as the archive grows: CPU and wall time of `infohub site` after one
post of one office is edited, for corpora of 1 office with N posts per language (tools/bench.py's
own generator), N given as --posts 40,300,1500.

For each N: a clean build (its records are what an edit reuses), then --edits edits of the same
post, each measured in a fresh child process (its CPU time: user + sys of the command and its
workers). With --warm, as many edits again in one long-lived child that built once before them
(WARM below): what an edit costs a process that has imported and loaded everything already, as
a build server would, without the interpreter's start and the imports of every cold run. The corpus is made in a temporary folder (--keep DIR to keep it, and reuse it on the
next run); the repository is not touched.

    PYTHONPATH=hooks python tools/bench_edit.py --posts 40,300,1500
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the corpus generator and the measuring child

OFFICE = "kantorbench000"

# One process: a build to start from, then each edit of the post and its build, timed by this
# process's own CPU time (builds of one office run in-process: build.build_sites).
WARM = """
import json, sys, time
from pathlib import Path
from infohub import build
root, post, edits = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
build.build_sites(build.all_sites(root), root=root, echo=lambda _: None)
measured = []
for number in range(1, edits + 1):
    post.write_text(post.read_text(encoding="utf-8") + "\\nKalimat proses hangat" + " lagi" * number + ".\\n",
                    encoding="utf-8")
    cpu, wall = time.process_time(), time.perf_counter()
    results = build.build_sites(build.all_sites(root), root=root, echo=lambda _: None)
    if not all(result.ok for result in results):
        sys.exit("a warm build failed: " + " ".join(r.slug for r in results if not r.ok))
    measured.append({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall})
print(json.dumps(measured))
"""


def edit_curve(posts: list[int], edits: int, base: Path, warm: bool = False) -> dict[int, dict]:
    results = {}
    for count in posts:
        repo = base / f"posts-{count}"
        if not repo.exists():
            bench.prepare(repo, 1, count)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600",
               "INFOHUB_ROOT": str(repo)}
        site = [sys.executable, "-m", "infohub", "site"]
        print(f"{count} posts: clean build…", flush=True)
        for made in (repo / "site", repo / ".cache"):  # a kept corpus's last output and caches: not clean
            shutil.rmtree(made, ignore_errors=True)
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
        if warm:
            done = subprocess.run([sys.executable, "-c", WARM, str(repo), str(post), str(edits)], env=env,
                                  stdout=subprocess.PIPE, text=True, check=True)
            results[count]["warm_edits"] = json.loads(done.stdout)
            for number, figures in enumerate(results[count]["warm_edits"], 1):
                print(f"{count} posts: warm edit {number}: {figures['cpu']:.2f} s CPU, {figures['wall']:.2f} s wall",
                      flush=True)
    return results


def _median(runs: list[dict], figure: str) -> float:
    return sorted(run[figure] for run in runs)[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", default="40,300,1500", help="posts per language, comma-separated")
    parser.add_argument("--edits", type=int, default=2, help="edits measured per corpus")
    parser.add_argument("--keep", metavar="DIR", help="make (or reuse) the corpora here")
    parser.add_argument("--json", default="bench-edit.json", help="where to write the results")
    parser.add_argument("--warm", action="store_true",
                        help="also the edits in one long-lived process (no start, no imports)")
    args = parser.parse_args()
    posts = [int(n) for n in args.posts.split(",")]
    if args.keep:
        results = edit_curve(posts, args.edits, Path(args.keep), args.warm)
    else:
        with tempfile.TemporaryDirectory(prefix="infohub-bench-edit-") as tmp:
            results = edit_curve(posts, args.edits, Path(tmp), args.warm)
    Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"{'posts':>6} {'clean cpu s':>12} {'edit cpu s':>11} {'edit wall s':>12}"
          + (f" {'warm edit cpu s':>16}" if args.warm else ""))
    for count, result in results.items():
        warm_cpu = f" {_median(result['warm_edits'], 'cpu'):>16.2f}" if args.warm else ""
        print(f"{count:>6} {result['clean']['cpu']:>12.2f} {_median(result['edits'], 'cpu'):>11.2f} "
              f"{_median(result['edits'], 'wall'):>12.2f}{warm_cpu}")
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
