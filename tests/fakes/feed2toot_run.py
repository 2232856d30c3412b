"""feed2toot (PyPI) in its dry run over a feed file: what it would toot, with the network shut."""
from __future__ import annotations

import logging
import re
import socket
import sys
import textwrap
from pathlib import Path


def would_toot(feed_uri: str, toot: str, folder: Path, monkeypatch, caplog) -> list[str]:
    """The toots feed2toot would send for ``feed_uri`` with the template ``toot``, oldest first.
    Any attempt to reach the network fails the test."""
    from feed2toot.main import Main

    def no_network(*args, **kwargs):
        raise AssertionError("feed2toot tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    config = folder / "feed2toot.ini"
    config.write_text(textwrap.dedent(f"""\
        [mastodon]
        instance_url=https://mastodon.invalid
        toot_visibility=unlisted
        [cache]
        cachefile={folder / "cache.db"}
        [lock]
        lock_file={folder / "lock"}
        [rss]
        uri={feed_uri}
        toot={toot}
        """), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["feed2toot", "-c", str(config), "--dry-run", "--all", "-l", "50"])
    root_logger = logging.getLogger()
    monkeypatch.setattr(root_logger, "handlers", list(root_logger.handlers))  # feed2toot adds its own
    monkeypatch.setattr(root_logger, "level", root_logger.level)
    with caplog.at_level(logging.WARNING):
        Main()
    # feed2toot writes a no-break space after the colon
    return [re.sub(r'^Would toot with visibility "unlisted":\s', "", r.getMessage())
            for r in caplog.records if r.getMessage().startswith("Would toot")]
