"""MkDocs hook: the site's facts as one JSON file per language, for chatbots and other sites.

    <language root>/data/infohub.json

Documented for its readers in docs/panduan/data-terbuka.md (and .en.md);
its JSON schema is tests/open_data.schema.json. Change the shape only with
a new SCHEMA_VERSION (a new major number when a reader could break).

Output is deterministic (sorted keys, no build time), so the same content
gives the same bytes.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig

from infohub.paths import language_root
from infohub.mkdocs_context import current_language, site_of
from infohub.schema import WEEKDAYS
from infohub.sitedata import SiteData, SiteView, digits

SCHEMA_VERSION = "1.0"
DATA_PATH = "data/infohub.json"
FEEDS = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


def on_post_build(config: MkDocsConfig) -> None:
    # Fires once per language: mkdocs-static-i18n builds each language on its own.
    lang = current_language(config)
    site = site_of(config)
    site_url = config.site_url or "/"
    data = open_data(site, lang, site_url if site_url.endswith("/") else site_url + "/")
    target = Path(config.site_dir) / language_root(lang) / DATA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n", encoding="utf-8")


def open_data(site: SiteData, lang: str, site_url: str) -> dict:
    view = site.view(lang)
    home = urljoin(site_url, language_root(lang))
    return {
        "schema_version": SCHEMA_VERSION,
        "language": lang,
        "languages": {other: urljoin(urljoin(site_url, language_root(other)), DATA_PATH)
                      for other in site.languages},
        "site": {"name": view.name, "description": site.description(lang), "url": home,
                 "feeds": {kind: urljoin(home, path) for kind, path in FEEDS.items()}},
        "office": _office(view) if site.office else None,
        "hours": _hours(view) if site.office else None,
        "services": _services(view),
        "fees": _fees(view),
        "faq": [{"id": entry["id"], "topic": group["topic"], "topic_label": group["label"],
                 "question": entry["question"], "answer": entry["answer"]}
                for group in view.faq for entry in group["entries"]],
        "offices": _offices(view) if site.is_hub else None,
    }


def _office(view: SiteView) -> dict:
    office = view.office
    contact = office.contact
    return {
        "slug": view.site.slug,
        "name": view.name,
        "names": {lang: office.name.get(lang) for lang in view.site.languages},
        "class": office.office_class,
        "city": office.city,
        "province": office.province,
        "domain": office.domain,
        "timezone": office.timezone,
        "timezone_label": office.tz_label,
        # Unknown stays null: nothing here is guessed.
        "address": office.address,
        "map_url": office.map_url,
        "geo": {"lat": office.geo.lat, "lon": office.geo.lon} if office.geo else None,
        "contact": {"phone": contact.phone, "whatsapp": contact.whatsapp,
                    "whatsapp_url": f"https://wa.me/{digits(contact.whatsapp)}" if contact.whatsapp else None,
                    "email": contact.email},
        "social": {account["network"]: account["href"] for account in view.social_accounts},
        "queue_app_url": view.mpaspor_url,
    }


def _hours(view: SiteView) -> dict | None:
    """null when office.yml declares no schedule: unknown, not closed every day."""
    hours = view.office.hours
    if hours.is_empty:
        return None
    return {
        "timezone": view.office.timezone,
        "weekly": {day: [{"opens": a, "closes": b} for a, b in getattr(hours, day)] for day in WEEKDAYS},
        "closures": [{"date": c.date.isoformat(), "reason": c.reason.get(view.lang)}
                     for c in sorted(hours.closures, key=lambda c: c.date)],
        "note": hours.note.get(view.lang) if hours.note else None,
    }


def _services(view: SiteView) -> list[dict]:
    return [{"id": s["id"], "name": s["name"], "summary": s["summary"], "requirements": s["requirements"],
             "steps": s["steps"], "processing_time": s["processing_time"],
             "fees": [fee["id"] for fee in s["fees"]], "apply_via": s["apply_via"]}
            for s in view.services]


def _fees(view: SiteView) -> list[dict]:
    """Amounts as whole rupiah; an office's own amount carries its reason."""
    national = {fee.id: fee for fee in view.site.national.fees.fees}
    overrides = view.office.fees.overrides if view.office else {}
    rows = []
    for row in view.fees:
        fee, override = national[row["id"]], overrides.get(row["id"])
        rows.append({
            "id": fee.id, "name": row["name"], "unit": row["unit"], "currency": "IDR",
            "amount": override.amount if override else fee.amount,
            "national_amount": fee.amount,
            "office_reason": row["override_reason"],
            "legal_basis": row["legal_basis"],
            "source": {"text": row["source"], "url": row["source_url"], "verified": row["verified_iso"]},
            "note": row["note"],
        })
    return rows


def _offices(view: SiteView) -> list[dict]:
    return [{"slug": row["slug"], "name": row["name"], "city": row["city"], "province": group["province"],
             "domain": row["domain"], "url": row["url"], "timezone_label": row["tz"],
             "data_url": urljoin(row["url"], DATA_PATH)}
            for group in view.directory for row in group["offices"]]
