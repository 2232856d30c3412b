"""An event as an iCalendar file (RFC 5545) that readers add to their calendar.

Written by hand because one VEVENT needs little: CRLF line ends, lines folded
at 75 octets, TEXT values escaped, and a VTIMEZONE for the TZID the times
refer to. Indonesian zones have had one fixed offset since 1988, so the
VTIMEZONE is a single STANDARD rule. A bare date is an all-day event.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .schema import TIMEZONES


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    timezone: str  # the office's, for times written without an offset
    stamp: dt.datetime  # when the information was last changed (DTSTAMP)
    location: str | None = None
    description: str | None = None
    url: str | None = None


def escape_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space,
    never cutting a UTF-8 character in two."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # a continuation line starts with the space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _property(name: str, value: dt.date | dt.datetime, tz: ZoneInfo) -> str:
    if not isinstance(value, dt.datetime):
        return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"
    local = value.astimezone(tz) if value.tzinfo else value
    return f"{name};TZID={tz.key}:{local.strftime('%Y%m%dT%H%M%S')}"


def _vtimezone(tz: ZoneInfo, on: dt.date) -> list[str]:
    offset = dt.datetime.combine(on, dt.time(12), tz).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return ["BEGIN:VTIMEZONE", f"TZID:{tz.key}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{text}", f"TZOFFSETTO:{text}", f"TZNAME:{TIMEZONES.get(tz.key, tz.key)}",
            "END:STANDARD", "END:VTIMEZONE"]


def calendar(event: Event, product: str, lang: str) -> str:
    tz = ZoneInfo(event.timezone)
    start, end = event.start, event.end
    timed = isinstance(start, dt.datetime)
    if not timed:  # an all-day event: DTEND is the day after its last day
        last = end.date() if isinstance(end, dt.datetime) else (end or start)
        end = last + dt.timedelta(days=1)
    elif end is None:
        end = start + dt.timedelta(hours=1)
    elif not isinstance(end, dt.datetime):  # until the end of that day
        end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0), start.tzinfo)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//infohub//{product}//{lang.upper()}",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if timed:
        lines += _vtimezone(tz, start.date())
    lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{_utc(event.stamp)}",
              _property("DTSTART", start, tz), _property("DTEND", end, tz),
              f"SUMMARY;LANGUAGE={lang}:{escape_text(event.summary)}"]
    if event.location:
        lines.append(f"LOCATION;LANGUAGE={lang}:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION;LANGUAGE={lang}:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
