"""Where "Was this page helpful?" sends a reader's answer, and the page analytics that come with it.

office.yml 'feedback' names one destination on the office's own domain (schema.Feedback
checks that): an ``endpoint`` that takes a JSON POST {page, helpful, reason?}, or a
self-hosted analytics tool. For a tool, the pages load the tool's own tracker from the
office's server (page views, no cookies) and the answers go to the tool's event API:

- Plausible Community Edition: ``js/script.js``; events POST ``api/event`` (JSON as text/plain)
- Umami: ``script.js``; events POST ``api/send`` (JSON)
- Matomo: ``matomo.js`` (told ``disableCookies``); events ``matomo.php?e_c=Feedback&e_a=yes…``
- GoatCounter: ``count.js``; events ``count?p=feedback/yes/<page>&e=true``

overrides/assets/javascripts/infohub-feedback.js sends; the data attributes written from
``settings`` tell deploy.py which host the Content-Security-Policy must allow, and where.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .schema import Office


@dataclass(frozen=True)
class Tool:
    script: str  # the tracker, relative to the tool's address
    events: str  # where events go, relative to the tool's address
    images: bool  # whether its tracker may fall back to an image request (CSP img-src)


TOOLS = {
    "plausible": Tool("js/script.js", "api/event", images=False),
    "umami": Tool("script.js", "api/send", images=False),
    "matomo": Tool("matomo.js", "matomo.php", images=True),
    "goatcounter": Tool("count.js", "count", images=True),
}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def settings(office: Office | None) -> dict | None:
    """What the templates write for the office's feedback; None when it has configured none."""
    feedback = office.feedback if office else None
    if feedback is None:
        return None
    if feedback.endpoint:
        return {"kind": "endpoint", "send_to": feedback.endpoint, "origin": origin(feedback.endpoint),
                "tool": "", "site_id": "", "script": None, "images": False}
    analytics = feedback.analytics
    parts = urlsplit(analytics.url)
    base = f"https://{parts.netloc}{parts.path.rstrip('/')}/"
    tool = TOOLS[analytics.tool]
    site_id = analytics.site_id or (office.domain if analytics.tool == "plausible" else "")
    return {"kind": "analytics", "tool": analytics.tool, "send_to": base + tool.events, "origin": origin(base),
            "site_id": site_id, "script": base + tool.script, "images": tool.images, "base": base}
