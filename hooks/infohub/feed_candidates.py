"""What each office offers the hub's feeds: its own dated posts, recorded per office.

The hub's feeds (hub_feed.py) carry the newest posts of all offices, and the hub's feeds' next
moment (timeline.hub_feed_moments) is the next of their dates. Finding them by listing and dating
every post of every office, for each language, took most of the refresh of the hub's feeds after
one edit (4 offices of 300 posts: 2,400 files listed and dated twice). So each office's own posts
that are valid, dated and not drafts (news.dated_sources), past and future, in each of its
languages and newest first, with their dates as written, are recorded in the build cache
(site/.cache/feed-candidates/<slug>.json), and the hub takes from there only the few it may show.

The record is a cache: its key names everything its content follows from, so it is never taken
for another state of the files, and one that cannot be read or has another key is made anew
from the sources (a cost in time, never in the result). The key:

- the digest of the files the office's posts are read from: for an office that passes its check,
  its check digest (manifest.Inputs.check_digest: every file of the office, the national data
  and the code); for a failing office read from its last good copy (verdict.py), the digest that
  copy was made at, and that it is the copy (a copy holds no national posts);
- the code's digest (check_memo.code_digest: what a post's validity and dates follow from) and
  this module's format.

The clock is not in it: the record holds scheduled posts too, and the hub applies its moment
(hub.now) on reading, so a scheduled post becomes due without the record changing. An office's
files choose their record's content, never its key or where it is written.

Whoever needs the record first writes it: an office's build once its check has passed, before it
records the verdict the hub waits for; else the hub. Both write it whole (files.replace_file).
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from . import paths
from .check_memo import code_digest
from .files import read_record, write_record
from .news import NewsPost, aware, dated_sources, from_iso, newest_first, publication_dates

if TYPE_CHECKING:
    from .schema import Office
    from .verdict import OfficeSource

_FORMAT = 1
_FOLDER = "feed-candidates"
# A post's file as recorded: below the office's docs/berita/, no step up, no empty name.
_RECORDED_FILE = re.compile(r"berita/(?:(?!\.\.?/)[^/\0]+/)*(?!\.\.?$)[^/\0]+\.md")


@dataclass(frozen=True)
class OfficePosts:
    """One office's own dated posts: per language, newest first, each as
    [date, updated or None, norm_src_uri, language of the text, file below docs/]; and every
    post's publication date in every language, earliest first (timeline.py)."""

    slug: str
    timezone: str
    docs_dir: Path
    posts: dict[str, list[list]]
    dates: list[str]

    def newest(self, lang: str, now: dt.datetime, count: int) -> list[NewsPost]:
        """The posts published by ``now`` in ``lang``, newest first: the ``count`` newest and those
        at the same moment as the last of them (the hub's feeds order posts of one moment by
        their links, hub_feed._newest). The same posts, in the same order, as the first ones of
        news.published_posts(own_only=True)."""
        tz = ZoneInfo(self.timezone)
        chosen: list[NewsPost] = []
        for date, updated, norm, text_lang, file in self.posts[lang]:
            published = aware(from_iso(date), tz)
            if published > now:
                continue  # scheduled: not yet
            if len(chosen) >= count and published.timestamp() != chosen[count - 1].published.timestamp():
                break
            chosen.append(NewsPost(self.slug, norm, text_lang, self.docs_dir / file, published,
                                   aware(from_iso(updated), tz) if updated else published))
        return chosen

    def next_moment(self, now: dt.datetime) -> dt.datetime | None:
        """The first moment after ``now`` at which one of the office's posts goes live, as
        min() finds it among news.publication_moments(own_only=True): of posts dated the same
        moment, the first listed."""
        tz = ZoneInfo(self.timezone)
        index = bisect.bisect_right(self.dates, now, key=lambda date: aware(from_iso(date), tz))
        return aware(from_iso(self.dates[index]), tz) if index < len(self.dates) else None


