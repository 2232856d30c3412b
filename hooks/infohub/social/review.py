"""What a reviewer must see in a pull request that changes where an office posts.

A change of a channel's server (``instance``) or account sends the office's
posts, with its token, somewhere else. It may be right, but it is never
routine: the pull request's summary names each such change, office by office,
so the reviewer approves it knowingly.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from ..markdown_text import code, inert
from ..messages import t

WATCHED = ("instance", "account")


def _channels(text: str | None) -> dict[str, dict]:
    """platform -> channel mapping, read leniently (validation is make check's business)."""
    try:
        data = yaml.safe_load(text or "") or {}
    except yaml.YAMLError:
        return {}
    channels = data.get("channels") if isinstance(data, dict) else None
    return {str(c.get("platform")): c for c in channels or [] if isinstance(c, dict)}


def _at_revision(root: Path, revision: str, path: str) -> str | None:
    done = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=root, capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def channel_changes(root: Path, base: str, slugs: list[str], lang: str | None = None) -> list[str]:
    """One line per channel whose server or account differs from ``base`` (added, changed or removed)."""
    lines = []
    for slug in slugs:
        path = f"offices/{slug}/office.yml"
        file = root / path
        before = _channels(_at_revision(root, base, path))
        after = _channels(file.read_text(encoding="utf-8") if file.exists() else None)
        for platform in sorted(set(before) | set(after)):
            for key in WATCHED:
                old = (before.get(platform) or {}).get(key)
                new = (after.get(platform) or {}).get(key)
                if old != new:  # office.yml's text: inert in the pull request comment
                    lines.append(t("syndication.review_changed", lang, slug=inert(slug), platform=inert(platform),
                                   key=code(key), old=code(str(old) if old is not None else "—"),
                                   new=code(str(new) if new is not None else "—")))
    return lines


def review_section(root: Path, base: str, slugs: list[str], lang: str | None = None) -> str:
    lines = channel_changes(root, base, slugs, lang)
    if not lines:
        return ""
    return "\n".join([t("syndication.review_title", lang), "", *[f"- {line}" for line in lines], ""])
