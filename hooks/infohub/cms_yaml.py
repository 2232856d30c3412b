"""A data file written exactly as the web editor writes it, so that a save there changes only
the lines the editor changed.

Sveltia CMS (0.221.1) does not edit a file: it reads it, and on save writes the whole file
anew from the form (src/lib/services/contents/draft/save/serialize.js and file/format.js in
the package's source map), with eemeli's `yaml` library (2.9.1):

- keys in the order of the form's fields, nested keys in the order of their object's or list
  item's fields; keys the form does not name follow, sorted by their flattened paths
  ('name.en' before 'name.id': their nested keys are sorted too; ``collation_key``);
- an optional field with an empty value (nothing, '', [] or {}) left out, since the
  configuration says ``output.omit_empty_optional_fields`` (OUTPUT below);
- every list as a block list ('- item' lines, indented under its key), never [a, b];
- a string plain where YAML 1.2 reads it back as that string, else in 'single quotes'
  ("double" when it holds a ' or a control character), a text of several lines as a '|'
  block; lines never folded (lineWidth 0); no comments.

A file in that form is the CMS's fixed point: opened and saved with one value changed, only
that value's lines change. An office.yml is opened by two forms, the office's own (a few keys)
and the national team's (every key): the national one lists its fields in the order the office's
writes them (``office_editor_order``), so the file is both forms' fixed point.
``canonical_text`` writes a file in that form from its text, and
keeps every value's text as the repository reads it (yamlsource.py: each value is the string
written): a value the CMS would read as another number or truth than it says (+62…, 007,
True) stays quoted, so neither reader sees a fact change. `make check` refuses a file not in
that form (checks/cms_form.py); ``python -m infohub format-office SLUG`` rewrites it.

The national files the national team's editor opens (cms_config.NATIONAL_FILES: national/fees.yml,
faq.yml...) are held to the same form, each with its own form's fields (``national_fields``):
``python -m infohub format-national`` rewrites them. A YAML anchor and its aliases (&per_application,
*per_application) are written out as the value they stand for, each time, as the CMS writes them.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

import yaml

from .yamlsource import parse_yaml

# The CMS's output settings (cms_config.py writes them into config.yml): the form below is
# written for exactly these. The library's defaults, written out so that they stay pinned.
OUTPUT = {"omit_empty_optional_fields": True,
          "yaml": {"indent_size": 2, "indent_sequences": True, "quote": "none"}}
_STEP = " " * OUTPUT["yaml"]["indent_size"]


# --- what the CMS reads: YAML 1.2's core schema -----------------------------------------------

class _Str(str):
    """A string the CMS reads as a string (quoted in the file, or plain and no other type)."""


# yaml 2.9.1 schema/core: the plain scalars that are not strings, tested in this order
_CORE_NULL = re.compile(r"(?:~|[Nn]ull|NULL)?")
_CORE_BOOL = re.compile(r"[Tt]rue|TRUE|[Ff]alse|FALSE")
_CORE_NUMBER = (
    (re.compile(r"0o[0-7]+"), lambda s: int(s[2:], 8)),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda s: int(s[2:], 16)),
    (re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN"), float),
    (re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+"), float),
    (re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)"), float),
)


def js_number(value: float) -> str:
    """A number as JavaScript writes it (Number.prototype.toString, yaml's stringifyNumber)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    digits_t, exponent = Decimal(repr(abs(value))).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits_t))
    k, n = len(digits), len(digits) + exponent  # n: where the decimal point falls
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = digits[0] + (f".{digits[1:]}" if k > 1 else "") + f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


class _Plain:
    """A plain scalar the CMS reads as a number or truth and writes back as the same text."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text


def _scalar(node: yaml.ScalarNode) -> Any:
    """What the CMS holds for a scalar, in terms that keep the file's text: None (empty),
    _Plain (a number or truth that the CMS writes back as written) or _Str."""
    text = node.value
    if node.style not in (None, ""):
        return _Str(text)
    if _CORE_NULL.fullmatch(text):
        return None
    if _CORE_BOOL.fullmatch(text):
        return _Plain(text) if text in ("true", "false") else _Str(text)
    for pattern, read in _CORE_NUMBER:
        if pattern.fullmatch(text):
            return _Plain(text) if js_number(float(read(text))) == text else _Str(text)
    return _Str(text)


def _tree(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_tree(item) for item in node.value]
    return {_key(k): _tree(v) for k, v in node.value}  # duplicate keys: the last wins, as in the CMS


def _key(node: yaml.Node) -> Any:
    return _scalar(node) if isinstance(node, yaml.ScalarNode) else _Str(str(node.value))


# --- which fields the form has: order and omission ----------------------------------------------

def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _required(field: dict) -> bool:
    return field.get("required", True) is not False  # Sveltia: a field is required unless it says not


def _ordered(value: Any, field: dict | None) -> Any:
    """``value`` as the form of ``field`` writes it: keys in field order, empty optional values out."""
    if field is None:  # not in the form: its nested keys sorted, as the CMS writes what it does not name
        return _unnamed({"": value})[""]
    if isinstance(value, dict) and "fields" in field:
        return _object(value, field["fields"])
    if isinstance(value, list) and field.get("widget") == "list":
        if "fields" in field:
            return [_object(item, field["fields"]) if isinstance(item, dict) else _ordered(item, None)
                    for item in value]
        item_field = field.get("field") or {}
        return [_ordered(item, item_field) for item in value]
    return _ordered(value, None)


def _object(value: dict, fields: list[dict]) -> dict:
    out: dict = {}
    for field in fields:
        name = field["name"]
        matches = [k for k in value if str(k) == name]
        if not matches:
            continue
        child = _ordered(value[matches[-1]], field)
        if _empty(child) and not (_required(field) and not _emptied(value[matches[-1]])):
            continue
        out[matches[-1]] = child
    named = {f["name"] for f in fields}
    out.update(_unnamed({k: v for k, v in value.items() if str(k) not in named}))
    return out


def _emptied(original: Any) -> bool:
    """A collection that had values, all of them left out: the CMS leaves its key out too."""
    return isinstance(original, (dict, list)) and bool(original)


# --- the keys the form does not name: sorted as the CMS sorts them -------------------------------
# The CMS holds an entry flattened ('name.en', 'hours.friday.0'), writes the paths its form names,
# then sorts the rest (serialize.js, finalizeContent) with Intl.Collator(undefined, {numeric: true,
# sensitivity: 'base'}) and unflattens them: ICU's root order, in which punctuation and symbols
# come first (in this order), then digits, a run of them compared as a number ('5' before '10'),
# then letters, case and accents ignored.
_SYMBOLS = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_COLLATION_UNIT = re.compile(r"[0-9]+|.", re.S)


def collation_key(text: str) -> tuple:
    """A sort key that orders key paths as the CMS's collator does (for the ASCII of keys and ids;
    another character sorts as its letter without accent, which is enough for keys of office.yml)."""
    key = []
    for unit in _COLLATION_UNIT.findall(text):
        if unit.isdigit():
            key.append((2, int(unit), ""))
        elif unit in _SYMBOLS:
            key.append((1, _SYMBOLS.index(unit), ""))
        else:
            key.append((3, 0, unicodedata.normalize("NFKD", unit)[0].casefold()))
    return tuple(key)


def _flat(value: Any, path: tuple) -> list[tuple[tuple, Any]]:
    """(path, value) of each value below ``value``: a list's items by their index (an int)."""
    if isinstance(value, dict) and value:
        return [pair for k, v in value.items() for pair in _flat(v, (*path, k))]
    if isinstance(value, list) and value:
        return [pair for i, v in enumerate(value) for pair in _flat(v, (*path, i))]
    return [(path, value)]


