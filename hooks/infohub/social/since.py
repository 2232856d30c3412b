"""When a channel starts: it posts nothing dated before the day it was added.

Without this, a channel added today would queue every page the office ever
posted (the 2024 fee news among them): a new account would open by posting
the archive. Each channel in office.yml therefore says from which day it
posts, ``since: 2026-05-14``, a date in the office's time zone. A page dated
before that day is not posted on that channel; a page with no date at all
(a page that asks for ``social: true`` without ``date``) cannot be placed in
time and is not posted either. The national alert is the exception: it is
news of today until it ends, so a channel added during it still sends it.

Why a date written in office.yml rather than the day the channel's line
entered git history: the build reads files, not history (the deploy's and
the preview's checkouts may be shallow, where the only commit visible is the
newest, which would move the day forward and drop posts silently); a line
moved, re-indented or copied from another office would change the answer;
and a written date is seen and approved in the pull request, and can be set
earlier on purpose to post older pages. The check refuses a channel without
it and gives the exact line to add, with today's date (``since_problems``).

The outbox (outbox.py) leaves the older pages out and publish.py refuses
them again at the moment of sending; the check and the pull-request preview
say how many pages each channel skips (skipped.py).

These rules read office.yml alone, so the content model's check of it (content.load_office)
uses them without loading any site.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ..clock import build_moment
from ..problems import Problem
from ..schema import Channel, Office
from ..yamlsource import LineMap


def channel_start(channel: Channel, timezone: str) -> dt.datetime | None:
    """The first moment a channel posts pages from: midnight of its ``since`` day in the
    office's zone. None only for a channel the check has not seen (office.yml read
    without its references): the check refuses it before any build or publish."""
    if channel.since is None:
        return None
    return dt.datetime.combine(channel.since, dt.time(0, 0), tzinfo=ZoneInfo(timezone))


def posts_page(start: dt.datetime | None, published: dt.datetime | None, urgent: bool = False) -> bool:
    """Whether a channel that starts at ``start`` posts a page published at ``published``.
    No start: a platform with no channel in office.yml (its posts wait in the outbox, or
    go to a file: `--channel log`)."""
    if start is None or urgent:
        return True
    return published is not None and published >= start


def channel_starts(office: Office) -> dict[str, dt.datetime]:
    """platform -> the first moment its channel posts from, for every channel in office.yml."""
    starts = {channel.platform: channel_start(channel, office.timezone) for channel in office.channels}
    return {platform: start for platform, start in starts.items() if start is not None}


def since_problems(office: Office, shown: str, lines: LineMap, now: dt.datetime | None = None) -> list[Problem]:
    """An error for every channel in office.yml without ``since``, naming the line to add
    with today's date in the office's time zone."""
    today = (now or build_moment()).astimezone(ZoneInfo(office.timezone)).date().isoformat()
    return [Problem(shown, lines.line_of(("channels", index)), f"channels.{index}", "channel_since_missing",
                    {"platform": channel.platform, "today": today})
            for index, channel in enumerate(office.channels) if channel.since is None]
