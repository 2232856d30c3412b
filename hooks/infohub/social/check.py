"""`make check`: warn before merge when a social post would be cut short.

For every page an office will post, each platform with a length limit
(X, Bluesky, Mastodon, Threads, Instagram, Telegram) is tried, not only the office's
configured ones: schedulers fed by the feeds post to them too. A summary
that does not fit whole is a warning on the page's 'description' line,
saying how long it may be.

It refuses an office's ledger of published posts that cannot be read (ledger.py): the build
would stop at it, and `make publish` would send nothing for that office; and a published page
under a new name (moved.py), which would go out again.

It also says, as information, which offices have no channel yet: a normal
state (their posts wait in the outbox), but one the maintainers want to see;
and, for each channel, how many pages older than its ``since`` day it does
not post (since.py).
"""
from __future__ import annotations

from ..check_memo import text_digest
from ..checks import Check, Scope
from ..content import source_text
from ..messages import t
from ..paths import is_office_slug, rel
from ..problems import WARNING, Problem
from ..sitedata import InvalidContent, load_site
from .ledger import LedgerUnreadable, checked_entries, ledger_path
from .moved import renamed_pages
from .outbox import page_url
from .selection import candidates
from .skipped import skipped_lines
from .texts import PLATFORMS, Draft, compose

LIMITED = [p for p in PLATFORMS.values() if p.limit is not None and p.name in ("x", "bluesky", "mastodon", "threads", "instagram", "telegram")]


def _fit(page, platform, url: str) -> int:
    """The longest summary (in characters) that still fits whole."""
    low, high = 0, len(page.summary)
    while low < high:
        middle = (low + high + 1) // 2
        draft = Draft(page.title, page.summary[:middle], url, page.hashtags)
        if page.summary[:middle] in compose(draft, platform):
            low = middle
        else:
            high = middle - 1
    return low


def _offices(scope: Scope):
    """The offices in scope ('hub' is none: loading its site would load the hub's)."""
    return [slug for slug in scope.offices if is_office_slug(slug)]


def check_ledgers(scope: Scope) -> list[Problem]:
    """For each office: an error when its social-ledger.json is not the ledger, else its published
    pages renamed (moved.py), which the ledger it has just read tells apart."""
    problems = []
    for slug in _offices(scope):
        path = ledger_path(scope.root, slug)
        try:
            entries = checked_entries(path)
        except LedgerUnreadable as unreadable:
            problems.append(Problem(rel(path), unreadable.line, "", unreadable.code, unreadable.values))
            continue
        problems += renamed_pages(scope.root, slug, entries)
    return problems


def check_social(scope: Scope) -> list[Problem]:
    return check_ledgers(scope) + check_truncation(scope)


def check_truncation(scope: Scope) -> list[Problem]:
    problems = []
    for slug in _offices(scope):
        try:
            site = load_site(slug, scope.root)
        except InvalidContent:
            continue  # its data problems are reported by validation
        site_url = f"https://{site.office.domain}/"
        for candidate in candidates(site, scope.root):
            examine = (lambda candidate=candidate: _page_truncated(candidate.page(site), site_url, slug))
            text = source_text(candidate.file)
            if text is None:  # not UTF-8: the site would not have loaded
                problems += examine()
                continue
            # The build's memo (check_memo.py) keeps a page's problems under what they are made of:
            # its text, where it is (its address, its language) and the site's data (in every key).
            parts = (rel(candidate.file), text_digest(text), site_url, slug, candidate.lang, candidate.norm,
                     candidate.news)
            problems += scope.memo.problems("social", parts, examine)
    return problems


def _page_truncated(page, site_url: str, slug: str) -> list[Problem]:
    if page is None or not page.summary or page.source is None:
        return []
    return _truncated(page, site_url, slug)


def _truncated(page, site_url: str, slug: str) -> list[Problem]:
    """A warning for each platform that would cut the page's summary short."""
    problems = []
    for platform in LIMITED:
        url = page_url(site_url, page, platform.name, slug)
        draft = Draft(page.title, page.summary, url, page.hashtags)
        if page.summary in compose(draft, platform):
            continue
        problems.append(Problem(rel(page.source), _description_line(page.source), "description",
                                "social_truncated", {"platform": platform.name, "length": len(page.summary),
                                                     "fit": _fit(page, platform, url)}, severity=WARNING))
    return problems


def _description_line(path) -> int | None:
    for number, line in enumerate((source_text(path) or "").splitlines(), start=1):
        if line.startswith("description:"):
            return number
    return None


def channels_summary(scope: Scope, lang: str | None) -> str:
    """A line naming the offices in scope that have no social channel, then one line per
    channel that leaves older pages out; '' when there is nothing to say."""
    lines = []
    without = [slug for slug in scope.offices if (office := scope.office(slug)) is not None and not office.channels]
    if without:
        lines.append(t("syndication.check_no_channels", lang, count=len(without), total=len(scope.offices),
                       offices=", ".join(without)))
    for slug in scope.offices:
        office = scope.office(slug)
        if office is None or not office.channels:
            continue
        try:
            site = load_site(slug, scope.root)
            lines += skipped_lines(site, scope.root, lang)
        except (InvalidContent, LedgerUnreadable):
            continue  # its problems are in the report
    return "\n".join(lines)


CHECK = Check("social", check_social, channels_summary)
