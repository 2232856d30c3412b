"""`make check`: a page whose social posts went out keeps its file's name.

A post's identity on the channels, in the ledger and in the feeds is its page's path
(news.post_uid). A published post renamed or moved is a new page to all of them: it would go out
again on every channel, and the links already shared would lead nowhere. The ledger keeps the
file each post was made from (ledger.page_of); a page not yet posted anywhere, with the title and
date of a posted page whose file is gone, is that page under a new name, and is refused with the
name to give back. A post deleted is not refused: its links lead nowhere either way, and
nothing goes out twice.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..paths import rel
from ..problems import Problem
from ..sitedata import InvalidContent, load_site
from .selection import social_pages


def _gone(root: Path, slug: str, entries: dict) -> dict[tuple[str, str, str], tuple[str, set[str]]]:
    """(language, title, published) -> (source, platforms) of each posted page whose file is gone.
    Only a source in the office's docs or the national pages is looked for: the ledger is the
    office's file, and no other path of the machine is asked about."""
    folders = (f"offices/{slug}/docs/", "national/pages/")
    gone: dict[tuple[str, str, str], tuple[str, set[str]]] = {}
    platforms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lang, by_platform in entries.items():
        for platform, by_uid in by_platform.items():
            for entry in by_uid.values():
                page = entry.get("page")
                if not isinstance(page, dict) or not all(isinstance(page.get(k), str)
                                                         for k in ("source", "title", "published")):
                    continue  # an entry of before, or of no page
                source = page["source"]
                if not source.startswith(folders) or ".." in source.split("/") or (root / source).is_file():
                    continue
                platforms[(lang, source)].add(platform)
                gone[(lang, page["title"], page["published"])] = (source, platforms[(lang, source)])
    return gone


def renamed_pages(root: Path, slug: str, entries: dict) -> list[Problem]:
    """The pages of office ``slug`` that are posted pages under a new name, by its ledger's
    ``entries`` (ledger.checked_entries)."""
    gone = _gone(root, slug, entries)
    if not gone:
        return []  # every posted page where it was: the site is not loaded for this
    try:
        site = load_site(slug, root)
    except InvalidContent:
        return []  # its problems are in the report
    posted = {(lang, uid) for lang, by_platform in entries.items() for by_uid in by_platform.values()
              for uid in by_uid}
    problems = []
    for page in social_pages(site, root):
        if page.source is None or page.published is None or (page.lang, page.uid) in posted:
            continue
        found = gone.get((page.lang, page.title, page.published.isoformat()))
        if found:
            source, platforms = found
            problems.append(Problem(rel(page.source), None, "", "social_page_renamed",
                                    {"old": source, "platforms": ", ".join(sorted(platforms))}))
    return problems
