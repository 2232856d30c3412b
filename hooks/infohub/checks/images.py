"""Images: every picture a page shows is a file in the repository.

A picture from another site would be fetched by every reader's browser
from a server nobody here controls (a tracking pixel tells it who read the
page), so the build removes it from the page and the feeds unless its host
is in national/defaults.yml ``image_hosts`` (infohub.checks.html.sanitise).
The check warns about each one it removes: copy the file into the office's
docs/ folder instead. A remote front-matter ``image`` is an error (a news post's
was dropped without a word). A picture is a JPEG, PNG, WebP or GIF file: a
PDF named as a page's picture would show nothing, and stopped the feeds.

Every picture under docs/ is bounded before the build decodes it (images.py makes
the copies pages show): its size in bytes (limits.IMAGE_BYTES) and its pixels, read
from its header (limits.IMAGE_PIXELS: a small file can claim billions of pixels).

One picture file belongs to one news post (the post and its translations): when
every post's uploads shared one folder (berita/gambar/), uploading 'foto.jpg' for a
new post where another post's 'foto.jpg' already was offered to replace it, which
silently changed the picture of the post already published. The web editor now
keeps each post's uploads in a folder of its own (cms_config.news_collection); a
file named by two posts anyway (through git, or picked from the editor's media
library) is refused on the later post's line, so a replacement shows in the check
of the change that made it.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from .. import images, paths
from ..check_memo import text_digest
from ..news import image_target, is_news_source, split_language
from ..problems import WARNING, Problem
from . import Check, Scope
from .html import image_host, url_scheme
from .markdown import MarkdownPage, is_external, pages_in

_FRONT_MATTER_IMAGE = re.compile(r"^image:\s*[\"']?([^\"'#]+?)[\"']?\s*$")
_DATE = re.compile(r"^date:\s*[\"']?([0-9][^\"'#]*?)[\"']?\s*$")  # ISO dates sort as text


def _image_problem(page: MarkdownPage, line: int | None, key: str, target: str) -> Problem | None:
    if is_external(target):
        return Problem(page.shown, line, key, "image_remote", {"value": target})
    file = image_target(unquote(target.split("#")[0].split("?")[0]), page.path, page.docs_dir)
    if not file.is_relative_to(page.docs_dir.resolve()):
        return Problem(page.shown, line, key, "image_outside", {"value": target, "folder": paths.rel(page.docs_dir)})
    if not paths.is_file(file):
        return Problem(page.shown, line, key, "image_missing", {"value": target})
    if file.suffix.lower() not in images.RASTER_SUFFIXES:  # a PDF, a page: no picture to show or size up
        return Problem(page.shown, line, key, "image_not_picture", {"value": target})
    return None


def _body_image_problem(page: MarkdownPage, line: int, target: str, image_hosts: set[str]) -> Problem | None:
    host = image_host(target)
    if host is None:
        return _image_problem(page, line, "", target)
    if host in image_hosts or url_scheme(target) not in ("http", "https", None):
        return None  # allowed; or an address the HTML check already names
    return Problem(page.shown, line, "", "image_dropped", {"value": target, "host": host}, severity=WARNING)


def check_page_images(page: MarkdownPage, image_hosts: set[str]) -> list[Problem]:
    problems = []
    for ref in page.references():
        if ref.is_image and ref.target and (problem := _body_image_problem(page, ref.line, ref.target, image_hosts)):
            problems.append(problem)
    for number, line in enumerate(page.lines[1:page.body_start], start=2):
        match = _FRONT_MATTER_IMAGE.match(line)
        if match and (problem := _image_problem(page, number, "image", match[1])):
            problems.append(problem)
    return problems


def picture_problems(docs_dir: Path) -> list[Problem]:
    """Every picture under ``docs_dir`` the build would not decode, named by its own path."""
    problems = []
    for file in paths.source_files(docs_dir, "*"):
        if file.suffix.lower() in images.RASTER_SUFFIXES and (found := images.size_problem(file)):
            problems.append(Problem(paths.rel(file), None, "", *found))
    return problems


def _post_images(page: MarkdownPage) -> list[tuple[int, str, str]]:
    """(line, key, target) of each local picture a news post shows: its front-matter image
    and the pictures in its text."""
    found = []
    for number, line in enumerate(page.lines[1:page.body_start], start=2):
        if match := _FRONT_MATTER_IMAGE.match(line):
            found.append((number, "image", match[1]))
    found += [(ref.line, "", ref.target) for ref in page.references() if ref.is_image and ref.target]
    return [(line, key, target) for line, key, target in found if not is_external(target)]


def shared_post_images(pages: list[MarkdownPage]) -> list[Problem]:
    """A picture file named by more than one news post: refused in every post but the one
    published first, which it belongs to (see the module's doc)."""
    uses: dict[Path, list[tuple[str, str, MarkdownPage, int, str, str]]] = {}
    for page in pages:
        if not is_news_source(page.src_uri):
            continue
        images = _post_images(page)
        if not images:
            continue
        post = split_language(page.src_uri)[0]
        date = next((m[1] for line in page.lines[1:page.body_start] if (m := _DATE.match(line))), "")
        for line, key, target in images:
            file = image_target(unquote(target.split("#")[0].split("?")[0]), page.path, page.docs_dir)
            if paths.is_file(file):  # else check_page_images names it
                uses.setdefault(file, []).append((date, post, page, line, key, target))
    problems = []
    for file, found in uses.items():
        # the owner named by its Indonesian file, as the post is named everywhere
        _, owner, first, *_ = min(found, key=lambda use: (use[0], use[1], use[2].src_uri != use[1], use[2].src_uri))
        for _, post, page, line, key, target in found:
            if post != owner:
                name = posixpath.basename(post).removesuffix(".md") + file.suffix.lower()
                problems.append(Problem(page.shown, line, key, "news_image_shared",
                                        {"value": target, "other": first.shown, "suggestion": name}))
    return problems


def check_images(scope: Scope) -> list[Problem]:
    hosts = {h.lower() for h in scope.national.defaults.image_hosts} if scope.national else set()
    problems = []
    for docs in scope.docs_dirs():
        pages = pages_in(docs)
        problems += picture_problems(docs)
        # A page's problems come from its text, the hosts (national data: in every key) and which
        # files its folder holds (a picture that is missing): the build's memo keeps them (check_memo.py).
        files = _listing_digest(docs)
        for page in pages:
            problems += scope.memo.problems("images", (page.shown, text_digest(page.text), files),
                                            lambda page=page: check_page_images(page, hosts))
        problems += shared_post_images(pages)
    return problems


def _listing_digest(docs: Path) -> str:
    """Which files a docs folder holds, as one hash."""
    return text_digest("\n".join(paths.relative_posix(file, docs) for file in paths.source_files(docs, "*")))


CHECK = Check("images", check_images)
