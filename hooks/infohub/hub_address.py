"""The hub's public address: the hub's settings' site_url, a setting a production deploy needs.

Every office links to the hub (the footer's "Semua kantor imigrasi", the question box under a
page when the office publishes no contact). Until the hub's real address is set, the repository
holds a placeholder on a name reserved for examples (RFC 2606, RFC 6761: example.org, .test,
.invalid, …), which no reader can open: the offices' pages then leave those links out rather
than send readers nowhere, a local `make check` and build warn, and `make check PRODUCTION=1`
(the deploy workflow's) refuses it with the file and line (checks/hub_address.py).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

from . import paths
from .files import status_stamp
from .site_config import hub_url, read_hub_settings

_RESERVED = re.compile(r"(^|\.)(example\.(org|com|net)|example|test|invalid|localhost)$")


def is_placeholder(url: str) -> bool:
    """No address, or one on a name reserved for examples."""
    host = urlsplit(url or "").hostname or ""
    return not host or bool(_RESERVED.search(host.lower()))


def configured(root: Path) -> tuple[str | None, int | None]:
    """(site_url as written, its line) in the hub's settings; ('', None) without one; (None, None)
    when the file cannot be read (its loader reports why: checks/editor_settings.py)."""
    data, lines = read_hub_settings(root)
    if data is None:
        return None, None
    url = data.get("site_url")
    return (url, lines.line_of(("site_url",))) if isinstance(url, str) else ("", None)


def public_hub_url(root: Path) -> str | None:
    """The hub's address for links from the offices, or None while it is a placeholder."""
    try:
        changed = tuple(status_stamp(paths.hub_settings_file(root)))
    except OSError:
        return None
    return _public_hub_url(root, changed)


@functools.lru_cache(maxsize=None)  # every page's footer asks; read again when the file changes
def _public_hub_url(root: Path, changed: tuple[int, ...]) -> str | None:
    url = hub_url(root)
    return None if is_placeholder(url or "") else url
