"""The forms that write files: the fields of an office's and of a national file's form, built as
the web editor's config builds them (cms_config.py), and the rewriting of those files in the form
the CMS writes them (cms_yaml.canonical_text), for `python -m infohub format-office` and
`format-national`, the check that a file is kept in that form (checks/cms_form.py) and a new
office's files (scaffold.py).

Above both cms_config (the forms) and cms_yaml (the written form), which know nothing of each
other's callers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from . import schema
from .cms_config import NATIONAL_FILES, NATIONAL_LANGUAGES, OFFICE_EDITS, Context, office_languages, model_fields
from .cms_yaml import canonical_text, office_editor_order
from .content import load_national
from .yamlsource import YamlSyntaxError, parse_yaml


def office_fields(data: Any, national) -> list[dict]:
    """The fields of an office's full form (cms_config.cms_config: the office's file in the
    national editor's 'kantor'), built the same way; tests/test_cms_yaml.py holds the two equal."""
    return office_editor_order(model_fields(schema.Office, Context("id", office_languages(data), national)),
                               OFFICE_EDITS)


def national_fields(stem: str, national) -> list[dict]:
    """The fields of national/<stem>.yml's form in the national team's editor (cms_config's
    'nasional' collection), built the same way; tests/test_cms_national_form.py holds the two equal."""
    return model_fields(NATIONAL_FILES[stem], Context("id", NATIONAL_LANGUAGES, national))


def _rewrite(file: Path, shown: str, form: Callable[[Any], list[dict]]) -> bool | None:
    """Rewrite ``file`` as the CMS writes it with the fields ``form`` gives for its data: True when
    it changed, False when it was already so, None when the check cannot read it (nothing is
    written then)."""
    if file.is_symlink():  # the check refuses a link (checks/office_folder.py): never followed
        return None
    try:
        written = file.read_bytes().decode("utf-8")
        text = canonical_text(written, form(parse_yaml(written, shown)[0]), shown)
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return None
    if text == written:
        return False
    file.write_text(text, encoding="utf-8", newline="\n")
    return True


def format_office(root: Path, slug: str) -> bool | None:
    """Rewrite offices/<slug>/office.yml as the CMS writes it: True when it changed, False when
    it was already so, None when the check cannot read it or the national data (nothing is
    written then)."""
    national = load_national(root)[0]
    if national is None:  # the form is made from national data
        return None
    return _rewrite(root / "offices" / slug / "office.yml", f"offices/{slug}/office.yml",
                    lambda data: office_fields(data, national))


def format_national(root: Path) -> dict[str, bool | None]:
    """Rewrite each national file the national editor opens as the CMS writes it: its path ->
    True when it changed, False when it was already so, None when it was not rewritten (the
    national data has errors: its form is made from it). A file that is not there is left out."""
    national = load_national(root)[0]
    done: dict[str, bool | None] = {}
    for stem in NATIONAL_FILES:
        file, shown = root / "national" / f"{stem}.yml", f"national/{stem}.yml"
        if not file.exists() and not file.is_symlink():
            continue
        done[shown] = None if national is None else _rewrite(file, shown,
                                                             lambda data, stem=stem: national_fields(stem, national))
    return done