def _unnamed(value: dict) -> dict:
    """``value`` as the CMS writes keys its form does not name: flattened, sorted by path, rebuilt."""
    pairs = sorted((pair for k, v in value.items() for pair in _flat(v, (k,))),
                   key=lambda pair: collation_key(".".join(map(str, pair[0]))))
    out: dict = {}
    for path, leaf in pairs:
        node: Any = out
        for step, following in zip(path, path[1:]):
            if isinstance(node, list):
                if step == len(node):
                    node.append([] if isinstance(following, int) else {})
            elif step not in node:
                node[step] = [] if isinstance(following, int) else {}
            node = node[step]
        if isinstance(node, list):
            node.append(leaf)
        else:
            node[path[-1]] = leaf
    return out


def office_editor_order(fields: list[dict], edited: tuple[str, ...]) -> list[dict]:
    """An office.yml's full form (the national team's) in the order an office's own editor, whose
    form names only ``edited``, writes the file: those fields in that order, then the others as
    the CMS sorts keys it does not name, their nested fields too. So a save from either editor
    changes only what was changed; the price is the national form's order ('name' after 'map_url',
    English before Indonesian in what the office does not edit)."""
    named = [f for key in edited for f in fields if f["name"] == key]
    return named + _sorted_fields([f for f in fields if f["name"] not in edited])


