"""The documentation tells the truth: README commands exist, the handbook is complete
in both languages, its office.yml example is valid and its error reports are real."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from infohub import cli
from infohub.content import load_national, load_office, load_page
from infohub.schema import FrontMatter, Office

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HANDBOOK = ROOT / "docs" / "panduan"
HANDBOOK_PAGES = ["index", "ubah-halaman", "berita", "data-kantor", "kantor-baru", "pesan-kesalahan",
                  "pengelola"]
LANGUAGES = {"id": "", "en": ".en"}


def _code(markdown: str) -> str:
    """Only what README shows as code: fenced blocks and `inline` spans."""
    fenced = re.findall(r"```[^\n]*\n(.*?)```", markdown, re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", markdown, flags=re.S))
    return "\n".join(fenced + inline)


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.M))


def _cli_commands() -> set[str]:
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    return set(sub.choices)


def test_every_make_target_in_readme_exists():
    mentioned = set(re.findall(r"\bmake ([a-z][a-z0-9-]*)", _code(README.read_text(encoding="utf-8"))))
    assert {"site", "test", "check", "serve", "new-office"} <= mentioned
    assert sorted(mentioned - _make_targets()) == []


def test_every_cli_command_in_readme_exists():
    mentioned = set(re.findall(r"-m infohub ([a-z][a-z0-9-]*)", _code(README.read_text(encoding="utf-8"))))
    assert {"site", "check", "serve", "new-office"} <= mentioned
    assert sorted(mentioned - _cli_commands()) == []


def test_readme_opens_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)[1]
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == ["make site", "make test"]


@pytest.mark.parametrize("page", HANDBOOK_PAGES)
def test_handbook_page_exists_in_both_languages(page):
    for lang, suffix in LANGUAGES.items():
        file = HANDBOOK / f"{page}{suffix}.md"
        assert file.is_file(), f"{file.relative_to(ROOT)} is missing"
        source, problems = load_page(file)
        assert problems == [] and source.meta.title and source.meta.description, file.name


def _keys(model) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


@pytest.mark.parametrize("suffix", LANGUAGES.values())
def test_office_reference_names_every_office_key(suffix):
    text = (HANDBOOK / f"data-kantor{suffix}.md").read_text(encoding="utf-8")
    missing = sorted(k for k in _keys(Office) if not re.search(rf"`{k}[`.:]", text))
    assert missing == [], f"docs/panduan/data-kantor{suffix}.md does not explain {missing}"


@pytest.mark.parametrize("suffix", LANGUAGES.values())
def test_news_page_names_every_front_matter_key(suffix):
    text = (HANDBOOK / f"berita{suffix}.md").read_text(encoding="utf-8")
    missing = sorted(k for k in _keys(FrontMatter) if f"`{k}`" not in text)
    assert missing == [], f"docs/panduan/berita{suffix}.md does not explain {missing}"


@pytest.mark.parametrize("suffix", LANGUAGES.values())
def test_office_example_in_the_handbook_is_valid(repo, suffix):
    text = (HANDBOOK / f"data-kantor{suffix}.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(name:.*?)```", text, re.S)[1]
    (repo / "offices" / "kantorcontoh" / "office.yml").write_text(example, encoding="utf-8")
    national, problems = load_national(repo)
    assert problems == []
    office, problems = load_office("kantorcontoh", national, repo)
    assert problems == [] and office is not None


# The examples in pesan-kesalahan.md come from this data: the handbook's own office.yml
# example and two news posts, written into the fixture repository, then broken by (file, old, new).
NEWS = "offices/kantorcontoh/docs/berita/2025/"
POSTS = {
    NEWS + "hanya-indonesia.md": "---\ntitle: Berita tanpa terjemahan\ndate: 2025-02-01\ncategory: kegiatan\n---\n\n"
                                 "Berita ini hanya ada dalam bahasa Indonesia.\n",
    NEWS + "layanan-akhir-pekan.md": "---\ntitle: Layanan paspor akhir pekan\ndate: 2025-03-01 09:00\n"
                                     "category: pengumuman\n---\n\nKantor contoh membuka layanan paspor pada hari Sabtu.\n",
    NEWS + "layanan-akhir-pekan.en.md": "---\ntitle: Weekend passport service\ndate: 2025-03-01 09:00\n"
                                        "category: pengumuman\n---\n\nThe example office opens on Saturdays.\n",
}
OFFICE = "offices/kantorcontoh/office.yml"
BROKEN = {
    0: [(OFFICE, "    - 08:00-11:30", "    - 8-11.30"),
        (OFFICE, "whatsapp: '+628110000000'", "whatsapp: '0812-'"),
        (OFFICE, "      amount: 1200000", "      amount: 1.200.000"),
        (OFFICE, "languages:\n", "language:\n"),
        (NEWS + "hanya-indonesia.md", "date: 2025-02-01", "date: 2025-02-30"),
        (NEWS + "layanan-akhir-pekan.en.md", "category: pengumuman", "category: announcement")],
    1: [(OFFICE, "domain: kantorcontoh.id", "domain: contoh.imigrasi.go.id"),
        (NEWS + "hanya-indonesia.md", "date: 2025-02-01", "image: foto-kegiatan.jpg"),
        (NEWS + "layanan-akhir-pekan.md", "title: Layanan paspor akhir pekan", "title: Layanan paspor: akhir pekan")],
}


def break_repo(repo: Path, example: int) -> None:
    handbook_example = re.search(r"```yaml\n(name:.*?)```", (HANDBOOK / "data-kantor.md").read_text(encoding="utf-8"), re.S)[1]
    # the marker is for the handbook page's own privacy check; an office.yml has no comments (cms_yaml)
    (repo / OFFICE).write_text(handbook_example.replace("  # infohub: allow phone", ""), encoding="utf-8")
    for name, text in POSTS.items():
        (repo / name).write_text(text, encoding="utf-8")
    for name, old, new in BROKEN[example]:
        text = (repo / name).read_text(encoding="utf-8")
        assert old in text, f"{name} no longer holds {old!r}"
        (repo / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def check_output(repo: Path, lang: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(INFOHUB_ROOT=str(repo), INFOHUB_LANG=lang)
    return subprocess.run([sys.executable, "-m", "infohub", *args], capture_output=True, text=True, env=env, cwd=repo)


@pytest.mark.parametrize("example", sorted(BROKEN))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_examples_are_what_check_prints(repo, example, lang):
    break_repo(repo, example)
    run = check_output(repo, lang, "check", "--office", "kantorcontoh")
    page = HANDBOOK / f"pesan-kesalahan{LANGUAGES[lang]}.md"
    shown = re.findall(r"```text\n(.*?)```", page.read_text(encoding="utf-8"), re.S)[example]
    assert run.returncode == 1
    # The fixture gains pages over time (more coverage rows, more translation warnings),
    # so compare what the example is about: the file headings, each problem and the error count.
    real = [line for line in _report_lines(run.stdout) if line in shown.splitlines()]
    assert real == _report_lines(shown), f"update the example in docs/panduan/{page.name}"


def _report_lines(report: str) -> list[str]:
    kept = re.compile(r"(KESALAHAN|ERROR|PERINGATAN|WARNING)  \S|  (baris|line) \d+  |\d+ (kesalahan|errors?) ")
    return [line for line in report.splitlines() if kept.match(line)]
