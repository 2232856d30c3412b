"""MkDocs hook: pages show resized copies of their pictures, never the file as uploaded.

Every <img> in a page's body whose source is a JPEG, PNG or WebP file of the site
gets the copies infohub/images.py makes (src, srcset, sizes, width and height, so
nothing moves when it loads); a link to such a file leads to its largest copy.
The originals of those files are not published (on_env): the copies are. A news
post's own image (front matter 'image') goes the same way in news_pages.py, its
Open Graph image in structured_data.py, its feed image in infohub/feeds.py.

An image the build will not decode (over limits.IMAGE_BYTES or IMAGE_PIXELS,
unreadable; `make check` refuses it with its file first) is left out of the page,
with a warning, rather than stopping the build or decoding it.

Runs after the sanitiser (priority 100) on the HTML it let through, and before
the feeds (priority -50) keep each post's HTML.
"""
from __future__ import annotations

import html
import logging
import posixpath
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_relative_url

from infohub import images, paths
from infohub.messages import t
from infohub.mkdocs_context import site_images as mkdocs_site_images

log = logging.getLogger("mkdocs.hooks.page_images")

# nh3 writes every attribute value in double quotes: a '>' can only be inside one.
_TAG = re.compile(r'<(img|a)\b((?:[^>"]|"[^"]*")*)>')
_ATTRIBUTE = re.compile(r'([^\s=/]+)(?:="([^"]*)")?')


# After mkdocs-static-i18n (-100) and the news pages (-110, -120) settled the files.
@event_priority(-130)
def on_files(files, config):
    sources = {}
    for file in files:
        if not file.is_documentation_page() and file.abs_src_path and images.is_resized(file.src_uri):
            sources[file.dest_uri] = Path(file.abs_src_path)
    config.extra["infohub_images"] = images.SiteImages(sources, Path(config.site_dir), paths.cache_dir("images"))
    return files


def on_env(env, config, files):
    """The originals of the resized images are not copied into the site (see infohub/images.py)."""
    resized = mkdocs_site_images(config).sources
    for file in files:
        if not file.is_documentation_page() and file.dest_uri in resized:
            file.inclusion = InclusionLevel.EXCLUDED
    return env


@event_priority(50)
def on_page_content(content: str, page, config, files) -> str:
    site_images = mkdocs_site_images(config)
    return _TAG.sub(lambda match: _rewrite(match, page, site_images), content)


def _site_path(address: str, page_url: str) -> str | None:
    """The site path a page's relative or root-relative address names; None for another site's."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", address):
        return None
    path = html.unescape(address).split("#")[0].split("?")[0]
    if not path:
        return None
    if path.startswith("/"):
        return posixpath.normpath(path).lstrip("/")
    folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    return posixpath.normpath(folder + path).lstrip("/")


def _rewrite(match: re.Match, page, site_images: images.SiteImages) -> str:
    tag, attributes = match[1], dict(_ATTRIBUTE.findall(match[2]))
    address = attributes.get("src" if tag == "img" else "href", "")
    site_path = _site_path(address, page.url)
    if site_path is None:
        return match[0]
    try:
        resized = site_images.resized(site_path)
    except images.ImageRefused as refused:
        log.warning(t("images.build.left_out", path=site_path, page=page.file.src_uri,
                      reason=t(f"problem.{refused.code}", **refused.values)))
        return "" if tag == "img" else "<a>"
    if resized is None:
        return match[0]

    def url(path: str) -> str:  # an attribute's value as the HTML around it is written: escaped
        return html.escape(get_relative_url(path, page.url))

    if tag == "a":
        attributes["href"] = url(resized.largest.path)
    else:
        default = resized.default
        attributes.update(src=url(default.path), srcset=resized.srcset(url), sizes=html.escape(images.SIZES),
                          width=str(default.width), height=str(default.height))
        attributes.setdefault("loading", "lazy")
        attributes.setdefault("decoding", "async")
    written = " ".join(f'{name}="{value}"' for name, value in attributes.items())
    return f"<{tag} {written}>"
