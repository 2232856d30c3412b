"""One site's data, ready for the templates: office < national, per language.

Precedence, lowest first: national data (national/*.yml) < the office's own
office.yml < the page's front matter. ``effective`` applies it for the keys
a page may set; the fee, service and FAQ views apply it to the lists.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.lists import format_list
from markupsafe import Markup

from . import paths
from .clock import build_moment
from .checks import check_docs
from .content import (National, alert_ends, alert_expired, closure_span, load_national, load_office,
                      national_alert_ends, national_alert_expired)
from .messages import t
from .problems import Problem, Report
from .schema import WEEKDAYS, Closure, Office



class InvalidContent(Exception):
    """Raised when a site cannot be built from its content; carries the report."""

    def __init__(self, report: Report):
        super().__init__(report.format(outcome="nothing_built"))
        self.report = report


@dataclass
class SiteData:
    slug: str
    national: National
    office: Office | None  # None for the hub
    offices: dict[str, Office] = field(default_factory=dict)  # the hub's directory
    warnings: list[Problem] = field(default_factory=list)
    now: dt.datetime = field(default_factory=build_moment)  # fixed once per build

    @property
    def timezone(self) -> str:
        return self.office.timezone if self.office else "Asia/Jakarta"

    @property
    def local_now(self) -> dt.datetime:
        return self.now.astimezone(ZoneInfo(self.timezone))

    @property
    def is_hub(self) -> bool:
        return self.office is None

    @property
    def languages(self) -> list[str]:
        return list(self.office.languages) if self.office else ["id", "en"]

    def name(self, lang: str) -> str:
        return self.office.name.get(lang) if self.office else t("hub.site_name", lang)

    def description(self, lang: str) -> str:
        return effective("description", {}, self, lang) or ""

    def view(self, lang: str) -> "SiteView":
        return SiteView(self, lang)


def effective(key: str, page_meta: dict, site: SiteData, lang: str) -> Any:
    """The value of ``key`` for a page: page front matter, else office, else national."""
    if page_meta.get(key) not in (None, [], ""):
        return page_meta[key]
    office_value = getattr(site.office, key, None) if site.office else None
    national_value = getattr(site.national.defaults, key, None)
    for value in (office_value, national_value):
        if value in (None, [], ""):
            continue
        return value.get(lang) if hasattr(value, "get") and not isinstance(value, (list, dict)) else value
    return None


def hashtags(page_meta: Any, site: SiteData, lang: str) -> list[str]:
    """A page's hashtags: its front matter's, else the office's, else the national ones."""
    return list(effective("hashtags", {"hashtags": page_meta.hashtags}, site, lang) or [])


def load_site(slug: str, root: Path | None = None, pages_checked: bool = False) -> SiteData:
    """Load and validate everything one site is built from, or raise InvalidContent.
    ``pages_checked``: the hub's pages and the national ones are not checked again (the refresh
    of the feeds of a hub whose last build, from the same files, checked them: build.py)."""
    root = root or paths.root()
    report = Report()
    national, problems = load_national(root)
    report.extend(problems)
    if not pages_checked:
        report.extend(check_docs(root / "national" / "pages"))
    if slug == paths.HUB_SLUG:
        offices = {}
        for office_slug in paths.office_slugs(root):
            office, _ = load_office(office_slug, national, root)
            if office is not None:  # an invalid office is that office's problem, not the hub's
                offices[office_slug] = office
        if not pages_checked:
            report.extend(check_docs(root / "docs"))
        if report.errors:
            raise InvalidContent(report)
        return SiteData(slug, national, None, offices, report.warnings)
    office, problems = load_office(slug, national, root)
    report.extend(problems)
    report.extend(check_docs(root / "offices" / slug / "docs"))
    if report.errors or office is None:
        raise InvalidContent(report)
    return SiteData(slug, national, office, warnings=report.warnings)


