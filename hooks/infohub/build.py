"""Build the hub and the offices into site/, in parallel, never half-way.

A site whose inputs have not changed since its last good build is skipped
(manifest.py); when only the offices' news changed, the hub's pages are
kept and its aggregate feeds alone are written again (refresh_hub_feeds).
Each other site is checked first, by the same function as `make check`
(checks.site_report, that is checks.check_report for that site alone): a site
with an error is reported and not built, and keeps its last good output. A
valid one is built by MkDocs into site/.staging-<slug>/ and only then
swapped into site/<slug>/, so a failure at any point leaves the last good
output of that site in place; what a killed build left is cleaned up at the
start of the next one (clean_leftovers). The hub's aggregate feeds keep the
last good posts of an office that fails its check (verdict.hub_sources). Worker
processes import MkDocs once and build many sites each; this module itself
imports neither MkDocs nor the content model, so a run with nothing to do
stays quick.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import manifest, messages, output_folders, paths, verdict
from .clock import build_moment, one_moment


@dataclass
class SiteResult:
    slug: str
    ok: bool
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    report: str | None = None  # the validation report or the error, for a failed site
    skipped: bool = False  # inputs unchanged since the last good build
    # an office's pages rendered, and those reused from its last build (render_cache.py)
    rendered: int = 0
    reused: int = 0
    feeds_only: bool = False  # the hub's pages kept, its aggregate feeds written again
    kept: list[str] = field(default_factory=list)  # the hub: offices whose last good posts its feeds keep
    left_out: list[str] = field(default_factory=list)  # the hub: failing offices with no good posts yet
    # the next moment the output changes by the clock (timeline.py), for the manifest; the hub's
    # build and refresh also give its combined feeds' (feeds_changes_at)
    changes_at: dt.datetime | None = None
    feeds_changes_at: dt.datetime | None = None


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so the summary can count and show them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []
        self.errors: list[str] = []  # what a hook's PluginError said before MkDocs aborted

    def emit(self, record: logging.LogRecord) -> None:
        (self.errors if record.levelno >= logging.ERROR else self.records).append(record.getMessage())


def output_dir(slug: str, site_root: Path) -> Path:
    return site_root / slug


def card_cache(site_root: Path) -> Path:
    """The social cards' cache: beside the output folder (site/ -> .cache/cards/), so that it
    outlives an emptied site/ and CI restores it on its own (paths.card_cache_dir)."""
    return site_root.parent / ".cache" / "cards"


def check_memo_path(slug: str, site_root: Path) -> Path:
    """The per-file problems of a site's last check (check_memo.py), in the build's cache."""
    return site_root / ".cache" / "checks" / f"{slug}.json"


def front_matter_path(slug: str, site_root: Path) -> Path:
    """The front matter of a site's pages at its last build (content.pages_kept), in the build's cache."""
    return site_root / ".cache" / "front-matter" / f"{slug}.json"


def _use_caches(site_root: Path) -> None:
    os.environ["INFOHUB_CACHE_DIR"] = str(site_root / ".cache")
    os.environ[paths.CARD_CACHE_ENV] = str(card_cache(site_root))


def _warning_text(problem, lang: str) -> str:
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return f"{where}: {problem.text(lang)}"


def build_site(slug: str, site_root: Path, root: Path, epoch: str, check_digest: str | None = None,
               office_digests: dict[str, str] | None = None,
               being_checked: frozenset[str] = frozenset(), digest: str | None = None) -> SiteResult:
    """Check and build one site; swap it into place only when complete.

    ``check_digest``: the site's (manifest.Inputs.check_digest), under which its verdict
    is kept for the hub; ``office_digests``: every office's, for the hub's own build;
    ``being_checked``: the offices whose builds in this run record their verdicts (the hub waits
    for them); ``digest``: the hub's inputs' (manifest.Inputs.digest), under which its feeds'
    settings are kept for their refresh."""
    from .content import pages_kept

    # The sources do not change while a site is built (the build writes into site/ alone): each
    # folder is listed once, and the posts chosen once, for the check and every hook alike. The
    # front matter of the pages unchanged since the last build is taken from its record.
    with paths.files_unchanged(), pages_kept(front_matter_path(slug, site_root)):
        return _build_site(slug, site_root, root, epoch, check_digest, office_digests, being_checked, digest)


def _build_site(slug: str, site_root: Path, root: Path, epoch: str, check_digest: str | None,
                office_digests: dict[str, str] | None, being_checked: frozenset[str],
                digest: str | None) -> SiteResult:
    from . import engine, feed_candidates, render_cache, site_config, timeline
    from .check_memo import CheckMemo
    from .checks import site_report
    from .sitedata import InvalidContent, load_site

    # dates MkDocs writes (sitemap) come from here: same input, same bytes
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    _use_caches(site_root)
    start = time.perf_counter()
    lang = messages.cli_language()
    # One check, one verdict: what `make check` refuses for this site is not built. The files
    # unchanged since the last build's check are not examined again (check_memo.py).
    memo = CheckMemo(check_memo_path(slug, site_root))
    checked = site_report(slug, root, memo)
    memo.save()
    site = None
    try:
        if not checked.errors:
            site = load_site(slug, root)
            if check_digest and not site.is_hub:
                # what the office offers the hub's feeds, recorded before the verdict the hub waits for
                feed_candidates.keep(slug, site.office, root, check_digest)
    except InvalidContent as exc:  # pragma: no cover - the check above reports the same problems
        return SiteResult(slug, False, seconds=time.perf_counter() - start,
                          report=exc.report.format(lang, outcome="kept_previous"))
    finally:
        if check_digest and slug != paths.HUB_SLUG:
            verdict.record(slug, check_digest, not checked.errors)
    if checked.errors:
        return SiteResult(slug, False, seconds=time.perf_counter() - start,
                          report=checked.format(lang, outcome="kept_previous"))

    staging = site_root / f".staging-{slug}"
    final = output_dir(slug, site_root)
    previous = site_root / f".previous-{slug}"
    shutil.rmtree(staging, ignore_errors=True)
    spare = output_folders.spare_path(slug, site_root)
    output_folders.reuse_folders(spare, staging)  # the last output's folders, emptied
    collect = _Collect()
    engine_logs = [logging.getLogger(name) for name in engine.LOGGERS]
    for log in engine_logs:
        log.addHandler(collect)
    verdict.given_digests = office_digests or {}
    verdict.being_checked = being_checked
    verdict.last = verdict.HubSources()
    records = render_cache.record_path(slug, site_root)
    # An office's unchanged pages are taken from its last build (the hub is built whole: an
    # office's news changes only its feeds, written without building its pages).
    pages_cache = None if site.is_hub else render_cache.RenderCache(site, root, final, records)
    try:
        config = site_config.load(slug, root, *site_config.identity(site, root), site_dir=str(staging))
        if site.is_hub and digest:
            _keep_feed_settings(config, digest)
        config.extra["infohub_site"] = site  # validated above: the hook need not load it again
        config.extra[render_cache.CONFIG_KEY] = pages_cache
        engine.build(config)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the old site stays
        output_folders.forget(staging)
        shutil.rmtree(staging, ignore_errors=True)
        # the engine logs a hook's error and raises only "Aborted with a BuildError!": the log says why
        report = "\n".join(collect.errors) or f"{type(exc).__name__}: {exc}"
        return SiteResult(slug, False, seconds=time.perf_counter() - start, report=report,
                          warnings=collect.records)
    finally:
        for log in engine_logs:
            log.removeHandler(collect)
        verdict.given_digests, verdict.being_checked = {}, frozenset()

    pages = output_folders.finish(staging)  # empty kept folders removed, all made public, pages counted
    shutil.rmtree(previous, ignore_errors=True)
    if pages_cache is not None:
        pages_cache.forget_stale()  # the records that describe the output about to be replaced
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    output_folders.keep_folders(previous, spare)  # for the next build, its files deleted
    if pages_cache is not None:
        pages_cache.save()
    warnings = collect.errors + collect.records + [_warning_text(p, lang) for p in checked.warnings]
    changes_at = timeline.next_change(timeline.site_moments(site, root), site.now)
    feeds_changes_at = (timeline.next_change(timeline.hub_feed_moments(site, root, verdict.last.offices), site.now)
                        if site.is_hub else None)
    return SiteResult(slug, True, pages, time.perf_counter() - start, warnings,
                      rendered=pages_cache.rendered if pages_cache else 0,
                      reused=pages_cache.reused if pages_cache else 0,
                      kept=verdict.last.kept, left_out=verdict.last.left_out,
                      changes_at=changes_at, feeds_changes_at=feeds_changes_at)


def _keep_feed_settings(config, digest: str) -> None:
    """The hub's feeds' settings as this build loads its config, for the refresh of its feeds."""
    from .hub_feed import FeedSettings, keep_settings

    try:
        keep_settings(FeedSettings.from_config(config), digest)
    except Exception:  # noqa: BLE001 - a bad setting: the feeds' hook says what is wrong, as before
        pass


def refresh_hub_feeds(site_root: Path, root: Path, epoch: str,
                      office_digests: dict[str, str] | None = None,
                      being_checked: frozenset[str] = frozenset(), digest: str | None = None) -> SiteResult:
    """Write the feeds of the built hub again from the sources (infohub/hub_feed.py):
    the same bytes its full build writes, without building its pages. ``digest``: the hub's
    inputs', the same as at its last build (its pages are current): its feeds' settings are
    those that build kept under it."""
    with paths.files_unchanged():  # as build_site
        return _refresh_hub_feeds(site_root, root, epoch, office_digests, being_checked, digest)


def _refresh_hub_feeds(site_root: Path, root: Path, epoch: str, office_digests: dict[str, str] | None,
                       being_checked: frozenset[str], digest: str | None) -> SiteResult:
    from . import site_config, timeline
    from .hub_feed import FeedSettings, clear_office_cards, keep_settings, kept_settings, write_hub_feeds
    from .sitedata import InvalidContent, load_site

    os.environ["SOURCE_DATE_EPOCH"] = epoch  # a feed with no items is dated by it
    _use_caches(site_root)
    start = time.perf_counter()
    slug, site_dir = paths.HUB_SLUG, output_dir(paths.HUB_SLUG, site_root)
    lang = messages.cli_language()
    verdict.given_digests = office_digests or {}
    verdict.being_checked = being_checked
    verdict.last = verdict.HubSources()
    try:
        hub = load_site(slug, root, pages_checked=True)  # by the hub's last build: its pages are current
        settings = kept_settings(digest) if digest else None
        if settings is None:
            config = site_config.load(slug, root, *site_config.identity(hub, root), site_dir=str(site_dir))
            settings = FeedSettings.from_config(config)
            if digest:
                keep_settings(settings, digest)
        clear_office_cards(hub, site_dir)
        for feed_lang in hub.languages:
            write_hub_feeds(settings, hub, feed_lang, root, site_dir, warn=lambda _: None)
        changes_at = timeline.next_change(timeline.hub_feed_moments(hub, root, verdict.last.offices), hub.now)
    except InvalidContent as exc:
        return SiteResult(slug, False, seconds=time.perf_counter() - start, feeds_only=True,
                          report=exc.report.format(lang, outcome="kept_previous"))
    except Exception as exc:  # noqa: BLE001 - the manifest is not updated: the next run tries again
        return SiteResult(slug, False, seconds=time.perf_counter() - start, feeds_only=True,
                          report=f"{type(exc).__name__}: {exc}")
    finally:
        verdict.given_digests, verdict.being_checked = {}, frozenset()
    return SiteResult(slug, True, seconds=time.perf_counter() - start, feeds_only=True,
                      kept=verdict.last.kept, left_out=verdict.last.left_out, feeds_changes_at=changes_at)


_frozen: set[str] = set()  # the points at which this process has called gc.freeze()


def _freeze_once(point: str) -> None:
    if point not in _frozen:
        gc.freeze()
        _frozen.add(point)


def _many_sites_collections() -> None:
    """Young collections every 10,000 allocations (at most) in a build of more sites, and in the
    workers it forks: __main__'s 200,000 (none in an edit of one site at 300 posts, where 2 to
    15 collections walked objects that live until the process ends: 20-35 ms) would let the
    cycles of many sites wait longer (+13 % peak memory in a clean build at 4x300)."""
    threshold, *older = gc.get_threshold()
    gc.set_threshold(min(threshold, 10_000), *older)


def _worker_init() -> None:
    from . import engine

    engine.activate()  # before anything imports mkdocs: theme_cache does
    from . import theme_cache

    theme_cache.install()  # theme listing and compiled templates reused between builds
    from . import render_cache

    render_cache.install()  # an office's unchanged pages reused from its last build
    from . import language_reuse

    language_reuse.install()  # a language's whole build taken from the last output when unchanged
    from . import search_dedup

    search_dedup.install()  # the i18n plugin's removal of duplicate search entries, in linear time
    from . import output_folders

    output_folders.install()  # a staging folder made of the last output's folders is not emptied
    from . import i18n_files

    i18n_files.install()  # the i18n plugin's File of each file and language, on strings
    from . import markdown_reuse

    markdown_reuse.install()  # one Markdown converter per site and language, reset for each page
    from . import sitemap_once

    sitemap_once.install()  # the sitemap rendered by the last language's build alone
    from . import output_writes

    output_writes.install()  # an output file's folder made only when it is missing
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")
    for name in engine.LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # What is loaded by now (the engine's modules and plugins) lives as long as the process: the
    # cycle collector need not look at it again in every full collection (one edit at 300 posts:
    # 0.03-0.05 s of CPU in them, 0.01 s after). Once per process: a process that builds again
    # (the tests, a warm build) does not freeze the cycles its last builds left.
    _freeze_once("engine")


# What a worker imports to build a site (build_site's own imports, the hooks', the plugins'), and
# what it works out once per process before its first site.
_WORKER_MODULES = (
    "infohub.render_cache", "infohub.site_config", "infohub.sitedata", "infohub.timeline", "infohub.check_memo",
    "infohub.checks", "infohub.cards", "infohub.feeds", "infohub.hub_feed", "infohub.images", "infohub.cms_config",
    "infohub.search_synonyms", "infohub.social.outbox", "infohub.social.ledger", "infohub.stemmer",
    "infohub.unreadable_links", "infohub.generated_files", "infohub.jsonld",
    "material.plugins.search.plugin", "mkdocs_static_i18n.plugin",
)


def _prepare_workers() -> None:
    """Do in this process, once, what each worker would do before its first site: forked workers
    start with it (imports, the checks' registry and code digest: some 0.4 s of CPU a worker).
    Where workers are not forked (another start method), they do it themselves, as before."""
    import importlib
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    _worker_init()
    for module in _WORKER_MODULES:
        importlib.import_module(module)
    from . import check_memo, checks

    checks.registry()
    check_memo.code_digest()
    _freeze_once("workers")  # what the workers imported too


def clean_leftovers(site_root: Path) -> None:
    """What a killed build left in site/: a staging folder is removed; a site caught
    between its two renames gets its previous output back."""
    for folder in site_root.glob(".staging-*"):
        shutil.rmtree(folder, ignore_errors=True)
    for folder in site_root.glob(".previous-*"):
        final = output_dir(folder.name[len(".previous-"):], site_root)
        if final.exists():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.rename(final)


def shard(slugs: list[str], index: int, count: int) -> list[str]:
    """A deterministic, balanced share of ``slugs``: every count-th, starting at index-1."""
    return sorted(slugs)[index - 1::count]


def all_sites(root: Path | None = None) -> list[str]:
    return [paths.HUB_SLUG, *paths.office_slugs(root)]


def _plan(slugs: list[str], inputs: manifest.Inputs) -> dict[str, tuple[str, str]]:
    """slug (or manifest.HUB_FEEDS) -> (epoch, digest) of its inputs now."""
    plan: dict[str, tuple[str, str]] = {}
    for slug in slugs:
        epoch = os.environ.get("SOURCE_DATE_EPOCH") or inputs.epoch(slug)
        plan[slug] = (epoch, inputs.digest(slug, epoch))
    if paths.HUB_SLUG in plan:  # the hub's feeds carry its epoch
        hub_epoch = plan[paths.HUB_SLUG][0]
        plan[manifest.HUB_FEEDS] = (hub_epoch, inputs.digest(manifest.HUB_FEEDS, hub_epoch))
    return plan


def due_units(site_root: Path, root: Path | None = None) -> list[str]:
    """The units (sites and manifest.HUB_FEEDS) that the manifests in ``site_root`` do not
    describe as they are now: inputs changed, the moment their output changes has come, or
    never recorded. Reads the manifests alone, not the output: a scheduled run knows from the
    manifests the last deploy left what it must build and deploy (`infohub due`)."""
    root = root or paths.root()
    now = build_moment()
    plan = _plan(all_sites(root), manifest.Inputs(root))
    return [unit for unit, (_, digest) in plan.items() if not manifest.is_recorded(unit, digest, site_root, now)]


def build_sites(slugs: Iterable[str], site_root: Path | None = None, jobs: int | None = None,
                root: Path | None = None, echo: Callable[[str], None] = print,
                force: bool = False) -> list[SiteResult]:
    with one_moment():  # one "now" for the whole build, its workers included
        return _build_sites(slugs, site_root, jobs, root, echo, force)


def _build_sites(slugs: Iterable[str], site_root: Path | None, jobs: int | None, root: Path | None,
                 echo: Callable[[str], None], force: bool) -> list[SiteResult]:
    root = root or paths.root()
    # absolute: MkDocs reads a relative site_dir from its config's folder (the cache), not from here
    site_root = (site_root or root / "site").resolve()
    site_root.mkdir(parents=True, exist_ok=True)
    clean_leftovers(site_root)
    slugs = list(slugs)
    lang = messages.cli_language()
    inputs = manifest.Inputs(root, hashes_file=site_root / ".cache" / "inputs.json")
    now = build_moment()
    plan = _plan(slugs, inputs)
    todo = [s for s in slugs if force or not manifest.is_current(s, plan[s][1], site_root, now)]
    # Only the offices' news changed: the hub keeps its pages, its feeds are written again.
    refresh = (paths.HUB_SLUG in plan and paths.HUB_SLUG not in todo
               and not manifest.is_current(manifest.HUB_FEEDS, plan[manifest.HUB_FEEDS][1], site_root, now))
    # The hub's feeds take each office's posts as they last passed its check (verdict.py),
    # which is kept under the office's check digest.
    hub_work = refresh or paths.HUB_SLUG in todo
    checks = {s: inputs.check_digest(s) for s in (paths.office_slugs(root) if hub_work else todo)
              if s != paths.HUB_SLUG}
    inputs.save_hashes()  # every input this run reads is hashed by now
    # The offices first, the hub last: each office's build checks it first thing and records its
    # verdict, which the hub's feeds then read instead of checking every office again. Workers take
    # tasks in this order, so when the hub starts every office's check has at least begun: the hub
    # waits for those still running (verdict.hub_sources), never checks them itself.
    offices_first = sorted(todo, key=lambda slug: slug == paths.HUB_SLUG)
    being_checked = frozenset(s for s in todo if s != paths.HUB_SLUG)
    tasks = [(build_site, (slug, site_root, root, plan[slug][0], checks.get(slug))
              + ((checks, being_checked, plan[slug][1]) if slug == paths.HUB_SLUG else ())) for slug in offices_first]
    if refresh:
        tasks.append((refresh_hub_feeds, (site_root, root, plan[paths.HUB_SLUG][0], checks, being_checked,
                                          plan[paths.HUB_SLUG][1])))
    width = len(str(len(tasks)))
    # As many workers as sites to build: the hub's feeds, written again in a fraction of a second,
    # share one. A worker of their own imported MkDocs and Material for them (1.5 s of CPU, more
    # than the office's edit itself at 300 posts).
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if todo:
        echo(messages.t("cli.building", lang, count=len(todo), workers=jobs))
    elif not tasks:
        echo(messages.t("cli.up_to_date", lang, count=len(slugs)))

    if len(todo) > 1:
        _many_sites_collections()
    results: dict[str, SiteResult] = {}
    done = 0

    def report(result: SiteResult) -> None:
        nonlocal done
        results[result.slug] = result
        if result.ok:
            if not result.feeds_only:
                manifest.record(result.slug, plan[result.slug][1], site_root, result.pages, result.changes_at)
            if result.slug == paths.HUB_SLUG:  # a build of the hub writes its feeds too
                manifest.record(manifest.HUB_FEEDS, plan[manifest.HUB_FEEDS][1], site_root, result.pages,
                                result.feeds_changes_at)
        done += 1
        prefix = f"[{done:>{width}}/{len(tasks)}]"
        if result.ok and result.feeds_only:
            echo(f"{prefix} " + messages.t("cli.refreshed_hub_feeds", lang, slug=result.slug, seconds=result.seconds))
        elif result.ok and result.reused:
            echo(f"{prefix} " + messages.t("cli.built_site_reused", lang, slug=result.slug, pages=result.pages,
                                           seconds=result.seconds, rendered=result.rendered, reused=result.reused))
        elif result.ok:
            echo(f"{prefix} " + messages.t("cli.built_site", lang, slug=result.slug,
                                           pages=result.pages, seconds=result.seconds))
        else:
            echo(f"{prefix} " + messages.t("cli.failed_site", lang, slug=result.slug))
            echo(result.report or "")

    if len(tasks) == 1 or jobs == 1:
        if tasks:
            _worker_init()
        for task, args in tasks:
            report(task(*args))
    elif tasks:
        # imported here: one site to build (an edit) runs in this process, without workers
        from concurrent.futures import ProcessPoolExecutor, as_completed

        _prepare_workers()
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            for future in as_completed([pool.submit(task, *args) for task, args in tasks]):
                report(future.result())
    final = [results.get(slug) or SiteResult(slug, True, skipped=True) for slug in slugs]
    hub = next((r for r in final if r.slug == paths.HUB_SLUG and r.skipped), None)
    if hub is not None:  # its feeds, unchanged, still hold what they kept of each failing office
        for result in final:
            if not result.ok:
                kept = verdict.has_copy(result.slug, site_root / ".cache")
                (hub.kept if kept else hub.left_out).append(result.slug)
    return final


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
    for result in results:
        if result.kept:
            lines.append(messages.t("cli.summary_hub_kept", lang, slug=result.slug, offices=", ".join(result.kept)))
        if result.left_out:
            lines.append(messages.t("cli.summary_hub_left_out", lang, slug=result.slug,
                                    offices=", ".join(result.left_out)))
    return "\n".join(lines)

