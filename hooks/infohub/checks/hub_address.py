"""The hub's public address is set before the sites go public (infohub/hub_address.py).

A placeholder site_url in offices/_hub/mkdocs.yml is a warning in a local check and build (the
offices' pages leave out their links to the hub), and an error in the deploy workflow's
`make check PRODUCTION=1`. Checked with the hub.
"""
from __future__ import annotations

from .. import paths
from ..hub_address import configured, is_placeholder
from ..problems import ERROR, WARNING, Problem
from . import Check, Scope


def check_hub_address(scope: Scope) -> list[Problem]:
    if not scope.include_hub:
        return []
    url, line = configured(scope.root)
    if url is None or not is_placeholder(url):  # unreadable: reported by checks/editor_settings.py
        return []
    shown = paths.rel(paths.hub_settings_file(scope.root))
    if scope.production:
        return [Problem(shown, line, "site_url", "hub_address_required", {"value": url}, ERROR)]
    return [Problem(shown, line, "site_url", "hub_address_placeholder", {"value": url}, WARNING)]


CHECK = Check("hub_address", check_hub_address)
