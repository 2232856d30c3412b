"""Each office.yml, and each national file the national editor opens (national/fees.yml, faq.yml...),
is written the way the web editor writes it (cms_yaml.py), so that a save in the editor changes
only the lines the editor changed and a reviewer sees nothing else.

The CMS writes the whole file anew on every save: a comment, an anchor (&per_application), a
[a, b] list, another key order or other quotes in the file would be replaced then, and show up in
that save's pull request as changes nobody made. The check names the first line that differs and
the command that rewrites the file (`python -m infohub format-office SLUG`, `python -m infohub
format-national`). An office whose data has errors is held to this only once they are fixed: its
own errors say more; so are the national files, whose form is made from the national data. The
national files are checked with the hub and the national data (checks.site_report), not with each
office: one warning, not one per site built.

A warning, not an error: it shows on the pull request's diff where the line is, yet never stops
a site from being built (an urgent closure written by hand with other quotes must still go out);
tests/test_cms_yaml.py and tests/test_cms_national_form.py hold every such file of the repository
to the form.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..check_memo import text_digest
from ..problems import WARNING, Problem
from ..yamlsource import YamlSyntaxError, parse_yaml
from . import Check, Scope

SHOWN_CHARS = 80  # of a line quoted in the message


def _shown(line: str) -> str:
    return line if len(line) <= SHOWN_CHARS else line[:SHOWN_CHARS - 1] + "…"


def first_difference(path: str, written: str, expected: str, code: str, values: dict) -> Problem | None:
    """The first line where ``written`` is not ``expected``, as a problem of ``path``: <code>_line,
    _extra_line, _missing_line or _line_breaks, with ``values`` for the message (the command's)."""
    have, want = written.splitlines(), expected.splitlines()
    for number, (a, b) in enumerate(zip(have, want), start=1):
        if a != b:
            return Problem(path, number, "", f"{code}_line", {"expected": _shown(b), "found": _shown(a), **values},
                           WARNING)
    if len(have) > len(want):
        return Problem(path, len(want) + 1, "", f"{code}_extra_line", {"found": _shown(have[len(want)]), **values},
                       WARNING)
    if len(want) > len(have):
        return Problem(path, len(have) + 1, "", f"{code}_missing_line",
                       {"expected": _shown(want[len(have)]), **values}, WARNING)
    if written != expected:  # the same lines: only the line breaks differ (CRLF, none at the end)
        return Problem(path, None, "", f"{code}_line_breaks", values, WARNING)
    return None


def _difference(scope: Scope, file: Path, shown: str, form: Callable[[Any], list[dict]], code: str,
                values: dict) -> list[Problem]:
    """The first difference of ``file`` from the CMS's form (the fields ``form`` gives for its data);
    none as well for a file the loaders report (unreadable, bad YAML). The form is made from the
    file's data and the national data, both in every key of the build's memo (check_memo.py): it
    keeps the answer under the file's bytes."""
    try:
        written = file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reported by the file's own loading

    def examine() -> list[Problem]:
        from ..cms_yaml import canonical_text  # see check_cms_form: only when the memo has no answer

        try:
            expected = canonical_text(written, form(parse_yaml(written, shown)[0]), shown)
        except YamlSyntaxError:
            return []  # reported by the file's own loading
        # a byte order mark left by a Windows editor: invisible, read the same, and gone on the next save
        found = first_difference(shown, written.removeprefix("\ufeff"), expected, code, values)
        return [found] if found else []

    return scope.memo.problems("cms_form", (shown, text_digest(written), code, values), examine)


def check_cms_form(scope: Scope) -> list[Problem]:
    problems: list[Problem] = []
    forms: dict[tuple, list[dict]] = {}  # one form per set of languages: most offices share [id, en]
    national = scope.national
    if national is None:  # the forms' choices come from national data: its errors come first
        return problems

    # The editor's forms (cms_yaml, cms_config: a large module and its models) are imported when a
    # form is made, not with this check: an edit's check finds the forms' answers in the memo.
    def office_form(data) -> list[dict]:
        from ..cms_forms import office_fields

        languages = tuple(data.get("languages") or ()) if isinstance(data, dict) else ()
        if languages not in forms:
            forms[languages] = office_fields(data, national)
        return forms[languages]

    for slug in scope.offices:
        if scope.office(slug) is not None:
            problems += _difference(scope, scope.root / "offices" / slug / "office.yml", f"offices/{slug}/office.yml",
                                    office_form, "cms_form", {"slug": slug})
    if scope.include_hub:
        from ..cms_config import NATIONAL_FILES
        from ..cms_forms import national_fields

        for stem in NATIONAL_FILES:
            file = scope.root / "national" / f"{stem}.yml"
            if file.is_file():
                problems += _difference(scope, file, f"national/{stem}.yml", lambda _, stem=stem: national_fields(
                    stem, national), "cms_form_national", {})
    return problems


CHECK = Check("cms_form", check_cms_form)
