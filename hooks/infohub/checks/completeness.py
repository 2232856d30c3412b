"""Completeness: which facts each office has published, for the hub's maintainers.

Nothing here is an error: a fact nobody has verified stays empty (DESIGN.md),
and the office's site says so once, with what to do instead. The table after
the report shows, office by office, what is still owed: hours, address, map,
phone, WhatsApp, e-mail and social channels.
"""
from __future__ import annotations

from .. import messages
from ..schema import Office
from . import Check, Scope

COLUMNS = ("hours", "address", "map", "phone", "whatsapp", "email", "channels")


def facts(office: Office) -> dict[str, bool]:
    """Which of the facts a visitor or the hub relies on this office has."""
    return {
        "hours": not office.hours.is_empty,
        "address": bool(office.address),
        "map": bool(office.map_url or office.geo),
        "phone": bool(office.contact.phone),
        "whatsapp": bool(office.contact.whatsapp),
        "email": bool(office.contact.email),
        "channels": bool(office.channels),
    }


def check_completeness(scope: Scope) -> list:
    return []  # information only: see completeness_table


def completeness_table(scope: Scope, lang: str | None = None) -> str:
    """office × facts, one row per office that loads (an invalid one is reported above)."""
    rows = []
    for slug in scope.offices:
        office = scope.office(slug)
        if office is None:
            continue
        have = facts(office)
        rows.append([slug, *(messages.t("completeness." + ("yes" if have[c] else "no"), lang) for c in COLUMNS)])
    if not rows:
        return ""
    header = [messages.t("completeness.office", lang), *(messages.t(f"completeness.{c}", lang) for c in COLUMNS)]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = [messages.t("completeness.title", lang)]
    for row in [header, *rows]:
        out.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    complete = sum(1 for row in rows if all(cell == messages.t("completeness.yes", lang) for cell in row[1:]))
    out.append("  " + messages.t("completeness.complete", lang, count=complete, total=len(rows)))
    return "\n".join(out)


CHECK = Check("completeness", check_completeness, completeness_table)
