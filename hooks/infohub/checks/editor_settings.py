"""The hub's settings (offices/_hub/mkdocs.yml) hold only what they may, and the web editor's
settings among them (extra.infohub.cms) are well formed.

That file is read by site_config.py, never by MkDocs: only the keys in site_config.HUB_SETTINGS
(and under extra, only infohub.cms) reach the hub's configuration, so any other key is refused
here rather than silently ignored.

A repository name the CMS cannot open, or an OAuth helper's address that the editor's
Content-Security-Policy cannot name, would leave /admin/ failing at sign-in with nothing
to say why; the build leaves such a value out (cms_config.repository), this check says so
with the file and line. Checked with the hub, after the file is held to the bounds of
limits.py (its size, no anchors or aliases, …): MkDocs would read it whole.
"""
from __future__ import annotations

from .. import paths
from ..site_config import HUB_SETTINGS
from ..messages import Msg
from ..problems import Problem
from ..yamlsource import YamlSyntaxError, load_yaml_file
from . import Check, Scope


def _unknown_keys(data, lines, shown: str) -> list[Problem]:
    """Keys the hub's settings may not set: at the top, under extra and under extra.infohub."""
    problems = []
    allowed_at = {(): HUB_SETTINGS, ("extra",): ("infohub",), ("extra", "infohub"): ("cms",)}
    for loc, allowed in allowed_at.items():
        part = data
        for key in loc:
            part = part.get(key) if isinstance(part, dict) else None
        for key in part if isinstance(part, dict) else ():
            if key not in allowed:
                problems.append(Problem(shown, lines.line_of((*loc, key)), ".".join((*loc, key)), "unknown_key",
                                        {"key": key, "allowed": ", ".join(allowed)}))
    return problems


def check_editor_settings(scope: Scope) -> list[Problem]:
    if not scope.include_hub:
        return []
    # here, not at the top: an office's check (every edit's) never needs the editor's configuration
    from ..cms_config import SETTINGS, SETTINGS_KEY, editor_settings

    config_file = paths.hub_settings_file(scope.root)
    if not config_file.exists():
        return []
    shown = paths.rel(config_file)
    try:
        data, lines, problems = load_yaml_file(config_file, shown)
    except YamlSyntaxError as exc:
        return [exc.problem]
    problems += _unknown_keys(data, lines, shown)
    settings = editor_settings(scope.root)
    prefix = ".".join(SETTINGS_KEY)
    for key, value in settings.items():
        line = lines.line_of((*SETTINGS_KEY, key))
        if key not in SETTINGS:
            problems.append(Problem(shown, line, f"{prefix}.{key}", "unknown_key",
                                    {"key": key, "allowed": ", ".join(sorted(SETTINGS))}))
            continue
        form, good = SETTINGS[key]
        if not isinstance(value, str) or not good(value.strip()):
            problems.append(Problem(shown, line, f"{prefix}.{key}", "expected",
                                    {"form": Msg(f"form.{form}"), "value": str(value)}))
    return problems


CHECK = Check("editor_settings", check_editor_settings)
