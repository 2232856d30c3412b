"""MkDocs hook: the web editor at the hub's /admin/ (Sveltia CMS, see infohub/cms_config.py).

The hub only, once, when its last language is built: admin/index.html, admin/config.yml
(generated from the content model) and the CMS's script from tools/cms/node_modules,
served from the hub's own domain. Without `npm ci --prefix tools/cms` the hub is built
without /admin/ and the build says so in one warning.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from mkdocs.exceptions import PluginError

from infohub.mkdocs_context import last_language_built, repo_root, site_of

log = logging.getLogger("mkdocs.hooks.cms_admin")


def on_post_build(config: MkDocsConfig) -> None:
    if not site_of(config).is_hub or not last_language_built(config):
        return
    # imported here: every office's build loads this hook, and the editor's configuration (cms_config,
    # cms_yaml and the models' forms: ~70 KB of source, compiled on each run where no bytecode is
    # written) is the hub's alone
    from infohub.cms_config import CmsBundleError, write_admin
    from infohub.cms_locale import CmsPatchError

    try:
        warning = write_admin(Path(config.site_dir), repo_root(config))
    except (CmsBundleError, CmsPatchError) as exc:  # an upgraded CMS: outside requests, or the patch misses
        raise PluginError(str(exc)) from exc
    if warning:
        log.warning(warning)