def _sorted_fields(fields: list[dict]) -> list[dict]:
    def path(field: dict) -> tuple:  # an object's or list's first path goes on with a '.'
        nested = "fields" in field or field.get("widget") == "list" or field.get("multiple")
        return collation_key(field["name"] + ("." if nested else ""))
    return [{**f, "fields": _sorted_fields(f["fields"])} if "fields" in f else f for f in sorted(fields, key=path)]


# --- the text: eemeli/yaml 2.9.1's stringify with the CMS's options ---------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_INDICATOR = re.compile(r"^[\n\t ,\[\]{}#&*!|>'\"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$")
_DOCUMENT_MARKER = re.compile(r"^(%|---|\.\.\.)", re.M)
_BLOCK_END_NEWLINES = re.compile(r"(^|(?<!\n))\n+(?!\n|\Z)")
_DOUBLE_MIN_MULTILINE = 40  # doubleQuotedMinMultiLineLength


def _core_typed(text: str) -> bool:
    return bool(_CORE_NULL.fullmatch(text) or _CORE_BOOL.fullmatch(text)
                or any(p.fullmatch(text) for p, _ in _CORE_NUMBER))


def _double_quoted(value: str, indent: str, key: bool) -> str:
    js = json.dumps(value, ensure_ascii=False)  # JSON.stringify: the same escapes for these characters
    indent = indent or ("  " if _DOCUMENT_MARKER.search(value) else "")
    out, start, i = "", 0, 0
    while i < len(js):
        ch = js[i]
        if ch == " " and js[i + 1:i + 3] == "\\n":  # a space before a line break stays a space
            out += js[start:i] + "\\ "
            i += 1
            start = i
            ch = "\\"
        if ch == "\\":
            nxt = js[i + 1] if i + 1 < len(js) else ""
            if nxt == "u":
                out += js[start:i]
                code = js[i + 2:i + 6]
                named = {"0000": "\\0", "0007": "\\a", "000b": "\\v", "001b": "\\e", "0085": "\\N",
                         "00a0": "\\_", "2028": "\\L", "2029": "\\P"}
                out += named.get(code) or (f"\\x{code[2:]}" if code[:2] == "00" else js[i:i + 6])
                i += 5
                start = i + 1
            elif nxt == "n":
                if key or js[i + 2:i + 3] == '"' or len(js) < _DOUBLE_MIN_MULTILINE:
                    i += 1
                else:  # a line break becomes a real one
                    out += js[start:i] + "\n\n"
                    while js[i + 2:i + 4] == "\\n" and js[i + 4:i + 5] != '"':
                        out += "\n"
                        i += 2
                    out += indent
                    if js[i + 2:i + 3] == " ":
                        out += "\\"
                    i += 1
                    start = i + 1
            else:
                i += 1
        i += 1
    return out + js[start:] if start else js


def _single_quoted(value: str, indent: str, key: bool) -> str:
    if (key and "\n" in value) or re.search(r"[ \t]\n|\n[ \t]", value):
        return _double_quoted(value, indent, key)
    indent = indent or ("  " if _DOCUMENT_MARKER.search(value) else "")
    return "'" + re.sub(r"\n+", lambda m: m.group(0) + "\n" + indent, value.replace("'", "''")) + "'"


def _quoted(value: str, indent: str, key: bool) -> str:
    if '"' in value and "'" not in value:
        return _single_quoted(value, indent, key)
    if "'" in value and '"' not in value:
        return _double_quoted(value, indent, key)
    return _single_quoted(value, indent, key)


