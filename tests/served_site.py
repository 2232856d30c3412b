"""A built site served on the loopback with the headers its _headers file gives its pages,
as Netlify or Cloudflare Pages would serve it: for browser tests that need the real CSP."""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def page_headers(site: Path) -> dict[str, str]:
    """The headers of the pages' rule ('/*'), not the hub's /admin/* rule after it."""
    lines = (site / "_headers").read_text(encoding="utf-8").split("\n/admin/")[0].splitlines()
    assert lines[1] == "/*"
    return dict(line.strip().split(": ", 1) for line in lines[2:])


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    headers_file: dict[str, str] = {}

    def end_headers(self):
        for name, value in self.headers_file.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def served_with_headers(site: Path) -> Iterator[str]:
    """Serve ``site`` (a built site with its _headers); yields its local address."""
    handler = type("Handler", (_HeadersHandler,), {"headers_file": page_headers(site)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
