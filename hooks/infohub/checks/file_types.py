"""What a docs folder may publish: pages, pictures and PDF documents, nothing that runs.

Every file under an office's docs/ that is not a page is copied into the office's site as it is,
and a file there wins over the theme's file of the same name. An office that could publish any file
could publish script: assets/javascripts/infohub-search.js in place of the site's own (the
Content-Security-Policy allows scripts from the site itself), a stylesheet, an HTML page beside the
Markdown ones (the sanitiser never sees it), an SVG with a script in it, or a feed.xml that social
schedulers would read instead of the build's. So a docs folder holds only:

- pages: Markdown (``.md``), which the build renders and sanitises;
- pictures: ``images.RASTER_SUFFIXES``, whose size and header checks/images.py reads (a file
  that is not the picture its name says is refused there, before anything decodes it);
- PDF documents (forms, circulars): a file that starts as a PDF does, at most limits.DOCUMENT_BYTES.
  A reader's browser shows it in its PDF viewer, apart from the site's pages;
- ``README.txt``: a note for editors (scaffold.py writes one), never published (mkdocs.yml's
  exclude_docs).

Any other file is refused by name, whatever its content, so nothing depends on how a server or a
browser would guess its type. The same rule holds for the national pages and the hub's docs/.
"""
from __future__ import annotations

from pathlib import Path

from .. import images, limits, paths
from ..problems import Problem
from . import Check, Scope

PAGE_SUFFIX = ".md"
# Not published: mkdocs.yml excludes it from every docs folder.
EDITORS_NOTE = "README.txt"
# Every PDF starts so (ISO 32000: "%PDF-" and the version); readers accept it within the first
# kilobyte, after bytes some tools write first.
_PDF_MARK = b"%PDF-"
_PDF_MARK_WITHIN = 1024


def file_problem(file: Path) -> Problem | None:
    """The problem of one file of a docs folder, if it may not be published as it is."""
    suffix = file.suffix.lower()
    if file.name == EDITORS_NOTE or suffix in (PAGE_SUFFIX, *images.RASTER_SUFFIXES):
        return None  # pages and pictures: their own checks read them
    if suffix != limits.DOCUMENT_SUFFIX:
        return Problem(paths.rel(file), None, "", "file_type", {"name": file.name})
    size = file.stat().st_size
    if size > limits.DOCUMENT_BYTES:
        return Problem(paths.rel(file), None, "", "document_too_large",
                       {"size": limits.megabytes(size), "limit": limits.megabytes(limits.DOCUMENT_BYTES)})
    with open(file, "rb") as document:
        if _PDF_MARK not in document.read(_PDF_MARK_WITHIN):
            return Problem(paths.rel(file), None, "", "document_unreadable", {})
    return None


def check_file_types(scope: Scope) -> list[Problem]:
    return [problem for docs in scope.docs_dirs() for file in paths.source_files(docs, "*")
            if (problem := file_problem(file))]


CHECK = Check("file_types", check_file_types)
