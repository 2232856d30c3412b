"""Personal data never published: NIK, passport numbers, private phones and e-mail.

Everything in a docs/ folder and in the data files is published, code
examples included, so whole files are read, front matter and all. A NIK
(Indonesian identity number, checked with python-stdnum) is an error; a
passport-like number, a mobile number or an e-mail address that is not one
of the office's declared contacts is a warning. A reviewed false positive is
allowed per line with a marker at its end:

    Nomor contoh 3171011708450001 <!-- infohub: allow nik -->      (Markdown)
    answer: Hubungi 0812 3456 7890  # infohub: allow phone          (YAML)

In office.yml a marker is a comment, which the web editor drops on its next save: there the
office declares such a number or address in contact.published, and the warning says so.

Numbers are shown masked in the report, which CI prints into public logs.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from .. import limits, messages, paths
from ..check_memo import CheckMemo, text_digest
from ..content import markdown_files, source_text
from ..problems import WARNING, Problem
from ..schema import Office
from ..yamlsource import YamlSyntaxError, load_yaml_file
from . import Check, Scope

# sixteen digits, maybe grouped by spaces, dots or dashes (3171 0117 0845 0001)
_NIK = re.compile(r"(?<![\w])(\d(?:[ .-]?\d){15})(?![\w])")
# Indonesian passports: one letter and seven digits (X1234567); newer electronic
# ones may carry two letters (XA1234567)
_PASSPORT = re.compile(r"(?<![\w])([A-Z]{1,2}\d{7})(?![\w])")
_MOBILE = re.compile(r"(?<![\w+])((?:\+62|62|0)[\s.-]?8\d{1,2}(?:[\s.-]?\d){6,10})(?![\w])")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_ALLOW = re.compile(r"infohub:\s*allow\s+([a-z]+(?:\s*,\s*[a-z]+)*)")
# Institutional addresses are not personal data.
_INSTITUTIONAL = re.compile(r"(^|\.)(go\.id|example\.(org|com|net))$")
_CONTACT_KEY = re.compile(r"\s*(phone|whatsapp|email)\s*:")
# Every kind above holds a digit (NIK, passport, phone) or an '@' (email): a line with neither
# has nothing to find, and most of a page's lines are prose.
_MAY_HOLD = re.compile(r"[\d@]")


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "62" + digits[1:] if digits.startswith("0") else digits


def mask(value: str) -> str:
    """3171011708450001 -> 3171********0001, budi.s@mail.example -> b*****@mail.example:
    enough to find it on the line, not to copy it."""
    if "@" in value:
        local, domain = value.rsplit("@", 1)
        return local[0] + "*" * (len(local) - 1) + "@" + domain
    keep = 4 if len(value) > 10 else 2
    return value[:keep] + re.sub(r"\w", "*", value[keep:-keep]) + value[-keep:]


@functools.lru_cache(maxsize=None)
def example_numbers() -> frozenset[str]:
    """The numbers infohub's own messages give as examples of a form ('+628123456789'):
    quoting a message (the handbook does) publishes nobody's number."""
    texts = [text for lang in ("id", "en") for key, text in messages.table(lang).items() if key.startswith("form.")]
    return frozenset(_digits(m[1]) for text in texts for m in _MOBILE.finditer(text))


def _allowed(line: str) -> set[str]:
    match = _ALLOW.search(line)
    return {kind.strip() for kind in match[1].split(",")} if match else set()


class Declared:
    """What an office has published on purpose: its contacts and its domain."""

    def __init__(self, contact: dict | None = None, domain: str | None = None):
        contact = contact or {}
        published = contact.get("published")
        published = [str(v) for v in published] if isinstance(published, list) else []
        self.numbers = {_digits(str(contact[k])) for k in ("phone", "whatsapp") if contact.get(k)}
        self.numbers |= {_digits(v) for v in published if "@" not in v}
        self.emails = {str(contact["email"]).lower()} if contact.get("email") else set()
        self.emails |= {v.strip().lower() for v in published if "@" in v}
        self.domain = domain

    @classmethod
    def of_office(cls, office: Office | None, office_yml: Path) -> "Declared":
        """From the validated office, or straight from office.yml when it has other mistakes."""
        if office:
            return cls(office.contact.model_dump(), office.domain)
        try:
            data = load_yaml_file(office_yml, paths.rel(office_yml))[0]
        except (YamlSyntaxError, OSError):
            return cls()
        data = data if isinstance(data, dict) else {}
        contact = data.get("contact")
        return cls(contact if isinstance(contact, dict) else None, data.get("domain"))

    def email_ok(self, address: str) -> bool:
        address = address.lower()
        domain = address.rsplit("@", 1)[1]
        return address in self.emails or domain == self.domain or bool(_INSTITUTIONAL.search(domain))


