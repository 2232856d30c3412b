"""What an office has published: offices/<slug>/social-ledger.json, kept in git.

    {"<language>": {"<platform>": {"<page uid>": entry}}}

An entry is written in two steps around every send:

- before the request: ``{"state": "sending", "since": …, "id": <post id>}``,
  the intent;
- after the platform's answer: ``{"at": …, "via": …, "ref": …}``, the post
  as published (``ref`` is the platform's id or address when it gives one).

Both carry ``"page": {"source": …, "title": …, "published": …}`` when the post came from a
page (``page_of``): the file it was made from, so that `make check` can tell a published page
renamed (social/moved.py) from a new one. A post's identity is its page's path
(news.post_uid): under a new name it would go out again. Entries written before this have no
``page``.

So a publish killed at any moment leaves either nothing (the post was not
sent), an intent (it may have been: publish.py asks the platform, or holds
the post for a person to check), or the record. The file is replaced
atomically and waits for the disk each time: a crash never loses what it
held before.

The file sits in the office's folder and people do touch it: a maintainer copies it from a
run's artifact, a merge leaves conflict markers in it. One that is not the ledger's JSON
(``LedgerUnreadable``) is refused by `make check` (social/check.py), so no site is built from
it, and `make publish` sends nothing for that office: read as empty, it would send every post
again.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .. import paths
from . import jsonfile

FILE_NAME = "social-ledger.json"
SENDING = "sending"


def ledger_path(root: Path, slug: str) -> Path:
    return root / "offices" / slug / FILE_NAME


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class LedgerUnreadable(ValueError):
    """The ledger's file is not the ledger: ``code`` and ``values`` say why (a problem's message,
    locales *.ledger.yml), ``line`` where, when the JSON itself is broken."""

    def __init__(self, code: str, line: int | None = None, **values: str):
        super().__init__(code, line, values)
        self.code, self.line, self.values = code, line, values


def read_entries(path: Path) -> dict[str, dict[str, dict[str, dict]]]:
    """The ledger's entries; {} when there is no ledger yet. Raises LedgerUnreadable."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        raise LedgerUnreadable("social_ledger_unreadable") from None
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LedgerUnreadable("social_ledger_not_json", exc.lineno) from None
    if not isinstance(entries, dict):
        raise LedgerUnreadable("social_ledger_not_object")
    for lang, by_platform in entries.items():
        if not isinstance(by_platform, dict):
            raise LedgerUnreadable("social_ledger_shape", where=f'"{lang}"')
        for platform, by_uid in by_platform.items():
            if not isinstance(by_uid, dict):
                raise LedgerUnreadable("social_ledger_shape", where=f'"{lang}" → "{platform}"')
            for uid, entry in by_uid.items():
                if not isinstance(entry, dict):
                    raise LedgerUnreadable("social_ledger_shape", where=f'"{lang}" → "{platform}" → "{uid}"')
    return entries


def checked_entries(path: Path) -> dict[str, dict[str, dict[str, dict]]]:
    """read_entries, once while paths.files_unchanged holds (the checks read it twice), for
    callers that only read it. Raises LedgerUnreadable."""
    return paths.kept_value("ledger", path, lambda: read_entries(path))


def page_of(post: dict) -> dict | None:
    """What the ledger keeps of the page an outbox post was made from; None for a post of no page
    (the national alert)."""
    if not post.get("source"):
        return None
    return {"source": post["source"], "title": post.get("title"), "published": post.get("published")}


def _published(entries: dict, lang: str, platform: str, uid: str) -> bool:
    entry = entries.get(lang, {}).get(platform, {}).get(uid)
    return entry is not None and entry.get("state") != SENDING


class PublishedPosts:
    """What the ledger says went out for certain, for the readers that never record: the build's
    outbox (hooks/social.py) and the count of pages a channel leaves out (skipped.py). Its file
    is read once while paths.files_unchanged holds (checked_entries), by the check before them.
    Raises LedgerUnreadable."""

    def __init__(self, path: Path):
        self.entries = checked_entries(path)

    def has(self, lang: str, platform: str, uid: str) -> bool:
        return _published(self.entries, lang, platform, uid)


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        self.entries = read_entries(path)

    def _entry(self, lang: str, platform: str, uid: str) -> dict | None:
        return self.entries.get(lang, {}).get(platform, {}).get(uid)

    def has(self, lang: str, platform: str, uid: str) -> bool:
        """Published for certain."""
        return _published(self.entries, lang, platform, uid)

    def intent(self, lang: str, platform: str, uid: str) -> dict | None:
        """The intent of a send whose outcome was never recorded, or None."""
        entry = self._entry(lang, platform, uid)
        return entry if entry is not None and entry.get("state") == SENDING else None

    def intents(self) -> list[tuple[str, str, str, dict]]:
        """Every intent left open: (language, platform, uid, entry)."""
        return [(lang, platform, uid, entry) for lang, by_platform in sorted(self.entries.items())
                for platform, by_uid in sorted(by_platform.items()) for uid, entry in sorted(by_uid.items())
                if entry.get("state") == SENDING]

    def _save(self) -> None:
        jsonfile.write_atomically(self.path, self.entries)

    def begin(self, lang: str, platform: str, uid: str, post_id: str, page: dict | None = None) -> None:
        """Note that the post is about to be sent, and save, before the request leaves."""
        entry = {"state": SENDING, "since": _now(), "id": post_id}
        if page:
            entry["page"] = page
        self.entries.setdefault(lang, {}).setdefault(platform, {})[uid] = entry
        self._save()

    def record(self, lang: str, platform: str, uid: str, via: str, ref: str | None = None,
               page: dict | None = None) -> None:
        """Remember one published post and save the ledger at once; without ``page``, the one its
        intent named (a send settled by a later run or by a person)."""
        entry = {"at": _now(), "via": via}
        if ref:
            entry["ref"] = ref
        page = page or (self._entry(lang, platform, uid) or {}).get("page")
        if page:
            entry["page"] = page
        self.entries.setdefault(lang, {}).setdefault(platform, {})[uid] = entry
        self._save()

    def forget(self, lang: str, platform: str, uid: str) -> None:
        """Drop an intent: the post did not go out (the platform refused it, or a person checked)."""
        by_uid = self.entries.get(lang, {}).get(platform, {})
        if by_uid.pop(uid, None) is not None:
            if not by_uid:
                del self.entries[lang][platform]
            if not self.entries[lang]:
                del self.entries[lang]
            self._save()
