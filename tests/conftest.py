"""Shared fixtures: a small repository to build, isolated in a temporary folder.

``repo`` is a copy of tests/fixtures/repo (one fictional office, kantorcontoh)
with the project's real base config, hooks, overrides and national data, so
a test can break one file and build without touching the real content.
"""
from __future__ import annotations

import shutil
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from infohub import engine

# Tests build in this process too (jobs=1): the engine (INFOHUB_ENGINE, else ProperDocs) is
# chosen before any test module imports mkdocs, as the build driver's workers do.
engine.activate()

ROOT = Path(__file__).resolve().parents[1]
# A fictional office for tests (kantorcontoh): none of its facts describe a real office. Its office.yml
# is written as the web editor writes it (infohub.cms_yaml), with no comments: a save would drop them.
FIXTURE = ROOT / "tests" / "fixtures" / "repo"


def make_repo(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    for shared in ("mkdocs.yml", "hooks", "overrides"):
        (target / shared).symlink_to(ROOT / shared)
    shutil.copytree(ROOT / "national", target / "national")
    shutil.copytree(ROOT / "offices" / "_hub", target / "offices" / "_hub")
    shutil.copytree(ROOT / "docs", target / "docs")
    return target


def with_base_extra(root: Path, **settings) -> None:
    """Give a test repository its own copy of the base mkdocs.yml with ``settings`` under
    extra.infohub: the only place they live (no office has a MkDocs config)."""
    import yaml

    base = root / "mkdocs.yml"
    config = yaml.safe_load(base.read_text(encoding="utf-8"))
    config["extra"]["infohub"].update(settings)
    base.unlink()
    base.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def site_config_file(root: Path, slug: str, cache: Path) -> Path:
    """The MkDocs config the build makes for one site (infohub/site_config.py), written under
    ``cache``: for a test that runs plain `mkdocs build` on it."""
    import os

    from infohub.site_config import identity, write_config
    from infohub.sitedata import load_site

    before = os.environ.get("INFOHUB_CACHE_DIR")
    os.environ["INFOHUB_CACHE_DIR"] = str(cache)
    try:
        return write_config(slug, root, *identity(load_site(slug, root), root))
    finally:
        if before is None:
            os.environ.pop("INFOHUB_CACHE_DIR")
        else:
            os.environ["INFOHUB_CACHE_DIR"] = before


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory) -> Path:
    """The fixture repository built once (hub and kantorcontoh), for tests that only read."""
    from infohub.build import build_sites

    root = make_repo(tmp_path_factory.mktemp("built") / "repo")
    results = build_sites(["hub", "kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root


@pytest.fixture(autouse=True)
def _messages_in_indonesian(monkeypatch):
    """Tests assert exact messages; the default language is Indonesian."""
    monkeypatch.setenv("INFOHUB_LANG", "id")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")


@pytest.fixture
def api(tmp_path, monkeypatch):
    """The fake social APIs (tests/fakes/social_server.py) as their own process; yields the base URL.
    The operator's INFOHUB_LOCAL_API names it, so channels may use it although it is http on loopback."""
    from fakes.social import fake_server
    from infohub.social.servers import LOCAL_API_ENV

    with fake_server(tmp_path) as url:
        monkeypatch.setenv(LOCAL_API_ENV, url)
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (Playwright; never `playwright install`), one per test module
    so that nothing a module leaves running (a route, a worker's fetch) reaches the next."""
    from playwright.sync_api import sync_playwright

    from search.searchbox import CHROMIUM, CHROMIUM_ARGS, chromium_env

    with sync_playwright() as p:
        # its fonts pinned (tests/fonts/fonts.conf): a layout measured here is the same on every machine
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=chromium_env())
        yield chromium
        chromium.close()


@contextmanager
def serving(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Each built site at the root of its own origin on 127.0.0.1: name -> base URL."""
    from search.searchbox import serve

    with ExitStack() as stack:
        yield {name: stack.enter_context(serve(folder))[0] for name, folder in sites.items()}


def record_console(page) -> list[str]:
    """Every console message and page error of ``page`` from now on, as 'type: text', kept in
    ``page.console`` (the browser tests assert there are none)."""
    page.console = []
    page.on("console", lambda msg: page.console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: page.console.append(f"page error: {exc}"))
    return page.console
