"""Every sentence infohub shows, in each language, from one string table per language.

The tables live in ``locales/<lang>.yml`` (kept alphabetical, one key per
sentence). Pages, validation errors and CLI output all come through ``t``.
A language that lacks a key falls back to English, then Indonesian, so a
new language can be added one string at a time.
"""
from __future__ import annotations

import functools
import os
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANG = "id"
# libyaml's loader where installed: every build process reads all tables once
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
FALLBACKS = ("en", "id")


def cli_language() -> str:
    """The language of messages in the terminal: INFOHUB_LANG, else Indonesian."""
    lang = os.environ.get("INFOHUB_LANG", DEFAULT_LANG).strip().lower()[:2]
    return lang if (LOCALES_DIR / f"{lang}.yml").exists() else DEFAULT_LANG


@functools.lru_cache(maxsize=None)
def table(lang: str) -> dict[str, str]:
    """All strings of one language: locales/<lang>.yml and one table per concern,
    locales/<lang>.<concern>.yml (feeds, social, …), merged."""
    flat: dict[str, str] = {}
    for path in sorted(LOCALES_DIR.glob(f"{lang}.yml")) + sorted(LOCALES_DIR.glob(f"{lang}.*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        flat.update(_flatten(data))
    return flat


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def has(key: str, lang: str) -> bool:
    return key in table(lang)


class _Quoting(string.Formatter):
    """``{value!r}`` in a table quotes the way an editor wrote it: '8-11.30'."""

    def convert_field(self, value, conversion):
        if conversion == "r" and isinstance(value, str):
            return "'" + value + "'"
        return super().convert_field(value, conversion)


_formatter = _Quoting()


@dataclass(frozen=True)
class Msg:
    """A sentence not yet put into words: translated when it is shown."""

    key: str
    values: dict = field(default_factory=dict)


def t(key: str, lang: str | None = None, /, **values) -> str:
    lang = lang or cli_language()
    if values:
        values = {k: t(v.key, lang, **v.values) if isinstance(v, Msg) else v for k, v in values.items()}
    for candidate in (lang, *FALLBACKS):
        text = table(candidate).get(key)
        if text is not None:
            if not values:
                return text
            # str.format where the text quotes nothing ({value!r}): the same text, in C
            return _formatter.format(text, **values) if "!r" in text else text.format(**values)
    raise KeyError(f"no message '{key}' in any language table")


def plural(key: str, count: int, lang: str | None = None, /, **values) -> str:
    """``key`` for ``count``: a table may split it into 'one' and 'other' forms."""
    lang = lang or cli_language()
    form = f"{key}.one" if count == 1 else f"{key}.other"
    for candidate in (lang, *FALLBACKS):
        if form in table(candidate) or key in table(candidate):
            return t(form if form in table(candidate) else key, candidate, **values)
    raise KeyError(f"no message '{key}' in any language table")
