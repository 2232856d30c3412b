"""The cycle collector's pace (python -m infohub sets 200,000 allocations between young
collections): an edit of one site keeps it; a build of more sites, whose workers inherit it,
comes down to 10,000 (build._many_sites_collections)."""
from __future__ import annotations

import gc

import pytest

from infohub import build


@pytest.fixture
def threshold():
    before = gc.get_threshold()
    gc.set_threshold(200_000, 10, 10)
    yield
    gc.set_threshold(*before)


def _built(monkeypatch, repo, slugs):
    seen = []

    def fake(slug, *args, **kwargs):
        seen.append(gc.get_threshold())
        return build.SiteResult(slug, True, pages=1)

    monkeypatch.setattr(build, "build_site", fake)
    monkeypatch.setattr(build, "_worker_init", lambda: None)
    build.build_sites(slugs, repo / "site", jobs=1, root=repo, echo=lambda _: None)
    return seen


def test_an_edit_of_one_site_runs_without_young_collections(repo, monkeypatch, threshold):
    assert _built(monkeypatch, repo, ["kantorcontoh"]) == [(200_000, 10, 10)]
    assert gc.get_threshold() == (200_000, 10, 10)


def test_a_build_of_more_sites_collects_every_10000_allocations(repo, monkeypatch, threshold):
    assert set(_built(monkeypatch, repo, ["kantorcontoh", "hub"])) == {(10_000, 10, 10)}
    assert gc.get_threshold() == (10_000, 10, 10)