def scan_text(text: str, shown: str, declared: Declared, yaml: bool, office_yml: bool = False) -> list[Problem]:
    """The personal data in ``text``; in ``office_yml`` a phone or an address that may be published
    is declared in contact.published, and its warning says so (a marker would not last a save)."""
    marker = "# infohub: allow {kind}" if yaml else "<!-- infohub: allow {kind} -->"
    problems = []

    def report(number: int, kind: str, value: str, severity: str) -> None:
        code = f"privacy_{kind}_office" if office_yml and kind in ("phone", "email") else f"privacy_{kind}"
        problems.append(Problem(shown, number, "", code,
                                {"value": value, "marker": marker.format(kind=kind)}, severity=severity))

    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not _MAY_HOLD.search(line):
            continue
        allowed = _allowed(line)
        if yaml and _CONTACT_KEY.match(line):
            allowed |= {"phone", "email"}  # the office's own contacts, declared even when the file has other mistakes
        line = _ALLOW.sub("", line)
        niks = set()
        if "nik" not in allowed:
            for match in _NIK.finditer(line):
                # imported at the first number shaped like one: python-stdnum costs 40 ms to
                # import, and an edit's build examines one file, most often without any
                from stdnum.id import nik

                if nik.is_valid(match[1]):
                    niks.add(match.span(1))
                    report(number, "nik", mask(nik.compact(match[1])), "error")
        if "passport" not in allowed:
            for match in _PASSPORT.finditer(line):
                report(number, "passport", mask(match[1]), WARNING)
        if "phone" not in allowed:
            for match in _MOBILE.finditer(line):
                overlaps_nik = any(a <= match.start(1) < b for a, b in niks)
                number_digits = _digits(match[1])
                if not overlaps_nik and number_digits not in declared.numbers | example_numbers():
                    report(number, "phone", mask(match[1]), WARNING)
        if "email" not in allowed:
            for match in _EMAIL.finditer(line):
                if not declared.email_ok(match[1]):
                    report(number, "email", mask(match[1]), WARNING)
    return problems


def scan_file(file: Path, declared: Declared, memo: CheckMemo | None = None) -> list[Problem]:
    """The personal data in one file; ``memo``: the build's, which knows the problems of a text
    it has seen (check_memo.py)."""
    if limits.too_large(file):
        return []  # reported by the loaders, which do not read it either
    text = source_text(file)
    if text is None:
        return []  # reported as not UTF-8 by the loaders
    shown = paths.rel(file)
    yaml = file.suffix in (".yml", ".yaml")
    office_yml = file.name == "office.yml" and file.parent.parent.name == "offices"
    if memo is None:
        return scan_text(text, shown, declared, yaml, office_yml)
    # the declared contacts are the office's data, which is in every key already (memo.context)
    return memo.problems("privacy", (shown, text_digest(text), yaml, office_yml),
                         lambda: scan_text(text, shown, declared, yaml, office_yml))


def check_privacy(scope: Scope) -> list[Problem]:
    nobody = Declared()
    problems = []
    for file in sorted((scope.root / "national").glob("*.yml")) + markdown_files(scope.national_pages):
        problems += scan_file(file, nobody, scope.memo)
    for slug in scope.offices:
        folder = scope.root / "offices" / slug
        declared = Declared.of_office(scope.office(slug), folder / "office.yml")
        office_yml = folder / "office.yml"
        # the pages are listed as the regular files they are (paths.source_files): not asked again
        if office_yml.is_file():
            problems += scan_file(office_yml, declared, scope.memo)
        for file in markdown_files(folder / "docs"):
            problems += scan_file(file, declared, scope.memo)
    if scope.include_hub and scope.hub_docs.is_dir():
        for file in markdown_files(scope.hub_docs):
            problems += scan_file(file, nobody, scope.memo)
    return problems


CHECK = Check("privacy", check_privacy)
