"""markdown_reuse.py: one Markdown converter per site and language, reset for each page, writes
what a new converter per page writes (the engine's own way), byte for byte."""
from __future__ import annotations

import markdown
import pytest

from infohub import build, engine, markdown_reuse

# Pages whose Markdown leaves state in a converter: headings (the table of contents and its ids),
# raw HTML (the stash), code blocks (superfences' stash), an admonition, attributes, reference
# links, and the same heading on two pages (ids are per page, never "biaya_1").
PAGES = {
    "biaya.md": "# Biaya\n\n## Paspor {: #paspor }\n\nLihat [syarat][s].\n\n[s]: syarat.md#dokumen\n\n"
                "<div class=\"catatan\" markdown>\n**Penting**: bawa KTP.\n</div>\n",
    "syarat.md": "# Syarat\n\n## Dokumen\n\n!!! note \"Catatan\"\n    Fotokopi tidak perlu.\n\n"
                 "```python\nprint('halo')\n```\n\n## Biaya\n\n[lihat biaya](biaya.md#paspor) dan [berita][r]\n",
    # rendered first (pages go in order of their names): its reference [r] is its own, not syarat's
    "berita.md": "# Biaya\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[tautan][r]\n\n[r]: biaya.md\n",
}


@pytest.fixture
def plain_then_kept(tmp_path, monkeypatch):
    """Build one small site twice, with the engine's converter per page and then with the kept one."""
    pages = engine.pages_module()
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Uji\nuse_directory_urls: true\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
        "  - admonition\n  - attr_list\n  - md_in_html\n  - tables\n  - pymdownx.details\n  - pymdownx.superfences\n",
        encoding="utf-8")

    def built(name: str) -> dict[str, bytes]:
        site = tmp_path / name
        engine.build(engine.load_config(tmp_path / "mkdocs.yml", site_dir=str(site)))
        return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}

    monkeypatch.setattr(pages, "markdown", markdown)
    plain = built("plain")
    markdown_reuse.install()
    assert isinstance(pages.markdown, markdown_reuse._KeptConverter)
    given = []  # the converter each page was given
    kept_markdown = markdown_reuse._KeptConverter.Markdown
    monkeypatch.setattr(markdown_reuse._KeptConverter, "Markdown",
                        lambda self, *a, **k: given.append(kept_markdown(self, *a, **k)) or given[-1])
    kept = built("kept")
    return plain, kept, given


def test_a_kept_converter_writes_what_one_converter_per_page_writes(plain_then_kept):
    plain, kept, given = plain_then_kept
    assert kept == plain and len(plain) == 4  # the three pages and the 404 page
    assert b'id="paspor"' in plain["biaya/index.html"] and b'id="biaya"' in plain["berita/index.html"]
    assert b"biaya_1" not in plain["berita/index.html"] + plain["syarat/index.html"]
    assert b"[berita][r]" in plain["syarat/index.html"]  # no reference of another page
    assert len(given) == 3 and len({id(converter) for converter in given}) == 1  # one for the three pages


def test_other_extensions_or_settings_get_a_converter_of_their_own():
    kept = markdown_reuse._KeptConverter()
    extensions = ["toc", "tables"]
    first = kept.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": True}})
    assert kept.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": True}}) is first
    assert kept.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": False}}) is not first
    again = kept.Markdown(extensions=extensions, extension_configs={})
    extensions.append("admonition")  # the same list, changed: a converter with the new extension
    changed = kept.Markdown(extensions=extensions, extension_configs={})
    assert changed is not again
    assert "admonition" in changed.convert("!!! note\n    x\n")
    assert kept.Markdown(extensions=["toc", "tables", "admonition"], extension_configs={}) is not changed
    assert kept.Markdown is not markdown.Markdown and kept.util is markdown.util  # the rest is the module's


def test_the_build_workers_install_it():
    build._worker_init()
    assert isinstance(engine.pages_module().markdown, markdown_reuse._KeptConverter)
