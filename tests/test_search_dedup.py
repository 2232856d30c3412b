"""infohub.search_dedup removes the search entries mkdocs-static-i18n's own method removes."""
from __future__ import annotations

import copy
import random
from types import SimpleNamespace

import pytest
from mkdocs_static_i18n.reconfigure import ExtendedPlugin

from infohub import search_dedup

LANGUAGES = ["id", "en"]
search_dedup.install()  # as build.py's workers do: the plugin's own method is then kept here


def _plugin_s(entries: list[dict]) -> list[dict]:
    kept = copy.deepcopy(entries)
    search_dedup._original["method"](SimpleNamespace(build_languages=LANGUAGES), kept)
    return kept


def _ours(entries: list[dict]) -> list[dict]:
    kept = copy.deepcopy(entries)
    ExtendedPlugin.reconfigure_search_duplicates(SimpleNamespace(build_languages=LANGUAGES), kept)
    return kept


def _entries(rng: random.Random, count: int) -> list[dict]:
    """A build's entries as the plugin stacks them: the default language's, then English's; few
    titles, texts and addresses, so that duplicates (and runs of them) are many."""
    def entry(prefix: str) -> dict:
        location = rng.choice(["", "biaya/", "biaya/#paspor", "x/biaya/", "berita/", "berita/#a"])
        return {"location": prefix + location, "title": rng.choice("ABC"), "text": rng.choice(["", "t", "u"])}

    return [entry("") for _ in range(count)] + [entry("en/") for _ in range(rng.randint(0, 2 * count))]


@pytest.mark.parametrize("seed", range(300))
def test_the_same_entries_as_the_plugin_s_method(seed):
    rng = random.Random(seed)
    entries = _entries(rng, rng.randint(0, 12))
    if rng.random() < 0.2 and entries:  # out of the plugin's order, or equal entries: its own method
        entries.insert(rng.randrange(len(entries) + 1), rng.choice(entries).copy())
    assert _ours(entries) == _plugin_s(entries)


def test_a_run_of_duplicates_keeps_the_plugin_s_quirk():
    """The plugin steps over the entry after each one it removes: of three English twins of the
    home page's entry (every address ends with ''), the second stays."""
    home = {"location": "", "title": "Beranda", "text": "Selamat datang"}
    twins = [{"location": f"en/{n}/", "title": "Beranda", "text": "Selamat datang"} for n in "abc"]
    entries = [home, *twins]
    assert _ours(entries) == _plugin_s(entries) == [home, twins[1]]


def test_linear_in_the_entries():
    """12,000 entries a language (1,500 posts): the plugin's method compares every pair."""
    import time

    default = [{"location": f"berita/{n}/#s{k}", "title": f"T{n}.{k}", "text": f"x{n}"} for n in range(1500)
               for k in range(8)]
    english = [{**e, "location": "en/" + e["location"]} for e in default]
    entries = default + english
    start = time.process_time()
    kept = _ours(entries)
    assert time.process_time() - start < 0.5
    assert kept == default
