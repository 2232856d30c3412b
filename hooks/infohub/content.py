"""Load and validate content: office data, national data and page front matter.

Each loader returns what it could read and every problem it found, so a
check reports all problems of all files in one pass. Nothing here raises
on bad content; callers decide what to build from what is valid.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, TypeVar
from zoneinfo import ZoneInfo

import frontmatter
from pydantic import BaseModel, ValidationError

from . import limits, paths
from .check_memo import code_digest, decode_problems, encode_problems
from .clock import build_moment
from .files import read_record, status_stamp, text_of, write_record
from .messages import Msg
from .problems import WARNING, Problem
from .schema import (Closure, Defaults, FeeSchedule, FrontMatter, NationalAlert, NationalFaq, Office,
                     ServiceCatalogue)
from .social.since import since_problems
from .yamlsource import LineMap, YamlSyntaxError, load_yaml_file, parse_yaml

M = TypeVar("M", bound=BaseModel)


# --- from pydantic's errors to an editor's problems --------------------------

def _field_keys(model: type[BaseModel]) -> list[str]:
    return sorted((f.alias or name) for name, f in model.model_fields.items())


def _unwrap(annotation: Any) -> Any:
    """The model inside Optional[...], list[...], dict[..., ...], Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin in (list, tuple):
            return annotation
        elif origin is dict:
            return annotation
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Follow a location such as ('hours', 'closures', 0) down the model classes."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if origin in (list, tuple) and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            fields = {(f.alias or n): f for n, f in current.model_fields.items()}
            if part not in fields:
                return None
            current = fields[part].annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_SIMPLE_FORMS = {
    "bool_parsing": "bool", "bool_type": "bool",
    "int_parsing": "integer", "int_type": "integer",
    "float_parsing": "number", "string_type": "text",
    "list_type": "list", "tuple_type": "list",
    "dict_type": "mapping", "model_type": "mapping", "model_attributes_type": "mapping",
}


def problems_from_validation(exc: ValidationError, model: type[BaseModel], path: str,
                             lines: LineMap, base_loc: tuple = ()) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        kind = error["type"]
        value = error.get("input")
        key = ".".join(str(p) for p in base_loc + loc)
        line = lines.line_of(base_loc + loc)
        if kind == "form":
            extra = {k: v for k, v in ctx.items() if k not in ("form", "value")}
            code, values = "expected", {"form": Msg("form." + ctx["form"], extra), "value": _shown(ctx["value"])}
        elif kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = ", ".join(_field_keys(parent)) if parent else ""
            code, values = "unknown_key", {"key": loc[-1], "allowed": allowed}
        elif kind == "missing":
            code, values = "missing_key", {}
        elif kind == "literal_error":
            # pydantic lists the choices in English ("'a', 'b' or 'c'"): the last joint is the reader's
            first, joint, last = str(ctx.get("expected", "")).rpartition(" or ")
            choices = Msg("problem.one_of_choices", {"first": first, "last": last}) if joint else last
            code, values = "one_of", {"choices": choices, "value": _shown(value)}
        elif kind in _SIMPLE_FORMS:
            code, values = "expected", {"form": Msg("form." + _SIMPLE_FORMS[kind]), "value": _shown(value)}
        else:  # pragma: no cover - a kind of error the schema does not produce yet
            code, values = "invalid", {"detail": error["msg"]}
        problems.append(Problem(path, line, key, code, values))
    return problems


def _shown(value: Any) -> str:
    """How a bad value is quoted back: as typed, short."""
    if isinstance(value, (dict, list)):
        text = "{…}" if isinstance(value, dict) else "[…]"
    else:
        text = limits.printable("" if value is None else str(value))
    return text if len(text) <= 60 else text[:57] + "…"


def validate_data(data: Any, model: type[M], path: str, lines: LineMap,
                  context: dict | None = None) -> tuple[M | None, list[Problem]]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "", "expected", {"form": Msg("form.mapping"), "value": _shown(data)})]
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, model, path, lines)


def load_model(file: Path, model: type[M]) -> tuple[M | None, list[Problem]]:
    value, problems, _ = _load_model_with_lines(file, model)
    return value, problems


