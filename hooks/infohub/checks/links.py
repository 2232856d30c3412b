"""Links between pages: the page exists in the site and so does the '#section'.

An office site is its own docs/ plus the national page shells it inherits
(national < office), so a link from an office page resolves against both.
A link to `biaya.md` from an English page finds `biaya.en.md` when it
exists, as mkdocs-static-i18n does. The standard pages (home, fees, …) are
filled from templates, whose sections (`#kontak`, a fee's id, a question's
id) count as anchors too.
"""
from __future__ import annotations

from pathlib import Path

import difflib
import posixpath
import re
from urllib.parse import unquote

from markdown.extensions.toc import slugify, unique

from ..files import status_stamp
from ..news import split_language
from ..messages import Msg
from ..problems import Problem
from ..schema import unreadable_url
from . import Check, Scope
from .markdown import MarkdownPage, is_external, pages_in

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_HTML_ID = re.compile(r"\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_TEMPLATE_ID = re.compile(r"\sid=\"([a-z0-9-]+)\"")
_SHOWN_CHOICES = 8


def anchors_of(page: MarkdownPage) -> set[str]:
    """The ids a page's Markdown gives its sections, as Python-Markdown's toc makes them."""
    found: set[str] = set()
    for _, line in page.prose:
        heading = _HEADING.match(line)
        if heading:
            text = heading[2]
            custom = _ATTR_ID.search(text)
            if custom:
                found.add(custom[1])
            else:
                text = re.sub(r"\{[^}]*\}\s*$", "", text)  # attr_list without an id
                text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their text
                text = re.sub(r"[*_`]", "", text)
                found.add(unique(slugify(text, "-"), found))
        elif _ATTR_ID.search(line):
            found.add(_ATTR_ID.search(line)[1])
        found.update(_HTML_ID.findall(line))
    return found


# overrides folder -> (its templates' names and status: files.status_stamp, the ids they write)
_override_cache: dict[Path, tuple[tuple, frozenset[str]]] = {}


def _override_ids(folder: Path) -> frozenset[str]:
    templates = sorted(folder.rglob("*.html"))
    key = tuple((t, *status_stamp(t)) for t in templates)
    cached = _override_cache.get(folder)
    if cached is None or cached[0] != key:
        ids = frozenset(i for t in templates for i in _TEMPLATE_ID.findall(t.read_text(encoding="utf-8")))
        cached = _override_cache[folder] = (key, ids)
    return cached[1]


def template_anchors(scope: Scope, slug: str | None) -> set[str]:
    """Section ids the standard pages' templates write: fixed ones and one per fee, service and question."""
    found = set(_override_ids(scope.root / "overrides"))
    national = scope.national
    if national:
        found |= national.fee_ids | national.service_ids | {f"{s}-title" for s in national.service_ids}
        found |= set(national.faq.topics) | {entry.id for entry in national.faq.faq}
    office = scope.office(slug) if slug else None
    if office:
        found |= {entry.id for entry in office.faq}
    return found


class _Site:
    """The pages one site is built from, by source path."""

    def __init__(self, pages: list[MarkdownPage], standard: set[str], template_ids: set[str]):
        self.pages = {page.src_uri: page for page in pages}  # later ones win: national < office
        self.standard = standard
        self.template_ids = template_ids
        self._anchors: dict[str, set[str]] = {}

    def find(self, src_uri: str, lang: str) -> MarkdownPage | None:
        """The page a link to ``src_uri`` opens when read in ``lang``."""
        norm, _ = split_language(src_uri)
        if src_uri != norm:  # an explicit language: page.en.md
            return self.pages.get(src_uri)
        translated = norm[:-3] + f".{lang}.md" if lang != "id" else norm
        return self.pages.get(translated) or self.pages.get(norm)

    def anchors(self, page: MarkdownPage) -> set[str]:
        if page.src_uri not in self._anchors:
            found = anchors_of(page)
            if split_language(page.src_uri)[0] in self.standard:
                found |= self.template_ids
            self._anchors[page.src_uri] = found
        return self._anchors[page.src_uri]


