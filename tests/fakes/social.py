"""Helpers of the publish tests: the fake social server as a process, and an office's channels,
outbox, environment, publish run and ledger in a test repository."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from infohub.sitedata import load_site
from infohub.social.channels import card_file
from infohub.social.ledger import Ledger, ledger_path
from infohub.social.outbox import outbox_path, outbox_posts, write_outbox
from infohub.social.secrets import CREDENTIAL_PLATFORMS, secret_name
from infohub.social.servers import LOCAL_API_ENV

SERVER = Path(__file__).with_name("social_server.py")
SECRET = "s3cr3t-Token-7f9a2c"
OFFICE = "kantorcontoh"
# Before every page of the fixture (the oldest, the national fee news, is of 2024-12-18): each
# channel posts them all, as one added long ago would.
SINCE = "2024-01-01"
# One channel of each platform that posts through an API, all pointed at the fake server.
CHANNELS = {
    "mastodon": "  - platform: mastodon\n    instance: {api}\n",
    "bluesky": "  - platform: bluesky\n    instance: {api}\n    account: kantorcontoh.example\n",
    "telegram": "  - platform: telegram\n    instance: {api}\n    account: '@kantorcontoh'\n",
    "facebook": "  - platform: facebook\n    instance: {api}\n    account: '1234'\n",
    "instagram": "  - platform: instagram\n    instance: {api}\n    account: '17841400000000'\n",
    "x": "  - platform: x\n    instance: {api}\n",
    "threads": "  - platform: threads\n    instance: {api}\n    account: '777'\n",
    "linkedin": "  - platform: linkedin\n    instance: {api}\n    account: '555'\n",
}
CHANNELS = {platform: text + f"    since: {SINCE}\n" for platform, text in CHANNELS.items()}


@contextlib.contextmanager
def fake_server(folder: Path) -> Iterator[str]:
    """The fake social APIs, as their own process; yields its base URL."""
    port_file = folder / "port"
    server = subprocess.Popen([sys.executable, str(SERVER), str(port_file)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if port_file.exists():
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}"
    finally:
        server.kill()
        server.wait()


def add_channels(repo: Path, text: str, slug: str = OFFICE) -> None:
    office = repo / "offices" / slug / "office.yml"
    office.write_text(office.read_text(encoding="utf-8") + "channels:\n" + text, encoding="utf-8")


def write_outbox_of(repo: Path, slug: str = OFFICE) -> list[dict]:
    """What `make site` leaves in the outbox (computed without a full build)."""
    posts = outbox_posts(load_site(slug, repo), repo, Ledger(ledger_path(repo, slug)))
    write_outbox(outbox_path(repo / "site", slug), posts)
    return posts


def write_cards(repo: Path, posts: list[dict], slug: str = OFFICE) -> None:
    """The built cards behind the posts' images (only their bytes matter to the fakes): Instagram's
    channel sends a post only when its card is in the built site, where the site serves it."""
    for post in posts:
        card = card_file(repo / "site", slug, post["image"])
        card.parent.mkdir(parents=True, exist_ok=True)
        card.write_bytes(b"\xff\xd8\xff" + b"card" * 100)


def publish_env(repo: Path, api: str | None = None, slug: str = OFFICE, **extra: str) -> dict:
    """The environment of a publish run: the office's own secrets, and the fake server allowed."""
    env = {**os.environ, "INFOHUB_ROOT": str(repo), **{secret_name(slug, p): SECRET for p in CREDENTIAL_PLATFORMS}}
    if api:
        env[LOCAL_API_ENV] = api
    return {**env, **extra}


def run_publish(repo: Path, *args: str, lang: str = "id", check: int | None = 0, api: str | None = None,
                env: dict | None = None, office: str | None = OFFICE) -> subprocess.CompletedProcess:
    env = {**(env or publish_env(repo, api)), "INFOHUB_LANG": lang}
    offices = ["--office", office] if office else []
    done = subprocess.run([sys.executable, "-m", "infohub", "publish", *offices, "--backoff", "0.01", *args],
                          env=env, capture_output=True, text=True, timeout=180)
    if check is not None:
        assert done.returncode == check, done.stdout + done.stderr
    return done


def read_ledger(repo: Path, slug: str = OFFICE) -> dict:
    path = ledger_path(repo, slug)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