def _load_model_with_lines(file: Path, model: type[M],
                           context: dict | None = None) -> tuple[M | None, list[Problem], LineMap]:
    """The model, its problems, and where each key stands (for checks made afterwards)."""
    shown = paths.rel(file)
    if not file.exists():
        return None, [Problem(shown, None, "", "file_missing", {})], LineMap()
    try:
        data, lines, problems = load_yaml_file(file, shown)
    except YamlSyntaxError as exc:
        return None, [exc.problem], LineMap()
    value, more = validate_data(data, model, shown, lines, context)
    problems += more
    return (value if not problems else None), problems, lines


# --- national data -------------------------------------------------------------


@dataclass(frozen=True)
class National:
    fees: FeeSchedule
    services: ServiceCatalogue
    faq: NationalFaq
    defaults: Defaults
    alert: NationalAlert | None = None  # national/alert.yml, optional: a crisis on every site

    @functools.cached_property
    def fee_ids(self) -> set[str]:
        return {fee.id for fee in self.fees.fees}

    @functools.cached_property
    def service_ids(self) -> set[str]:
        return {s.id for s in self.services.services}


_NATIONAL_FILES = ("fees.yml", "services.yml", "faq.yml", "defaults.yml", "alert.yml")
NATIONAL_TIMEZONE = "Asia/Jakarta"  # WIB: national/alert.yml's times without a zone
# folder -> (the files' status, what load_national found): every site's check and build reads
# the national data, often in the same process (and `make serve` in one process while it is edited).
_national: dict[Path, tuple[tuple, tuple]] = {}


def _stat(file: Path) -> list[int] | None:
    """The file's status (files.status_stamp: its size and modification time would not tell
    a file rewritten by `cp -p`), None for a file that is not there."""
    try:
        return status_stamp(file)
    except OSError:
        return None


def load_national(root: Path | None = None) -> tuple[National | None, list[Problem]]:
    """The national data and its problems, read once while its files are unchanged."""
    folder = (root or paths.root()) / "national"
    key = tuple(_stat(folder / name) for name in _NATIONAL_FILES)
    cached = _national.get(folder)
    if cached is None or cached[0] != key:
        cached = _national[folder] = (key, _read_national(folder))
    national, problems, expires_line = cached[1]
    problems = list(problems)
    # the clock, not the files, decides this: not kept with what was read
    if national is not None and national.alert is not None and national_alert_expired(national.alert,
                                                                                      NATIONAL_TIMEZONE):
        problems.append(Problem(paths.rel(folder / "alert.yml"), expires_line, "expires", "national_alert_expired",
                                {"value": _moment(national.alert.expires)}, severity=WARNING))
    return national, problems


def _read_national(folder: Path) -> tuple[National | None, list[Problem], int | None]:
    faq, faq_problems, faq_lines = _load_model_with_lines(folder / "faq.yml", NationalFaq)
    parts = {
        "fees": load_model(folder / "fees.yml", FeeSchedule),
        "services": load_model(folder / "services.yml", ServiceCatalogue),
        "faq": (faq, faq_problems),
        "defaults": load_model(folder / "defaults.yml", Defaults),
    }
    alert, alert_problems, alert_lines = _load_national_alert(folder / "alert.yml")
    problems = [p for _, found in parts.values() for p in found] + alert_problems
    if problems:
        return None, problems, None
    national = National(**{name: value for name, (value, _) in parts.items()}, alert=alert)
    problems += _national_references(national, folder)
    problems += duplicate_faq_ids(national.faq.faq, paths.rel(folder / "faq.yml"), faq_lines)
    return (national if not problems else None), problems, alert_lines.line_of(("expires",))


def _load_national_alert(file: Path) -> tuple[NationalAlert | None, list[Problem], LineMap]:
    """national/alert.yml: no file, or one of comments only, is no alert."""
    if not file.exists():
        return None, [], LineMap()
    try:
        data, lines, problems = load_yaml_file(file, paths.rel(file))
    except YamlSyntaxError as exc:
        return None, [exc.problem], LineMap()
    if data in (None, {}) and not problems:
        return None, [], lines
    alert, more = validate_data(data, NationalAlert, paths.rel(file), lines)
    problems += more
    return (alert if not problems else None), problems, lines


