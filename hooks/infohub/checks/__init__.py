"""The check: everything `make check` says, in one home.

``check_report`` is the one verdict: the CLI (`make check`) prints it, the
build (build.py, through ``site_report`` per site) refuses to build a site it
finds errors in, and the pull-request preview (preview.py) shows it. It
validates the national data, each office's data and the front matter of
every page (content.py, news.py), then runs the checks registered here.

Each check is one module with a ``CHECK``: a name, a function from a
``Scope`` (what is being checked) to problems, and optionally a summary
printed after the report (the translation coverage table). Adding a check
means adding a module and naming it in ``_MODULES``.

The build's check of a site is given a ``CheckMemo`` (check_memo.py): a check that looks at one
file at a time asks it for that file's problems (``scope.memo.problems``), and after an edit
only the files the edit changed are examined again. Checks that compare files run whole.

Extension point: a module named in ``_OPTIONAL_MODULES`` joins the registry
when it exists, so a concern developed elsewhere (social texts that would be
truncated: ``infohub.social.check``) plugs in by defining ``CHECK`` there.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from .. import paths
from ..check_memo import CheckMemo
from ..clock import one_moment
from ..content import National, check_pages, load_national, load_office
from ..news import check_news
from ..problems import Problem, Report
from ..schema import Office

_MODULES = ("office_folder", "file_types", "links", "images", "translations", "privacy", "html", "placement", "domains",
            "completeness", "editor_settings", "hub_address", "cms_form")
_OPTIONAL_MODULES = ("infohub.social.check", "infohub.search_synonyms")


@dataclass
class Scope:
    """What one `make check` run looks at: the national pages always, the
    offices named (all of them by default) and the hub unless offices are named."""

    root: Path
    offices: list[str]
    include_hub: bool
    production: bool = False  # `make check PRODUCTION=1`: what may wait locally must be set (hub_address)
    # the per-file problems of the build's last check (check_memo.py); by default every file is examined
    memo: CheckMemo = field(default_factory=CheckMemo)

    @cached_property
    def national(self) -> National | None:
        return load_national(self.root)[0]

    def office(self, slug: str) -> Office | None:
        return self._offices.get(slug)

    @cached_property
    def _offices(self) -> dict[str, Office | None]:
        return {slug: load_office(slug, self.national, self.root)[0] for slug in self.offices}

    @property
    def national_pages(self) -> Path:
        return self.root / "national" / "pages"

    def office_docs(self, slug: str) -> Path:
        return self.root / "offices" / slug / "docs"

    @property
    def hub_docs(self) -> Path:
        return self.root / "docs"

    def docs_dirs(self) -> list[Path]:
        """Every docs folder in scope, each checked once."""
        dirs = [self.national_pages] + [self.office_docs(s) for s in self.offices]
        if self.include_hub:
            dirs.append(self.hub_docs)
        return [d for d in dirs if d.is_dir()]


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Scope], list[Problem]]
    summary: Callable[[Scope, str | None], str] | None = None


def registry() -> list[Check]:
    checks = [importlib.import_module(f"{__name__}.{name}").CHECK for name in _MODULES]
    for module in _OPTIONAL_MODULES:
        try:
            checks.append(importlib.import_module(module).CHECK)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise  # the module exists but something it imports does not
    return checks


def run_checks(scope: Scope) -> list[Problem]:
    problems: list[Problem] = []
    for check in registry():
        problems += check.run(scope)
    return problems


def summaries(scope: Scope, lang: str | None = None) -> list[str]:
    return [text for check in registry() if check.summary and (text := check.summary(scope, lang))]


def check_docs(docs_dir: Path) -> list[Problem]:
    """Every problem in one docs/ folder: front matter, then what news posts need. Found once while
    paths.files_unchanged holds: the check and each load of the site (sitedata.load_site, by the
    social texts' check and by the build) ask for the same folders."""
    return paths.kept("check_docs", docs_dir, lambda: check_pages(docs_dir) + check_news(docs_dir))


def check_report(offices: list[str], include_hub: bool, root: Path | None = None,
                 production: bool = False, memo: CheckMemo | None = None) -> Report:
    """Every problem in the national data, the offices named and (optionally) the hub.
    ``production``: the deploy's check, which refuses what a local run only warns of;
    ``memo``: the build's, which re-examines only the files changed since its last check."""
    root = root or paths.root()
    # each folder listed once, each page read once; one "now" for every office's posts and alerts
    with paths.files_unchanged(), one_moment():
        return _check_report(offices, include_hub, root, production, memo)


def _check_report(offices: list[str], include_hub: bool, root: Path, production: bool,
                  memo: CheckMemo | None) -> Report:
    from .office_folder import link_problems

    report = Report()
    # Symbolic links first, and a folder holding one is read no further: a link may lead to a
    # secret, another office or /dev/zero, and every loader after this point reads files.
    for shared in [root / "national"] + ([root / "docs"] if include_hub else []):
        report.extend(link_problems(shared))
    if report.errors:
        return report
    readable = []
    for slug in offices:
        links = link_problems(root / "offices" / slug)
        report.extend(links)
        if not links:
            readable.append(slug)
    offices = readable
    national, problems = load_national(root)
    report.extend(problems)
    report.extend(check_docs(root / "national" / "pages"))
    for slug in offices:
        report.extend(load_office(slug, national, root)[1])
        report.extend(check_docs(root / "offices" / slug / "docs"))
    if include_hub:
        report.extend(check_docs(root / "docs"))
    memo = memo or CheckMemo()
    memo.set_context(sorted((root / "national").glob("*.yml"))
                     + [root / "offices" / slug / "office.yml" for slug in offices])
    report.extend(run_checks(Scope(root, offices, include_hub, production, memo)))  # links, images, privacy, …
    return report


def site_report(slug: str, root: Path, memo: CheckMemo | None = None) -> Report:
    """What `make check` says about one site: an office alone, or the hub and the national data.
    ``memo``: the build's (check_memo.py)."""
    if slug == paths.HUB_SLUG:
        return check_report([], True, root, memo=memo)
    return check_report([slug], False, root, memo=memo)
