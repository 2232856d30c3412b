"""The engine that turns a site's configuration into pages: ProperDocs (the default) or MkDocs 1.6.

ProperDocs is the continuation of MkDocs 1.x by its maintainers: the same configuration, plugin
API, events and templates, in a package named ``properdocs``. Material, mkdocs-static-i18n and
the hooks in hooks/*.py import ``mkdocs.*``; importing ``properdocs.replacement`` makes every
later ``mkdocs.*`` import give the ``properdocs.*`` module. Material requires the ``mkdocs``
package, so both are installed (requirements/build.txt pins both) and both can build: which one
does is chosen here, per process, by INFOHUB_ENGINE (``make site ENGINE=mkdocs``), else DEFAULT.
The choice must come before anything imports ``mkdocs``: a process holding MkDocs' own modules
cannot switch to ProperDocs (Material's plugins would subclass the other engine's classes), and
activate() refuses rather than build with a mixture.

The infohub package imports the engine in three modules only: this one (choose it, load a
config, build, the build's page loop that render_cache.py wraps, the pages' Markdown converter
that markdown_reuse.py keeps, the development server), theme_cache.py (what the build driver's workers reuse of the
theme) and generated_files.py (pages that exist only in the build). The rest of the package,
the content model, the checks and the data views, does not import it.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Callable

from . import messages

ENGINES = ("properdocs", "mkdocs")
# ProperDocs: maintained (1.6.7, March 2026), the same output as MkDocs 1.6.1 byte for byte on
# this repository, as fast within the noise (README, "The engine").
DEFAULT = "properdocs"
ENV = "INFOHUB_ENGINE"
# The loggers the engine and the plugins write to. ProperDocs logs to "properdocs.*", the plugins
# and hooks (which import mkdocs.*) to "mkdocs.*", under either engine.
LOGGERS = ("mkdocs", "properdocs")


class EngineError(RuntimeError):
    """An engine that cannot be used: unknown, not installed, or another one already loaded."""


def name() -> str:
    """The engine this process builds with: INFOHUB_ENGINE, else DEFAULT."""
    chosen = os.environ.get(ENV, "").strip().lower() or DEFAULT
    if chosen not in ENGINES:
        raise EngineError(messages.t("engine.unknown", None, value=chosen, env=ENV, choices=", ".join(ENGINES)))
    return chosen


def version() -> str:
    """The chosen engine's version: its top-level package's __version__, which is all that
    package holds. The no-change run of `make site` reads it: importing the package takes a
    millisecond, importlib.metadata 0.3 s."""
    engine = name()
    try:
        package = importlib.import_module(engine)
    except ModuleNotFoundError:
        raise EngineError(messages.t("engine.not_installed", None, engine=engine, env=ENV)) from None
    if package.__name__ != engine:  # `mkdocs` is ProperDocs' alias in this process
        raise EngineError(messages.t("engine.mixed", None, engine=engine, loaded=package.__name__, env=ENV))
    return package.__version__


def identity() -> str:
    """'properdocs 1.6.7': what the manifest records, so a change of engine rebuilds every site."""
    return f"{name()} {version()}"


def activate() -> str:
    """Make ``mkdocs.*`` imports give the chosen engine's modules, once per process; its name."""
    engine = name()
    version()  # not installed: say so, not a ModuleNotFoundError
    loaded = sys.modules.get("mkdocs")
    loaded_engine = getattr(loaded, "__name__", engine)  # properdocs' alias keeps its own name
    if loaded_engine != engine:
        raise EngineError(messages.t("engine.mixed", None, engine=engine, loaded=loaded_engine, env=ENV))
    from . import entry_points_once

    entry_points_once.install()  # the plugins', themes' and extensions' lookups read the packages once
    if engine == "properdocs":
        import properdocs.replacement  # noqa: F401 - installs the mkdocs.* -> properdocs.* alias
    return engine


def load_config(config_file: Path, **options):
    """The site's configuration, read and validated by the engine (``options`` as its
    load_config takes them, e.g. site_dir)."""
    activate()
    from mkdocs.config import load_config as engine_load_config

    return engine_load_config(config_file=str(config_file), **options)


def build(config) -> None:
    """Build one site from its loaded configuration (the engine's own build, every plugin and hook)."""
    activate()
    from mkdocs.commands.build import build as engine_build

    engine_build(config)


def build_module():
    """The engine's build command (mkdocs/commands/build.py): render_cache.py wraps its page loop,
    output_folders.py its emptying of the output folder (its ``utils``), sitemap_once.py its static
    templates, output_writes.py its writes of output files (``utils``, ``File``)."""
    activate()
    from mkdocs.commands import build as engine_build

    return engine_build


def pages_module():
    """The engine's pages (mkdocs/structure/pages.py): markdown_reuse.py gives it a converter
    kept between pages."""
    activate()
    from mkdocs.structure import pages

    return pages


def live_server(builder: Callable[[], None], host: str, port: int, folder: Path, observer):
    """The engine's development server (its ``livereload``): serves ``folder`` at http://host:port/,
    with the script that reloads the browser in every page, and calls ``builder`` after a change
    in what it is told to watch (``server.watch``), as ``observer`` reports it (file_changes.py,
    in place of the engine's own, which looks at every file twice a second); ``server.serve()``
    runs until Ctrl+C. A missing page is answered with the site's own 404.html."""
    activate()
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(folder))
    server.observer = observer  # before any watch(): each is scheduled on it

    def error_page(code: int) -> bytes | None:
        try:
            return (folder / f"{code}.html").read_bytes() if code in (404, 500) else None
        except OSError:
            return None

    server.error_handler = error_page
    return server


def cli_command(*args: str) -> list[str]:
    """The chosen engine's own command line (``python -m properdocs build …``), for tools that
    measure a plain build beside infohub's."""
    return [sys.executable, "-m", name(), *args]