def _national_references(national: National, folder: Path) -> list[Problem]:
    problems = []
    shown = paths.rel(folder / "services.yml")
    for service in national.services.services:
        for fee in service.fees:
            if fee not in national.fee_ids:
                problems.append(Problem(shown, None, f"services.{service.id}.fees", "unknown_ref",
                                        {"value": fee, "choices": ", ".join(sorted(national.fee_ids))}))
    shown = paths.rel(folder / "faq.yml")
    for entry in national.faq.faq:
        if entry.topic not in national.faq.topics:
            problems.append(Problem(shown, None, f"faq.{entry.id}.topic", "unknown_ref",
                                    {"value": entry.topic, "choices": ", ".join(sorted(national.faq.topics))}))
    return problems


def duplicate_faq_ids(entries: list, shown: str, lines: LineMap) -> list[Problem]:
    """A question id used twice in one file: the later entry would silently replace the first."""
    problems, first = [], {}
    for i, entry in enumerate(entries):
        line = lines.line_of(("faq", i, "id"))
        if entry.id in first:
            problems.append(Problem(shown, line, f"faq.{i}.id", "faq_duplicate_id",
                                    {"value": entry.id, "first": first[entry.id]}))
        else:
            first[entry.id] = line
    return problems


# --- one office --------------------------------------------------------------------


def load_office(slug: str, national: National | None, root: Path | None = None) -> tuple[Office | None, list[Problem]]:
    file = (root or paths.root()) / "offices" / slug / "office.yml"
    if not paths.is_office_slug(slug):  # no office until renamed: its domain and secrets derive from the name
        return None, [Problem(paths.rel(file), None, "", "office_folder_name",
                              {"value": slug, "longest": paths.OFFICE_SLUG_LENGTH,
                               "reserved": ", ".join(paths.RESERVED_SLUGS)})]
    office, problems, lines = _load_model_with_lines(file, Office, {"slug": slug})  # secret names derive from it
    if office is None or national is None:
        return office, problems
    problems += _office_references(office, national, paths.rel(file), lines, slug)
    has_errors = any(p.severity != WARNING for p in problems)
    return (None if has_errors else office), problems


def _office_references(office: Office, national: National, shown: str, lines: LineMap, slug: str) -> list[Problem]:
    problems = []

    def unknown(loc: tuple, value: str, choices: set[str]) -> None:
        problems.append(Problem(shown, lines.line_of(loc), ".".join(map(str, loc)), "unknown_ref",
                                {"value": value, "choices": ", ".join(sorted(choices))}))

    for i, service in enumerate(office.services or []):
        if service not in national.service_ids:
            unknown(("services", i), service, national.service_ids)
    for i, fee in enumerate(office.fees.not_served):
        if fee not in national.fee_ids:
            unknown(("fees", "not_served", i), fee, national.fee_ids)
    for fee in office.fees.overrides:
        if fee not in national.fee_ids:
            unknown(("fees", "overrides", fee), fee, national.fee_ids)
    for i, entry in enumerate(office.faq):
        if entry.topic not in national.faq.topics:
            unknown(("faq", i, "topic"), entry.topic, set(national.faq.topics))
    problems += duplicate_faq_ids(office.faq, shown, lines)
    if office.alert is not None and alert_expired(office.alert, office.timezone):
        problems.append(Problem(shown, lines.line_of(("alert", "expires")), "alert.expires", "alert_expired",
                                {"value": _moment(office.alert.expires)}, severity=WARNING))
    problems += since_problems(office, shown, lines)
    if office.domain != f"{slug}.id":
        problems.append(Problem(shown, lines.line_of(("domain",)), "domain", "domain_not_slug",
                                {"value": office.domain, "expected": f"{slug}.id"}, severity=WARNING))
    return problems


def _moment(value: dt.date | dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.isoformat()


def alert_expired(alert, timezone: str, now: dt.datetime | None = None) -> bool:
    """Whether the site-wide banner's time is over: a bare date lasts through the end of that day,
    a time without a zone is in the office's."""
    return (now or build_moment()) >= alert_ends(alert, timezone)


def alert_ends(alert, timezone: str) -> dt.datetime:
    """The moment an alert stops showing (see alert_expired), zone-aware."""
    expires = alert.expires
    if not isinstance(expires, dt.datetime):
        expires = dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(0, 0))
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=ZoneInfo(timezone))
    return expires


