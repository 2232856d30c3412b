"""The sitemap is rendered by a site's last language build alone (infohub/sitemap_once.py): the
earlier language builds' renderings were written over. What is published stays the same."""
from __future__ import annotations

import gzip
import re

from infohub import sitemap_once
from infohub.build import build_sites


def test_the_sitemap_is_rendered_once_and_lists_every_language(repo, monkeypatch):
    rendered = []
    build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)  # installs the rule
    original = sitemap_once._original["_build_theme_template"]

    def counted(name, env, files, config, nav):
        rendered.append((name, config.plugins["i18n"].current_language))
        original(name, env, files, config, nav)

    monkeypatch.setitem(sitemap_once._original, "_build_theme_template", counted)
    # an English text changed: both languages are built (with nothing of English changed, its
    # build and its sitemap are taken from the last output: language_reuse.py)
    english = repo / "offices" / "kantorcontoh" / "docs" / "berita" / "2025" / "hari-terbuka.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None, force=True)
    assert all(r.ok for r in results), [r.report for r in results]
    assert [lang for name, lang in rendered if name == "sitemap.xml"] == ["en"]  # the last language's build
    assert [lang for name, lang in rendered if name == "404.html"] == ["id", "en"]
    sitemap = (repo / "site" / "kantorcontoh" / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    # every page in both languages, the Indonesian ones at the root
    assert "https://kantorcontoh.id/" in locs and "https://kantorcontoh.id/en/" in locs
    assert {loc.startswith("https://kantorcontoh.id/en/") for loc in locs} == {True, False}
    assert gzip.decompress((repo / "site" / "kantorcontoh" / "sitemap.xml.gz").read_bytes()).decode() == sitemap


# overrides/sitemap.xml as it was before its entries came from infohub/sitemap.py: the reference
_JINJA_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
{%- set default_locale = config.plugins["i18n"].default_language %}
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
{%- for locale, i18n_files in i18n_alternates.items() %}
{%- for file in i18n_files %}
{%- if file.page and not file.page.is_link %}
  <url>
    <loc>{{ (file.page.canonical_url or config.site_url ~ file.url) | e }}</loc>
    {%- set post_date = file.page.meta.updated or file.page.meta.date %}
    {%- if post_date %}
    <lastmod>{{ (post_date | string)[:10] }}</lastmod>
    {%- elif file.page.update_date %}
    <lastmod>{{ file.page.update_date }}</lastmod>
    {%- endif %}
    {%- for alt_locale, alt_file in file.alternates | dictsort %}
    {%- set alt_href = alt_file.page.canonical_url if alt_file.page and alt_file.page.canonical_url else config.site_url ~ (alt_file.url if alt_file.url != "./" else "") %}
    <xhtml:link rel="alternate" hreflang="{{ alt_locale }}" href="{{ alt_href | e }}"/>
    {%- if alt_locale == default_locale %}
    <xhtml:link rel="alternate" hreflang="x-default" href="{{ alt_href | e }}"/>
    {%- endif %}
    {%- endfor %}
  </url>
{%- endif %}
{%- endfor %}
{%- endfor %}
</urlset>
"""


def test_the_sitemap_s_entries_are_what_the_jinja_loop_printed(repo, tmp_path):
    """infohub/sitemap.py makes the entries overrides/sitemap.xml printed with a Jinja loop: the
    same bytes, for an office (posts dated and updated, pages in one language only) and the hub."""
    import shutil

    post = repo / "offices/kantorcontoh/docs/berita/2025/layanan-keliling.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("date: 2025-01-15 10:00\n", "date: 2025-01-15 10:00\nupdated: 2025-02-03 09:00\n", 1),
                    encoding="utf-8")
    mine = tmp_path / "mine"
    results = build_sites(["hub", "kantorcontoh"], mine, jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    overrides = repo / "overrides"
    real = overrides.resolve()
    overrides.unlink()
    shutil.copytree(real, overrides)
    (overrides / "sitemap.xml").write_text(_JINJA_SITEMAP, encoding="utf-8")
    results = build_sites(["hub", "kantorcontoh"], tmp_path / "jinja", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    for slug in ("hub", "kantorcontoh"):
        made = (mine / slug / "sitemap.xml").read_text(encoding="utf-8")
        assert made == (tmp_path / "jinja" / slug / "sitemap.xml").read_text(encoding="utf-8"), slug
        assert made.count("<url>") > 10 and "<lastmod>" in made and 'hreflang="x-default"' in made
    assert "<lastmod>2025-02-03</lastmod>" in (mine / "kantorcontoh" / "sitemap.xml").read_text(encoding="utf-8")
