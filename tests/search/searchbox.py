"""Material's search box driven as a visitor would, and the quality measures.

Used by tests/test_search_browser.py; also runnable on its own to measure a
site built some other way (plain Material, for the comparison):

    .venv/bin/python tests/search/searchbox.py path/to/site/kantorcontoh
"""
from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import yaml

QUERIES = Path(__file__).with_name("queries.yml")
CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TOP = 5
# The fonts the browser tests see, whatever the machine has (tests/fonts/fonts.conf says why).
FONTS_CONF = Path(__file__).resolve().parents[1] / "fonts" / "fonts.conf"


def chromium_env() -> dict[str, str]:
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.requested.append(urlsplit(self.path).path)
        super().do_GET()


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1; yields (base URL, list of paths requested)."""
    requested: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requested": requested})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()


def open_search(page, url: str) -> float:
    """Load ``url`` and wait until the search index is ready; returns the seconds that took."""
    start = time.perf_counter()
    page.goto(url)
    opener = page.locator("label.md-header__button[for='__search']")
    (opener if opener.is_visible() else page.locator("input.md-search__input")).click()
    # Material says "Mempersiapkan pencarian" / "Initializing search" until the worker is ready.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Mempersiapkan|Initializing/.test(m.textContent) }", timeout=30000)
    return time.perf_counter() - start


def search(page, query: str) -> tuple[list[str], float]:
    """Type ``query`` into the open search box; the result pages (paths from
    the site root, in order) and the seconds from the last key to the last
    change of the results (measured at 50 ms polls)."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=10)
    typed = page.evaluate("() => performance.now()")
    _wait_until_settled(page)
    # The last change of the results, not the quiet time waited after it.
    seconds = max(0.0, (page.evaluate("() => window.__since") - typed) / 1000)
    hrefs = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link", "els => els.map(a => a.href)")
    base = page.evaluate("() => new URL(JSON.parse(document.getElementById('__config').textContent).base + '/', location.href).href")
    pages = []
    for href in hrefs:
        path = href[len(base):] if href.startswith(base) else href
        path = path.split("#")[0].split("?")[0]
        if path not in pages:
            pages.append(path)
    return pages, seconds


def _wait_until_settled(page, quiet_ms: int = 150, timeout_ms: int = 10000) -> None:
    """Results are in when the list has not changed for ``quiet_ms``."""
    page.wait_for_function(
        """([quiet]) => {
            const list = document.querySelector('.md-search-result__list');
            const meta = document.querySelector('.md-search-result__meta');
            const now = list.innerHTML + meta.textContent;
            if (window.__settled !== now) { window.__settled = now; window.__since = performance.now(); return false }
            return performance.now() - window.__since > quiet
        }""", arg=[quiet_ms], timeout=timeout_ms, polling=50)


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]


def recall_at_5(site: Path, browser, cpu_throttling: float | None = None) -> dict:
    """Run every query of queries.yml on ``site``: recall@5, misses and timings."""
    per_query, misses, times, ready = [], [], [], {}
    with serve(site) as (base, _):
        for lang in ("id", "en"):
            page = browser.new_page()
            if cpu_throttling:
                page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate",
                                                        {"rate": cpu_throttling})
            ready[lang] = open_search(page, base + ("" if lang == "id" else "en/"))
            for item in (q for q in load_queries() if q.get("lang", "id") == lang):
                found, seconds = search(page, item["q"])
                times.append(seconds)
                expected = item["pages"]
                hit = [p for p in expected if p in found[:TOP]]
                per_query.append(len(hit) / len(expected))
                if len(hit) < len(expected):
                    misses.append((item["q"], [p for p in expected if p not in hit], found[:TOP]))
            page.close()
    return {"recall": sum(per_query) / len(per_query), "queries": len(per_query), "misses": misses,
            "query_seconds_median": sorted(times)[len(times) // 2], "query_seconds_max": max(times),
            "ready_seconds": ready}


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=chromium_env())
        result = recall_at_5(Path(sys.argv[1]), browser,
                             float(sys.argv[2]) if len(sys.argv) > 2 else None)
        browser.close()
    for q, missing, found in result.pop("misses"):
        print(f"MISS {q!r}: wanted {missing}, got {found}")
    print(result)
