"""News posts: which exist, in which language, and their lasting identity.

A news post is a Markdown file under docs/berita/ other than the list page
(berita/index.md), for example docs/berita/2025/jadwal-libur.md with its
English twin jadwal-libur.en.md. The news list, the feeds and the social
posts all read posts from here, so they agree on what is published.

Identity: a post's ``uid`` depends only on the office and the post's path
without language suffix. It does not change when the title, the date or
the site's layout changes, so feed readers and social schedulers that
dedupe on it never see a post twice.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from . import paths
from .clock import build_moment
from .content import PageSource, load_page
from .files import modified_ns, read_record, stamp_trusted, status_stamp, write_record
from .problems import Problem

NEWS_DIR = "berita"
_SUFFIX = re.compile(r"\.([a-z]{2})\.md$")
_UID_NAMESPACE = uuid.UUID("0b7d3c1e-7f0a-4c55-9a43-2f1e1c0f6a11")  # infohub's own, fixed forever


# berita/halaman/N/ and berita/kategori/<name>/ are list pages made by hooks/news_pages.py
LIST_FOLDERS = ("halaman", "kategori")
_INDEX_PAGE = re.compile(r"index(\.[a-z]{2})?\.md")


def is_news_source(src_uri: str) -> bool:
    """berita/**/x.md is a post; berita/index.md and the generated list pages are not."""
    parts = src_uri.split("/")
    return (len(parts) > 1 and parts[0] == NEWS_DIR and parts[1] not in LIST_FOLDERS
            and not _INDEX_PAGE.fullmatch(parts[-1]))


def split_language(src_uri: str) -> tuple[str, str]:
    """'berita/2025/a.en.md' -> ('berita/2025/a.md', 'en'); no suffix is Indonesian."""
    match = _SUFFIX.search(src_uri)
    if match:
        return src_uri[: match.start()] + ".md", match[1]
    return src_uri, "id"


@functools.lru_cache(maxsize=65536)  # a page's, asked by the lists, the feeds and the social outbox
def post_uid(office_slug: str, norm_src_uri: str, lang: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'{office_slug}/{lang}/{norm_src_uri}')}"


def post_url_path(norm_src_uri: str) -> str:
    """berita/2025/a.md -> berita/2025/a/ (directory URLs, language root not included)."""
    return norm_src_uri[: -len(".md")] + "/"


@dataclass
class NewsPost:
    office: str
    norm_src_uri: str
    lang: str  # the language of the text
    file: Path
    published: dt.datetime  # timezone-aware, in the office's zone
    updated: dt.datetime

    @cached_property
    def source(self) -> PageSource:
        """Front matter and body, read when first asked for: choosing the newest posts
        takes only their dates (``_dates_as_written``)."""
        return load_page(self.file)[0]

    @property
    def title(self) -> str:
        return self.source.meta.title or ""

    @property
    def uid(self) -> str:
        return post_uid(self.office, self.norm_src_uri, self.lang)

    @property
    def url_path(self) -> str:
        return post_url_path(self.norm_src_uri)

    @property
    def category(self) -> str | None:
        return self.source.meta.category

    @property
    def is_national(self) -> bool:
        """Published by every office from national/pages/ (not written by this office)."""
        return _from_national(self.file, self.norm_src_uri)


def _from_national(file: Path, norm_src_uri: str) -> bool:
    """Whether ``file``, the source of ``norm_src_uri``, lies in national/pages/: its docs folder
    is the file's path without the page's own parts. By the paths' text (both as listed:
    source_files, relative_posix): pathlib parsed both, twice a post in every build."""
    folders = os.fspath(file).split(os.sep)[:-(norm_src_uri.count("/") + 1)]
    return folders[-2:] == ["national", "pages"]


def aware(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A front-matter date as a moment: a bare date is midnight in the office's zone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(0, 0))
    return value if value.tzinfo else value.replace(tzinfo=tz)


def news_sources(*docs_dirs: Path) -> dict[str, dict[str, Path]]:
    """norm_src_uri -> {lang: file} for every post under <docs>/berita/.

    Later folders win for the same post and language: pass national/pages
    first and the office's docs/ last (national < office).
    """
    known = paths.kept("news", docs_dirs, lambda: [_news_sources(docs_dirs)])[0]
    return {norm: dict(files) for norm, files in known.items()}  # the caller's own


def _news_sources(docs_dirs: tuple[Path, ...]) -> dict[str, dict[str, Path]]:
    found: dict[str, dict[str, Path]] = {}
    for docs_dir in docs_dirs:
        folder = docs_dir / NEWS_DIR
        if not folder.is_dir():
            continue
        for file in paths.source_files(folder, "*.md"):
            src_uri = paths.relative_posix(file, docs_dir)
            if is_news_source(src_uri):
                norm, lang = split_language(src_uri)
                found.setdefault(norm, {})[lang] = file
    return found


def office_news_sources(office_slug: str, root: Path | None = None) -> dict[str, dict[str, Path]]:
    """The posts one office publishes: national posts, then its own."""
    return news_sources(*paths.page_dirs(office_slug, root))


def published_posts(office_slug: str, lang: str, timezone: str, root: Path | None = None,
                    now: dt.datetime | None = None, own_only: bool = False) -> list[NewsPost]:
    """Posts visible in ``lang`` (falling back to Indonesian), newest first; without the
    national posts the office republishes, with ``own_only``.

    Drafts and posts dated in the future are left out. Invalid posts are left
    out too: validation (``check_news``) reports them and stops the build first.
    Which posts these are is decided from their dates alone (``_dates_as_written``), so a
    caller that needs a few of many posts reads only those in full.
    """
    if now is None:
        now = build_moment()
    # the news list, the feeds, the social posts and the structured data ask for the same posts
    return paths.kept("posts", (office_slug, lang, timezone, root, now, own_only),
                      lambda: _published_posts(office_slug, lang, timezone, root, now, own_only))


def _published_posts(office_slug: str, lang: str, timezone: str, root: Path | None, now: dt.datetime,
                     own_only: bool) -> list[NewsPost]:
    return [post for post in dated_posts(office_slug, lang, timezone, root, own_only) if post.published <= now]


@dataclass(frozen=True)
class DatedSource:
    """A post's file in one language (falling back to Indonesian) and its front matter's dates
    as written (ISO 8601: a date, or a date and time with or without its offset)."""

    norm_src_uri: str
    lang: str  # the language of the text
    file: Path
    date: str
    updated: str | None

    def post(self, office_slug: str, tz: ZoneInfo) -> NewsPost:
        published = aware(from_iso(self.date), tz)
        updated = aware(from_iso(self.updated), tz) if self.updated else published
        return NewsPost(office_slug, self.norm_src_uri, self.lang, self.file, published, updated)


def dated_sources(office_slug: str, lang: str, root: Path | None = None,
                  own_only: bool = False) -> list[DatedSource]:
    """Every post visible in ``lang`` (falling back to Indonesian) that is valid, dated and not a
    draft, past and future, in no order; without the national posts, with ``own_only``."""
    stored, index = _dates_index()
    found = []
    for norm, files in office_news_sources(office_slug, root).items():
        file = files.get(lang) or files.get("id")
        if file is None or (own_only and _from_national(file, norm)):
            continue
        dates = _dates_as_written(file, stored, index)
        if dates is not None:
            found.append(DatedSource(norm, lang if file is files.get(lang) else "id", file, *dates))
    return found


def dated_posts(office_slug: str, lang: str, timezone: str, root: Path | None = None,
                own_only: bool = False) -> list[NewsPost]:
    """What ``published_posts`` gives whatever the clock says: scheduled posts too, newest first."""
    tz = ZoneInfo(timezone)
    posts = [source.post(office_slug, tz) for source in dated_sources(office_slug, lang, root, own_only)]
    posts.sort(key=newest_first, reverse=True)
    return posts


def newest_first(post: NewsPost) -> tuple[dt.datetime, str]:
    """The order of an office's posts (reversed): by date and time, then by path."""
    return post.published, post.norm_src_uri


