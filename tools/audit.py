"""Lighthouse on the pages people come for, in both languages, of a few offices (`make audit`).

Builds the offices into a temporary folder (or takes an already built ``--site``), serves each
office at the root of its own origin on 127.0.0.1 the way the deploy serves it (gzip for text,
a week's cache for ``assets/``, the security headers of ``hooks/infohub/deploy.py``), then runs
Lighthouse 12 (tools/audit/package.json, installed by ``make audit`` with ``npm ci``) in Debian's
Chromium with Lighthouse's defaults: the mobile profile with simulated throttling.

Prints one table, page by page: the four category scores, the bytes transferred before images
and a verdict against the targets; writes the table and a JSON summary to site/audit/ (or
$AUDIT_OUT, or --out). Exits 1 when a page misses a target, so it can gate a release; `make test`
does not run it (a run takes a few minutes). The summary logic is tested offline in
tests/test_audit.py.

    .venv/bin/python tools/audit.py --offices imigrasiblitar imigrasibatam --pages start fees
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "tools" / "audit" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/lib/chromium/chromium"
DEFAULT_OFFICES = ("imigrasiblitar", "imigrasibatam")
LANGUAGES = ("id", "en")
# Page names to paths under a language root; "news" is the office's newest news post.
PAGES = {"start": "", "fees": "biaya/", "hours": "jam-layanan/", "faq": "faq/", "news": None}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
KB = 1000
SLOW_CPU = 1000  # Lighthouse's SLOW_CPU_BENCHMARK_INDEX_THRESHOLD


@dataclass(frozen=True)
class Targets:
    performance: int = 95
    accessibility: int = 100
    best_practices: int = 100
    seo: int = 100
    bytes_before_images: int = 150 * KB


TARGETS = Targets()


@dataclass
class PageResult:
    """One Lighthouse report, cut down to what the table shows."""
    page: str                 # "imigrasiblitar id /biaya/"
    url: str
    performance: int
    accessibility: int
    best_practices: int
    seo: int
    bytes_before_images: int
    # Lighthouse's measure of the CPU at the start of the run; below 1000 it warns that the
    # performance score is not comparable (a busy or slow machine).
    benchmark_index: int = 0
    misses: list[str] = field(default_factory=list)
    # Audits that cost points in a category that missed its target: "seo: hreflang".
    failing_audits: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "ok" if not self.misses else "MISS " + ", ".join(self.misses)


def _score(report: dict, category: str) -> int:
    score = report["categories"][category]["score"]
    return -1 if score is None else round(score * 100)


def bytes_before_images(report: dict) -> int:
    """Transfer size of every request in the network-requests audit except images."""
    items = report["audits"]["network-requests"]["details"]["items"]
    return sum(item.get("transferSize") or 0 for item in items if item.get("resourceType") != "Image")


def misses(result: PageResult, targets: Targets = TARGETS) -> list[str]:
    found = [f"{name.replace('_', ' ')} {value} < {getattr(targets, name)}"
             for name in ("performance", "accessibility", "best_practices", "seo")
             if (value := getattr(result, name)) < getattr(targets, name)]
    if result.bytes_before_images >= targets.bytes_before_images:
        found.append(f"{_kb(result.bytes_before_images)} ≥ {_kb(targets.bytes_before_images)}")
    return found


def _failing_audits(report: dict, categories: list[str]) -> list[str]:
    failing = []
    for category in categories:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                failing.append(f"{category}: {ref['id']} {round(audit['score'] * 100)}{shown}")
    return failing


def summarize(report: dict, page: str, targets: Targets = TARGETS) -> PageResult:
    result = PageResult(
        page=page, url=report["finalDisplayedUrl"],
        performance=_score(report, "performance"), accessibility=_score(report, "accessibility"),
        best_practices=_score(report, "best-practices"), seo=_score(report, "seo"),
        bytes_before_images=bytes_before_images(report),
        benchmark_index=round(report.get("environment", {}).get("benchmarkIndex") or 0))
    result.misses = misses(result, targets)
    missed = [c for c, name in zip(CATEGORIES, ("performance", "accessibility", "best_practices", "seo"))
              if getattr(result, name) < getattr(targets, name)]
    result.failing_audits = _failing_audits(report, missed)
    return result


def median_run(runs: list[PageResult]) -> PageResult:
    """The run with the median performance score (the lower middle of an even count):
    performance moves from run to run on a busy machine, the other scores rarely do."""
    return sorted(runs, key=lambda r: r.performance)[(len(runs) - 1) // 2]


def _kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


HEADER = ("page", "perf", "a11y", "best", "seo", "before images", "verdict")


def table_rows(results: list[PageResult]) -> list[tuple[str, ...]]:
    return [(r.page, str(r.performance), str(r.accessibility), str(r.best_practices), str(r.seo),
             _kb(r.bytes_before_images), r.verdict) for r in results]


def table(results: list[PageResult], targets: Targets = TARGETS) -> str:
    """A Markdown table (readable as plain text too), then the targets and what missed."""
    rows = [HEADER, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    right = {1, 2, 3, 4, 5}

    def line(cells):
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2)
                          for i, w in enumerate(widths)) + "|"
    text = [line(HEADER), rule, *(line(row) for row in rows[1:])]
    text.append("")
    text.append(f"Targets: performance ≥ {targets.performance}, accessibility {targets.accessibility}, "
                f"best practices {targets.best_practices}, SEO {targets.seo}, "
                f"< {_kb(targets.bytes_before_images)} before images (1 KB = 1000 bytes).")
    slow = [r for r in results if r.benchmark_index and r.benchmark_index < SLOW_CPU]
    if slow:
        text.append(f"Lighthouse found the CPU slow (benchmark index < {SLOW_CPU}) on {len(slow)} of "
                    f"{len(results)} pages ({', '.join(f'{r.page} {r.benchmark_index}' for r in slow)}): "
                    "their performance is not comparable; run again on a quiet machine, or with --runs 3.")
    missed = [r for r in results if r.misses]
    if not missed:
        text.append(f"All {len(results)} pages meet every target.")
    else:
        text.append(f"{len(missed)} of {len(results)} pages miss a target:")
        for r in missed:
            text.append(f"- {r.page}: {', '.join(r.misses)}")
            text.extend(f"    {audit}" for audit in r.failing_audits)
    return "\n".join(text) + "\n"


def summary(results: list[PageResult], targets: Targets = TARGETS) -> dict:
    return {"targets": asdict(targets),
            "pages": [{**asdict(r), "verdict": r.verdict} for r in results],
            "missed": sum(1 for r in results if r.misses)}


# --- serving ---------------------------------------------------------------------------

_GZIP_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "application/yaml",
               "application/rss+xml", "application/atom+xml", "application/feed+json", "image/svg+xml")


class _DeployLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as nginx.conf serves them: gzip for text, assets cached for a week,
    the deploy's security headers, the site's 404 page."""
    headers_for_site: dict[str, str] = {}
    headers_for_admin: dict[str, str] = {}  # the hub's /admin/ (the web editor): a policy of its own
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "application/yaml"}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.end_headers()
                return
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes() if path.is_file() else b"not found"
        kind = self.guess_type(str(path))
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        if kind.startswith(_GZIP_TYPES):
            self.send_header("Vary", "Accept-Encoding")
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, 6, mtime=0)
                self.send_header("Content-Encoding", "gzip")
        if unquote(urlsplit(self.path).path).startswith("/assets/"):
            self.send_header("Cache-Control", "max-age=604800")
        own = self.headers_for_admin if unquote(urlsplit(self.path).path).startswith("/admin/") else {}
        for name, value in (own or self.headers_for_site).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(folder: Path):
    """Serve one built site at the root of its own origin; yields its base URL."""
    from infohub.deploy import admin_security_headers, security_headers
    admin = admin_security_headers() if (folder / "admin" / "index.html").is_file() else {}
    handler = type("Handler", (_DeployLikeHandler,), {"headers_for_site": security_headers(folder),
                                                      "headers_for_admin": admin})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- running ---------------------------------------------------------------------------


