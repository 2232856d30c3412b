"""The moment a build considers "now"."""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from typing import Iterator

MOMENT_ENV = "INFOHUB_NOW"


def build_moment() -> dt.datetime:
    """The moment a build considers "now": INFOHUB_NOW (ISO 8601, for tests and
    previews of a given day), else the clock. What is published (drafts, future
    posts) and whether the alert shows are decided against it."""
    fixed = os.environ.get(MOMENT_ENV)
    return parse_moment(fixed) if fixed else _clock()


def _clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 moment as INFOHUB_NOW gives it ('Z' or an offset; UTC without one)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@contextmanager
def one_moment() -> Iterator[dt.datetime]:
    """Every build_moment() inside is the moment this was entered, in this process and in the
    workers it starts: a build reads the clock many times (the plan, each site's check and
    pages, its feeds, the manifest), and a post that came due between two readings was checked
    as scheduled, built as published and recorded as a change still ahead. The moment goes
    through the environment, as INFOHUB_NOW does, so forked and spawned workers see it too;
    a moment given already (tests, previews) is kept."""
    if os.environ.get(MOMENT_ENV):
        yield build_moment()
        return
    moment = _clock()
    os.environ[MOMENT_ENV] = moment.isoformat()
    try:
        yield moment
    finally:
        os.environ.pop(MOMENT_ENV, None)
