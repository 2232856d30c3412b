"""MkDocs hook: draw each page's social card (see infohub/cards.py for where it goes).

A page with its own picture shows it on its card, from the picture's largest resized
copy (infohub/images.py). The cards are cached (paths.card_cache_dir: .cache/cards/ beside site/
under `make site`) by the hash of what they show, so a rebuild, even from an empty site/, copies
unchanged cards instead of drawing them.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from infohub import messages, paths
from infohub.cards import Card, card_path, write_card
from infohub.paths import path_in_language
from infohub.images import ImageRefused, front_matter_image
from infohub.mkdocs_context import current_language, site_images, site_of


def domain_of(site_url: str | None) -> str:
    return (site_url or "").split("://", 1)[-1].strip("/")


def _photo(page: Page, config: MkDocsConfig) -> str:
    """The file of the largest resized copy of the page's own picture (front matter 'image'),
    or '' (none, another site's, a GIF or SVG, or one the build refuses)."""
    src = front_matter_image(page.meta.get("image"), page.file.src_uri)
    if src is None:
        return ""
    try:
        resized = site_images(config).resized(src)
    except ImageRefused:
        return ""
    return str(resized.largest.cached) if resized else ""


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    site = site_of(config)
    lang = current_language(config)
    text_lang = getattr(page.file, "locale", lang)  # a page without translation shows Indonesian
    name = site.name(lang)
    # The home page's title ("Beranda") says little: its card carries the office's name.
    path = path_in_language(page.url, lang)
    top, title = (site.description(lang), name) if path == "" else (name, page.title or name)
    card = Card(site_name=top, title=title,
                language_name=messages.t("machines.card_language", text_lang),
                domain=domain_of(config.site_url), photo=_photo(page, config))
    target = Path(config.site_dir) / card_path(path, lang)
    write_card(card, target, paths.card_cache_dir())
    return output
