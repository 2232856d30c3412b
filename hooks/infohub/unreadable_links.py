"""A Markdown extension: a link or image whose address urllib cannot read loses that address.

MkDocs reads every href and src of a page with urllib (to make links relative) and stops the
whole build on the first it cannot read (`[peta](https://[::1)`: "Invalid IPv6 URL"). The check
names such links with file and line (checks/links.py); this is for what its reading of Markdown
misses: the page is published with the link's text, and no address no browser could open
either. It runs just before MkDocs' own 'relpath' step (priority 0); hooks/sanitize.py adds it.
"""
from __future__ import annotations

import logging
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .schema import unreadable_url

log = logging.getLogger("mkdocs.plugins.infohub")


class _DropUnreadable(Treeprocessor):
    """A link becomes its text, an image its description: MkDocs' step after this one expects
    every <a> and <img> to have an address."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            address = element.get(attribute) if attribute else None
            if address is not None and unreadable_url(address):
                log.warning("unreadable address %r left out of the page", address)
                alt = element.get("alt") if element.tag == "img" else None
                element.attrib.clear()
                element.tag = "span"
                if alt:
                    element.text = alt


class UnreadableLinks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_DropUnreadable(md), "infohub_unreadable_links", 1)
