"""The build runs on both engines, ProperDocs (the default) and MkDocs 1.6, with the same output (issue 24).

hooks/infohub/engine.py chooses the engine once per process (INFOHUB_ENGINE); the comparison is
tools/compare_engines.py's, here on the fixture office alone to keep `make test` quick.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import ROOT, make_repo
from infohub import engine
from infohub.cli import main

spec = importlib.util.spec_from_file_location("compare_engines", ROOT / "tools" / "compare_engines.py")
compare_engines = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = compare_engines  # its dataclasses look their module up
spec.loader.exec_module(compare_engines)


def test_both_engines_build_the_fixture_office_byte_for_byte_alike(tmp_path):
    """Before: every page differed in its generator line ('mkdocs-1.6.1' against
    'mkdocs-ProperDocs 1.6.7'); now it names neither engine."""
    repo = make_repo(tmp_path / "repo")
    built = {name: compare_engines.build(name, repo, tmp_path / name, ["kantorcontoh"]) for name in engine.ENGINES}
    assert {name: made.engine for name, made in built.items()} == {"properdocs": "properdocs", "mkdocs": "mkdocs"}
    found = compare_engines.differences(tmp_path / "mkdocs", tmp_path / "properdocs")
    theme = [d.path for d in found if d.path.startswith(".cache/theme/")]
    assert len(theme) == 2  # one listing each, under keys that name the engine
    # the page records' files (render_cache.py: shards), every one of them: each page's key names
    # the engine; and the English build's record (language_reuse.py), whose digest does
    records = sorted(p.relative_to(tmp_path / "properdocs").as_posix()
                     for p in (tmp_path / "properdocs" / ".cache/pages/kantorcontoh").glob("*.json"))
    assert len(records) > 20
    records.append(".cache/pages/kantorcontoh.en.json")
    reason = "the keys of the page and language records name the engine (render_cache.py, language_reuse.py)"
    assert [(d.path, d.reason) for d in found] == sorted(
        [(".manifest/kantorcontoh.json", "the manifest's digest names the engine (manifest.py)")]
        + [(path, reason) for path in records]
        + [(path, "the theme listing's key names the engine (theme_cache.py)") for path in theme])
    pages = [p for p in (tmp_path / "properdocs" / "kantorcontoh").rglob("*.html")]
    assert len(pages) > 30
    assert all(b'<meta name="generator" content="infohub, mkdocs-material">' in p.read_bytes() for p in pages)


def test_a_difference_in_the_output_is_listed_with_its_lines(tmp_path):
    """The comparison normalises nothing: a changed byte of a page is a difference of the output."""
    for side, text in (("mkdocs", "<p>Buka</p>\n<p>sama</p>\n"), ("properdocs", "<p>Tutup</p>\n<p>sama</p>\n")):
        (tmp_path / side / "x").mkdir(parents=True)
        (tmp_path / side / "x" / "index.html").write_text(text, encoding="utf-8")
    (tmp_path / "properdocs" / "extra.txt").write_text("", encoding="utf-8")
    found = compare_engines.differences(tmp_path / "mkdocs", tmp_path / "properdocs")
    assert [(d.path, d.lines, d.reason) for d in found] == [
        ("extra.txt", ["only in properdocs's build"], None),
        ("x/index.html", ["@@ -1 +1 @@", "-<p>Buka</p>", "+<p>Tutup</p>"], None)]


def test_a_manifest_differing_beyond_its_digest_is_not_bookkeeping(tmp_path):
    for side, pages in (("mkdocs", 30), ("properdocs", 31)):
        (tmp_path / side / ".manifest").mkdir(parents=True)
        (tmp_path / side / ".manifest" / "x.json").write_text(f'{{"digest": "{side}", "pages": {pages}}}')
    [difference] = compare_engines.differences(tmp_path / "mkdocs", tmp_path / "properdocs")
    assert difference.reason is None


def test_the_engine_is_an_input_of_the_build_digest_and_not_of_the_check_digest(repo):
    """Each in a process of its own, as a build: a process knows one engine."""
    code = ("import sys\nfrom pathlib import Path\nfrom infohub import manifest\n"
            "inputs = manifest.Inputs(Path(sys.argv[1]))\n"
            "print(inputs.engine, inputs.digest('kantorcontoh', '1'), inputs.check_digest('kantorcontoh'))")
    digests = {}
    for name in engine.ENGINES:
        env = {**os.environ, engine.ENV: name, "PYTHONPATH": str(ROOT / "hooks")}
        done = subprocess.run([sys.executable, "-c", code, str(repo)], env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        digests[name] = done.stdout.split()
    assert digests["mkdocs"][:2] == ["mkdocs", "1.6.1"] and digests["properdocs"][:2] == ["properdocs", "1.6.7"]
    assert digests["mkdocs"][2] != digests["properdocs"][2]
    assert digests["mkdocs"][3] == digests["properdocs"][3]


def test_properdocs_is_the_default_and_pinned(monkeypatch):
    monkeypatch.delenv(engine.ENV, raising=False)
    assert engine.name() == "properdocs"
    lock = (ROOT / "requirements" / "build.txt").read_text(encoding="utf-8")
    assert "\nproperdocs==1.6.7 \\\n" in lock and "\nmkdocs==1.6.1 \\\n" in lock
    assert engine.identity() == "properdocs 1.6.7"


@pytest.mark.parametrize("lang, message", [
    ("id", "INFOHUB_ENGINE='hugo' bukan mesin yang dapat dipakai infohub untuk membangun; "
           "seharusnya salah satu dari: properdocs, mkdocs\n"),
    ("en", "INFOHUB_ENGINE='hugo' names no engine infohub can build with; expected one of: properdocs, mkdocs\n")])
def test_an_unknown_engine_is_refused_in_one_sentence(repo, monkeypatch, capsys, lang, message):
    monkeypatch.setenv("INFOHUB_LANG", lang)
    monkeypatch.setenv(engine.ENV, "Hugo")
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    assert main(["site", "--office", "kantorcontoh", "--out", str(repo / "site")]) == 2
    assert capsys.readouterr().err == message
    assert not (repo / "site" / "kantorcontoh").exists()


def test_a_process_that_loaded_mkdocs_cannot_switch_to_properdocs():
    """Material's plugins would subclass MkDocs' classes while ProperDocs runs them: refused."""
    code = "import mkdocs.config\nfrom infohub import engine\nengine.activate()"
    env = {**os.environ, engine.ENV: "properdocs", "INFOHUB_LANG": "en",
           "PYTHONPATH": str(ROOT / "hooks")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "infohub.engine.EngineError: this process has already loaded 'mkdocs' and cannot build with "
        "'properdocs': set INFOHUB_ENGINE before the command starts")


def test_properdocs_gives_its_modules_under_mkdocs_names():
    code = ("from infohub import engine\nengine.activate()\n"
            "from mkdocs.commands.build import build\nfrom mkdocs.plugins import BasePlugin\n"
            "import material.plugins.search.plugin as search\n"
            "print(build.__module__, issubclass(search.SearchPlugin, BasePlugin))")
    for name, expected in (("properdocs", "properdocs.commands.build True"),
                           ("mkdocs", "mkdocs.commands.build True")):
        env = {**os.environ, engine.ENV: name, "PYTHONPATH": str(ROOT / "hooks")}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == expected, done.stderr


def _runtime_engine_imports(tree: ast.Module) -> bool:
    """Whether a module imports mkdocs or properdocs at run time (not under `if TYPE_CHECKING:`)."""
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
        if any(n.split(".")[0] in engine.ENGINES for n in names):
            return True
    return False


def test_the_package_imports_the_engine_in_three_modules_only():
    """Domain logic (the content model, the checks, the data views) does not import the engine:
    the README's "The engine" says which code would move to another one unchanged."""
    package = ROOT / "hooks" / "infohub"
    importing = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                       if _runtime_engine_imports(ast.parse(p.read_text(encoding="utf-8"))))
    assert importing == ["engine.py", "generated_files.py", "theme_cache.py"]

