"""Problems found in content, gathered in one pass and reported together.

A Problem holds a message key and its values, not a finished sentence, so
the same problem can be shown to an Indonesian or an English editor, as
plain text in a terminal or as a GitHub annotation on a pull request.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import messages

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: str  # as the editor sees it, relative to the repository: offices/x/office.yml
    line: int | None
    key: str  # dotted key inside the file: hours.friday.0 ('' for the whole file)
    code: str  # message key in locales/*.yml under "problem."
    values: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    severity: str = ERROR

    def text(self, lang: str | None = None) -> str:
        sentence = messages.t(f"problem.{self.code}", lang, **self.values)
        return f"{self.key}: {sentence}" if self.key else sentence


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def format(self, lang: str | None = None, *, outcome: str = "nothing_built") -> str:
        """The report an editor reads: grouped by file, one line per problem.

        ``outcome`` names the closing sentence: what happened because of the errors.
        """
        by_file: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            by_file[problem.path].append(problem)
        out: list[str] = []
        for path in sorted(by_file):
            problems = sorted(by_file[path], key=lambda p: (p.severity != ERROR, p.line or 0))
            label = ERROR if any(p.severity == ERROR for p in problems) else WARNING
            out.append(f"{messages.t('report.' + label, lang).upper()}  {path}")
            for p in problems:
                where = messages.t("report.line", lang, line=p.line) if p.line else messages.t("report.file", lang)
                marker = "" if p.severity == ERROR else messages.t("report.warning_marker", lang) + " "
                out.append(f"  {where}  {marker}{p.text(lang)}")
        files_with_errors = len({p.path for p in self.errors})
        if self.errors:
            out.append(messages.plural("report.summary_errors", len(self.errors), lang,
                                       errors=len(self.errors), files=files_with_errors,
                                       files_word=messages.plural("report.files_word", files_with_errors, lang),
                                       outcome=messages.t("report.outcome." + outcome, lang)))
        if self.warnings:
            out.append(messages.plural("report.summary_warnings", len(self.warnings), lang,
                                       warnings=len(self.warnings)))
        return "\n".join(out)

    def github_annotations(self, lang: str | None = None) -> str:
        """The same problems as GitHub workflow commands, shown on the PR diff, one a line.

        Escaped as GitHub's runner reads them: a new line in the text or in the file's name
        (an office may name its files) would otherwise end the command and start one of
        the office's choosing; ':' and ',' in the name would end the file= property."""
        lines = []
        for p in self.problems:
            line = f",line={p.line}" if p.line else ""
            path = _command_data(p.path).replace(":", "%3A").replace(",", "%2C")
            lines.append(f"::{p.severity} file={path}{line}::{_command_data(p.text(lang))}")
        return "\n".join(lines)


def _command_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
