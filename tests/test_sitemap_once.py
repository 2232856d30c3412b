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
