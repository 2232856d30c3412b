"""make bench: build speed measured side by side, in one run, as ratios.

For each corpus (the repository's own content, and a generated one of
--offices offices × 2 languages × --posts news posts) it measures:
  a  baseline     the engine's plain build (`properdocs build`, or `mkdocs build` with
                  INFOHUB_ENGINE=mkdocs) of every site config, one after another
  b  clean        `python -m infohub site` from an empty site/
  c  no change    the same again
  d  one post     after editing one news post of one office
  e  national     after changing national data every office uses
and prints one table of wall time, CPU time and peak memory (the largest
single process: a worker), with the ratios the targets are set on, and
writes it all as JSON (bench.json, or --json PATH).

Each phase runs in a fresh child process, so its CPU time and peak memory
are its own. The corpus is copied to a temporary folder; the repository is
not touched.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from infohub import engine  # the Makefile puts hooks/ on PYTHONPATH

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"clean/baseline": 0.30, "no_change/clean": 0.03, "one_post/clean": 0.10}
PEAK_LIMIT_MB = 500

# Runs one command and reports its own children's resource use as JSON.
MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    cmds = json.loads(sys.argv[1])
    start = time.perf_counter()
    for number, cmd in enumerate(cmds, 1):
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            sys.exit("failed: " + " ".join(cmd) + "\\n" + done.stderr[-2000:])
        if len(cmds) > 1 and (number % 10 == 0 or number == len(cmds)):  # progress of a long phase
            print(f"  {number}/{len(cmds)} ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    wall = time.perf_counter() - start
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024}))
""")


def measure(commands: list[list[str]], env: dict) -> dict:
    # stderr passes through: the progress of long phases, and why a phase failed
    out = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(commands)], env=env,
                         stdout=subprocess.PIPE, text=True)
    if out.returncode:
        raise SystemExit("bench: a phase failed (its error is above)")
    return json.loads(out.stdout)


def prepare(target: Path, offices: int, posts: int) -> Path:
    """A copy of the repository (shared code linked), optionally with a generated corpus."""
    target.mkdir(parents=True)
    for shared in ("mkdocs.yml", "hooks", "overrides", "requirements"):
        (target / shared).symlink_to(ROOT / shared)
    for copied in ("national", "docs"):
        shutil.copytree(ROOT / copied, target / copied)
    (target / "offices").mkdir()
    shutil.copytree(ROOT / "offices" / "_hub", target / "offices" / "_hub")
    real = sorted(p for p in (ROOT / "offices").iterdir() if p.is_dir() and not p.name.startswith("_"))
    if not offices:
        for office in real:
            shutil.copytree(office, target / "offices" / office.name)
        # The real offices have no news of their own yet; phase d edits one post of one
        # office, so this temporary copy gets one (never published: it lives in /tmp).
        news = target / "offices" / real[0].name / "docs" / "berita" / "2025"
        news.mkdir(parents=True, exist_ok=True)
        (news / "bench.md").write_text("---\ntitle: Berita uji kecepatan\ndate: 2025-01-02\n"
                                       "category: pengumuman\n---\n\nTeks uji.\n", encoding="utf-8")
        return target
    for i in range(offices):
        model = real[i % len(real)]
        slug = f"kantorbench{i:03d}"
        folder = target / "offices" / slug
        shutil.copytree(model, folder)
        office = folder / "office.yml"
        office.write_text(office.read_text(encoding="utf-8").replace(model.name, slug), encoding="utf-8")
        news = folder / "docs" / "berita" / "2025"
        news.mkdir(parents=True, exist_ok=True)
        for n in range(posts):
            day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
            category = ("kebijakan", "pengumuman", "kegiatan", "acara")[n % 4]
            body = "Kalimat berita yang cukup panjang untuk sebuah paragraf. " * 12
            for suffix, title in (("", f"Berita nomor {n}"), (".en", f"News item {n}")):
                (news / f"berita-{n:03d}{suffix}.md").write_text(
                    f"---\ntitle: {title}\ndescription: {title}\ndate: {day}\ncategory: {category}\n---\n\n"
                    + (body + "\n\n") * 3, encoding="utf-8")
    return target


