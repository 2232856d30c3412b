"""Channels: how one post reaches one platform.

Each channel sends a post and returns a reference to it (a URL or an id),
or raises ChannelError. Credentials come from environment variables named
in office.yml ('token_env', 'password_env'); their values are sent only in
request headers or bodies and never appear in an error: errors carry the
HTTP status or the kind of network failure, not the request.

Where a platform lets a repeated request be recognised, it is: Mastodon
dedupes on the Idempotency-Key (the post's id); a Bluesky post's record key
is derived from the post's id, so a repeat finds the record already there;
the file channels skip an id they hold already. So a publish killed after a
post was sent but before the ledger recorded it does not post it twice.
Telegram, Facebook and X offer no such key: there a kill in that moment
(milliseconds) can repeat one post.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Mapping

import requests

from ..messages import Msg
from ..schema import Channel
from .outbox import OUTBOX_DIR

TIMEOUT = (5, 30)  # seconds to connect, to read
PUBLISHED_LOG = "published.jsonl"


class ChannelError(Exception):
    """A post that did not go out. ``retry`` says whether trying again may help."""

    def __init__(self, reason: Msg, retry: bool = False, retry_after: float | None = None):
        super().__init__(reason.key)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


class Http:
    """One requests session with timeouts; failures become ChannelErrors without the request in them."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def call(self, method: str, url: str, **kwargs) -> dict:
        try:
            response = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.Timeout:
            raise ChannelError(Msg("syndication.error.timeout"), retry=True) from None
        except requests.RequestException:
            raise ChannelError(Msg("syndication.error.network"), retry=True) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise ChannelError(Msg("syndication.error.http", {"status": response.status_code}), retry=True,
                               retry_after=_retry_after(response))
        if response.status_code >= 400:
            raise ChannelError(Msg("syndication.error.http", {"status": response.status_code}))
        try:
            return response.json() if response.content else {}
        except ValueError:
            raise ChannelError(Msg("syndication.error.answer")) from None


def _retry_after(response: requests.Response) -> float | None:
    header = response.headers.get("Retry-After", "")
    if header.strip().isdigit():
        return float(header)
    try:  # Telegram says it in the body
        return float(response.json()["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return None


class Base:
    platform = ""
    default_api = ""

    def __init__(self, config: Channel, env: Mapping[str, str], http: Http, site_root: Path, slug: str):
        self.config = config
        self.env = env
        self.http = http
        self.site_root = site_root
        self.slug = slug
        self.api = (config.instance or self.default_api).rstrip("/")

    def secret(self, field: str) -> str:
        name = getattr(self.config, field)
        value = self.env.get(name, "")
        if not value:
            raise ChannelError(Msg("syndication.error.env_missing", {"name": name}))
        return value

    def send(self, post: dict) -> str | None:
        raise NotImplementedError


class Mastodon(Base):
    platform = "mastodon"

    def send(self, post: dict) -> str | None:
        status = self.http.call("POST", f"{self.api}/api/v1/statuses",
                                headers={"Authorization": f"Bearer {self.secret('token_env')}",
                                         "Idempotency-Key": post["id"]},
                                data={"status": post["text"], "language": post["language"], "visibility": "public"})
        return status.get("url") or status.get("id")


def record_key(post: dict) -> str:
    """A Bluesky record key (TID: 13 base32-sortable characters) that only this post has.

    The time part is the page's publication time plus a microsecond offset and
    the clock part comes from the post's id, both fixed: sending again finds it.
    """
    digest = int(hashlib.sha256(post["id"].encode()).hexdigest(), 16)
    published = dt.datetime.fromisoformat(post["published"]) if post.get("published") else dt.datetime(2025, 1, 1)
    micros = int(published.timestamp()) * 1_000_000 + digest % 1_000_000
    value = (micros << 10) | (digest >> 64) % 1024
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(13)))


