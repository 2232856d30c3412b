"""Text that readers and schedulers show exactly as the editor wrote it, and no image from a stranger.

A title or a description is plain text: '<paspor>' and '&' must reach a feed
reader, feed2toot and a social post as those characters, never read as a tag
or an entity. A first paragraph with markup becomes readable text. An image
from another host (a tracking pixel) leaves the page and the feeds unless
national/defaults.yml allows its host.

Everything is read from one build of the fixture repository (hub and
kantorcontoh) with two posts added.
"""
from __future__ import annotations

import json
import subprocess
import os
import sys
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from conftest import make_repo
from fakes.feed2toot_run import would_toot
from infohub.build import build_sites
from infohub.checks.html import sanitise

NEWS = "offices/kantorcontoh/docs/berita/2025"
TITLE = "Syarat <paspor> & visa untuk anak"
DESCRIPTION = "Bawa <paspor> lama & KTP-el orang tua <asli> ke kantor."
POST = f"""\
---
title: {TITLE}
description: {DESCRIPTION}
date: 2025-09-01 09:00
category: pengumuman
---

Permohonan paspor anak dilayani setiap hari kerja.

![](https://tracker.example/q.gif)

<img src="https://tracker.example/p.gif" alt="">

![Peta lokasi kantor](https://peta.example.org/lokasi.png)
"""
# No description: the summary is the first paragraph, written with markup.
PLAIN_POST = """\
---
title: Layanan akhir pekan diperluas
date: 2025-09-02 09:00
category: pengumuman
---

Kantor <em>contoh</em> membuka layanan **Sabtu** &amp; Minggu,&nbsp;mulai pukul *08.00*.

Paragraf kedua.
"""
PLAIN = "Kantor contoh membuka layanan Sabtu & Minggu, mulai pukul 08.00."
ALLOWED = "https://peta.example.org/lokasi.png"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
FEEDS = {"kantorcontoh": "kantorcontoh", "hub": "hub"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("feed_text") / "repo")
    (root / NEWS / "syarat-paspor-anak.md").write_text(POST, encoding="utf-8")
    (root / NEWS / "akhir-pekan-diperluas.md").write_text(PLAIN_POST, encoding="utf-8")
    defaults = root / "national" / "defaults.yml"
    text = defaults.read_text(encoding="utf-8")
    assert "image_hosts" not in text  # none allowed: the web editor leaves the empty list out
    defaults.write_text(text + "image_hosts:\n  - peta.example.org\n", encoding="utf-8")
    results = build_sites(["hub", "kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    return root


def feed(root: Path, slug: str, name: str) -> Path:
    return root / "site" / slug / name


def shown(detail) -> str:
    """What a reader shows of a text feedparser hands it: HTML rendered, plain text as it is."""
    if detail.type == "text/html":
        return lxml.html.fragment_fromstring(detail.value, create_parent="div").text_content()
    assert detail.type == "text/plain", detail.type
    return detail.value


def entry(parsed, title_start: str):
    return next(e for e in parsed.entries if shown(e.title_detail).startswith(title_start))


# --- 1. titles and summaries in the three formats ----------------------------------------


@pytest.mark.parametrize("slug", FEEDS)
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feedparser_shows_title_and_summary_as_written(site, slug, name):
    parsed = feedparser.parse(feed(site, slug, name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    post = entry(parsed, "Syarat")
    assert shown(post.title_detail) == TITLE
    assert shown(post.summary_detail) == DESCRIPTION
    plain = entry(parsed, "Layanan akhir pekan diperluas")
    assert shown(plain.summary_detail) == PLAIN + " Paragraf kedua."


@pytest.mark.parametrize("slug", FEEDS)
def test_atom_declares_its_texts_as_text(site, slug):
    atom = etree.parse(str(feed(site, slug, "atom.xml"))).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    post = next(e for e in atom.iterfind("a:entry", ns) if e.findtext("a:title", namespaces=ns) == TITLE)
    assert post.find("a:title", ns).get("type", "text") == "text"
    assert post.find("a:summary", ns).get("type", "text") == "text"
    assert post.findtext("a:summary", namespaces=ns) == DESCRIPTION
    assert post.find("a:content", ns).get("type") == "html"


@pytest.mark.parametrize("slug", FEEDS)
def test_json_feed_summary_and_title_are_plain_text(site, slug):
    items = json.loads(feed(site, slug, "feed.json").read_text(encoding="utf-8"))["items"]
    post = next(i for i in items if i["title"] == TITLE)
    assert post["summary"] == DESCRIPTION
    plain = next(i for i in items if i["title"] == "Layanan akhir pekan diperluas")
    assert plain["summary"] == PLAIN + " Paragraf kedua."
    assert "<em>contoh</em>" in plain["content_html"]  # content_html stays HTML


def test_feed2toot_toots_title_and_summary_as_written(site, tmp_path, monkeypatch, caplog):
    """feed2toot reads every text as HTML (it strips tags from the whole toot)."""
    toots = would_toot(feed(site, "kantorcontoh", "rss.xml"), "{title} | {summary}", tmp_path, monkeypatch, caplog)
    # feed2toot appends the categories as hashtags
    assert [t for t in toots if t.startswith("Syarat")] == [f"{TITLE} | {DESCRIPTION} #KantorContoh #Pengumuman"]


def test_the_page_shows_the_title_as_written(site):
    page = lxml.html.parse(str(site / "site/kantorcontoh/berita/2025/syarat-paspor-anak/index.html"))
    assert page.findtext(".//title").startswith(TITLE)
    assert page.xpath("string(//h1)").strip() == TITLE


# --- 2 and 3. social texts and the outbox --------------------------------------------------


def outbox(site: Path) -> list[dict]:
    return json.loads((site / "site/_social/kantorcontoh.json").read_text(encoding="utf-8"))


def test_social_text_of_a_paragraph_with_markup_is_plain(site):
    posts = [p for p in outbox(site) if "akhir-pekan-diperluas" in p["url"]]
    assert posts
    for post in posts:
        assert PLAIN in post["text"]
        for source in ("<", ">", "&amp;", "&nbsp;", "\xa0", "**", "*08"):
            assert source not in post["text"], (source, post["text"])
        assert post["description"] == PLAIN


def test_the_outbox_carries_the_plain_description(site):
    posts = outbox(site)
    assert all(isinstance(p["description"], str) for p in posts)
    written = [p for p in posts if "syarat-paspor-anak" in p["url"]]
    assert written and {p["description"] for p in written} == {DESCRIPTION}
    assert all(TITLE in p["text"] for p in written)


# --- 4. images from other hosts ---------------------------------------------------------------


def image_sources(html: str) -> list[str]:
    return [img.get("src") for img in lxml.html.fragment_fromstring(html, create_parent="div").iter("img")]


def test_a_tracking_pixel_is_dropped_and_an_allowed_host_kept_in_the_page(site):
    page = (site / "site/kantorcontoh/berita/2025/syarat-paspor-anak/index.html").read_text(encoding="utf-8")
    body = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    assert "tracker.example" not in page
    assert ALLOWED in image_sources(body)


@pytest.mark.parametrize("slug", FEEDS)
def test_a_tracking_pixel_is_dropped_and_an_allowed_host_kept_in_the_feeds(site, slug):
    rss = etree.parse(str(feed(site, slug, "rss.xml"))).getroot()
    item = next(i for i in rss.iterfind("channel/item") if i.findtext("link").endswith("/syarat-paspor-anak/"))
    encoded = item.findtext(f"{{{CONTENT}}}encoded")
    items = json.loads(feed(site, slug, "feed.json").read_text(encoding="utf-8"))["items"]
    content_html = next(i for i in items if i["title"] == TITLE)["content_html"]
    for html in (encoded, content_html):
        assert "tracker.example" not in html
        assert image_sources(html) == [ALLOWED]
    assert "tracker.example" not in feed(site, slug, "atom.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("src", ["https://tracker.example/p.gif", "//tracker.example/p.gif",
                                 "/\\tracker.example/p.gif", " HTTPS://TRACKER.EXAMPLE/p.gif",
                                 "https://peta.example.org.tracker.example/p.gif",
                                 "https://peta.example.org@tracker.example/p.gif"])
def test_every_spelling_of_another_host_is_dropped(src):
    html = f'<p>a<img src="{src}" alt="x">b</p>'
    assert sanitise(html, image_hosts=("peta.example.org",)) == "<p>ab</p>"


def test_own_and_allowed_images_are_kept():
    html = '<p><img src="gambar/a.png" alt="a"><img src="/b.png" alt="b"><img src="https://Peta.example.org/c.png" alt="c"></p>'
    assert image_sources(sanitise(html, image_hosts=("peta.example.org",))) == [
        "gambar/a.png", "/b.png", "https://Peta.example.org/c.png"]
    assert image_sources(sanitise(html)) == ["gambar/a.png", "/b.png"]


def test_check_warns_about_each_image_that_will_be_dropped(site):
    env = {**os.environ, "INFOHUB_ROOT": str(site), "INFOHUB_LANG": "id", "GITHUB_ACTIONS": ""}
    result = subprocess.run([sys.executable, "-m", "infohub", "check", "--office", "kantorcontoh"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout
    path = f"{NEWS}/syarat-paspor-anak.md"
    warning = ("gambar {value!r} dari situs lain (tracker.example) akan dihapus dari halaman dan feed; "
               "simpan berkasnya di folder docs/ kantor lalu tautkan dari sana, atau minta pengelola situs "
               "menambahkan tracker.example ke image_hosts di national/defaults.yml")
    section = result.stdout.split(f"PERINGATAN  {path}\n", 1)[1].split("\nPERINGATAN", 1)[0]
    assert [line for line in section.split("\n") if "baris" in line] == [
        f"  baris 10  (peringatan) {warning.format(value='https://tracker.example/q.gif')}",
        f"  baris 12  (peringatan) {warning.format(value='https://tracker.example/p.gif')}"]
    assert "peta.example.org" not in result.stdout  # allowed: nothing to say
    english = subprocess.run([sys.executable, "-m", "infohub", "check", "--office", "kantorcontoh"],
                             capture_output=True, text=True, env={**env, "INFOHUB_LANG": "en"}, timeout=120)
    assert ("(warning) the image 'https://tracker.example/q.gif' from another site (tracker.example) will be "
            "removed from the page and the feeds; save the file in the office's docs/ folder and link it from "
            "there, or ask the site's maintainers to add tracker.example to image_hosts in "
            "national/defaults.yml") in english.stdout
