"""Each office has its own domain: a copied folder must not keep the old one.

Two office folders with the same domain would deploy two sites onto one
address; the later one silently wins. Compared across every office in the
repository, also when `make check OFFICE=…` looks at one.
"""
from __future__ import annotations

from .. import paths
from ..problems import Problem
from ..yamlsource import YamlSyntaxError, load_yaml_file
from . import Check, Scope


def _domains(scope: Scope) -> dict[str, tuple[str, int | None]]:
    """slug -> (domain, line) as written in each office.yml that can be read."""
    found = {}
    for slug in paths.office_slugs(scope.root):
        file = scope.root / "offices" / slug / "office.yml"
        try:
            data, lines, _ = load_yaml_file(file, paths.rel(file))
        except YamlSyntaxError:
            continue  # reported by the office data check
        if isinstance(data, dict) and isinstance(data.get("domain"), str):
            found[slug] = (data["domain"].strip().lower(), lines.line_of(("domain",)))
    return found


def check_domains(scope: Scope) -> list[Problem]:
    domains = _domains(scope)
    problems = []
    for slug in scope.offices:
        if slug not in domains:
            continue
        domain, line = domains[slug]
        others = sorted(other for other, (d, _) in domains.items() if d == domain and other != slug)
        if others:
            file = scope.root / "offices" / slug / "office.yml"
            problems.append(Problem(paths.rel(file), line, "domain", "domain_duplicate",
                                    {"value": domain, "others": ", ".join(others), "expected": f"{slug}.id"}))
    return problems


CHECK = Check("domains", check_domains)
