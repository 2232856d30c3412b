"""The web editor's interface (Sveltia CMS's buttons, menus and messages) in Indonesian.

Sveltia CMS 0.221 has no Indonesian and cannot be given a language from outside: it knows the
29 language codes written into its script, loads any but English (built in) from unpkg.com,
which /admin/'s security policy blocks, and has no `registerLocale`. So the build patches the
script it copies to /admin/ (patches(): a few exact replacements, each found exactly once) and
serves the languages itself from /admin/locales/: our Indonesian (data/cms-locale-id.json, a
translation of the package's locales/en-US.json) and the package's own translations. One more
patch keeps its update check from asking unpkg.com: the editor then asks nothing outside the hub
but GitHub (and GitHub's status page, blocked on purpose: deploy.admin_content_security_policy).

The interface follows the page's language: the CMS takes the browser's, which would show most
editors English; patched, it takes the editor page's <html lang> ("id" at /admin/<editor>/,
"en" at /admin/<editor>/en/, read before the CMS sets that attribute itself). An editor who
picks a language in the CMS's settings keeps it (the CMS stores it per site).

A CMS upgrade rewrites the minified script: if a text a patch replaces is gone, or is there
more than once, the build stops and names it (docs/panduan/editor-web.md, for maintainers).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import NamedTuple

from .messages import t

LOCALE_FILE = Path(__file__).parent / "data" / "cms-locale-id.json"
LOCALES_PATH = "/admin/locales"  # absolute: the editors of /admin/<editor>/ and .../en/ share it
LOCALE = "id"
BUILT_IN = "en-US"  # the CMS's own English, in its script: never loaded, not served
# The codes the pinned script lists, as it writes them.
PINNED_LOCALES = ("ar,bg,ca,cs,da,de,el,en-CA,en-GB,en-US,es-CO,fa,fi,fr,hr,it,ja,ko,nl,pl,pt-BR,pt-PT,ru,sv,tr,"
                  "uk,vi,zh-CN,zh-TW")


class Patch(NamedTuple):
    find: str
    replace: str
    what: str  # what the text does, cms.locale_patch.<what> in the string tables


class CmsPatchError(ValueError):
    """The pinned CMS script no longer holds a text a patch replaces (an upgraded CMS)."""


def translation_tag() -> str:
    """12 hex digits of the Indonesian translation: a changed file is a new tag."""
    return hashlib.sha256(LOCALE_FILE.read_bytes()).hexdigest()[:12]


def patches() -> list[Patch]:
    """The replacements, in the order they are applied, for Sveltia CMS 0.221.1's sveltia-cms.js."""
    with_id = ",".join(sorted([*PINNED_LOCALES.split(","), LOCALE]))
    tag = translation_tag()
    return [
        Patch(f"`{PINNED_LOCALES}`.split(`,`)", f"`{with_id}`.split(`,`)",
              "languages"),  # Indonesian added
        Patch("=`${iP}@${rP}/locales`,", f"=`{LOCALES_PATH}`,",
              "address"),  # the hub's /admin/locales/, not unpkg.com
        Patch("MQ=()=>{let e=pne();", "MQ=()=>{let e=document.documentElement.lang||pne();",
              "default"),  # the editor page's, not the browser's
        # The CMS keeps a loaded language in the browser (localStorage) until its own version changes:
        # the translation's tag beside it, so that a corrected translation reaches editors at once.
        Patch("if(t===e&&n===rP&&", f"if(t===e&&n===`${{rP}}+{tag}`&&",
              "cache_read"),
        Patch("_locale:e,_version:rP,", f"_locale:e,_version:`${{rP}}+{tag}`,",
              "cache_write"),
        # Its hourly update check asks unpkg.com for the newest version (blocked by the policy): the
        # version is our lock's, and the answer only matters to a script loaded from unpkg.com.
        Patch("LSe=async()=>{try{let e=await fetch(NSe);", "LSe=async()=>{if(1)return;try{let e=await fetch(NSe);",
              "update_check"),
    ]


def patched_script(text: str) -> str:
    """The CMS's script with every patch applied; CmsPatchError, naming the text, when a text to
    replace is missing or not alone (each is replaced exactly once, where it was checked)."""
    for patch in patches():
        found = text.count(patch.find)
        if found != 1:
            raise CmsPatchError(t("cms.locale_patch_missing", None, text=patch.find,
                                   why=t(f"cms.locale_patch.{patch.what}", None), count=found))
        text = text.replace(patch.find, patch.replace)
    return text


def locale_files(package: Path) -> dict[str, bytes]:
    """What /admin/locales/ holds, file name -> bytes: the package's translations (every language
    of its settings menu but the built-in English) and our Indonesian, without its indentation."""
    files = {p.name: p.read_bytes() for p in sorted((package / "locales").glob("*.json")) if p.stem != BUILT_IN}
    indonesian = json.loads(LOCALE_FILE.read_text(encoding="utf-8"))
    files[f"{LOCALE}.json"] = json.dumps(indonesian, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files
