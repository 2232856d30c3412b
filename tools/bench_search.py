"""make bench-search: the search on a phone, measured side by side in one run.

Builds the test office (tests/fixtures), then opens its search in Debian's
Chromium at 360×740 twice, one run right after the other: once at full speed
and once slowed down four times (CDP Emulation.setCPUThrottlingRate 4, a
mid-range phone). Each run reports the seconds until the index is ready and
the slowest of three typical queries. The budget for the slowed run (ready
< 5 s, a query < 2 s) was a timed test before; on a shared machine a timed
test fails when a neighbour is busy, so it is measured here, with the full
speed run beside it as the reference: if both are slow, the machine was.

    make bench-search            (the test environment's Playwright is needed)
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]

from conftest import make_repo  # noqa: E402 - after the path is set
from infohub.build import build_sites  # noqa: E402
from search.searchbox import CHROMIUM, CHROMIUM_ARGS, open_search, search, serve  # noqa: E402

QUERIES = ("paspor hilang", "memperpanjang paspor", "biaya pelayanan")
BUDGET = {"ready_seconds": 5.0, "slowest_query_seconds": 2.0}  # at four times slower
THROTTLE = 4


def measure(browser, site: Path, throttle: float | None) -> dict:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    if throttle:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    with serve(site) as (base, _):
        ready = open_search(page, base)
        times = [search(page, q)[1] for q in QUERIES]
    page.close()
    return {"ready_seconds": round(ready, 2), "slowest_query_seconds": round(max(times), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs; the best of each kind is kept")
    parser.add_argument("--json", default="bench-search.json", help="where to write the results")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp) / "repo")
        print("building the test office …", file=sys.stderr, flush=True)
        results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
        if not all(r.ok for r in results):
            raise SystemExit("bench-search: the test office did not build")
        site = repo / "site" / "kantorcontoh"
        index_kib = (site / "search" / "search_index.json").stat().st_size / 1024
        runs: dict[str, list[dict]] = {"full": [], "slowed": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for number in range(1, args.rounds + 1):
                print(f"round {number}/{args.rounds}", file=sys.stderr, flush=True)
                runs["full"].append(measure(browser, site, None))
                runs["slowed"].append(measure(browser, site, THROTTLE))
            browser.close()
    best = {kind: {key: min(r[key] for r in rs) for key in BUDGET} for kind, rs in runs.items()}
    print(f"search index {index_kib:.1f} KiB; best of {args.rounds} rounds")
    print(f"{'':24}{'full speed':>12}{f'{THROTTLE}× slower':>12}{'ratio':>8}{'budget':>9}")
    missed = []
    for key, limit in BUDGET.items():
        full, slowed = best["full"][key], best["slowed"][key]
        ratio = slowed / full if full else float("inf")
        mark = "ok" if slowed < limit else "MISSED"
        if mark != "ok":
            missed.append(key)
        print(f"{key:24}{full:>11.2f}s{slowed:>11.2f}s{ratio:>8.1f}{f'< {limit:g} s':>9} {mark}")
    Path(args.json).write_text(json.dumps({"index_kib": round(index_kib, 1), "runs": runs, "best": best,
                                           "budget": BUDGET, "missed": missed}, indent=2), encoding="utf-8")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