def _from_sources(slug: str, office: Office, root: Path) -> OfficePosts:
    tz = ZoneInfo(office.timezone)
    docs_dir = root / "offices" / slug / "docs"
    posts = {}
    for lang in sorted({*office.languages, paths.ROOT_LANGUAGE}):
        sources = dated_sources(slug, lang, root, own_only=True)
        sources.sort(key=lambda source: newest_first(source.post(slug, tz)), reverse=True)
        posts[lang] = [[s.date, s.updated, s.norm_src_uri, s.lang, paths.relative_posix(s.file, docs_dir)]
                       for s in sources]
    # sorted by moment alone, so of the same moment the first listed stays first (min() takes it)
    dates = sorted(publication_dates(slug, root, own_only=True), key=lambda date: aware(from_iso(date), tz))
    return OfficePosts(slug, office.timezone, docs_dir, posts, dates)


def _key(slug: str, digest: str, last_good: bool) -> str:
    parts = (str(_FORMAT), code_digest(), slug, digest, "last-good" if last_good else "repository")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _record_path(slug: str) -> Path:
    return paths.cache_dir(_FOLDER) / f"{slug}.json"


def _write(found: OfficePosts, key: str) -> None:
    try:
        write_record(_record_path(found.slug), str(_FORMAT), "offer",
                     {"key": key, "timezone": found.timezone, "posts": found.posts, "dates": found.dates})
    except OSError:
        pass  # a record not kept costs the next build its time, never its result


def _read(slug: str, office: Office, root: Path, key: str) -> OfficePosts | None:
    """The record, if it is this key's and reads as one; else None (ValueError or TypeError for a
    date that does not read as one)."""
    data = read_record(_record_path(slug), str(_FORMAT), "offer")
    if data.get("key") != key or data.get("timezone") != office.timezone:
        return None
    posts, dates = data.get("posts"), data.get("dates")
    languages = sorted({*office.languages, paths.ROOT_LANGUAGE})
    if not isinstance(posts, dict) or sorted(posts) != languages or not isinstance(dates, list):
        return None
    for date in dates:
        from_iso(date)
    for entries in posts.values():
        if not isinstance(entries, list):
            return None
        for entry in entries:
            if not (isinstance(entry, list) and len(entry) == 5 and isinstance(entry[2], str)
                    and isinstance(entry[3], str) and isinstance(entry[4], str)
                    and _RECORDED_FILE.fullmatch(entry[4])):
                return None
            from_iso(entry[0])
            if entry[1] is not None:
                from_iso(entry[1])
    return OfficePosts(slug, office.timezone, root / "offices" / slug / "docs", posts, dates)


# (office, where its files are) -> (key, what was read or made) in this process: the feeds of
# each language and the timeline ask
_known: dict[tuple[str, Path], tuple[str, OfficePosts]] = {}


def office_posts(source: OfficeSource) -> OfficePosts:
    """The office's dated posts, where the hub's feeds read them (verdict.hub_sources)."""
    key = _key(source.slug, source.digest, source.last_good)
    known = _known.get((source.slug, source.root))
    found = known[1] if known is not None and known[0] == key else None
    if found is None:
        try:
            found = _read(source.slug, source.office, source.root, key)
        except (ValueError, TypeError):
            found = None
        if found is None:
            found = _from_sources(source.slug, source.office, source.root)
            _write(found, key)
        _known[source.slug, source.root] = key, found
    return found


def keep(slug: str, office: Office, root: Path, digest: str) -> None:
    """Record what an office that has just passed its check offers the hub (its build calls
    this), under its check digest: the hub's next build or refresh reads it."""
    key = _key(slug, digest, last_good=False)
    try:
        found = _from_sources(slug, office, root)
    except (OSError, ValueError):
        return  # the hub makes it, or fails the way it did without a record
    _known[slug, root] = key, found
    _write(found, key)