def publication_moments(office_slug: str, timezone: str, root: Path | None = None,
                        own_only: bool = False) -> list[dt.datetime]:
    """When each post the office publishes goes live, in every language, past and future
    (drafts have none): the moments the clock changes its news (timeline.py)."""
    tz = ZoneInfo(timezone)
    return [aware(from_iso(date), tz) for date in publication_dates(office_slug, root, own_only)]


def publication_dates(office_slug: str, root: Path | None = None, own_only: bool = False) -> list[str]:
    """``publication_moments`` as the posts' front matter writes them (ISO 8601), in the same order."""
    stored, index = _dates_index()
    dates = []
    for norm, files in office_news_sources(office_slug, root).items():
        for file in files.values():
            if own_only and _from_national(file, norm):
                continue
            written = _dates_as_written(file, stored, index)
            if written is not None:
                dates.append(written[0])
    return dates


# What deciding whether and when a post is published takes from its file, kept in
# the build cache (news/dates.json) while the file is unchanged: the hub's feed
# looks at every post of every office (about 19,000 for 125 offices) to find the
# newest twenty, and parsing them all took 20 s.
# The record in each cache folder -> {str(path): [stamp, date, updated]}, date None: not
# published, ``stamp`` the file's status when it was read (files.status_stamp). An entry holds
# while the file's status is its stamp, for a file last written long enough before the record
# was (files.stamp_trusted, as the inputs' hashes: manifest.py); the others are read again and
# the record written again. What this process read holds in it.
_DATES_FILE = "dates.json"
_DATES_FORMAT = "1"


@dataclass
class _DatesIndex:
    entries: dict[str, list]
    kept_at: int  # the record's modification time as it was read
    learnt: set[str] = field(default_factory=set)  # the files this process read
    changed: bool = False  # since the record was read or saved


_dates: dict[Path, _DatesIndex] = {}


