"""The inline scripts infohub writes into its pages: the only ones its Content-Security-Policy allows.

A browser runs a page's inline <script> only if the policy names its hash. Those hashes
used to be taken from whatever the built pages carried, so a script that an office's text
smuggled into a page was hashed too, and ran. They come from the templates instead: each
template in PRODUCT_SCRIPTS holds inline scripts, rendered here as the page build renders
them. Material's first script names the way from the page to the site's root (base_url),
so it is rendered once for each folder depth the built site has, and once for the error
page, which is served at any address and names the root as '/'.

deploy.content_security_policy allows these and refuses a site whose pages carry any other.
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
import material

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"

# The templates whose inline scripts run in infohub's pages. A template that gains an inline
# script must be named here, or deploy-files refuses every page that carries it.
PRODUCT_SCRIPTS = (
    "partials/javascripts/base.html",     # Material: where the reader's settings are kept
    "partials/javascripts/palette.html",  # Material: the light or dark scheme the reader chose
    "partials/javascripts/content.html",  # Material: the tab named in the address
    "partials/infohub/faq.html",          # ours: the question named in the address
)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def root_addresses(site_dir: Path) -> set[str]:
    """Every base_url the pages of a built site have: '.', '..', '../..', … by the depth of
    their folder, and '/' (the 404 page)."""
    depths = {len(page.relative_to(site_dir).parts) - 1 for page in site_dir.rglob("*.html")}
    return {"/"} | {"/".join([".."] * depth) or "." for depth in depths}


def product_scripts(site_dir: Path, overrides: Path) -> set[str]:
    """The text of every inline script the templates write into the pages of ``site_dir``
    (overrides: the theme folder the site was built with, before Material's)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(overrides), str(MATERIAL_TEMPLATES)]),
                             autoescape=True, keep_trailing_newline=True)
    scripts = set()
    for name in PRODUCT_SCRIPTS:
        source = env.loader.get_source(env, name)[0]
        for body in _SCRIPT.findall(source):
            template = env.from_string(body)
            scripts |= {template.render(base_url=base_url, config={"extra": {}})
                        for base_url in root_addresses(site_dir)}
    return scripts