def closure_span(closure: Closure, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of a closure in the office's zone: its whole day, or until 'until' that day."""
    tz = ZoneInfo(timezone)
    start = dt.datetime.combine(closure.date, dt.time(0, 0), tzinfo=tz)
    if closure.until:
        hours, minutes = map(int, closure.until.split(":"))
        return start, start.replace(hour=hours, minute=minutes)
    return start, dt.datetime.combine(closure.date + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)


def national_alert_ends(alert, timezone: str) -> dt.datetime:
    """When national/alert.yml stops showing on a site in ``timezone``: a bare date lasts
    through the end of that day there; a time without a zone is WIB, the same moment everywhere."""
    return alert_ends(alert, timezone if not isinstance(alert.expires, dt.datetime) else NATIONAL_TIMEZONE)


def national_alert_expired(alert, timezone: str, now: dt.datetime | None = None) -> bool:
    return (now or build_moment()) >= national_alert_ends(alert, timezone)


# --- pages ---------------------------------------------------------------------------


@dataclass(frozen=True)  # shared: load_page caches it
class PageSource:
    """A Markdown file's validated front matter and body."""

    path: Path
    meta: FrontMatter
    body: str


_FM = frontmatter.YAMLHandler()


# path -> (size and modification time, what load_page found, its entry in the build's record of
# front matter): the news list, feeds, social posts and structured data all read the same posts
# in every language build.
_pages: dict[Path, tuple[tuple[int, int], tuple, tuple | None]] = {}


def load_page(file: Path) -> tuple[PageSource | None, list[Problem]]:
    """A page's validated front matter and body, read once while the file is unchanged; while
    paths.files_unchanged holds, not even asked whether it changed (a check and a build ask for
    each post several times: its front matter, its translations, the lists, the social texts)."""
    return paths.kept_value("page", file, lambda: _load_page(file))


def _load_page(file: Path) -> tuple[PageSource | None, list[Problem]]:
    key = status_stamp(file)
    cached = _pages.get(file)
    if cached is None or cached[0] != key:
        found, entry = _read_page(file)
        cached = _pages[file] = (key, found, entry)
    elif cached[2] is not None and _kept_pages is not None:
        _kept_pages.current.setdefault(*cached[2])  # read by another site's build in this process
    return cached[1]


# --- front matter kept between builds --------------------------------------------------
# Every build of a site reads the front matter of all its pages (the check, the news lists, the
# feeds, the social posts): at 1,500 posts, parsing and checking them again after one edit cost
# a third of a second. While a site is built (build.build_site holds ``pages_kept``), what
# _read_page found in a page is kept in the build's cache under the hash of everything it
# depends on (the page's text and name as shown, and the code: check_memo.code_digest), and an
# unchanged page is taken from there: its problems, or the parsed front matter, validated again
# (a cheap step, and what makes the typed values). A record or entry that cannot be read is
# ignored (the page is read anew); an office's text only ever chooses its own key.

_PAGES_FORMAT = 1


class _KeptPages:
    def __init__(self, record: Path) -> None:
        self.record = record
        self.previous = read_record(record, _PAGES_FORMAT, "pages")
        self.current: dict[str, dict] = {}

    @staticmethod
    def key(shown: str, text: str) -> str:
        return hashlib.sha256(f"{code_digest()}\0{shown}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def save(self) -> None:
        if self.current != self.previous:
            try:
                write_record(self.record, _PAGES_FORMAT, "pages", self.current)
            except OSError:
                pass  # a record not kept costs the next build its time, never its result


_kept_pages: _KeptPages | None = None


@contextlib.contextmanager
def pages_kept(record: Path) -> Iterator[None]:
    """Take the front matter of unchanged pages from ``record`` and keep this build's in it."""
    global _kept_pages
    outer, _kept_pages = _kept_pages, _KeptPages(record)
    try:
        yield
    finally:
        kept, _kept_pages = _kept_pages, outer
        kept.save()


def _from_entry(file: Path, shown: str, text: str, entry: dict) -> tuple[PageSource | None, list[Problem]]:
    if "problems" in entry:
        problems = decode_problems(entry["problems"])
        if not problems:
            raise ValueError("a page refused without a problem")
        return None, problems
    if entry.get("plain") is True:
        return PageSource(file, FrontMatter(), text), []
    body = entry["body"]
    meta, problems = validate_data(entry["data"], FrontMatter, shown, LineMap())
    if problems or meta is None or not isinstance(body, int) or not 0 <= body <= len(text):
        raise ValueError("not what a page's front matter gives")
    return PageSource(file, meta, text[body:]), []


def _entry_of(found: tuple[PageSource | None, list[Problem]], valid: dict) -> dict | None:
    """What is kept of ``found``: its problems, or ``valid`` (_parse_page); None when it would
    not come back the same."""
    entry = valid
    if found[1]:
        encoded = encode_problems(found[1])
        entry = None if encoded is None else {"problems": encoded}
    try:  # a string the record's UTF-8 cannot hold (a lone surrogate from a YAML escape)
        json.dumps(entry, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    return entry


def source_text(file: Path) -> str | None:
    """A source file's text as the loaders and checks read it (a byte order mark dropped, CRLF line
    ends read as LF), or None when it is not UTF-8. Read once while paths.files_unchanged holds: the
    front matter, the links, images, HTML, personal data and social texts' checks all read every page.
    The caller has checked its size first (limits.too_large)."""
    def read() -> str | None:
        try:
            return text_of(paths.source_bytes(file))  # the render cache reads the same bytes
        except UnicodeDecodeError:
            return None

    return paths.kept_value("text", file, read)


def _read_page(file: Path) -> tuple[tuple[PageSource | None, list[Problem]], tuple | None]:
    """What a page holds, and its entry in the build's record of front matter (key and value)."""
    shown = paths.rel(file)
    too_large = limits.too_large(file, shown)
    if too_large:
        return (None, [too_large]), None
    text = source_text(file)
    if text is None:
        return (None, [Problem(shown, None, "", "not_utf8", {})]), None
    kept = _kept_pages
    if kept is None:
        return _parse_page(file, shown, text)[0], None
    key = kept.key(shown, text)
    entry = kept.previous.get(key)
    if isinstance(entry, dict):
        try:
            found = _from_entry(file, shown, text, entry)
            kept.current[key] = entry
            return found, (key, entry)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass  # an entry that cannot be read: the page is read anew
    found, valid = _parse_page(file, shown, text)
    entry = _entry_of(found, valid)
    if entry is None:
        return found, None
    kept.current[key] = entry
    return found, (key, entry)


def _parse_page(file: Path, shown: str, text: str) -> tuple[tuple[PageSource | None, list[Problem]], dict]:
    """What ``text`` holds, and how a valid page is kept: without front matter ('plain'), or its
    parsed front matter ('data') and where its body starts ('body')."""
    if not _FM.detect(text):
        problems = limits.markdown_problems(text, shown)
        return ((None, problems) if problems else (PageSource(file, FrontMatter(), text), [])), {"plain": True}
    try:
        fm_text, body = _FM.split(text)
    except ValueError:
        return (None, [Problem(shown, 1, "", "front_matter_unclosed", {}), *limits.markdown_problems(text, shown)]), {}
    # lines before the front matter text: the opening '---' (and any blank line)
    offset = text[: text.index(fm_text)].count("\n") if fm_text else 1
    body_line = text.count("\n", 0, len(text) - len(body)) + 1  # the body is the text's end
    problems = limits.markdown_problems(body, shown, body_line)
    too_large = limits.front_matter_too_large(fm_text, shown, 1)  # the opening --- line
    if too_large:
        return (None, [too_large, *problems]), {}
    try:
        data, lines, more = parse_yaml(fm_text, shown, line_offset=offset)
    except YamlSyntaxError as exc:
        return (None, [exc.problem, *problems]), {}
    problems = more + problems
    meta, more = validate_data(data, FrontMatter, shown, lines)
    problems += more
    if problems:
        return (None, problems), {}
    return (PageSource(file, meta, body), []), {"data": data, "body": len(text) - len(body)}


def markdown_files(docs_dir: Path) -> list[Path]:
    return paths.source_files(docs_dir, "*.md")


def check_pages(docs_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    for file in markdown_files(docs_dir):
        problems += load_page(file)[1]
    return problems
