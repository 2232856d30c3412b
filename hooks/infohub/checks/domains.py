"""Each office has its own domain: a copied folder must not keep the old one.

Two office folders with the same domain would deploy two sites onto one
address; the later one silently wins. Compared across every office in the
repository, also when `make check OFFICE=…` looks at one.

A site answers at its domain and at 'www.' and its domain (deploy.py's server_name): an office whose
domain is another site's 'www.' name, or the hub's, would give nginx two sites for one name, and
nginx answers with the first and only warns. A subdomain ('layanan.imigrasiblitar.id') is another
name, and allowed.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .. import paths
from ..files import status_stamp
from ..problems import Problem
from ..site_config import hub_url
from ..yamlsource import YamlSyntaxError, load_yaml_file
from . import Check, Scope


# office.yml -> (its status: files.status_stamp, (domain, line) or None): every site's
# check reads every office's domain, often in the same process.
_read: dict[Path, tuple[list[int], tuple[str, int | None] | None]] = {}


def _domain_of(file: Path) -> tuple[str, int | None] | None:
    key = status_stamp(file)
    cached = _read.get(file)
    if cached is None or cached[0] != key:
        try:
            data, lines, _ = load_yaml_file(file, paths.rel(file))
        except YamlSyntaxError:
            data = None  # reported by the office data check
        found = None
        if isinstance(data, dict) and isinstance(data.get("domain"), str):
            found = (data["domain"].strip().lower(), lines.line_of(("domain",)))
        cached = _read[file] = (key, found)
    return cached[1]


def _domains(scope: Scope) -> dict[str, tuple[str, int | None]]:
    """slug -> (domain, line) as written in each office.yml that can be read."""
    found = {}
    for slug in paths.office_slugs(scope.root):
        domain = _domain_of(scope.root / "offices" / slug / "office.yml")
        if domain is not None:
            found[slug] = domain
    return found


def served_names(domain: str) -> set[str]:
    """The names a site with ``domain`` answers to (deploy.py: the domain and its www. name)."""
    return {domain, "www." + domain}


def check_domains(scope: Scope) -> list[Problem]:
    domains = _domains(scope)
    hub = (urlsplit(hub_url(scope.root) or "").hostname or "").lower()
    problems = []
    for slug in scope.offices:
        if slug not in domains:
            continue
        domain, line = domains[slug]
        file = paths.rel(scope.root / "offices" / slug / "office.yml")
        expected = f"{slug}.id"
        others = sorted(other for other, (d, _) in domains.items() if d == domain and other != slug)
        if others:
            problems.append(Problem(file, line, "domain", "domain_duplicate",
                                    {"value": domain, "others": ", ".join(others), "expected": expected}))
        for other, (other_domain, _) in sorted(domains.items()):
            if other != slug and other_domain != domain and served_names(domain) & served_names(other_domain):
                problems.append(Problem(file, line, "domain", "domain_overlap",
                                        {"value": domain, "other": other, "other_domain": other_domain,
                                         "expected": expected}))
        if hub and served_names(domain) & served_names(hub):
            problems.append(Problem(file, line, "domain", "domain_hub", {"value": domain, "hub": hub,
                                                                          "expected": expected}))
    return problems


CHECK = Check("domains", check_domains)
