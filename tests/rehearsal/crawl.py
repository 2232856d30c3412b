"""Every page of the served sites, followed as a reader (and a crawler) would.

From each site's start page in both languages and its sitemap, every link,
asset, stylesheet url() and feed on one of the served domains is fetched once
through production nginx; pages are read for more. Links to other domains are
collected, not followed (no network here).
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from .production import Production, Response

# Reserved names that no reader can reach (RFC 2606, RFC 6761): a link from another site to one
# of them is a placeholder that reached the public.
PLACEHOLDER = re.compile(r"(^|\.)(example\.(org|com|net)|example|test|invalid|localhost)$")
FEED_TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
              "feed.json": "application/feed+json"}


class PageReader(HTMLParser):
    """The addresses a page refers to, with the element that names each, its ids and skip links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (tag, address)
        self.skip_links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.lang = ""

    @classmethod
    def read(cls, html: str) -> "PageReader":
        reader = cls()
        reader.feed(html)
        reader.close()
        return reader

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang") or ""
        if tag == "a" and "md-skip" in (attrs.get("class") or "").split():
            self.skip_links.append((tag, attrs.get("href") or ""))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src", "poster"):
            if attrs.get(name):
                self.refs.append((tag, attrs[name]))
        for name in ("srcset", "imagesrcset"):
            for candidate in (attrs.get(name) or "").split(","):
                if candidate.strip():
                    self.refs.append((tag, candidate.split()[0]))
        if tag == "meta" and (attrs.get("property") or attrs.get("name") or "").endswith(":image"):
            self.refs.append(("meta", attrs.get("content") or ""))


@dataclass
class Crawl:
    pages: dict[str, Response] = field(default_factory=dict)  # every HTML page, by URL
    fetched: dict[str, Response] = field(default_factory=dict)  # everything fetched, by URL
    broken: list[tuple[str, str, int]] = field(default_factory=list)  # (page, address, status)
    missing_targets: list[tuple[str, str]] = field(default_factory=list)  # (page, #fragment) not on it
    outside: dict[str, set[str]] = field(default_factory=dict)  # address on another domain -> pages
    feeds: set[str] = field(default_factory=set)
    links: int = 0  # references followed from pages, all counted

    placeholders: dict[str, set[str]] = field(default_factory=dict)  # see PLACEHOLDER, -> pages


def crawl(server: Production, starts: list[str]) -> Crawl:
    domains = set(server.sites.values())
    result = Crawl()
    queue: deque[tuple[str, str]] = deque(("", url) for url in starts)
    referrers: dict[str, str] = {}
    while queue:
        source, url = queue.popleft()
        if url in result.fetched:
            continue
        parts = urlsplit(url)
        answer = server.get(parts.hostname, parts.path + (f"?{parts.query}" if parts.query else ""))
        result.fetched[url] = answer
        if parts.path.rsplit("/", 1)[-1] in FEED_TYPES:
            result.feeds.add(url)
        if answer.status != 200:
            result.broken.append((source or referrers.get(url, ""), url, answer.status))
            continue
        found: list[str] = []
        if answer.content_type == "text/html":
            result.pages[url] = answer
            page = PageReader.read(answer.text)
            for tag, ref in page.refs:
                if ref.startswith("#"):
                    if len(ref) > 1 and ref[1:] not in page.ids and tag == "a":
                        result.missing_targets.append((url, ref))
                    continue
                found.append(ref)
        elif answer.content_type == "text/css":
            found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", answer.text)
        elif parts.path.endswith("sitemap.xml"):
            found = re.findall(r"<loc>([^<]+)</loc>", answer.text)
        for ref in found:
            target, _ = urldefrag(urljoin(url, ref.strip()))
            split = urlsplit(target)
            if split.scheme not in ("http", "https"):
                continue  # data:, mailto:, tel:
            result.links += 1
            if PLACEHOLDER.search(split.hostname or "") and split.hostname != parts.hostname:
                result.placeholders.setdefault(target, set()).add(url)
            if split.hostname in domains and split.scheme == "https":
                if target not in result.fetched:
                    referrers.setdefault(target, url)
                    queue.append((url, target))
            else:
                result.outside.setdefault(target, set()).add(url)
    return result
