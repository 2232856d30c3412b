"""The web editor's settings in the hub's mkdocs.yml (extra.infohub.cms) are well formed.

A repository name the CMS cannot open, or an OAuth helper's address that the editor's
Content-Security-Policy cannot name, would leave /admin/ failing at sign-in with nothing
to say why; the build leaves such a value out (cms_config.repository), this check says so
with the file and line. Checked with the hub, after the file is held to the bounds of
limits.py (its size, no anchors or aliases, …): MkDocs would read it whole.
"""
from __future__ import annotations

from .. import limits, paths
from ..cms_config import SETTINGS, SETTINGS_KEY, editor_settings
from ..messages import Msg
from ..problems import Problem
from ..yamlsource import YamlSyntaxError, load_yaml_file
from . import Check, Scope


def check_editor_settings(scope: Scope) -> list[Problem]:
    if not scope.include_hub:
        return []
    config_file = paths.site_config(paths.HUB_SLUG, scope.root)
    if not config_file.is_file():
        return []
    shown = paths.rel(config_file)
    try:
        _, lines, _ = load_yaml_file(config_file, shown)
    except YamlSyntaxError as exc:
        # beyond a bound: said here; any other mistake MkDocs reports, as it cannot read the config
        return [exc.problem] if exc.problem.code in limits.CODES else []
    settings = editor_settings(scope.root)
    if not settings:
        return []
    problems = []
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