def _check_page(page: MarkdownPage, site: _Site) -> list[Problem]:
    problems = []
    _, lang = split_language(page.src_uri)
    for ref in page.references():
        target = ref.target
        reason = unreadable_url(target)
        if reason:  # MkDocs would stop the whole build on it (unreadable_links.py drops it there)
            problems.append(Problem(page.shown, ref.line, "", "link_unreadable", {"target": target, "reason": Msg(reason)}))
            continue
        if not target or is_external(target) or ref.is_image:
            continue
        path, _, anchor = target.partition("#")
        path = unquote(path)
        if path.startswith("/"):
            relative = posixpath.relpath(path.lstrip("/"), posixpath.dirname(page.src_uri) or ".")
            problems.append(Problem(page.shown, ref.line, "", "link_absolute",
                                    {"target": target, "suggestion": relative + (f"#{anchor}" if anchor else "")}))
            continue
        if path and not path.endswith(".md"):
            if "." in posixpath.basename(path) and not (page.path.parent / path).exists():
                problems.append(Problem(page.shown, ref.line, "", "link_file_missing", {"target": target}))
            continue  # a folder-style link ('../biaya/') is left to the reader's browser
        if path:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path))
            linked = None if resolved.startswith("..") else site.find(resolved, lang)
            if linked is None:
                problems.append(_missing_page(page, ref.line, target, resolved, site))
                continue
        else:
            linked = page
        if anchor and anchor not in site.anchors(linked):
            # the template's own element ids (infohub-…, the skip link's 'isi') stay valid targets
            # but are no section an editor would pick: the hint names the page's sections
            choices = sorted(a for a in site.anchors(linked) if not a.startswith("infohub-") and a != "isi")
            shown = ", ".join(choices[:_SHOWN_CHOICES]) + (", …" if len(choices) > _SHOWN_CHOICES else "")
            problems.append(Problem(page.shown, ref.line, "", "anchor_missing",
                                    {"target": target, "anchor": anchor, "choices": shown or "—"}))
    return problems


def _missing_page(page: MarkdownPage, line: int, target: str, resolved: str, site: _Site) -> Problem:
    here = posixpath.dirname(page.src_uri) or "."
    candidates = [posixpath.relpath(uri, here) for uri in site.pages if split_language(uri)[1] == "id"]
    close = difflib.get_close_matches(posixpath.relpath(resolved, here), candidates, n=1, cutoff=0.75)
    if close:
        return Problem(page.shown, line, "", "link_missing_suggest", {"target": target, "suggestion": close[0]})
    return Problem(page.shown, line, "", "link_missing", {"target": target})


def _standard_pages(national_pages: list[MarkdownPage]) -> set[str]:
    """The shells the templates fill: every national page that is not a news post."""
    return {split_language(p.src_uri)[0] for p in national_pages if not p.src_uri.startswith("berita/")} \
        | {"berita/index.md"}


def check_links(scope: Scope) -> list[Problem]:
    national = pages_in(scope.national_pages) if scope.national_pages.is_dir() else []
    standard = _standard_pages(national)
    problems: list[Problem] = []
    national_site = _Site(national, standard, template_anchors(scope, None))
    for page in national:
        problems += _check_page(page, national_site)
    for slug in scope.offices:
        docs = scope.office_docs(slug)
        own = pages_in(docs) if docs.is_dir() else []
        site = _Site(national + own, standard, template_anchors(scope, slug))
        for page in own:
            problems += _check_page(page, site)
    if scope.include_hub and scope.hub_docs.is_dir():
        hub = pages_in(scope.hub_docs)
        site = _Site(hub, {"index.md"}, template_anchors(scope, None))
        for page in hub:
            problems += _check_page(page, site)
    return problems


CHECK = Check("links", check_links)
