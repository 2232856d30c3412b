"""Each office.yml is written the way the web editor writes it (cms_yaml.py), so that a save in
the editor changes only the lines the editor changed and a reviewer sees nothing else.

The CMS writes the whole file anew on every save: a comment, a [a, b] list, another key order
or other quotes in the file would be replaced then, and show up in that save's pull request as
changes nobody made. The check names the first line that differs and the command that rewrites
the file (`python -m infohub format-office SLUG`). An office whose data has errors is held to
this only once they are fixed: its own errors say more.

A warning, not an error: it shows on the pull request's diff where the line is, yet never stops
an office's site from being built (an urgent closure written by hand with other quotes must still
go out); tests/test_cms_yaml.py holds every office.yml of the repository to the form.
"""
from __future__ import annotations

from ..cms_yaml import canonical_text, office_fields
from ..problems import WARNING, Problem
from ..yamlsource import YamlSyntaxError, parse_yaml
from . import Check, Scope

SHOWN_CHARS = 80  # of a line quoted in the message


def _shown(line: str) -> str:
    return line if len(line) <= SHOWN_CHARS else line[:SHOWN_CHARS - 1] + "…"


def first_difference(path: str, written: str, expected: str, slug: str) -> Problem | None:
    """The first line where ``written`` is not ``expected``, as a problem of ``path``."""
    have, want = written.splitlines(), expected.splitlines()
    for number, (a, b) in enumerate(zip(have, want), start=1):
        if a != b:
            return Problem(path, number, "", "cms_form_line", {"expected": _shown(b), "found": _shown(a), "slug": slug},
                           WARNING)
    if len(have) > len(want):
        return Problem(path, len(want) + 1, "", "cms_form_extra_line", {"found": _shown(have[len(want)]), "slug": slug},
                       WARNING)
    if len(want) > len(have):
        return Problem(path, len(have) + 1, "", "cms_form_missing_line", {"expected": _shown(want[len(have)]), "slug": slug},
                       WARNING)
    if written != expected:  # the same lines: only the line breaks differ (CRLF, none at the end)
        return Problem(path, None, "", "cms_form_line_breaks", {"slug": slug}, WARNING)
    return None


def check_cms_form(scope: Scope) -> list[Problem]:
    problems: list[Problem] = []
    forms: dict[tuple, list[dict]] = {}  # one form per set of languages: most offices share [id, en]
    if scope.national is None:  # the form's choices come from national data: its errors come first
        return problems
    for slug in scope.offices:
        if scope.office(slug) is None:
            continue
        file = scope.root / "offices" / slug / "office.yml"
        shown = f"offices/{slug}/office.yml"
        try:
            written = file.read_bytes().decode("utf-8")
            data = parse_yaml(written, shown)[0]
            languages = tuple(data.get("languages") or ()) if isinstance(data, dict) else ()
            if languages not in forms:
                forms[languages] = office_fields(data, scope.national)
            expected = canonical_text(written, forms[languages], shown)
        except (OSError, UnicodeDecodeError, YamlSyntaxError):
            continue  # reported by the office's own loading
        # a byte order mark left by a Windows editor: invisible, read the same, and gone on the next save
        problem = first_difference(shown, written.removeprefix("\ufeff"), expected, slug)
        if problem:
            problems.append(problem)
    return problems


CHECK = Check("cms_form", check_cms_form)
