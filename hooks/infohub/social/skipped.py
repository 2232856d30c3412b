"""How many pages each channel of an office leaves out because they are older than its
``since`` day (since.py): said by `make check` (check.py) and the pull-request preview."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..messages import plural
from ..schema import Channel
from ..sitedata import SiteData
from .ledger import PublishedPosts, ledger_path
from .selection import social_pages
from .since import channel_start, posts_page


def skipped_pages(site: SiteData, root: Path, now: dt.datetime | None = None) -> list[tuple[Channel, int]]:
    """Each channel of the office that leaves pages out because they are older than it, with
    how many (one per page and language); pages already published there (in the ledger), as
    they were before the channel had a 'since', are not counted."""
    ledger = PublishedPosts(ledger_path(root, site.slug))
    pages = social_pages(site, root, now)
    skipped = []
    for channel in site.office.channels:
        start = channel_start(channel, site.office.timezone)
        count = sum(1 for page in pages if not posts_page(start, page.published)
                    and not ledger.has(page.lang, channel.platform, page.uid))
        if count:
            skipped.append((channel, count))
    return skipped


def skipped_lines(site: SiteData, root: Path, lang: str | None, now: dt.datetime | None = None) -> list[str]:
    """One sentence per channel of the office that leaves older pages out."""
    return [plural("syndication.since_skipped", count, lang, slug=site.slug, platform=channel.platform,
                   since=channel.since.isoformat(), count=count)
            for channel, count in skipped_pages(site, root, now)]
