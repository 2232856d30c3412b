"""MkDocs hook: keep compiled Jinja templates between builds.

Jinja compiles Material's templates anew in every build (about 45 % of a
small site's build time); a bytecode cache makes the second and later
builds skip that, with byte-identical output. The folder comes from
paths.cache_dir (site/.cache/ under `make site`), never the source tree.
Its templates are infohub.template_memo's: what renders the same on many pages
is rendered once a build.
"""
from __future__ import annotations

from infohub import paths, template_memo
from infohub.theme_cache import KeptBytecodeCache


def on_env(env, config, files):
    # Jinja keys its cache by template and source, not by the environment's settings: templates
    # compiled with autoescape (hooks/escaping.py, which runs first) are kept in a folder of their own.
    folder = "jinja-autoescape" if env.autoescape is True else "jinja"
    env.bytecode_cache = KeptBytecodeCache(str(paths.cache_dir(folder)))
    env.template_class = template_memo.MemoTemplate
    return env
