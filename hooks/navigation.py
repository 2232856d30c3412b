"""MkDocs hook: a short navigation, the same on every office site.

Material renders the whole navigation into every page; with years of news
posts in it, that was 63 % of the build (DESIGN.md). So the news section
collapses to its list page (the list links the posts), and the standard
pages come in the order a visitor needs them. Pages an office adds itself
follow, in MkDocs' own order.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

ORDER = ("index.md", "layanan.md", "biaya.md", "jam-layanan.md", "faq.md", "berita/index.md")


def _norm(page: Page) -> str:
    return getattr(page.file, "norm_src_uri", page.file.src_uri)


def _news_index(section: Section) -> Page | None:
    for child in section.children:
        if isinstance(child, Page) and _norm(child) == "berita/index.md":
            return child
    return None


# After mkdocs-static-i18n (-100) has made the navigation of the language being built.
@event_priority(-150)
def on_nav(nav: Navigation, config, files) -> Navigation:
    items = []
    for item in nav.items:
        if isinstance(item, Section) and (index := _news_index(item)) is not None:
            index.parent = None
            items.append(index)
        else:
            items.append(item)
    rank = {name: i for i, name in enumerate(ORDER)}
    items.sort(key=lambda item: rank.get(_norm(item), len(ORDER)) if isinstance(item, Page) else len(ORDER))
    nav.items = items
    _link_in_order(nav)
    return nav


def _link_in_order(nav: Navigation) -> None:
    """MkDocs linked each page to its neighbours (the footer's previous / next) before
    this hook reordered the items: link them again in the order the sidebar shows."""
    pages: list[Page] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, Page):
                pages.append(item)
            elif isinstance(item, Section):
                walk(item.children)

    walk(nav.items)
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i > 0 else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None
