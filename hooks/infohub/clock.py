"""The moment a build considers "now"."""
from __future__ import annotations

import datetime as dt
import os


def build_moment() -> dt.datetime:
    """The moment a build considers "now": INFOHUB_NOW (ISO 8601, for tests and
    previews of a given day), else the clock. What is published (drafts, future
    posts) and whether the alert shows are decided against it."""
    fixed = os.environ.get("INFOHUB_NOW")
    return parse_moment(fixed) if fixed else dt.datetime.now(dt.timezone.utc)


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 moment as INFOHUB_NOW gives it ('Z' or an offset; UTC without one)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
