"""The installed packages' entry points, read once per process.

``importlib.metadata.entry_points(group=...)`` reads the entry_points.txt of every installed
distribution on each call. One build asks six times: the engine for its plugins and for its
themes (two groups each: ``properdocs.*`` and ``mkdocs.*``), Python-Markdown for its extensions,
pydantic for its plugins; some 10 ms each, 0.05 s of the 1.5 s of CPU one edited post costs at
300 posts. The installed packages do not change while a process builds, so the first call reads
them all and every call selects from that list: the same EntryPoint objects in the same order,
as the standard library's function gives them (``SelectableGroups.load(...).select(...)``).

The engine's modules bind ``entry_points`` by name when they are imported (``from
importlib.metadata import entry_points``), so install() replaces that name in the modules
loaded by then, and in importlib.metadata for those loaded later; engine.activate() calls it
before anything imports the engine.
"""
from __future__ import annotations

import importlib.metadata
import itertools
import sys

_original = importlib.metadata.entry_points
_all: tuple | None = None  # every installed distribution's entry points, once read


def entry_points(**params):
    """``importlib.metadata.entry_points(**params)``, from the list read by the first call."""
    global _all
    metadata = importlib.metadata
    if _all is None:
        _all = tuple(itertools.chain.from_iterable(
            dist.entry_points for dist in metadata._unique(metadata.distributions())))
    return metadata.SelectableGroups.load(_all).select(**params)


def install() -> None:
    """Route every ``entry_points`` bound to the standard library's function to this one (a
    Python whose importlib.metadata is made otherwise than 3.11's keeps its own)."""
    if importlib.metadata.entry_points is entry_points or not all(
            hasattr(importlib.metadata, name) for name in ("_unique", "SelectableGroups")):
        return  # installed already (activate() is called often), or another Python's
    importlib.metadata.entry_points = entry_points
    for module in list(sys.modules.values()):
        # vars(): a module's own names, without running a module's __getattr__ (pydantic's imports)
        if vars(module).get("entry_points") is _original:
            module.entry_points = entry_points
