"""News posts live under docs/berita/: elsewhere they are plain pages.

A page with a news date and category outside berita/ is built, but it never
appears in the news list, the feeds or the social posts; editors who put a
post beside the home page expect it to. The report names the folder to move it to.
"""
from __future__ import annotations

from .. import paths
from ..content import load_page
from ..news import NEWS_DIR
from ..problems import Problem
from . import Check, Scope
from .markdown import pages_in


def check_placement(scope: Scope) -> list[Problem]:
    problems = []
    for docs in scope.docs_dirs():
        if docs == scope.hub_docs:
            continue  # the hub has no news of its own
        for page in pages_in(docs):
            if page.src_uri.split("/")[0] == NEWS_DIR:
                continue
            source, _ = load_page(page.path)
            meta = source.meta if source else None
            if meta and meta.date and meta.category:
                year = meta.date.year
                expected = f"{paths.rel(docs)}/{NEWS_DIR}/{year}/{page.path.name}"
                problems.append(Problem(page.shown, 1, "", "news_outside_folder", {"expected": expected}))
    return problems


CHECK = Check("placement", check_placement)
