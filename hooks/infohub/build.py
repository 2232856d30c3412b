"""Build the hub and the offices into site/, in parallel, never half-way.

A site whose inputs have not changed since its last good build is skipped
(manifest.py). Each other site is validated first; an invalid one is
reported and skipped. A valid one is built by MkDocs into
site/.staging-<slug>/ and only then swapped into site/<slug>/, so a failure
at any point leaves the last good output of that site in place. Worker
processes import MkDocs once and build many sites each; this module itself
imports neither MkDocs nor the content model, so a run with nothing to do
stays quick.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import manifest, messages, paths


@dataclass
class SiteResult:
    slug: str
    ok: bool
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    report: str | None = None  # the validation report or the error, for a failed site
    skipped: bool = False  # inputs unchanged since the last good build


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so the summary can count and show them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def output_dir(slug: str, site_root: Path) -> Path:
    return site_root / slug


def build_site(slug: str, site_root: Path, root: Path, epoch: str) -> SiteResult:
    """Validate and build one site; swap it into place only when complete."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from .sitedata import InvalidContent, load_site

    # dates MkDocs writes (sitemap) come from here: same input, same bytes
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    os.environ["INFOHUB_CACHE_DIR"] = str(site_root / ".cache")
    start = time.perf_counter()
    lang = messages.cli_language()
    try:
        site = load_site(slug, root)
    except InvalidContent as exc:
        return SiteResult(slug, False, seconds=time.perf_counter() - start,
                          report=exc.report.format(lang, outcome="kept_previous"))

    staging = site_root / f".staging-{slug}"
    final = output_dir(slug, site_root)
    previous = site_root / f".previous-{slug}"
    shutil.rmtree(staging, ignore_errors=True)
    collect = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collect)
    try:
        config = load_config(config_file=str(paths.site_config(slug, root)), site_dir=str(staging))
        config.extra["infohub_site"] = site  # validated above: the hook need not load it again
        build(config)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the old site stays
        shutil.rmtree(staging, ignore_errors=True)
        return SiteResult(slug, False, seconds=time.perf_counter() - start,
                          report=f"{type(exc).__name__}: {exc}", warnings=collect.records)
    finally:
        mkdocs_log.removeHandler(collect)

    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
    pages = sum(1 for _ in final.rglob("index.html"))
    warnings = collect.records + [p.text(lang) for p in site.warnings]
    return SiteResult(slug, True, pages, time.perf_counter() - start, warnings)


def _worker_init() -> None:
    from . import theme_files

    theme_files.install()  # one listing of the theme per worker, not per build
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


def shard(slugs: list[str], index: int, count: int) -> list[str]:
    """A deterministic, balanced share of ``slugs``: every count-th, starting at index-1."""
    return sorted(slugs)[index - 1::count]


def all_sites(root: Path | None = None) -> list[str]:
    return [paths.HUB_SLUG, *paths.office_slugs(root)]


def build_sites(slugs: Iterable[str], site_root: Path | None = None, jobs: int | None = None,
                root: Path | None = None, echo: Callable[[str], None] = print,
                force: bool = False) -> list[SiteResult]:
    root = root or paths.ROOT
    site_root = site_root or root / "site"
    site_root.mkdir(parents=True, exist_ok=True)
    slugs = list(slugs)
    lang = messages.cli_language()
    inputs = manifest.Inputs(root)
    plan: dict[str, tuple[str, str]] = {}  # slug -> (epoch, digest)
    results: list[SiteResult] = []
    width = len(str(len(slugs)))
    for slug in slugs:
        epoch = os.environ.get("SOURCE_DATE_EPOCH") or inputs.epoch(slug)
        plan[slug] = (epoch, inputs.digest(slug, epoch))
    todo = [s for s in slugs if force or not manifest.is_current(s, plan[s][1], site_root)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    echo(messages.t("cli.building", lang, count=len(todo), workers=jobs) if todo
         else messages.t("cli.up_to_date", lang, count=len(slugs)))

    def report(result: SiteResult) -> None:
        results.append(result)
        if result.skipped:
            return
        if result.ok:
            manifest.record(result.slug, plan[result.slug][1], site_root, result.pages)
        prefix = f"[{len(results) - skipped:>{width}}/{len(todo)}]"
        if result.ok:
            echo(f"{prefix} " + messages.t("cli.built_site", lang, slug=result.slug,
                                           pages=result.pages, seconds=result.seconds))
        else:
            echo(f"{prefix} " + messages.t("cli.failed_site", lang, slug=result.slug))
            echo(result.report or "")

    for slug in slugs:
        if slug not in todo:
            report(SiteResult(slug, True, skipped=True))
    skipped = len(results)
    if len(todo) == 1 or jobs == 1:
        _worker_init()
        for slug in todo:
            report(build_site(slug, site_root, root, plan[slug][0]))
    elif todo:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            futures = [pool.submit(build_site, slug, site_root, root, plan[slug][0]) for slug in todo]
            for future in as_completed(futures):
                report(future.result())
    order = {slug: i for i, slug in enumerate(slugs)}
    return sorted(results, key=lambda r: order[r.slug])


def summary(results: list[SiteResult], seconds: float) -> str:
    lang = messages.cli_language()
    failed = [r.slug for r in results if not r.ok]
    skipped = sum(r.skipped for r in results)
    warnings = [w for r in results for w in r.warnings]
    lines = [f"WARNING -  {w}" for w in warnings]
    lines.append(messages.t("cli.summary", lang, built=len(results) - len(failed) - skipped,
                            unchanged=skipped, failed=len(failed),
                            pages=sum(r.pages for r in results), warnings=len(warnings), seconds=seconds))
    if failed:
        lines.append(messages.t("cli.summary_site_errors", lang, slugs=", ".join(failed)))
    return "\n".join(lines)

