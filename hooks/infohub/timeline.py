"""When a site's output changes with no file changing: the clock's part of a build's inputs.

A static site decides at build time what "now" is. These moments change what a build writes:

| moment                                   | what changes                                       | unit          |
|------------------------------------------|----------------------------------------------------|---------------|
| an office alert's end ('expires')        | its banner leaves every page                       | the office    |
| the national alert's end                 | its banner leaves every page (and its social post) | every site    |
| a closure's day begins                   | its banner appears on every page                   | the office    |
| a closure's end ('until', else midnight) | its banner goes; hours page lists it no more       | the office    |
| a post's date and time (not a draft)     | its page, news lists, feeds, sitemap, outbox       | its site(s)   |
| an office's post's date and time         | the hub's combined feeds                           | the hub feeds |

A national post is published by every office and the hub, so its moment is every site's.
Not moments: an event's end (its page shows the event's times whatever the hour), a fee
(national/fees.yml has no effective date: a new fee is a new file version), a post's
'updated' (shown as written), and the day in the print footer ("information as of", the day
of the build: true of a page built that day).

The build driver records the next moment after the build's own (``next_change``) in each
site's manifest (manifest.py); a build at or after it rebuilds that site although no file
changed. In the reader's browser, infohub-hours.js hides a banner at its end
(``data-infohub-ends``) and works "open now" out with the closures, so a page built before an
end is right at it; the scheduled deploy (.github/workflows/deploy.yml) rebuilds and deploys
within minutes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .content import alert_ends, closure_span, national_alert_ends
from .feed_candidates import office_posts
from .news import publication_moments

if TYPE_CHECKING:
    from .sitedata import SiteData
    from .verdict import OfficeSource


def site_moments(site: SiteData, root: Path) -> list[dt.datetime]:
    """Every moment at which the pages of one site (an office or the hub) change by the clock."""
    return list(publication_moments(site.slug, site.timezone, root)) + data_moments(site)


def data_moments(site: SiteData) -> list[dt.datetime]:
    """The moments at which what the site's data shows changes by the clock, its posts aside:
    an alert's end, a closure's start and end."""
    moments = []
    if site.national.alert is not None:
        moments.append(national_alert_ends(site.national.alert, site.timezone))
    if site.office is not None:
        if site.office.alert is not None:
            moments.append(alert_ends(site.office.alert, site.timezone))
        for closure in site.office.hours.closures:
            moments += closure_span(closure, site.timezone)
    return moments


def hub_feed_moments(hub: SiteData, root: Path, offices: Iterable[OfficeSource]) -> list[dt.datetime]:
    """The moments at which the hub's combined feeds can next change after the build's (hub.now):
    every national post's, and each office's next own post's (each office read where the feeds
    read it, verdict.hub_sources; its posts' dates from its record, feed_candidates.py)."""
    moments = list(publication_moments(hub.slug, hub.timezone, root))
    for source in offices:
        if (moment := office_posts(source).next_moment(hub.now)) is not None:
            moments.append(moment)
    return moments


def next_change(moments: Iterable[dt.datetime], now: dt.datetime) -> dt.datetime | None:
    """The first of ``moments`` after ``now``, or None when nothing is ahead."""
    return min((m for m in moments if m > now), default=None)