def rupiah(amount: int, lang: str) -> str:
    """Rp350.000 in Indonesian, IDR 350,000 elsewhere."""
    if lang == "id":
        return "Rp" + f"{amount:,}".replace(",", ".")
    return f"IDR {amount:,}"


# English as read across Indonesia: day before month ('30 December 2099'), as in
# Indonesian, not the American 'December 30, 2099' babel's plain 'en' gives.
DATE_LOCALES = {"en": "en_GB"}


@functools.lru_cache(maxsize=4096)  # babel formats anew each call: every list shows each post's date
def long_date(value: dt.date, lang: str) -> str:
    try:
        return format_date(value, format="long", locale=DATE_LOCALES.get(lang, lang))
    except Exception:  # a locale babel does not know: ISO is still readable
        return value.isoformat()


def digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


@dataclass
class SiteView:
    """What the templates read: one site's data in one language."""

    site: SiteData
    lang: str

    @property
    def office(self) -> Office | None:
        return self.site.office

    @property
    def name(self) -> str:
        return self.site.name(self.lang)

    def text(self, localized) -> str:
        return localized.get(self.lang) if localized else ""

    def date(self, value: dt.date | None) -> str:
        return long_date(value, self.lang) if value else ""

    def rupiah(self, amount: int) -> str:
        return rupiah(amount, self.lang)

    @property
    def today(self) -> str:
        """The day of the build in the office's zone: what the pages' information stands at."""
        return self.date(self.site.local_now.date())

    # --- contacts -------------------------------------------------------------

    @cached_property
    def contacts(self) -> list[dict]:
        """The ways to reach the office that it has declared, each as a link."""
        if not self.office:
            return []
        contact, found = self.office.contact, []
        if contact.phone:
            found.append({"kind": "phone", "label": t("contact.phone", self.lang),
                          "text": contact.phone, "href": f"tel:{contact.phone}"})
        if contact.whatsapp:
            found.append({"kind": "whatsapp", "label": t("contact.whatsapp", self.lang),
                          "text": contact.whatsapp, "href": f"https://wa.me/{digits(contact.whatsapp)}"})
        if contact.email:
            found.append({"kind": "email", "label": t("contact.email", self.lang),
                          "text": contact.email, "href": f"mailto:{contact.email}"})
        return found

    @cached_property
    def missing(self) -> str | None:
        """What a visitor needs before coming and this office has not published
        (its address, a phone number, its hours), as one phrase; None when nothing is."""
        office = self.office
        if not office:
            return None
        gaps = [key for key, known in (("address", office.address), ("phone", office.contact.phone),
                                       ("hours", not office.hours.is_empty)) if not known]
        if not gaps:
            return None
        names = [t(f"start.missing_part.{key}", self.lang) for key in gaps]
        try:
            return format_list(names, locale=self.lang)
        except Exception:  # a locale babel does not know
            return ", ".join(names)

    @cached_property
    def social_accounts(self) -> list[dict]:
        if not self.office:
            return []
        accounts = self.office.social.model_dump(exclude_none=True)
        return [{"network": net, "label": t(f"social.{net}", self.lang), "href": url}
                for net, url in accounts.items()]

    @property
    def mpaspor_url(self) -> str | None:
        return self.site.national.defaults.mpaspor_url

    @property
    def directorate_general_url(self) -> str | None:
        return self.site.national.defaults.directorate_general_url

    # --- fees -----------------------------------------------------------------

    def text_lang(self, localized) -> str | None:
        """The language ``text(localized)`` is really in when it is not the page's:
        the Indonesian fallback, to be marked lang="id". None when it is the page's."""
        return None if not localized or localized.has(self.lang) else "id"

    @cached_property
    def fee_schedule(self) -> dict:
        """What the whole schedule rests on, said once: its legal basis and its source."""
        schedule = self.site.national.fees
        return {"basis": self.text(schedule.legal_basis), "basis_lang": self.text_lang(schedule.legal_basis),
                "basis_url": schedule.legal_basis_url, **self._source(schedule.source)}

    def _source(self, source) -> dict:
        return {"source": self.text(source.text), "source_lang": self.text_lang(source.text),
                "source_url": source.url, "verified": self.date(source.verified) if source.verified else None,
                "verified_iso": source.verified.isoformat() if source.verified else None}

    @cached_property
    def fees(self) -> list[dict]:
        """The national fee schedule as this office applies it. A fee whose legal basis or
        source is not the schedule's carries a footnote mark (1, 2, …) and its own."""
        served = self.office.fees if self.office else None
        schedule = self.site.national.fees
        rows, marks = [], 0
        for fee in schedule.fees:
            if served and fee.id in served.not_served:
                continue
            override = served.overrides.get(fee.id) if served else None
            basis, source = schedule.basis_of(fee), schedule.source_of(fee)
            differs = (fee.legal_basis not in (None, schedule.legal_basis)
                       or fee.source not in (None, schedule.source))
            marks += differs
            rows.append({
                "id": fee.id,
                "name": fee.name.get(self.lang),
                "amount": rupiah(override.amount if override else fee.amount, self.lang),
                "national_amount": rupiah(fee.amount, self.lang),
                "override_reason": override.reason.get(self.lang) if override else None,
                "overridden": override is not None,
                "unit": fee.unit.get(self.lang),
                "for_whom": self.text(fee.for_whom) or None,
                "for_whom_lang": self.text_lang(fee.for_whom),
                "waiver": self.text(fee.waiver) or None,
                "waiver_lang": self.text_lang(fee.waiver),
                "legal_basis": self.text(basis),
                "legal_basis_lang": self.text_lang(basis),
                **self._source(source),
                "mark": marks if differs else None,
                "note": fee.note.get(self.lang) if fee.note else None,
                "note_lang": self.text_lang(fee.note),
            })
        return rows

    @cached_property
    def fees_not_served(self) -> list[str]:
        """The national fees' services this office does not handle, by name."""
        not_served = set(self.office.fees.not_served) if self.office else set()
        return [fee.name.get(self.lang) for fee in self.site.national.fees.fees if fee.id in not_served]

    # --- services -------------------------------------------------------------

    @cached_property
    def services(self) -> list[dict]:
        offered = self.office.services if self.office else None
        fee_names = {row["id"]: row for row in self.fees}
        rows = []
        for service in self.site.national.services.services:
            if offered is not None and service.id not in offered:
                continue
            rows.append({
                "id": service.id,
                "name": service.name.get(self.lang),
                "summary": service.summary.get(self.lang),
                "requirements": service.requirements.get(self.lang) or service.requirements.get("id", []),
                "steps": service.steps.get(self.lang) or service.steps.get("id", []),
                "processing_time": service.processing_time.get(self.lang) if service.processing_time else None,
                "fees": [fee_names[f] for f in service.fees if f in fee_names],
                "apply_via": service.apply_via,
            })
        return rows

    # --- hours ----------------------------------------------------------------

    @cached_property
    def hours(self) -> dict:
        """The weekly schedule, the closures still ahead, and the same data for
        the browser's "open now" indicator (infohub-hours.js), which works it
        out in the office's time zone whatever the reader's is."""
        hours = self.office.hours if self.office else None
        if hours is None or hours.is_empty:
            return {"days": [], "closures": [], "summary": [], "tz": self.office.tz_label if self.office else ""}
        days = []
        for day in WEEKDAYS:
            ranges = getattr(hours, day)
            days.append({"day": day, "label": t(f"day.{day}", self.lang),
                         "ranges": [f"{a}–{b}" for a, b in ranges],
                         "breaks": [f"{ranges[i][1]}–{ranges[i + 1][0]}" for i in range(len(ranges) - 1)]})
        # Past closures are history, not service information: the page lists those not over.
        closures = [{"date": self._closure_day(c), "iso": c.date.isoformat(), "reason": c.reason.get(self.lang)}
                    for c in sorted(hours.closures, key=lambda c: c.date)
                    if closure_span(c, self.site.timezone)[1] > self.site.now]
        return {"days": days, "closures": closures, "tz": self.office.tz_label,
                "summary": self._week_summary(days),
                "note": hours.note.get(self.lang) if hours.note else None,
                "json": self._hours_json(hours)}

    def _closure_day(self, closure) -> str:
        """'3 Desember 2026', or '3 Desember 2026, sampai pukul 12:00 WIT' for a closure that ends that day."""
        if not closure.until:
            return self.date(closure.date)
        return t("closure.day_until", self.lang, date=self.date(closure.date), time=closure.until,
                 tz=self.office.tz_label)

    def _week_summary(self, days: list[dict]) -> list[dict]:
        """Consecutive days with the same hours as one line: 'Senin–Kamis'."""
        groups: list[list[dict]] = []
        for day in days:
            if groups and groups[-1][-1]["ranges"] == day["ranges"]:
                groups[-1].append(day)
            else:
                groups.append([day])
        summary = []
        for group in groups:
            first, last = group[0], group[-1]
            label = first["label"] if first is last else f"{first['label']}–{last['label']}"
            summary.append({"label": label, "days": [d["day"] for d in group], "ranges": first["ranges"]})
        return summary

    def _hours_json(self, hours) -> str:
        return _script_json({**_schedule(self.office, self.lang), **_hours_words(self.lang)})

    # --- alert ----------------------------------------------------------------

    @cached_property
    def alert(self) -> dict | None:
        """The site-wide banner, unless it has expired by the time of the build."""
        alert = self.office.alert if self.office else None
        if alert is None:
            return None
        if alert_expired(alert, self.site.timezone, self.site.now):  # `make check` warns about it
            return None
        return self._banner(alert, alert_ends(alert, self.site.timezone))

    @cached_property
    def national_alert(self) -> dict | None:
        """national/alert.yml's banner, on every office and the hub, shown above the office's own;
        gone once it has expired in this site's time zone (content.national_alert_expired)."""
        alert = self.site.national.alert
        if alert is None or national_alert_expired(alert, self.site.timezone, self.site.now):
            return None
        return self._banner(alert, national_alert_ends(alert, self.site.timezone))

    @cached_property
    def closure_alert(self) -> dict | None:
        """A closure going on when the site is built (office.yml hours.closures): a banner with
        its reason, "Tutup hari ini" or "Tutup sampai pukul 12:00 WIT", gone at its end."""
        found = current_closure(self.site)
        if found is None:
            return None
        closure, ends = found
        label = (t("closure.banner_until", self.lang, time=closure.until, tz=self.office.tz_label)
                 if closure.until else t("closure.banner", self.lang))
        return {"text": closure.reason.get(self.lang), "lang": self.text_lang(closure.reason),
                "level": "warning", "label": label, "ends": ends.isoformat()}

    def _banner(self, alert, ends: dt.datetime) -> dict:
        """An alert as the banner shows it: its text in this language, else the Indonesian one
        marked lang="id"; and its end, at which infohub-hours.js hides it in the reader's browser."""
        return {"text": alert.text.get(self.lang), "lang": self.text_lang(alert.text), "level": alert.level,
                "ends": ends.isoformat()}

    # --- feedback -------------------------------------------------------------

    @cached_property
    def feedback(self) -> dict | None:
        """Where "Was this page helpful?" sends (infohub/feedback.py); None: offer the contact instead."""
        from .feedback import settings

        return settings(self.office)

    # --- news -----------------------------------------------------------------

    def datetime(self, value: dt.datetime | dt.date) -> str:
        """A moment in the office's zone, '20 September 2025 09.00 WIT'; a bare date as a date."""
        if not isinstance(value, dt.datetime):
            return self.date(value)
        local = value if value.tzinfo is None else value.astimezone(ZoneInfo(self.site.timezone))
        try:
            text = format_datetime(local, format="d MMMM y HH:mm", locale=DATE_LOCALES.get(self.lang, self.lang))
        except Exception:  # a locale babel does not know
            text = local.strftime("%Y-%m-%d %H:%M")
        return f"{text} {self.office.tz_label}" if self.office else text

    # --- FAQ ------------------------------------------------------------------

    @cached_property
    def faq(self) -> list[dict]:
        """National questions and the office's own, grouped by topic.

        An office entry with the id of a national one replaces it: national < office.
        """
        entries = {e.id: e for e in self.site.national.faq.faq}
        for entry in self.office.faq if self.office else []:
            entries[entry.id] = entry
        groups = []
        for topic, label in self.site.national.faq.topics.items():
            items = [{"id": e.id, "question": e.question.get(self.lang), "answer": e.answer.get(self.lang)}
                     for e in entries.values() if e.topic == topic]
            if items:
                groups.append({"topic": topic, "label": label.get(self.lang), "entries": items})
        return groups

    # --- the hub --------------------------------------------------------------

    @cached_property
    def directory(self) -> list[dict]:
        """Every office, grouped by province, for the hub's home page."""
        provinces: dict[str, list[dict]] = {}
        # 'DKI Jakarta' among the D's, not before 'Daerah Istimewa Yogyakarta': case does not sort
        def order(kv):
            return (kv[1].province.casefold(), kv[1].city.casefold(), kv[1].name.get(self.lang).casefold())
        for slug, office in sorted(self.site.offices.items(), key=order):
            provinces.setdefault(office.province, []).append({
                "slug": slug, "name": office.name.get(self.lang), "city": office.city,
                "tz": office.tz_label, "url": f"https://{office.domain}/", "domain": office.domain,
                "has_hours": _has_hours(office),
                # what the hub's filter (infohub-directory.js) matches, beyond the text shown
                "terms": " ".join([*dict.fromkeys(office.name.get(lang) for lang in office.languages),
                                   office.province, slug])})
        return [{"province": p, "offices": rows} for p, rows in provinces.items()]

    @cached_property
    def directory_hours(self) -> str:
        """The schedule of every office that publishes one, for the hub's "open now"
        line beside each office (infohub-hours.js), with the words once for all."""
        offices = {slug: _schedule(office, self.lang) for slug, office in self.site.offices.items()
                   if _has_hours(office)}
        return _script_json({**_hours_words(self.lang), "offices": offices})


