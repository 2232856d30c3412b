"""Real mistakes editors make, each with the exact message `make check` gives.

tests/corpus/mistakes/<case>/ holds the broken files laid out as in the
repository (copied over a fresh fixture repository), a README.txt saying what
the mistake is, and expected.txt: the report's block for each broken file,
exactly as an Indonesian editor reads it (empty: the input is accepted).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus" / "mistakes"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def case_files(case: Path) -> list[str]:
    return sorted(p.relative_to(case).as_posix() for p in case.rglob("*")
                  if p.is_file() and p.name not in ("README.txt", "expected.txt"))


def report_blocks(stdout: str, files: list[str]) -> str:
    """The report's lines for the given files: each header line and the problem lines below it."""
    out, keep = [], False
    for line in stdout.split("\n"):
        if not line.startswith(" "):
            keep = line.split("  ", 1)[-1] in files and line.startswith(("KESALAHAN  ", "PERINGATAN  "))
        if keep:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("name", CASES)
def test_mistake_gets_its_message(name, repo):
    case = CORPUS / name
    files = case_files(case)
    for rel in files:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / rel, repo / rel)
    offices = sorted({rel.split("/")[1] for rel in files if rel.startswith("offices/")} | {"kantorcontoh"})
    result = subprocess.run([sys.executable, "-m", "infohub", "check", *[f"--office={o}" for o in offices]],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "id", "GITHUB_ACTIONS": ""})
    assert "Traceback" not in result.stderr, result.stderr
    expected = (case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert report_blocks(result.stdout, files) == expected
    assert result.returncode == (1 if "KESALAHAN" in expected else 0), result.stdout


def test_every_case_says_what_the_mistake_is():
    for name in CASES:
        assert (CORPUS / name / "README.txt").read_text(encoding="utf-8").strip(), name
        assert (CORPUS / name / "expected.txt").exists(), name
