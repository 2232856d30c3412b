"""YAML that editors write, loaded with line numbers and without surprises.

YAML 1.1 turns an unquoted ``10:00`` into the number 600 and ``yes`` into
True, and a bad date such as ``2024-13-01`` raises without a line number.
So every scalar is kept as the string the editor typed; the typed schema
(``schema.py``) converts and validates it afterwards, and each value keeps
the line it came from so a problem can name it.

Before anything is built, the text is held to the bounds in limits.py: no
anchors or aliases (an alias bomb is refused, not expanded), a bounded number
of values and depth, no control characters; a file's size is read first.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import limits
from .files import status_stamp
from .problems import Problem

Loc = tuple  # a path into the data: ("hours", "friday", 0)
# libyaml's parser where installed (several times faster); it keeps line marks too
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LineMap:
    """Remembers on which line each key and item of a YAML document stands."""

    lines: dict[Loc, int] = field(default_factory=dict)
    offset: int = 0  # front matter starts after the opening '---'

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest parent that has one."""
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc] + self.offset
            if not loc:
                return None
            loc = loc[:-1]


# The YAML parser's own words for the mistakes editors make most, and the
# message that explains each in the editor's language; others are quoted as is.
_KNOWN_PROBLEMS = (
    ("scanning a quoted scalar", "yaml_unclosed_quote"),
    ("mapping values are not allowed", "yaml_colon"),
    ("did not find expected node content", "yaml_incomplete"),
    ("flow sequence", "yaml_incomplete"),
    ("flow mapping", "yaml_incomplete"),
    ("could not find expected ':'", "yaml_missing_colon"),
    ("found character that cannot start any token", "yaml_bad_start"),
    ("expected <block end>", "yaml_indent"),
    ("did not find expected key", "yaml_indent"),
    ("did not find expected '-' indicator", "yaml_indent"),
)


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def _plain_null(node: yaml.ScalarNode) -> bool:
    return node.style in (None, "") and node.value in ("", "~", "null", "Null", "NULL")  # libyaml: ""


def _to_python(node: yaml.Node, loc: Loc, lines: LineMap, path: str, problems: list[Problem]) -> Any:
    lines.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return None if _plain_null(node) else node.value
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, loc + (i,), lines, path, problems)
            for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in result:
                problems.append(Problem(path, key_node.start_mark.line + 1, ".".join(map(str, loc + (key,))),
                                        "yaml_duplicate_key", {"key": key}))
                continue
            lines.lines[loc + (key,)] = key_node.start_mark.line + 1
            result[key] = _to_python(value_node, loc + (key,), lines, path, problems)
        return result
    return None  # pragma: no cover - yaml has no other node kinds


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, LineMap, list[Problem]]:
    """Parse ``text`` into plain dicts, lists and strings.

    Returns the data, where each part stood, and the problems found
    (duplicate keys). A syntax error, or a bound of limits.py broken, raises
    ``YamlSyntaxError`` carrying a Problem with the line, since nothing else
    of the file can be trusted.
    """
    lines = LineMap(offset=line_offset)
    problems: list[Problem] = []
    text = text.lstrip("\ufeff")  # a BOM left by Windows editors
    try:
        beyond = limits.yaml_problem(text, yaml.parse(text, Loader=_LOADER), path, line_offset)
        if beyond:
            raise YamlSyntaxError(beyond)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else None
        detail = exc.problem or str(exc)
        source_lines = text.splitlines()
        if mark and mark.line < len(source_lines) and "\t" in source_lines[mark.line]:
            raise YamlSyntaxError(Problem(path, line, "", "yaml_tab", {})) from None
        for known, code in _KNOWN_PROBLEMS:
            if known in f"{exc.context or ''} {detail}":
                raise YamlSyntaxError(Problem(path, line, "", code, {})) from None
        raise YamlSyntaxError(Problem(path, line, "", "yaml_syntax", {"detail": detail})) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(path, None, "", "yaml_syntax", {"detail": str(exc)})) from None
    if node is None:
        return {}, lines, problems
    return _to_python(node, (), lines, path, problems), lines, problems


# path -> (its status: files.status_stamp, why it was refused): one check reads an office.yml in
# several checks, and a refusal near a bound costs reading up to the bound each time.
_refused: dict[Path, tuple[list[int], Problem]] = {}


def load_yaml_file(path: Path, display_path: str) -> tuple[Any, LineMap, list[Problem]]:
    if path.is_symlink():  # never read through a link (checks/office_folder.py)
        raise YamlSyntaxError(Problem(display_path, None, "", "symlink", {"target": os.readlink(path)}))
    key = status_stamp(path)
    if path in _refused and _refused[path][0] == key and _refused[path][1].path == display_path:
        raise YamlSyntaxError(_refused[path][1])
    try:
        too_large = limits.too_large(path, display_path)
        if too_large:
            raise YamlSyntaxError(too_large)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise YamlSyntaxError(Problem(display_path, None, "", "not_utf8", {})) from None
        return parse_yaml(text, display_path)
    except YamlSyntaxError as exc:
        _refused[path] = (key, exc.problem)
        raise