class Bluesky(Base):
    platform = "bluesky"
    default_api = "https://bsky.social"
    collection = "app.bsky.feed.post"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session: dict | None = None

    def _session(self) -> dict:
        if self.session is None:
            self.session = self.http.call("POST", f"{self.api}/xrpc/com.atproto.server.createSession",
                                          json={"identifier": self.config.account,
                                                "password": self.secret("password_env")})
        return self.session

    def send(self, post: dict) -> str | None:
        session = self._session()
        auth = {"Authorization": f"Bearer {session['accessJwt']}"}
        rkey = record_key(post)
        record = {"$type": self.collection, "text": post["text"], "facets": post.get("facets", []),
                  "langs": [post["language"]],
                  "createdAt": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
                  "embed": {"$type": "app.bsky.embed.external",
                            "external": {"uri": post["url"], "title": post["title"], "description": ""}}}
        try:
            created = self.http.call("POST", f"{self.api}/xrpc/com.atproto.repo.createRecord", headers=auth,
                                     json={"repo": session["did"], "collection": self.collection,
                                           "rkey": rkey, "record": record})
            return created.get("uri")
        except ChannelError as error:
            if error.retry:
                raise
            existing = self._existing(auth, session["did"], rkey)
            if existing is None or existing.get("value", {}).get("text") != post["text"]:
                raise
            return existing.get("uri")  # sent before the ledger could record it

    def _existing(self, auth: dict, did: str, rkey: str) -> dict | None:
        try:
            return self.http.call("GET", f"{self.api}/xrpc/com.atproto.repo.getRecord", headers=auth,
                                  params={"repo": did, "collection": self.collection, "rkey": rkey})
        except ChannelError:
            return None


class Telegram(Base):
    platform = "telegram"
    default_api = "https://api.telegram.org"

    def send(self, post: dict) -> str | None:
        answer = self.http.call("POST", f"{self.api}/bot{self.secret('token_env')}/sendMessage",
                                json={"chat_id": self.config.account, "text": post["text"]})
        return str(answer.get("result", {}).get("message_id", "")) or None


class Facebook(Base):
    platform = "facebook"
    default_api = "https://graph.facebook.com/v21.0"

    def send(self, post: dict) -> str | None:
        answer = self.http.call("POST", f"{self.api}/{self.config.account}/feed",
                                data={"message": post["text"], "link": post["url"],
                                      "access_token": self.secret("token_env")})
        return answer.get("id")


class X(Base):
    """X API v2 with an OAuth 2.0 user access token (scope tweet.write)."""

    platform = "x"
    default_api = "https://api.x.com"

    def send(self, post: dict) -> str | None:
        answer = self.http.call("POST", f"{self.api}/2/tweets", json={"text": post["text"]},
                                headers={"Authorization": f"Bearer {self.secret('token_env')}"})
        return answer.get("data", {}).get("id")


class Log(Base):
    """Appends posts to site/_social/published.jsonl, for schedulers that read files."""

    platform = "log"

    @property
    def file(self) -> Path:
        return self.site_root / OUTBOX_DIR / PUBLISHED_LOG

    def _holds(self, post_id: str) -> bool:
        if not self.file.exists():
            return False
        with self.file.open(encoding="utf-8") as lines:
            return any(json.loads(line).get("id") == post_id for line in lines if line.strip())

    def send(self, post: dict) -> str | None:
        if not self._holds(post["id"]):
            line = json.dumps({**post, "sent": dt.datetime.now(dt.timezone.utc).isoformat()},
                              ensure_ascii=False, sort_keys=True)
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with self.file.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
                out.flush()
                os.fsync(out.fileno())
        return None


class Handoff(Log):
    """Instagram and WhatsApp channels have no API we may use: the posts go to a
    file, site/_social/<slug>.<platform>.jsonl, for the office's admin to post by hand."""

    @property
    def file(self) -> Path:
        return self.site_root / OUTBOX_DIR / f"{self.slug}.{self.config.platform}.jsonl"


KINDS: dict[str, type[Base]] = {"mastodon": Mastodon, "bluesky": Bluesky, "telegram": Telegram,
                                "facebook": Facebook, "x": X, "log": Log,
                                "instagram": Handoff, "whatsapp_channel": Handoff}
# Channels that need no credential: usable without a line in office.yml (`--channel log`).
BUILT_IN = ("log", "instagram", "whatsapp_channel")


def open_channel(config: Channel, env: Mapping[str, str], http: Http, site_root: Path, slug: str) -> Base:
    return KINDS[config.platform](config, env, http, site_root, slug)
