"""Synonyms and spellings for the site search, kept by editors in national/search-synonyms.yml.

Each group lists words or phrases that mean the same thing to someone searching
(`e-paspor`, `paspor elektronik`). The search in the browser folds every
variant, in the index and in the query, into one token, so any of them finds
pages that use any other. Here the file is read and checked: each problem
names the file and the line.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import paths
from .problems import Problem
from .yamlsource import LineMap, YamlSyntaxError, load_yaml_file

FILE = Path("national") / "search-synonyms.yml"
_WORD = re.compile(r"[^\W_]", re.UNICODE)
_SEPARATOR = re.compile(r"[\s\-]+")  # Material's search.config.separator
_EDGES = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)


def load_synonyms(root: Path | None = None) -> tuple[list[list[str]], list[Problem]]:
    """The groups of national/search-synonyms.yml and every problem found in them.

    A missing file means no synonyms; groups with problems are left out."""
    file = (root or paths.root()) / FILE
    if not file.exists():
        return [], []
    shown = paths.rel(file)
    try:
        data, lines, problems = load_yaml_file(file, shown)
    except YamlSyntaxError as exc:
        return [], [exc.problem]
    if not isinstance(data, dict) or set(data) - {"synonyms"}:
        unknown = sorted(set(data) - {"synonyms"}) if isinstance(data, dict) else []
        line = lines.line_of((unknown[0],)) if unknown else 1
        return [], problems + [Problem(shown, line, unknown[0] if unknown else "", "unknown_key",
                                       {"key": unknown[0] if unknown else "", "allowed": "synonyms"})]
    entries = data.get("synonyms") or []
    if not isinstance(entries, list):
        return [], problems + [Problem(shown, lines.line_of(("synonyms",)), "synonyms",
                                       "search_synonyms_not_list", {})]
    groups, more = _groups(entries, shown, lines)
    return groups, problems + more


def _groups(entries: list, shown: str, lines: LineMap) -> tuple[list[list[str]], list[Problem]]:
    groups: list[list[str]] = []
    problems: list[Problem] = []
    first_seen: dict[str, int | None] = {}  # normalised variant -> line of its group
    for i, entry in enumerate(entries):
        loc = ("synonyms", i)
        key = f"synonyms.{i}"
        if not isinstance(entry, list) or len(entry) < 2:
            problems.append(Problem(shown, lines.line_of(loc), key, "search_synonyms_group",
                                    {"value": entry if isinstance(entry, str) else ""}))
            continue
        group, ok = [], True
        for j, variant in enumerate(entry):
            line = lines.line_of(loc + (j,))
            if not isinstance(variant, str) or not _WORD.search(variant):
                problems.append(Problem(shown, line, f"{key}.{j}", "search_synonyms_empty",
                                        {"value": variant if isinstance(variant, str) else ""}))
                ok = False
                continue
            variant = " ".join(variant.split())
            norm = normalise(variant)
            if norm in first_seen:
                problems.append(Problem(shown, line, f"{key}.{j}", "search_synonyms_duplicate",
                                        {"value": variant, "line": first_seen[norm]}))
                ok = False
                continue
            first_seen[norm] = lines.line_of(loc)
            group.append(variant)
        if ok:
            groups.append(group)
    return groups, problems


def normalise(variant: str) -> str:
    """The words the search sees: lowercase, split at spaces and hyphens like
    Material's search does, so 'M-Paspor' and 'm paspor' are one variant and
    'mpaspor' another."""
    words = (_EDGES.sub("", w) for w in _SEPARATOR.split(variant.lower()))
    return " ".join(w for w in words if w)


def _check(scope) -> list[Problem]:
    return load_synonyms(scope.root)[1]


def __getattr__(name: str):
    # `make check` plugs this in by naming the module in checks._OPTIONAL_MODULES;
    # built lazily so the build does not import the checks package.
    if name == "CHECK":
        from .checks import Check
        return Check("search_synonyms", _check)
    raise AttributeError(name)
