"""What an office has published: offices/<slug>/social-ledger.json, kept in git.

    {"<language>": {"<platform>": {"<page uid>": {"at": "...", "via": "...", "ref": "..."}}}}

The page uid is the page's feed guid. The file is rewritten atomically
after every successful post, so a publish killed at any moment loses at
most the record of the post in flight, never the file.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from . import jsonfile

FILE_NAME = "social-ledger.json"


def ledger_path(root: Path, slug: str) -> Path:
    return root / "offices" / slug / FILE_NAME


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, dict[str, dict[str, dict]]] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {})

    def has(self, lang: str, platform: str, uid: str) -> bool:
        return uid in self.entries.get(lang, {}).get(platform, {})

    def record(self, lang: str, platform: str, uid: str, via: str, ref: str | None = None) -> None:
        """Remember one published post and save the ledger at once."""
        entry = {"at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(), "via": via}
        if ref:
            entry["ref"] = ref
        self.entries.setdefault(lang, {}).setdefault(platform, {})[uid] = entry
        jsonfile.write_atomically(self.path, self.entries)
