"""The outbox: site/_social/<slug>.json, the posts an office has not published yet.

One post per page, language and platform, for pages not in the office's
ledger and not older than the platform's channel (since.py). Written by the
build (hooks/social.py), read by `make publish`.
Besides the platform's ``text``, each post carries the page's whole summary as
plain text (``description``), for a link card (Bluesky's). The national alert's
posts (national_alert.py) come first, with ``urgent`` and ``expires``.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from pathlib import Path
from urllib.parse import urlencode

from ..cards import card_url
from ..paths import rel
from ..sitedata import SiteData
from . import jsonfile
from .ledger import Ledger, PublishedPosts, ledger_path
from .national_alert import alert_pages
from .selection import SocialPage, platforms, social_pages
from .since import channel_starts, posts_page
from .texts import PLATFORMS, Draft, bluesky_facets, compose

OUTBOX_DIR = "_social"
_ID_NAMESPACE = uuid.UUID("5b0f3c52-8f3e-4d2a-9a1e-3c7d2b1f0e41")  # fixed forever: ids are idempotency keys


def outbox_path(site_root: Path, slug: str) -> Path:
    return site_root / OUTBOX_DIR / f"{slug}.json"


@functools.lru_cache(maxsize=65536)  # every page of the archive, every build
def post_id(uid: str, platform: str) -> str:
    """The same page, language and platform always give the same id."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{uid} {platform}"))


def page_url(site_url: str, page: SocialPage, platform: str, slug: str) -> str:
    root = "" if page.lang == "id" else f"{page.lang}/"
    return f"{site_url}{root}{page.url_path}?{_query(platform, slug)}"


@functools.lru_cache(maxsize=1024)  # the same few for every page: the check tries six platforms on each
def _query(platform: str, slug: str) -> str:
    return urlencode({"utm_source": platform, "utm_medium": "social", "utm_campaign": slug})


def outbox_posts(site: SiteData, root: Path, ledger: Ledger | PublishedPosts,
                 now: dt.datetime | None = None) -> list[dict]:
    office = site.office
    site_url = f"https://{office.domain}/"
    posts = []
    starts = channel_starts(office)
    # the national alert first (urgent, until it ends), then the pages, oldest first
    queued = alert_pages(site, now) + [(page, None) for page in social_pages(site, root, now)]
    for page, ends in queued:
        image = card_url(site_url, page.url_path, page.lang)  # every page has a card: Instagram needs one
        for name in platforms(office):
            platform = PLATFORMS[name]
            if ledger.has(page.lang, name, page.uid) or not posts_page(starts.get(name), page.published,
                                                                         urgent=ends is not None):
                continue
            url = page_url(site_url, page, name, site.slug)
            text = compose(Draft(page.title, page.summary, url, page.hashtags), platform)
            post = {
                "id": post_id(page.uid, name), "uid": page.uid, "office": site.slug,
                "language": page.lang, "platform": name, "url": url, "title": page.title,
                "text": text, "description": page.summary, "image": image, "hashtags": list(page.hashtags),
                "published": page.published.isoformat() if page.published else None,
            }
            if page.source is not None:  # the ledger keeps it: a published page renamed is refused (moved.py)
                post["source"] = rel(page.source)
            if ends is not None:
                post.update(urgent=True, expires=ends.isoformat())
            if platform.facets:
                post["facets"] = bluesky_facets(text, url)
            posts.append(post)
    return posts


def write_build_outbox(site: SiteData, root: Path, site_dir: Path) -> None:
    """The outbox of an office's build into ``site_dir``, beside it (site/_social/<slug>.json):
    the build driver (build.py) builds into site/.staging-<slug>/ and renames it to
    site/<slug>/. A build elsewhere (a plain `mkdocs build`) writes none: its folder may sit in
    the source tree. Written by the last language's build (hooks/social.py), or in its place
    when that build is taken whole from the last output (language_reuse.py)."""
    if site.is_hub or site_dir.name not in (site.slug, f".staging-{site.slug}"):
        return
    write_outbox(outbox_path(site_dir.parent, site.slug),
                 outbox_posts(site, root, PublishedPosts(ledger_path(root, site.slug))))


def write_outbox(path: Path, posts: list[dict]) -> None:
    """An outbox that holds these posts already is left as it is: an edit changes one page's
    posts or none, and formatting every post for small git diffs (json's indenting encoder is
    pure Python) costs more than reading them back (600 posts at 300 news posts: 33 -> 5 ms)."""
    try:
        if read_outbox(path) == posts:
            return
    except (OSError, ValueError):
        pass  # unreadable: written again
    jsonfile.write_atomically(path, posts)


def read_outbox(path: Path) -> list[dict] | None:
    """The posts waiting, or None when the site has not been built yet."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
