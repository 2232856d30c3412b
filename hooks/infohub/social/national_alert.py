"""The national alert (national/alert.yml) as social posts: one per office, language and platform.

Each office posts it on its own channels, in each of its languages the alert
is written in (an alert without English is not posted twice in Indonesian),
linking to the office's home page, where the banner shows. Its posts are
``urgent``: they lead the outbox, so `make publish` sends them first, and
carry ``expires``: from that moment the publisher no longer sends them.

Identity (the ledger's key, so exactly once holds across builds): the office,
the language and the alert's ``id`` when it has one, else the text in that
language. Re-building queues nothing new; a new text (without ``id``) or a
new ``id`` is a new post; a changed level or end date is not.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from ..content import national_alert_ends
from ..messages import t
from ..schema import FrontMatter
from ..sitedata import SiteData, hashtags
from .selection import SocialPage

_UID_NAMESPACE = uuid.UUID("0d6f4a1e-3b7c-4e55-8a2f-6c1e9b5d7a30")  # fixed forever: uids key the ledger


def alert_uid(slug: str, lang: str, alert) -> str:
    key = f"id:{alert.id}" if alert.id else "text:" + hashlib.sha256(alert.text.get(lang).encode()).hexdigest()
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'{slug}/{lang}/national-alert/{key}')}"


def alert_pages(site: SiteData, now: dt.datetime | None = None) -> list[tuple[SocialPage, dt.datetime]]:
    """The national alert as one page per language of the office, with the moment it ends
    there; nothing once it has ended or for the hub."""
    alert = site.national.alert
    if alert is None or site.office is None:
        return []
    ends = national_alert_ends(alert, site.timezone)
    if (now or site.now) >= ends:
        return []
    pages = []
    for lang in site.languages:
        if not alert.text.has(lang):
            continue
        title = f"{t('alert.national', lang)} · {t(f'alert.level.{alert.level}', lang)}"
        pages.append((SocialPage(uid=alert_uid(site.slug, lang, alert), lang=lang, url_path="", title=title,
                                 summary=alert.text.get(lang), hashtags=tuple(hashtags(FrontMatter(), site, lang)),
                                 published=None), ends))
    return pages
