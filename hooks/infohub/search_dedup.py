"""mkdocs-static-i18n's removal of duplicate search entries, in linear time, with the same result.

After the last language's build, the plugin removes each entry of another language ('en/biaya/')
whose title and text are those of an entry of the default language at the same address
(``reconfigure_search_duplicates``). It compares every entry of the default language with every
other one, and removes each from a Python list by value: at 1,500 posts (some 12,000 entries a
language) that took 1.2 s of an edit's build. Here the entries of the other languages are grouped
by title and text, and kept in a linked list by position, so each comparison the plugin made
that could match is made once.

The plugin's loop also has a quirk this keeps: it removes from the list it is iterating over (a
lazy ``filter``), so the entry right after a removed one is not looked at for that default entry.
When the entries are not in the order the plugin builds them (every default-language entry first),
or two entries of another language are equal (the plugin removes the first equal one, not the one
it found), the plugin's own method runs instead.
"""
from __future__ import annotations

from collections import defaultdict

_original: dict[str, object] = {}


def deduplicate(entries: list[dict], build_languages) -> None:
    """Remove from ``entries`` what the plugin's reconfigure_search_duplicates removes."""
    prefixes = tuple(f"{lang}/" for lang in build_languages)
    is_target = [entry["location"].startswith(prefixes) for entry in entries]
    first_target = next((i for i, target in enumerate(is_target) if target), len(entries))
    if not all(is_target[first_target:]):
        raise _Unusual
    defaults, targets = entries[:first_target], entries[first_target:]
    # the targets as a linked list by position (the plugin's list of them as it shrinks)
    following = list(range(1, len(targets) + 1))
    removed = [False] * len(targets)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for position, entry in enumerate(targets):
        groups[entry["title"], entry["text"]].append(position)
    for group in groups.values():
        if len(group) > 1:
            by_location = defaultdict(list)
            for position in group:
                by_location[targets[position]["location"]].append(targets[position])
            if any(a == b for same in by_location.values() for i, a in enumerate(same) for b in same[i + 1:]):
                raise _Unusual
    for default in defaults:
        group = groups.get((default["title"], default["text"]))
        if not group:
            continue
        skipped = None  # the entry after the last one removed: the plugin's iterator steps over it
        kept = []
        for position in group:
            if removed[position]:
                continue
            if position != skipped and targets[position]["location"].endswith(default["location"]):
                removed[position] = True
                skipped = _next_kept(position, following, removed)
                continue
            kept.append(position)
        groups[default["title"], default["text"]] = kept
    entries[first_target:] = [entry for position, entry in enumerate(targets) if not removed[position]]


def _next_kept(position: int, following: list[int], removed: list[bool]) -> int | None:
    """The first entry after ``position`` not removed yet (path compression keeps this linear)."""
    step = following[position]
    chain = []
    while step < len(removed) and removed[step]:
        chain.append(step)
        step = following[step]
    for passed in chain:
        following[passed] = step
    following[position] = step
    return step if step < len(removed) else None


class _Unusual(Exception):
    """Entries this module does not handle as the plugin would (see the module's docstring)."""


def _reconfigure_search_duplicates(plugin, search_index_entries) -> None:
    try:
        deduplicate(search_index_entries, plugin.build_languages)
    except _Unusual:
        _original["method"](plugin, search_index_entries)


def install() -> None:
    """Replace the plugin's method, once per process (build.py's workers)."""
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    if "method" not in _original:
        _original["method"] = ExtendedPlugin.reconfigure_search_duplicates
        ExtendedPlugin.reconfigure_search_duplicates = _reconfigure_search_duplicates