def newest_post(lang_root: Path) -> str:
    """The newest news post's path under a language root (posts live in berita/<year>/<slug>/)."""
    posts = sorted(p.parent.relative_to(lang_root).as_posix() + "/"
                   for p in (lang_root / "berita").glob("[0-9][0-9][0-9][0-9]/*/index.html"))
    if not posts:
        raise SystemExit(f"no news post under {lang_root / 'berita'}")
    return posts[-1]


def page_paths(site_dir: Path, pages: list[str]) -> list[str]:
    """Paths from the site root, Indonesian first, then English, in the order of ``pages``."""
    paths = []
    for lang in LANGUAGES:
        prefix = "" if lang == "id" else f"{lang}/"
        for name in pages:
            path = PAGES[name] if name in PAGES else name.strip("/") + "/"
            if path is None:
                path = newest_post(site_dir / prefix)
            paths.append(prefix + path)
    return paths


def run_lighthouse(url: str, output: Path, chrome: str) -> dict:
    flags = "--headless=new --disable-gpu" + (" --no-sandbox" if os.geteuid() == 0 else "")
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={output}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"]
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome},
                          capture_output=True, text=True)
    if done.returncode != 0 or not output.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(output.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    return report


def build(offices: list[str], out: Path) -> None:
    command = [sys.executable, "-m", "infohub", "site", "--force", "--out", str(out)]
    for office in offices:
        command += ["--office", office]
    print(f"building {', '.join(offices)} into {out}", flush=True)
    subprocess.run(command, check=True, cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offices", nargs="+", default=list(DEFAULT_OFFICES), metavar="SLUG")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), metavar="PAGE",
                        help=f"page names ({', '.join(PAGES)}) or paths under a language root")
    parser.add_argument("--site", type=Path, help="an already built site/ folder (default: build into a temporary one)")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("AUDIT_OUT") or REPO / "site" / "audit"),
                        help="where the table, summary.json and the reports go (default: $AUDIT_OUT or site/audit)")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH") or CHROMIUM)
    parser.add_argument("--runs", type=int, default=1, metavar="N",
                        help="Lighthouse runs per page; the run with the median performance counts (default: 1)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        parser.error(f"{LIGHTHOUSE} is missing: run `make audit` (or npm ci --prefix tools/audit)")
    reports = args.out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        site = args.site
        if site is None:
            site = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="infohub-audit-")))
            build(args.offices, site)
        jobs = []
        for office in args.offices:
            base = stack.enter_context(serve(site / office))
            jobs += [(office, path, base + path) for path in page_paths(site / office, args.pages)]
        results = []
        for n, (office, path, url) in enumerate(jobs, 1):
            page = f"{office} /{path}"
            start = time.perf_counter()
            print(f"[{n}/{len(jobs)}] {page} …", end=" ", flush=True)
            name = (office + "-" + path.strip("/").replace("/", "-")).rstrip("-")
            runs = [summarize(run_lighthouse(url, reports / f"{name}-{i}.json", args.chrome), page)
                    for i in range(1, args.runs + 1)]
            result = median_run(runs)
            results.append(result)
            print(f"{result.performance}/{result.accessibility}/{result.best_practices}/{result.seo}, "
                  f"{_kb(result.bytes_before_images)}, {result.verdict} (CPU benchmark {result.benchmark_index}, "
                  f"{time.perf_counter() - start:.0f} s)", flush=True)
    text = table(results)
    (args.out / "table.md").write_text(text, encoding="utf-8")
    (args.out / "summary.json").write_text(json.dumps(summary(results), indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    print()
    print(text, end="")
    print(f"\nwritten: {args.out / 'table.md'}, {args.out / 'summary.json'}, reports in {reports}")
    return 1 if any(r.misses for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
