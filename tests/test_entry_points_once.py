"""The installed packages' entry points are read once per process (infohub/entry_points_once.py),
and every lookup gives what the standard library's gives."""
from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

from conftest import ROOT

GROUPS = ("properdocs.plugins", "mkdocs.plugins", "properdocs.themes", "mkdocs.themes",
          "markdown.extensions", "pydantic", "console_scripts", "no.such.group")


def _run(code: str) -> str:
    """``code`` in a fresh interpreter: the patch is process-wide, and this one may have it."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}, check=True)
    return done.stdout


def test_every_lookup_gives_what_the_standard_library_gives():
    out = _run(f"""
        import importlib.metadata as metadata
        groups = {GROUPS!r}
        before = {{g: [(e.name, e.value, e.group) for e in metadata.entry_points(group=g)] for g in groups}}
        by_name = [(e.name, e.value) for e in metadata.entry_points(name="search")]
        everything = sorted(metadata.entry_points().keys())
        from infohub import engine
        engine.activate()
        from mkdocs import plugins, utils
        assert metadata.entry_points is not None
        for g in groups:
            assert [(e.name, e.value, e.group) for e in metadata.entry_points(group=g)] == before[g], g
            assert [(e.name, e.value, e.group) for e in plugins.entry_points(group=g)] == before[g], g
        assert [(e.name, e.value) for e in metadata.entry_points(name="search")] == by_name
        assert sorted(metadata.entry_points().keys()) == everything
        assert sorted(plugins.get_plugins()) and "search" in plugins.get_plugins()
        assert "material" in utils.get_theme_names()
        print("same")
    """)
    assert out.strip() == "same"


def test_the_packages_are_read_once_however_often_asked():
    out = _run("""
        import importlib.metadata as metadata
        calls = []
        original = metadata.distributions
        metadata.distributions = lambda *a, **k: calls.append(1) or original(*a, **k)
        from infohub import engine
        engine.activate()
        from mkdocs import plugins, utils
        plugins.get_plugins(); utils.get_theme_names(); plugins.get_plugins()
        metadata.entry_points(group="markdown.extensions")
        engine.activate()  # a second install changes nothing
        metadata.entry_points(group="pydantic")
        print(len(calls))
    """)
    assert out.strip() == "1"


def test_a_module_that_bound_the_function_before_gets_the_memo():
    out = _run("""
        import importlib.metadata
        from importlib.metadata import entry_points
        import types, sys
        early = types.ModuleType("early"); early.entry_points = entry_points; sys.modules["early"] = early
        from infohub import engine, entry_points_once
        engine.activate()
        print(early.entry_points is entry_points_once.entry_points)
    """)
    assert out.strip() == "True"