def _block(value: str, indent: str) -> str:
    """A literal block ('|'): the library's choice for text of several lines when nothing folds."""
    if re.search(r"\n[\t ]+\Z", value):
        return _quoted(value, indent, False)
    end_start = len(value)
    while end_start > 0 and value[end_start - 1] in "\n\t ":
        end_start -= 1
    end = value[end_start:]
    if "\n" not in end:
        chomp = "-"
    elif value == end or end.index("\n") != len(end) - 1:
        chomp = "+"
    else:
        chomp = ""
    if end:
        value = value[:-len(end)]
        if end.endswith("\n"):
            end = end[:-1]
        end = _BLOCK_END_NEWLINES.sub(lambda m: m.group(0) + indent, end)
    start_with_space, start_nl, start_end = False, -1, 0
    while start_end < len(value):
        ch = value[start_end]
        if ch == " ":
            start_with_space = True
        elif ch == "\n":
            start_nl = start_end
        else:
            break
        start_end += 1
    start = value[:start_nl + 1 if start_nl < start_end else start_end]
    if start:
        value = value[len(start):]
        start = re.sub(r"\n+", lambda m: m.group(0) + indent, start)
    header = ("2" if indent else "1") + chomp if start_with_space else chomp
    value = re.sub(r"\n+", lambda m: m.group(0) + indent, value)
    return f"|{header}\n{indent}{start}{value}{end}"


def _string(value: str, indent: str, key: bool = False) -> str:
    if _CONTROL.search(value):
        return _double_quoted(value, indent, key)
    if key and "\n" in value:
        return _quoted(value, indent, key)
    if _INDICATOR.search(value):
        return _quoted(value, indent, key) if key or "\n" not in value else _block(value, indent)
    if not key and "\n" in value:
        return _block(value, indent)
    if _DOCUMENT_MARKER.search(value) and key and indent == _STEP:
        return _quoted(value, indent, key)
    if _core_typed(value):
        return _quoted(value, indent, key)
    return value


def _scalar_text(value: Any, indent: str, key: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, _Plain):
        return value.text
    return _string(str(value), indent, key)


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")


def _js_key_order(mapping: dict) -> list:
    """A JavaScript object's keys: those that read as array indices first, ascending, then the rest
    in insertion order."""
    def index(key):
        text = key.text if isinstance(key, _Plain) else str(key)
        return int(text) if _ARRAY_INDEX.fullmatch(text) and int(text) < 2 ** 32 - 1 else None
    indices = sorted((k for k in mapping if index(k) is not None), key=index)
    return indices + [k for k in mapping if index(k) is None]


def _node_text(value: Any, indent: str) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        return f"\n{indent}".join(_pair_text(k, value[k], indent) for k in _js_key_order(value))
    if isinstance(value, list):
        if not value:
            return "[]"
        return f"\n{indent}".join("- " + _node_text(item, indent + "  ") for item in value)
    return _scalar_text(value, indent)


def _pair_text(key: Any, value: Any, indent: str) -> str:
    inner = indent + _STEP
    text = _scalar_text(key, inner, key=True) + ":"
    written = _node_text(value, inner)
    if isinstance(value, (dict, list)) and value:
        return f"{text}\n{inner}{written}"
    return text + ("" if written == "" or written.startswith("\n") else " ") + written


def canonical_text(text: str, fields: list[dict], path: str = "") -> str:
    """``text`` (a YAML mapping) as the CMS writes it with the form ``fields``. Raises
    yamlsource.YamlSyntaxError for a file the check cannot read."""
    parse_yaml(text, path)  # the bounds and the syntax, with the check's own errors
    node = yaml.compose(text.lstrip("\ufeff"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(node, yaml.MappingNode):
        return text
    data = _object(_tree(node), fields)
    return _node_text(data, "").strip() + "\n"  # formatEntryFile: trimmed, one line break


def data_text(data: dict, fields: list[dict]) -> str:
    """A new file's text from data whose values are all strings (lists and mappings of them),
    as the CMS would write it: scaffold.py's office.yml."""
    def strings(value):
        if isinstance(value, dict):
            return {_Str(k): strings(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strings(v) for v in value]
        return None if value is None else _Str(value)
    return _node_text(_object(strings(data), fields), "").strip() + "\n"
