"""schema.org descriptions of pages, as JSON-LD, for search engines and chatbots.

Only what the data declares is said: an office without an address in
office.yml gets no address here, never a guessed one. Each function returns
a plain dict; ``script`` turns a list of them into the text of a
<script type="application/ld+json"> element.
"""
from __future__ import annotations

import json

from markupsafe import Markup

from .news import NewsPost
from .schema import WEEKDAYS
from .sitedata import SiteView, digits

CONTEXT = "https://schema.org"
# Google cuts headlines longer than this.
HEADLINE_MAX = 110


def script(items: list[dict]) -> Markup:
    """JSON for a <script> element: deterministic, and unable to close the element. Markup:
    printed as it is (the templates escape every other value), it is safe there as it is."""
    if len(items) == 1:
        data = {"@context": CONTEXT, **items[0]}
    else:
        data = {"@context": CONTEXT, "@graph": items}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # No '<', '>' or '&' at all inside <script>: nothing in the data can end the element
    # or open an HTML comment there (JSON reads the \\u escapes back as the same text).
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def office_id(home_url: str) -> str:
    """The office as one language's pages describe it (name and url in that language): one
    identifier per language, since one @id must not carry two names and two addresses."""
    return home_url + "#office"


def website(view: SiteView, home_url: str, description: str) -> dict:
    return {"@type": "WebSite", "@id": home_url + "#website", "url": home_url, "name": view.name,
            "description": description, "inLanguage": view.lang}


def opening_hours(view: SiteView) -> list[dict]:
    """The weekly ranges, then each closure as a specification without hours:
    schema.org reads a specification with no 'opens' as closed."""
    hours = view.office.hours if view.office else None
    if hours is None:
        return []
    specs = []
    for day in WEEKDAYS:
        for opens, closes in getattr(hours, day):
            specs.append({"@type": "OpeningHoursSpecification", "dayOfWeek": day.capitalize(),
                          "opens": opens, "closes": closes})
    for closure in sorted(hours.closures, key=lambda c: c.date):
        day = closure.date.isoformat()
        specs.append({"@type": "OpeningHoursSpecification", "validFrom": day, "validThrough": day,
                      "description": closure.reason.get(view.lang)})
    return specs


def contact_points(view: SiteView) -> list[dict]:
    contact = view.office.contact
    points = []
    if contact.phone:
        points.append({"@type": "ContactPoint", "contactType": "customer service",
                       "telephone": contact.phone})
    if contact.whatsapp:
        points.append({"@type": "ContactPoint", "contactType": "WhatsApp",
                       "telephone": contact.whatsapp, "url": f"https://wa.me/{digits(contact.whatsapp)}"})
    if contact.email:
        points.append({"@type": "ContactPoint", "contactType": "customer service", "email": contact.email})
    return points


def government_office(view: SiteView, site_url: str, home_url: str, image: str, description: str) -> dict:
    """The office itself, for its home page."""
    office = view.office
    data: dict = {"@type": "GovernmentOffice", "@id": office_id(home_url), "name": view.name,
                  "url": home_url, "image": image, "description": description}
    others = sorted({office.name.get(lang) for lang in view.site.languages} - {view.name})
    if others:
        data["alternateName"] = others
    if office.address:
        data["address"] = {"@type": "PostalAddress", "streetAddress": office.address,
                           "addressLocality": office.city, "addressRegion": office.province,
                           "addressCountry": "ID"}
    if office.geo:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": office.geo.lat, "longitude": office.geo.lon}
    if office.map_url:
        data["hasMap"] = office.map_url
    if office.contact.phone:
        data["telephone"] = office.contact.phone
    if office.contact.email:
        data["email"] = office.contact.email
    points = contact_points(view)
    if points:
        data["contactPoint"] = points
    same_as = sorted(account["href"] for account in view.social_accounts)
    if same_as:
        data["sameAs"] = same_as
    hours = opening_hours(view)
    if hours:
        data["openingHoursSpecification"] = hours
    return data


def publisher(view: SiteView, site_url: str, home_url: str) -> dict:
    """The office as author and publisher of its pages: a reference to the home page's entity."""
    return {"@type": "GovernmentOffice", "@id": office_id(home_url), "name": view.name, "url": home_url}


def portal(view: SiteView, home_url: str) -> dict:
    """The hub as publisher of its copies of the national news posts."""
    return {"@type": "Organization", "name": view.name, "url": home_url}


def office_list(view: SiteView) -> dict:
    """The hub's directory: every office, with its own site."""
    offices = [row for group in view.directory for row in group["offices"]]
    return {"@type": "ItemList", "name": view.name, "numberOfItems": len(offices),
            "itemListElement": [
                {"@type": "ListItem", "position": number,
                 "item": {"@type": "GovernmentOffice", "name": row["name"], "url": row["url"]}}
                for number, row in enumerate(offices, start=1)]}


def faq_page(view: SiteView, url: str) -> dict:
    questions = [{"@type": "Question", "name": entry["question"],
                  "acceptedAnswer": {"@type": "Answer", "text": entry["answer"]}}
                 for group in view.faq for entry in group["entries"]]
    return {"@type": "FAQPage", "url": url, "inLanguage": view.lang, "mainEntity": questions}


def news_article(post: NewsPost, url: str, images: list[str], description: str, author: dict) -> dict:
    headline = post.title if len(post.title) <= HEADLINE_MAX else post.title[:HEADLINE_MAX - 1].rstrip() + "…"
    data = {"@type": "NewsArticle", "headline": headline, "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": post.published.isoformat(), "dateModified": post.updated.isoformat(),
            "image": images, "inLanguage": post.lang, "author": author, "publisher": author}
    if description:
        data["description"] = description
    if post.category:
        data["articleSection"] = post.category
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """``trail``: (name, absolute URL) from the home page to this page."""
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": number, "name": name, "item": url}
        for number, (name, url) in enumerate(trail, start=1)]}
