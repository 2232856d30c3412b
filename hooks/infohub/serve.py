"""`make serve OFFICE=slug`: one site as `make site` builds it, at http://127.0.0.1:8000, built
again in this same process on every save.

The engine's own `serve` built the office whole, in a temporary folder, on every save: all its
pages again (11 to 12.5 s of CPU a save at 300 posts, README "Speed"), and without infohub's
check, so the preview showed pages that `make check` refuses and `make site` never publishes.
Here every save is a build of `make site` (build.build_sites): the check first, then only what
the save changed, into site/<slug>; a site the check refuses keeps its last good output, and the
terminal says why. The process stays up between saves, so the interpreter's start, the imports
and the content model are paid once, not at each save. Its first build runs even when the site is
up to date (its pages then all come from the last build): what a build loads the first time is
loaded before the first save, not during it (the first save at 300 posts: 2.7 s of CPU without
this, 1.4 to 1.6 s with it, as every later save).

The engine's development server serves the output and reloads the browser after each build
(engine.live_server); the system tells of each save (file_changes.py), or, with ``poll``
(`make serve POLL=1`), the files are looked at twice a second. A change to infohub's own code
(hooks/, the pinned requirements) restarts the process: modules already imported are not imported
again.
"""
from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
import time
from pathlib import Path
from typing import Callable

from . import build, engine, messages, paths
from .file_changes import SaveWatcher
from .manifest import SHARED_INPUTS

# What a save may change: the site's own folder and what every site is built from
# (manifest.SHARED_INPUTS). The code among them restarts the process.
_CODE = ("hooks", "requirements/build.txt")


class AddressError(ValueError):
    """--dev-addr is not HOST:PORT."""


def parse_address(address: str) -> tuple[str, int]:
    """'127.0.0.1:8000' -> ('127.0.0.1', 8000); '[::1]:8000' -> ('::1', 8000)."""
    host, _, port = address.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise AddressError(address)
    return host, int(port)


def watched(slug: str, root: Path) -> list[Path]:
    """The files and folders whose change rebuilds (or, for the code, restarts) the preview."""
    # the hub shows every office's data (its directory), and its own pages and settings
    own = [root / "docs", root / "offices"] if slug == paths.HUB_SLUG else [root / "offices" / slug]
    return [path for path in own + [root / name for name in SHARED_INPUTS] if path.exists()]


def code_stamp(root: Path) -> list[tuple[str, int, int]]:
    """Each code file's name, size and modification time: what a save of the code changes."""
    stamp = []
    for name in _CODE:
        top = root / name
        listing = os.walk(top) if top.is_dir() else [(str(top.parent), [], [top.name])] if top.is_file() else []
        for folder, dirs, files in listing:
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for file in sorted(files):
                if not file.endswith(".pyc"):
                    path = os.path.join(folder, file)
                    with contextlib.suppress(OSError):  # deleted as it was listed: the next save says
                        status = os.stat(path)
                        stamp.append((path, status.st_size, status.st_mtime_ns))
    return stamp


def serve(slug: str, address: str, root: Path | None = None, echo: Callable[[str], None] = print,
          poll: bool = False) -> int:
    """Build ``slug``, serve its output at ``address`` and build it again after every save, until
    Ctrl+C; the exit code of `make serve`. ``poll``: look at the files twice a second for saves, for
    a folder whose changes the system does not report (a network share, some Docker or VM mounts)."""
    root = root or paths.root()
    lang = messages.cli_language()
    try:
        host, port = parse_address(address)
    except AddressError:
        echo(messages.t("serve.bad_address", lang, address=address))
        return 2
    try:  # asked before the first build: a port in use is one sentence, said at once
        socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET).close()
    except OSError as exc:
        known = {errno.EADDRINUSE: "serve.port_in_use", errno.EADDRNOTAVAIL: "serve.not_this_machine"}
        reason = (messages.t(known[exc.errno], lang) if exc.errno in known
                  else os.strerror(exc.errno) if exc.errno else str(exc))
        echo(messages.t("serve.address_taken", lang, address=address, reason=reason))
        return 1
    site_root = root / "site"
    code = code_stamp(root)

    def build_once(force: bool = False) -> None:
        start = time.perf_counter()
        results = build.build_sites([slug], site_root, jobs=1, root=root, echo=echo, force=force)
        echo(build.summary(results, time.perf_counter() - start))
        if not build.output_dir(slug, site_root).is_dir():
            echo(messages.t("serve.nothing_yet", lang, slug=slug))

    def rebuild() -> None:
        if code_stamp(root) != code:
            echo(messages.t("serve.restarting", lang))
            sys.stdout.flush()
            sys.stderr.flush()
            # the new process binds the same address: this one's socket closes at exec
            os.execv(sys.executable, [sys.executable, "-m", "infohub", "serve", slug, "--dev-addr", address,
                                      *(["--poll"] if poll else [])])
        echo(messages.t("serve.rebuilding", lang, slug=slug))
        build_once()

    build_once(force=True)  # built even when up to date: every load of a build paid now, not at the first save
    watcher = SaveWatcher(poll, lambda reason: echo(messages.t("serve.polling_instead", lang, reason=reason)))
    server = engine.live_server(rebuild, host, port, build.output_dir(slug, site_root).resolve(), watcher)
    for path in watched(slug, root):
        server.watch(str(path))
    echo(messages.t("serve.serving", lang, slug=slug, url=f"http://{address}/"))
    try:
        server.serve()  # runs until Ctrl+C
    except KeyboardInterrupt:
        echo(messages.t("serve.stopped", lang))
    finally:
        server.shutdown()
    return 0
