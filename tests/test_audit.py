"""`make audit`'s table and verdicts (tools/audit.py), from a Lighthouse report kept as a fixture.

tests/fixtures/lighthouse-faq.json is a real Lighthouse 12.2.3 report (mobile, default throttling)
of imigrasibatam /faq/ taken before the fixes of issue 14 part 8, cut down to what the audit reads:
the categories with their weighted audits, those audits' scores, and the network requests. Nothing
here runs Lighthouse or a browser.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import sys

import pytest

from conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "lighthouse-faq.json"


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("infohub_audit", ROOT / "tools" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def report() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def passing(report: dict) -> dict:
    """The same report with every audit and category at full marks."""
    good = copy.deepcopy(report)
    for category in good["categories"].values():
        category["score"] = 1
    for audit in good["audits"].values():
        if audit.get("score") is not None:
            audit["score"] = 1
    return good


def test_bytes_before_images_leave_out_images_only(audit, report):
    assert audit.bytes_before_images(report) == 104746
    items = report["audits"]["network-requests"]["details"]["items"]
    next(i for i in items if i["resourceType"] == "Image")["transferSize"] = 5000
    assert audit.bytes_before_images(report) == 104746
    next(i for i in items if i["resourceType"] == "Other")["transferSize"] += 5000
    assert audit.bytes_before_images(report) == 109746


def test_a_page_that_misses_names_each_target_and_the_audits_behind_it(audit, report):
    result = audit.summarize(report, "imigrasibatam /faq/")
    assert (result.performance, result.accessibility, result.best_practices, result.seo) == (97, 96, 100, 82)
    assert result.misses == ["accessibility 96 < 100", "seo 82 < 100"]
    assert result.verdict == "MISS accessibility 96 < 100, seo 82 < 100"
    assert result.failing_audits == ["accessibility: aria-dialog-name 0", "seo: hreflang 0", "seo: canonical 0"]


def test_table_rows_and_text(audit, report):
    results = [audit.summarize(report, "imigrasibatam /faq/"),
               audit.summarize(passing(report), "imigrasibatam /en/faq/")]
    assert audit.table_rows(results) == [
        ("imigrasibatam /faq/", "97", "96", "100", "82", "104.7 KB", "MISS accessibility 96 < 100, seo 82 < 100"),
        ("imigrasibatam /en/faq/", "100", "100", "100", "100", "104.7 KB", "ok"),
    ]
    lines = audit.table(results).splitlines()
    assert lines[0] == ("| page                   | perf | a11y | best | seo | before images "
                        "| verdict                                   |")
    assert lines[1] == "|------------------------|-----:|-----:|-----:|----:|--------------:|-------------------------------------------|"
    assert lines[2] == ("| imigrasibatam /faq/    |   97 |   96 |  100 |  82 |      104.7 KB "
                        "| MISS accessibility 96 < 100, seo 82 < 100 |")
    assert lines[3] == ("| imigrasibatam /en/faq/ |  100 |  100 |  100 | 100 |      104.7 KB "
                        "| ok                                        |")
    assert lines[5:] == [
        "Targets: performance ≥ 95, accessibility 100, best practices 100, SEO 100, "
        "< 150.0 KB before images (1 KB = 1000 bytes).",
        "1 of 2 pages miss a target:",
        "- imigrasibatam /faq/: accessibility 96 < 100, seo 82 < 100",
        "    accessibility: aria-dialog-name 0",
        "    seo: hreflang 0",
        "    seo: canonical 0",
    ]


def test_performance_and_weight_targets(audit, report):
    slow = passing(report)
    slow["categories"]["performance"]["score"] = 0.94
    slow["audits"]["network-requests"]["details"]["items"][0]["transferSize"] += 150_000 - 104746
    result = audit.summarize(slow, "p")
    assert result.bytes_before_images == 150_000
    assert result.misses == ["performance 94 < 95", "150.0 KB ≥ 150.0 KB"]
    just = passing(report)
    just["categories"]["performance"]["score"] = 0.95
    assert audit.summarize(just, "p").misses == []


def test_summary_json(audit, report):
    results = [audit.summarize(report, "imigrasibatam /faq/"), audit.summarize(passing(report), "ok page")]
    data = audit.summary(results)
    assert data["missed"] == 1
    assert data["targets"] == {"performance": 95, "accessibility": 100, "best_practices": 100, "seo": 100,
                               "bytes_before_images": 150_000}
    assert data["pages"][0] == {
        "page": "imigrasibatam /faq/", "url": "http://127.0.0.1:8000/faq/",
        "performance": 97, "accessibility": 96, "best_practices": 100, "seo": 82,
        "bytes_before_images": 104746, "benchmark_index": 1755,
        "misses": ["accessibility 96 < 100", "seo 82 < 100"],
        "failing_audits": ["accessibility: aria-dialog-name 0", "seo: hreflang 0", "seo: canonical 0"],
        "verdict": "MISS accessibility 96 < 100, seo 82 < 100",
    }
    json.dumps(data)  # serialisable as written to summary.json


def test_pages_resolve_in_both_languages(audit, tmp_path):
    for lang in ("", "en/"):
        for slug in ("2024/lama", "2025/baru"):
            post = tmp_path / lang / "berita" / slug
            post.mkdir(parents=True)
            (post / "index.html").write_text("<p>x</p>", encoding="utf-8")
    assert audit.page_paths(tmp_path, ["start", "fees", "news", "layanan"]) == [
        "", "biaya/", "berita/2025/baru/", "layanan/",
        "en/", "en/biaya/", "en/berita/2025/baru/", "en/layanan/",
    ]


def test_median_run_is_the_middle_performance(audit, report):
    runs = []
    for score in (0.99, 0.91, 0.96):
        run = passing(report)
        run["categories"]["performance"]["score"] = score
        runs.append(audit.summarize(run, "p"))
    assert audit.median_run(runs).performance == 96
    assert audit.median_run(runs[:2]).performance == 91


def test_a_slow_cpu_is_said(audit, report):
    busy = passing(report)
    busy["environment"]["benchmarkIndex"] = 566.5
    text = audit.table([audit.summarize(report, "quiet"), audit.summarize(busy, "busy")])
    assert ("Lighthouse found the CPU slow (benchmark index < 1000) on 1 of 2 pages (busy 566): their "
            "performance is not comparable; run again on a quiet machine, or with --runs 3.") in text.splitlines()