def _has_hours(office: Office) -> bool:
    return office.hours is not None and not office.hours.is_empty


def _schedule(office: Office, lang: str) -> dict:
    """One office's week and closures, in its own time zone, for infohub-hours.js."""
    hours = office.hours
    return {
        "timezone": office.timezone,
        "tz": office.tz_label,
        "week": [[list(r) for r in getattr(hours, day)] for day in WEEKDAYS],
        "closures": {c.date.isoformat(): c.reason.get(lang) for c in hours.closures},
        # a closure that ends during its day: the time the office opens again
        "closed_until": {c.date.isoformat(): c.until for c in hours.closures if c.until},
    }


def _hours_words(lang: str) -> dict:
    return {
        "days": [t(f"day.{day}", lang) for day in WEEKDAYS],
        "text": {key: t(f"hours.now.{key}", lang) for key in (
            "break", "closed", "closed_today", "closed_until", "closes_at", "open", "opens_on",
            "opens_today", "opens_tomorrow", "reopens_at", "today", "today_closed")},
    }


def _script_json(data: dict) -> str:
    # '</' would end the <script> element that carries this JSON.
    # Markup: safe inside <script> as it is (no '<', '>' or '&'), so autoescaping leaves it alone
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def current_closure(site: SiteData) -> tuple[Closure, dt.datetime] | None:
    """The office's closure going on at the build's moment, with its end (the first, if several)."""
    for closure in site.office.hours.closures if site.office else []:
        start, end = closure_span(closure, site.timezone)
        if start <= site.now < end:
            return closure, end
    return None
