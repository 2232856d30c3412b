"""Translations: which pages exist in which of a site's languages.

A page missing in a language is not an error (mkdocs-static-i18n shows the
Indonesian text with a notice) but a warning, and the coverage table after
the report shows each office's state at a glance.
"""
from __future__ import annotations

from pathlib import Path

from .. import messages, paths
from ..content import markdown_files
from ..news import split_language
from ..problems import WARNING, Problem
from . import Check, Scope

_DEFAULT_LANGUAGES = ["id", "en"]


def _languages(scope: Scope, slug: str | None) -> list[str]:
    office = scope.office(slug) if slug else None
    return list(office.languages) if office else _DEFAULT_LANGUAGES


def page_languages(docs_dir: Path) -> dict[str, dict[str, Path]]:
    """norm_src_uri -> {lang: file} for every page in a docs folder."""
    found: dict[str, dict[str, Path]] = {}
    if docs_dir.is_dir():
        for file in markdown_files(docs_dir):
            norm, lang = split_language(paths.relative_uri(file, docs_dir))
            found.setdefault(norm, {})[lang] = file
    return found


def _sites(scope: Scope) -> list[tuple[str, Path, list[str]]]:
    """(label, docs folder, languages) of each site part in scope."""
    sites = [("national", scope.national_pages, _DEFAULT_LANGUAGES)]
    sites += [(slug, scope.office_docs(slug), _languages(scope, slug)) for slug in scope.offices]
    if scope.include_hub:
        sites.append(("hub", scope.hub_docs, _DEFAULT_LANGUAGES))
    return sites


def check_translations(scope: Scope) -> list[Problem]:
    problems = []
    for _, docs, languages in _sites(scope):
        for norm, files in page_languages(docs).items():
            have = sorted(files, key=lambda lang: languages.index(lang) if lang in languages else 99)
            shown = paths.rel(files[have[0]])
            for lang in languages:
                if lang not in files:
                    expected = norm if lang == "id" else norm[:-3] + f".{lang}.md"
                    problems.append(Problem(shown, None, "", "translation_missing",
                                            {"language": messages.Msg(f"editors.language.{lang}")
                                             if messages.has(f"editors.language.{lang}", "id") else lang,
                                             "expected": Path(expected).name}, severity=WARNING))
    return problems


def coverage_table(scope: Scope, lang: str | None = None) -> str:
    """Pages per language for each site part: a compact table for the terminal."""
    sites = _sites(scope)
    columns = sorted({lang for _, _, languages in sites for lang in languages},
                     key=lambda lang: (lang != "id", lang))
    rows, empty = [], []
    for label, docs, languages in sites:
        pages = page_languages(docs)
        if not pages:
            empty.append(label)
            continue
        counts = [str(sum(1 for files in pages.values() if lang in files)) if lang in languages else "–"
                  for lang in columns]
        rows.append([label, str(len(pages)), *counts])
    header = [messages.t("editors.coverage.site", lang), messages.t("editors.coverage.pages", lang), *columns]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = [messages.t("editors.coverage.title", lang)]
    for row in [header, *rows]:
        out.append("  " + "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
                                    for i, cell in enumerate(row)))
    if empty:
        out.append("  " + messages.t("editors.coverage.no_pages", lang, count=len(empty)))
    return "\n".join(out)


CHECK = Check("translations", check_translations, coverage_table)
