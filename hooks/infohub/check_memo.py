"""The check of one file, taken from the build's last check when nothing it reads has changed.

Every build of an office checks it whole first (checks.site_report). At 1,500 posts that took
10 s of CPU, most of it in checks that look at one file at a time: the social texts a page
would be cut to (social/check.py), personal data (checks/privacy.py), HTML the build would
remove (checks/html.py), pictures (checks/images.py), the web editor's form of office.yml and
of the national files (checks/cms_form.py). The build gives its check a CheckMemo; those checks
ask it for each file's problems, and it answers from the last build's record when the key is the same, so one
edited post is examined again alone, with the same verdict, in the same order, as a whole check.

A file's key holds everything the check of that file reads:
- the file's own text (and, for the social texts, the page's address and language: its title,
  summary and hashtags are made from its text and the site's data);
- the site's data: the office.yml of each office in scope and the national data files (a
  change of either examines every file again, even where it could not matter: simple beats
  clever here);
- the code of the checks (``code_digest``: this package's files, the Python and the installed
  packages' versions).
No clock moment is in a key: none of these checks reads the clock (which pages are posted, by
their date, is decided before the memo is asked).

Checks that compare files with each other (links, duplicates, translations, a post's twins)
are run whole, as they are cheap. The record is kept in the build's cache (site/.cache/checks/,
as render_cache.py keeps its own); it holds only the keys the last check used, so it never grows
beyond the files there are. The record is read as untrusted: an entry that is not a list of
problems as the checks make them (their fields' types, a message that exists) is examined again
(valid_problems): a broken cache costs time, never the check. `make check` uses no memo: it
examines everything, every time.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from .files import read_record, write_record
from . import messages, paths
from .messages import Msg
from .problems import ERROR, WARNING, Problem

_FORMAT = 1  # of the record file: a record of another format is not read
_KEY_ENCODER = json.JSONEncoder(ensure_ascii=False, default=repr)  # json.dumps' with these, made once


@functools.lru_cache(maxsize=None)
def code_digest() -> str:
    """The checks' code as it runs: this package's files (strings and data too), the Python,
    and every installed package's version (nh3, stdnum, … decide what is found)."""
    package = Path(__file__).parent
    digest = hashlib.sha256(sys.version.encode() + b"\0")
    for file in sorted(package.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    digest.update("\n".join(installed_distributions()).encode())
    return digest.hexdigest()


def installed_distributions() -> list[str]:
    """Every installed package with its version, as its metadata folder is named
    ('nh3-0.2.17.dist-info'), in every folder Python imports from: what
    importlib.metadata.distributions() finds, without parsing each one's metadata
    (40 ms of every build of a site, more than the rest of an edit's check of a page)."""
    found = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found.update(name for name in names if name.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def data_digest(files: Iterable[Path]) -> str:
    """The site's data as the checks read it: each file's name and bytes (or its absence)."""
    digest = hashlib.sha256()
    for file in files:
        try:
            content = file.read_bytes()
        except OSError:
            content = b"\0missing"
        digest.update(str(file).encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def text_digest(text: str) -> str:
    """A text's hash, taken once while paths.files_unchanged holds: four checks key each page by
    it. Kept under the text itself (its hash is Python's, cached in the string), which the
    build holds already (content.source_text)."""
    return paths.kept_value("digest", text, lambda: hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


class CheckMemo:
    """The per-file problems of one site's check: the last check's, and this one's for the next.
    ``record``: where they are kept; None examines every file (and keeps nothing)."""

    def __init__(self, record: Path | None = None) -> None:
        self.record = record
        self.previous = read_record(record, _FORMAT, "entries") if record is not None else {}
        self.current: dict[str, list] = {}
        self.context = ""  # the site's data (set_context)
        self._prefix: tuple[str, object] | None = None  # (context, hash of the key's start): _key
        self.examined: Counter[str] = Counter()  # per check: the files examined …
        self.reused: Counter[str] = Counter()  # … and those whose problems were taken from the record

    def set_context(self, data_files: Iterable[Path]) -> None:
        """What every file's check reads besides the file: see the module's docstring."""
        if self.record is not None:
            self.context = data_digest(data_files)

    def problems(self, check: str, parts: tuple, examine: Callable[[], list[Problem]]) -> list[Problem]:
        """The problems ``examine`` finds, or the same ones from the record when ``parts`` (the
        file's name and text, and what else this check of it reads) are the same."""
        if self.record is None:
            self.examined[check] += 1
            return examine()
        key = self._key(check, parts)
        stored = self.previous.get(key)
        kept = valid_problems(stored) if stored is not None else None
        if kept is not None:
            self.reused[check] += 1
            self.current[key] = stored
            return kept
        self.examined[check] += 1
        found = examine()
        encoded = encode_problems(found)
        if encoded is not None:
            self.current[key] = encoded
        return found

    def _key(self, check: str, parts: tuple) -> str:
        """The hash of the JSON list [code digest, context, check, *parts]: its first two items
        hashed once (``_prefix``), the rest by one encoder (a check asks for every file: 2,400
        keys an edit at 300 posts, half their time in making the same start and a new encoder)."""
        if self._prefix is None or self._prefix[0] != self.context:
            start = json.dumps([code_digest(), self.context], ensure_ascii=False)[:-1] + ", "
            self._prefix = (self.context, hashlib.sha256(start.encode("utf-8", "surrogatepass")))
        digest = self._prefix[1].copy()
        digest.update(_KEY_ENCODER.encode([check, *parts])[1:].encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def save(self) -> None:
        if self.record is None:
            return
        try:
            write_record(self.record, _FORMAT, "entries", self.current)
        except OSError:
            pass  # a memo not kept costs the next check its time, never its verdict


# --- problems as JSON -------------------------------------------------------------


def _encode_value(value):
    if isinstance(value, Msg):
        return {"msg": value.key, "values": {k: _encode_value(v) for k, v in value.values.items()}}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(type(value).__name__)


def _decode_value(value):
    if isinstance(value, dict):
        return Msg(value["msg"], {k: _decode_value(v) for k, v in value["values"].items()})
    return value


def _encode(problem: Problem) -> list:
    return [problem.path, problem.line, problem.key, problem.code,
            {k: _encode_value(v) for k, v in problem.values.items()}, problem.severity]


def _decode(stored: list) -> Problem:
    path, line, key, code, values, severity = stored
    return Problem(path, line, key, code, {k: _decode_value(v) for k, v in values.items()}, severity)


def decode_problems(stored: list) -> list[Problem]:
    return [_decode(p) for p in stored]


def valid_problems(stored) -> list[Problem] | None:
    """The problems a record holds, or None when it holds something else: an entry of a broken (or
    tampered) record is examined again, it never stops the check (a cache costs time only)."""
    if not isinstance(stored, list) or not all(_is_problem(p) for p in stored):
        return None
    return decode_problems(stored)


def _is_problem(stored) -> bool:
    if not (isinstance(stored, list) and len(stored) == 6):
        return False
    path, line, key, code, values, severity = stored
    return (isinstance(path, str) and (line is None or type(line) is int) and isinstance(key, str)
            and isinstance(code, str) and messages.has(f"problem.{code}", "id") and severity in (ERROR, WARNING)
            and _is_values(values))


def _is_values(values) -> bool:
    return isinstance(values, dict) and all(isinstance(k, str) and _is_value(v) for k, v in values.items())


def _is_value(value) -> bool:
    if isinstance(value, dict):  # a message (_encode_value)
        return (value.keys() == {"msg", "values"} and isinstance(value["msg"], str)
                and messages.has(value["msg"], "id") and _is_values(value["values"]))
    return value is None or isinstance(value, (str, int, float, bool))


def encode_problems(problems: list[Problem]) -> list | None:
    """The problems as JSON, or None when one would not come back the same (then they are not
    kept, and the file is examined again next time)."""
    try:
        encoded = [_encode(p) for p in problems]
    except TypeError:
        return None
    back = [_decode(p) for p in json.loads(json.dumps(encoded))]
    if any(a != b or a.values != b.values or type(a.line) is not type(b.line) for a, b in zip(problems, back)):
        return None
    return encoded
