"""Images: every picture a page shows is a file in the repository.

A picture from another site would be fetched by every reader's browser
from a server nobody here controls (a tracking pixel tells it who read the
page), so the build removes it from the page and the feeds unless its host
is in national/defaults.yml ``image_hosts`` (infohub.checks.html.sanitise).
The check warns about each one it removes: copy the file into the office's
docs/ folder instead. A remote front-matter ``image`` is an error.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

from .. import paths
from ..news import image_target, is_news_source
from ..problems import WARNING, Problem
from . import Check, Scope
from .html import image_host, url_scheme
from .markdown import MarkdownPage, is_external, pages_in

_FRONT_MATTER_IMAGE = re.compile(r"^image:\s*[\"']?([^\"'#]+?)[\"']?\s*$")


def _image_problem(page: MarkdownPage, line: int | None, key: str, target: str) -> Problem | None:
    if is_external(target):
        return Problem(page.shown, line, key, "image_remote", {"value": target})
    file = image_target(unquote(target.split("#")[0].split("?")[0]), page.path, page.docs_dir)
    if not file.is_relative_to(page.docs_dir.resolve()):
        return Problem(page.shown, line, key, "image_outside", {"value": target, "folder": paths.rel(page.docs_dir)})
    if not paths.is_file(file):
        return Problem(page.shown, line, key, "image_missing", {"value": target})
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
    # news posts' front-matter images are checked with the rest of a post (news.check_news)
    if not is_news_source(page.src_uri):
        for number, line in enumerate(page.lines[1:page.body_start], start=2):
            match = _FRONT_MATTER_IMAGE.match(line)
            if match and (problem := _image_problem(page, number, "image", match[1])):
                problems.append(problem)
    return problems


def check_images(scope: Scope) -> list[Problem]:
    hosts = {h.lower() for h in scope.national.defaults.image_hosts} if scope.national else set()
    return [problem for docs in scope.docs_dirs() for page in pages_in(docs)
            for problem in check_page_images(page, hosts)]


CHECK = Check("images", check_images)
