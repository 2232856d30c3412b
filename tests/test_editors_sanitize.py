"""No script injection: the allow-list keeps Markdown's own HTML and drops attacks.

Attack strings follow the OWASP XSS filter evasion cheat sheet.
"""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from infohub.build import build_sites
from infohub.checks.html import URL_SCHEMES, removals, sanitise, url_scheme

ROOT = Path(__file__).resolve().parents[1]

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<a href=\"jAvAsCrIpT:alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=https://evil.example/></iframe>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<div style=\"width: expression(alert('XSS'));\">x</div>",
    "<div style=\"background-image: url(javascript:alert(1))\">x</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<math href=\"javascript:alert(1)\">CLICK</math>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<base href=\"https://evil.example/\">",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<div id=\"__config\">{}</div>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
]


class _Dom(HTMLParser):
    """Tags and attributes as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def dom(text: str) -> list[tuple[str, dict]]:
    parser = _Dom()
    parser.feed(text)
    parser.close()
    return parser.tags


def assert_harmless(text: str) -> None:
    for tag, attrs in dom(text):
        assert tag not in ("script", "style", "svg", "math", "object", "embed", "form", "input", "meta", "link",
                           "base", "body"), text
        for name, value in attrs.items():
            assert not name.startswith("on"), text
            assert name not in ("srcdoc", "style") or tag in ("td", "th"), text
            if name in ("href", "src", "action", "data"):
                assert url_scheme(value or "") in (None, *URL_SCHEMES), text
            if name in ("id", "name"):
                assert not (value or "").startswith("__"), text
        if tag == "iframe":
            assert attrs.get("src", "").startswith("https://www.youtube-nocookie.com/embed/"), text


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_removed(attack):
    assert_harmless(sanitise(attack))
    assert_harmless(sanitise(markdown.markdown(attack, extensions=["attr_list", "md_in_html"])))


@pytest.mark.parametrize("attack", [a for a in ATTACKS if not a.startswith("<<")])
def test_check_reports_every_attack_the_sanitiser_changes(attack):
    assert any(removals(tag, list(attrs.items())) for tag, attrs in dom(attack)), attack


def _extensions() -> tuple[list, dict]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(name)
        if isinstance(entry, dict) and isinstance(entry[name], dict):
            configs[name] = {k: (v == "true" if v in ("true", "false") else v) for k, v in entry[name].items()}
    return names, configs


RICH_PAGE = """\
# Judul {#judul}

Teks **tebal**, *miring*, `kode`, [tautan](biaya.md#x){ .md-button target=_blank } dan <abbr title="Nomor Induk Kependudukan">NIK</abbr>.

![Gedung kantor](gedung.jpg){ width=300 loading=lazy }

!!! note "Catatan"
    Isi catatan dengan [tautan](https://example.org/).

??? info "Lipatan"
    Isi lipatan.

| Layanan | Tarif |
|:--|--:|
| Paspor | Rp350.000 |

```python
print("halo")
```

<div class="grid" markdown>
**Di dalam div**
</div>

<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video" allowfullscreen></iframe>

1. satu
2. dua

> kutipan
"""


def test_what_markdown_and_the_configured_extensions_emit_survives():
    names, configs = _extensions()
    rendered = markdown.markdown(RICH_PAGE, extensions=names, extension_configs=configs)
    cleaned = sanitise(rendered)

    def normal(tags):
        return [(tag, {k: re.sub(r"\s|;$", "", v or "") for k, v in attrs.items()}) for tag, attrs in tags]

    assert normal(dom(cleaned)) == normal(dom(rendered))
    assert html.unescape(re.sub(r"<[^>]+>", "", cleaned)) == html.unescape(re.sub(r"<[^>]+>", "", rendered))


def _without_the_check(monkeypatch):
    """`make check` refuses these pages, so `make site` does not build them (test_one_verdict.py);
    the sanitiser is the second line of defence, tried here with the check switched off."""
    from infohub import checks
    from infohub.problems import Report

    monkeypatch.setattr(checks, "site_report", lambda slug, root, memo=None: Report())


def test_the_build_publishes_no_injected_script(repo, tmp_path, monkeypatch):
    page = repo / "offices/kantorcontoh/docs/uji.md"
    page.write_text("---\ntitle: Uji\n---\n\n" + "\n\n".join(ATTACKS) + "\n\n"
                    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video"></iframe>\n'
                    "\nAkhir halaman.\n", encoding="utf-8")
    [refused] = build_sites(["kantorcontoh"], tmp_path / "site", jobs=1, root=repo, echo=lambda _: None)
    assert not refused.ok and not (tmp_path / "site/kantorcontoh").exists()
    _without_the_check(monkeypatch)
    [result] = build_sites(["kantorcontoh"], tmp_path / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    built = (tmp_path / "site/kantorcontoh/uji/index.html").read_text(encoding="utf-8")
    body = built.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    assert_harmless(body)
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video"></iframe>' in body
    assert "Akhir halaman." in body
    assert "alert" not in "".join(str(attrs) for _, attrs in dom(body))


def test_the_hubs_feed_carries_no_injected_script(repo, tmp_path, monkeypatch):
    """The hub renders the offices' posts for its feed itself: the same allow-list applies."""
    _without_the_check(monkeypatch)
    post = repo / "offices/kantorcontoh/docs/berita/2025/serangan.md"
    post.write_text("---\ntitle: Uji serangan\ndate: 2025-03-01\ncategory: pengumuman\n---\n\n"
                    + "\n\n".join(ATTACKS) + "\n\nAkhir berita.\n", encoding="utf-8")
    results = build_sites(["hub", "kantorcontoh"], tmp_path / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    for slug in ("hub", "kantorcontoh"):
        feed = json.loads((tmp_path / "site" / slug / "feed.json").read_text(encoding="utf-8"))
        [item] = [i for i in feed["items"] if i["title"] == "Uji serangan"]
        assert "Akhir berita." in item["content_html"], slug
        assert_harmless(item["content_html"])
        assert "alert" not in "".join(str(attrs) for _, attrs in dom(item["content_html"])), slug