def run_corpus(name: str, repo: Path, env: dict) -> dict:
    env = {**env, "INFOHUB_ROOT": str(repo)}
    python = sys.executable
    # each site's MkDocs config, as the build makes it (infohub/site_config.py), for the baseline
    slugs = ["hub"] + sorted(p.parent.name for p in (repo / "offices").glob("*/office.yml"))
    configs = [subprocess.run([python, "-m", "infohub", "site-config", slug], check=True, capture_output=True, text=True,
                              env={**env, "INFOHUB_CACHE_DIR": str(repo / "baseline-configs")}).stdout.strip()
               for slug in slugs]
    phases = {}
    print(f"[{name}] {len(configs)} sites: a baseline (plain {engine.name()} build, one after another)…", flush=True)
    # a cache of its own, empty at the start, as the clean build's site/.cache is
    baseline_env = {**env, "INFOHUB_CACHE_DIR": str(repo / "baseline-cache")}
    phases["baseline"] = measure([engine.cli_command("build", "-q", "-f", c, "-d", str(repo / "baseline" / Path(c).stem))
                                  for c in configs], baseline_env)
    site = [python, "-m", "infohub", "site"]
    shutil.rmtree(repo / "site", ignore_errors=True)
    print(f"[{name}] b clean build…", flush=True)
    phases["clean"] = measure([site], env)
    print(f"[{name}] c no change…", flush=True)
    phases["no_change"] = measure([site], env)
    target = sorted((repo / "offices").glob("*/docs/berita/**/*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nSatu kalimat tambahan.\n", encoding="utf-8")
    print(f"[{name}] d one post edited ({target.relative_to(repo)})…", flush=True)
    phases["one_post"] = measure([site], env)
    fees = repo / "national" / "fees.yml"
    fees.write_text(fees.read_text(encoding="utf-8") + "\n# bench: national data changed\n", encoding="utf-8")
    print(f"[{name}] e national data changed…", flush=True)
    phases["national"] = measure([site], env)
    pages = sum(1 for _ in (repo / "site").rglob("index.html"))
    return {"sites": len(configs), "pages": pages, "phases": phases}


def ratios(result: dict) -> dict:
    p = result["phases"]
    return {
        "clean/baseline": p["clean"]["wall"] / p["baseline"]["wall"],
        "no_change/clean": p["no_change"]["wall"] / p["clean"]["wall"],
        "one_post/clean": p["one_post"]["wall"] / p["clean"]["wall"],
        "national/clean": p["national"]["wall"] / p["clean"]["wall"],
    }


def table(results: dict) -> str:
    lines = [f"{'corpus':<10} {'phase':<10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"]
    for name, result in results.items():
        for phase, m in result["phases"].items():
            lines.append(f"{name:<10} {phase:<10} {m['wall']:>8.2f} {m['cpu']:>8.2f} {m['peak_mb']:>8.0f}")
        lines.append(f"{name:<10} {result['sites']} sites, {result['pages']} pages")
        for key, value in result["ratios"].items():
            target = TARGETS.get(key)
            verdict = "" if target is None else (" ok" if value <= target else f" OVER target {target}")
            lines.append(f"{'':<10} {key:<16} {value:>6.3f}{verdict}")
        peak = max(m["peak_mb"] for m in result["phases"].values())
        lines.append(f"{'':<10} {'peak/worker':<16} {peak:>6.0f} MB"
                     + (" ok" if peak <= PEAK_LIMIT_MB else f" OVER {PEAK_LIMIT_MB} MB"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=125, help="offices in the generated corpus (0: skip it)")
    parser.add_argument("--posts", type=int, default=150, help="news posts per office and language")
    parser.add_argument("--json", default="bench.json", help="where to write the results")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    results = {}
    with tempfile.TemporaryDirectory(prefix="infohub-bench-") as tmp:
        corpora = [("repo", 0, 0)] + ([("generated", args.offices, args.posts)] if args.offices else [])
        for name, offices, posts in corpora:
            repo = prepare(Path(tmp) / name, offices, posts)
            results[name] = run_corpus(name, repo, env)
            results[name]["ratios"] = ratios(results[name])
            if name == "generated":
                results[name]["shape"] = {"offices": offices, "languages": 2, "posts_per_language": posts}
    results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    Path(args.json).write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")
    print(table({k: v for k, v in results.items() if k != "machine"}))
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