def _dates_index() -> tuple[Path, _DatesIndex]:
    stored = paths.cache_dir("news") / _DATES_FILE
    if stored not in _dates:
        kept_at = modified_ns(stored)
        _dates[stored] = _DatesIndex(read_record(stored, _DATES_FORMAT, "posts"), kept_at)
    return stored, _dates[stored]


def _dates_as_written(file: Path, stored: Path, index: _DatesIndex) -> tuple[str, str | None] | None:
    """(date, updated) of a valid, dated post that is not a draft, in ISO 8601; else None.
    ``index`` is the one kept in ``stored`` (``_dates_index``). Asked once a file while
    paths.files_unchanged holds: the lists, feeds, social posts and clock of one build ask for each
    post up to six times (a status and its checks each time: 3,600 at 300 posts)."""
    return paths.kept_value(("dates", stored), file, lambda: _read_dates(file, index))


def _read_dates(file: Path, index: _DatesIndex) -> tuple[str, str | None] | None:
    stamp = status_stamp(file)
    name = str(file)
    known = index.entries.get(name)
    trusted = name in index.learnt or stamp_trusted(stamp, index.kept_at)
    if not (_is_dating(known) and known[0] == stamp and trusted):
        source, problems = load_page(file)
        ok = source is not None and not problems and source.meta.date is not None and not source.meta.draft
        known = index.entries[name] = [stamp, _iso(source.meta.date) if ok else None,
                                       _iso(source.meta.updated) if ok and source.meta.updated else None]
        index.learnt.add(name)
        index.changed = True
    if known[1] is None:
        return None
    return known[1], known[2] or None


def _is_dating(entry: object) -> bool:
    """An entry of the dates index as _dates_as_written writes it (a damaged cache is read anew)."""
    return (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], list)
            and (entry[1] is None or _is_iso(entry[1])) and (entry[2] is None or _is_iso(entry[2])))


def _is_iso(value: object) -> bool:
    """A date or moment as _iso writes it: what from_iso reads back."""
    if not isinstance(value, str):
        return False
    try:
        from_iso(value)
    except ValueError:
        return False
    return True


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def from_iso(text: str) -> dt.date | dt.datetime:
    """A front-matter date as ``_dates_as_written`` gives it, read back."""
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def save_dating() -> None:
    """Keep what ``_dates_as_written`` learnt for the next build (the hub's feeds call this)."""
    stored, index = _dates_index()
    if index.changed or not stored.exists():
        write_record(stored, _DATES_FORMAT, "posts", index.entries)
        index.changed = False


def check_news(docs_dir: Path) -> list[Problem]:
    """A post must say when it was published, and its image must be described."""
    problems = []
    for files in news_sources(docs_dir).values():
        for file in files.values():
            source, found = load_page(file)
            if source is None:
                continue  # front matter problems are reported by check_pages
            shown = paths.rel(file)
            if not source.meta.title:  # the news lists, feeds and social posts name a post by it
                problems.append(Problem(shown, 1, "title", "news_title_missing", {}))
            if source.meta.date is None:
                problems.append(Problem(shown, 1, "date", "news_date_missing", {}))
            if source.meta.category is None:
                problems.append(Problem(shown, 1, "category", "news_category_missing", {}))
            # the image's file itself is checked with every page's pictures (checks/images.py)
            if source.meta.image and not source.meta.image_alt:  # the card and the social posts show it
                problems.append(Problem(shown, _line_of_key(file, "image"), "image_alt", "news_image_alt_missing", {}))
        problems += _twins_differ(files)
    return problems


_TWIN_KEYS = ("date", "category")


def _twins_differ(files: dict[str, Path]) -> list[Problem]:
    """The translations of a post carry the Indonesian one's date and category: the news
    lists, feeds and social posts of every language must agree on when and what it is."""
    original = files.get("id")
    source = load_page(original)[0] if original else None
    if source is None:
        return []
    problems = []
    for lang, file in sorted(files.items()):
        twin = load_page(file)[0] if lang != "id" else None
        if twin is None:
            continue
        for key in _TWIN_KEYS:
            if getattr(twin.meta, key) is not None and getattr(twin.meta, key) != getattr(source.meta, key):
                problems.append(Problem(paths.rel(file), _line_of_key(file, key) or 1, key, "news_twin_differs",
                                        {"value": _raw_value(file, key), "expected": _raw_value(original, key),
                                         "original": original.name}))
    return problems


def _raw_value(file: Path, key: str) -> str:
    """A front-matter value as the editor typed it ('' when the key is missing)."""
    for line in file.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith(f"{key}:"):
            return line[len(key) + 1:].strip().strip("\"'")
    return ""


def image_target(image: str, page: Path, docs_dir: Path) -> Path:
    """The file a page's local image names, resolved (links followed): '/x.png' from the docs
    folder, 'x.png' from the page's own. The check refuses one that leaves ``docs_dir``: it
    would publish, or size up for the feeds, a file of another office or of the repository."""
    target = (docs_dir / image.lstrip("/")) if image.startswith("/") else (page.parent / image)
    return target.resolve()


def _line_of_key(file: Path, key: str) -> int | None:
    for number, line in enumerate(file.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
