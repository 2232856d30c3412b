"""What the hooks ask of the MkDocs config during one language build."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine is imported by engine.py, theme_cache.py and generated_files.py only
    from mkdocs.config.defaults import MkDocsConfig

from .images import SiteImages
from .site_config import ROOT_KEY, SLUG_KEY
from .sitedata import SiteData


def site_of(config: MkDocsConfig) -> SiteData:
    """The site's validated data, put there by hooks/site_data.py."""
    return config.extra["infohub_site"]


def site_images(config: MkDocsConfig) -> SiteImages:
    """The resized pictures of this build, set up by hooks/page_images.py (on_files)."""
    return config.extra["infohub_images"]


def repo_root(config: MkDocsConfig) -> Path:
    """The repository a site belongs to, named in the config site_config.py made."""
    return Path(config.extra[ROOT_KEY])


def site_slug(config: MkDocsConfig) -> str:
    """The site being built (an office's slug, or the hub's), named in the same config."""
    return config.extra[SLUG_KEY]


def current_language(config: MkDocsConfig) -> str:
    """The language being built: mkdocs-static-i18n builds one at a time."""
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or site_of(config).languages[0]


def last_language_built(config: MkDocsConfig) -> bool:
    """Whether this is the site's last language build: what a hook writes once per site waits
    for it (mkdocs-static-i18n runs on_post_build after every language)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return True
    others = [lang for lang in i18n.build_languages if lang != i18n.default_language]
    return i18n.current_language == (others[-1] if others else i18n.default_language)
