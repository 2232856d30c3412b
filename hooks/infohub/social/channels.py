"""Channels: how one post reaches one platform, and how to tell whether it did.

Each channel sends a post and returns a reference to it (a URL or an id),
or raises ChannelError. Its credential is the variable
<SLUG>_<PLATFORM>_TOKEN (secrets.py); the value is sent only in a request
header, body or (Telegram's API wants it so) path, and never appears in an
error: errors carry the HTTP status or the kind of network failure.

Exactly once. A request that reached the platform may have been accepted
even when no answer came back (a read timeout, a dropped connection, a
gateway's 502, a publisher killed while waiting). Such a failure says
``maybe_sent``. ``find`` then asks the platform whether the post is there:
Mastodon (the account's recent statuses), Bluesky (the post's record key),
Facebook (the page's recent posts), Instagram (the account's recent media),
Threads (the profile's recent threads) and LinkedIn (the organisation's
recent posts) can answer. Telegram's bot API cannot read a channel's history
and X's API needs a paid read access: there ``can_look`` is False and
publish.py holds the post for a person to check instead of sending it a
second time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import time
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

import requests
import urllib3

from ..messages import Msg
from ..schema import Channel
from .outbox import OUTBOX_DIR
from .secrets import secret_name
from .servers import PrivateAddress, PublicOnlyAdapter

CONNECT_TIMEOUT = 5  # seconds
READ_TIMEOUT_ENV = "INFOHUB_SOCIAL_TIMEOUT"  # seconds to wait for an answer (default 30)
PUBLISHED_LOG = "published.jsonl"
LOOKBACK = 50  # recent posts read when looking for one that may have gone out
BLUESKY_BLOB_LIMIT = 1_000_000  # bytes: a larger card is posted without a thumbnail


class ChannelError(Exception):
    """A post that did not go out, or may have.

    ``retry``: trying again at once may help (and cannot repeat the post).
    ``maybe_sent``: the platform may have accepted it; do not send it again
    before ``find`` has looked.
    """

    def __init__(self, reason: Msg, retry: bool = False, retry_after: float | None = None,
                 maybe_sent: bool = False):
        super().__init__(reason.key)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent


def _never_connected(error: requests.ConnectionError) -> bool:
    """True when the request cannot have reached the server (refused, no route, no name)."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError) or isinstance(error, requests.ConnectTimeout)


class Http:
    """One requests session with timeouts and the server rules; failures become
    ChannelErrors without the request in them."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # no .netrc credentials, no proxy from the environment's files
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, PublicOnlyAdapter())

    def request(self, method: str, url: str, *, sends: bool = False, **kwargs) -> requests.Response:
        """``sends``: this request publishes something, so a lost answer means 'maybe sent'."""
        try:
            # never follow a redirect: it would carry a token in the body to another server
            timeout = (CONNECT_TIMEOUT, float(os.environ.get(READ_TIMEOUT_ENV) or 30))
            response = self.session.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
        except PrivateAddress as refused:  # raised before any connection was opened
            raise ChannelError(Msg("syndication.error.private_address", {"host": str(refused)})) from None
        except requests.ConnectionError as error:
            if _never_connected(error):
                raise ChannelError(Msg("syndication.error.network"), retry=True) from None
            raise ChannelError(Msg("syndication.error.no_answer"), retry=not sends, maybe_sent=sends) from None
        except requests.Timeout:
            raise ChannelError(Msg("syndication.error.timeout"), retry=not sends, maybe_sent=sends) from None
        except requests.RequestException:
            raise ChannelError(Msg("syndication.error.network"), retry=not sends, maybe_sent=sends) from None
        status = response.status_code
        if status in (429, 503):  # refused before any work: safe to try again
            raise ChannelError(Msg("syndication.error.http", {"status": status}), retry=True,
                               retry_after=_retry_after(response))
        if status >= 500:  # a gateway may have passed the post on before failing
            raise ChannelError(Msg("syndication.error.http", {"status": status}), retry=not sends,
                               maybe_sent=sends)
        if 300 <= status < 400:
            raise ChannelError(Msg("syndication.error.redirect", {"status": status}))
        if status >= 400:
            raise ChannelError(Msg("syndication.error.http", {"status": status}))
        return response

    def call(self, method: str, url: str, *, sends: bool = False, **kwargs) -> dict:
        response = self.request(method, url, sends=sends, **kwargs)
        try:
            return response.json() if response.content else {}
        except ValueError:
            raise ChannelError(Msg("syndication.error.answer"), maybe_sent=sends) from None


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
    can_look = True  # find() can tell whether a post went out
    hands_off = False  # a person posts it by hand, from the run's summary

    def __init__(self, config: Channel, env: Mapping[str, str], http: Http, site_root: Path, slug: str):
        self.config = config
        self.env = env
        self.http = http
        self.site_root = site_root
        self.slug = slug
        self.api = (config.instance or self.default_api).rstrip("/")

    def token(self) -> str:
        name = secret_name(self.slug, self.config.platform)
        value = self.env.get(name, "")
        if not value:
            raise ChannelError(Msg("syndication.error.env_missing", {"name": name}))
        return value

    def send(self, post: dict) -> str | None:
        raise NotImplementedError

    def find(self, post: dict) -> str | None:
        """The reference of ``post`` if the platform has it, None if it has not.
        Raises ChannelError when the platform could not be asked."""
        raise NotImplementedError


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _id_of_same_text(items: list[dict], field: str, text: str) -> str | None:
    """The id of the first of a platform's recent posts whose ``field`` says ``text``."""
    return next((item.get("id") for item in items if _same_text(item.get(field, ""), text)), None)


class Mastodon(Base):
    platform = "mastodon"

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token()}"}

    def send(self, post: dict) -> str | None:
        status = self.http.call("POST", f"{self.api}/api/v1/statuses", sends=True,
                                headers={**self._auth(), "Idempotency-Key": post["id"]},
                                data={"status": post["text"], "language": post["language"], "visibility": "public"})
        return status.get("url") or status.get("id")

    def find(self, post: dict) -> str | None:
        me = self.http.call("GET", f"{self.api}/api/v1/accounts/verify_credentials", headers=self._auth())
        statuses = self.http.call("GET", f"{self.api}/api/v1/accounts/{me['id']}/statuses",
                                  headers=self._auth(), params={"limit": 40})
        for status in statuses:
            # Mastodon returns the text as HTML; the page's address (with its utm query) is unique to the post
            if post["url"] in html.unescape(status.get("content", "")):
                return status.get("url") or status.get("id")
        return None


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


def card_file(site_root: Path, slug: str, image_url: str) -> Path:
    """The built card behind a post's image address (https://<domain>/<path> -> site/<slug>/<path>)."""
    return site_root / slug / urlsplit(image_url).path.lstrip("/")


class Bluesky(Base):
    platform = "bluesky"
    default_api = "https://bsky.social"
    collection = "app.bsky.feed.post"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session: dict | None = None

    def _session(self) -> dict:
        if self.session is None:  # the token is the account's app password
            self.session = self.http.call("POST", f"{self.api}/xrpc/com.atproto.server.createSession",
                                          json={"identifier": self.config.account, "password": self.token()})
        return self.session

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self._session()['accessJwt']}"}

    def _thumbnail(self, post: dict) -> dict | None:
        """The post's card uploaded as a blob, for the link card's picture; None without one."""
        file = card_file(self.site_root, self.slug, post["image"]) if post.get("image") else None
        if file is None or not file.is_file() or file.stat().st_size > BLUESKY_BLOB_LIMIT:
            return None
        kind = "image/png" if file.suffix == ".png" else "image/jpeg"
        answer = self.http.call("POST", f"{self.api}/xrpc/com.atproto.repo.uploadBlob", data=file.read_bytes(),
                                headers={**self._auth(), "Content-Type": kind})
        return answer.get("blob")

    def send(self, post: dict) -> str | None:
        session = self._session()
        external = {"uri": post["url"], "title": post["title"], "description": post.get("description") or ""}
        thumb = self._thumbnail(post)
        if thumb:
            external["thumb"] = thumb
        record = {"$type": self.collection, "text": post["text"], "facets": post.get("facets", []),
                  "langs": [post["language"]],
                  "createdAt": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
                  "embed": {"$type": "app.bsky.embed.external", "external": external}}
        try:
            created = self.http.call("POST", f"{self.api}/xrpc/com.atproto.repo.createRecord", sends=True,
                                     headers=self._auth(), json={"repo": session["did"], "collection": self.collection,
                                                                 "rkey": record_key(post), "record": record})
            return created.get("uri")
        except ChannelError as error:
            if error.retry or error.maybe_sent:
                raise
            found = self.find(post)  # 'record already exists': sent before the ledger could record it
            if found is None:
                raise
            return found

    def find(self, post: dict) -> str | None:
        try:
            record = self.http.call("GET", f"{self.api}/xrpc/com.atproto.repo.getRecord", headers=self._auth(),
                                    params={"repo": self._session()["did"], "collection": self.collection,
                                            "rkey": record_key(post)})
        except ChannelError as error:
            if error.retry:
                raise
            return None  # 400 RecordNotFound: the key is free, the post never went out
        if not _same_text(record.get("value", {}).get("text", ""), post["text"]):
            return None
        return record.get("uri")


class Telegram(Base):
    platform = "telegram"
    default_api = "https://api.telegram.org"
    can_look = False  # a bot cannot read a channel's history

    def send(self, post: dict) -> str | None:
        answer = self.http.call("POST", f"{self.api}/bot{self.token()}/sendMessage", sends=True,
                                json={"chat_id": self.config.account, "text": post["text"]})
        return str(answer.get("result", {}).get("message_id", "")) or None


class Facebook(Base):
    platform = "facebook"
    default_api = "https://graph.facebook.com/v21.0"

    def send(self, post: dict) -> str | None:
        answer = self.http.call("POST", f"{self.api}/{self.config.account}/feed", sends=True,
                                data={"message": post["text"], "link": post["url"], "access_token": self.token()})
        return answer.get("id")

    def find(self, post: dict) -> str | None:
        answer = self.http.call("GET", f"{self.api}/{self.config.account}/posts",
                                params={"fields": "id,message", "limit": LOOKBACK, "access_token": self.token()})
        return _id_of_same_text(answer.get("data", []), "message", post["text"])


class Instagram(Base):
    """Instagram's content publishing (Graph API; account: the professional account's user id):
    a media container holding the card's address and the caption, then its publication.

    Instagram fetches the image itself, from the card's public address on the office's
    site (deployed before `make publish` runs in the deploy workflow): a post whose card is
    missing from the built site is not sent. Only the publication makes a post public; a
    container left unpublished expires after a day, so creating another is harmless.
    """

    platform = "instagram"
    default_api = "https://graph.facebook.com/v21.0"
    status_tries = 5  # looks at a container still being processed, before trying again next run
    status_pause = 2.0  # seconds between them

    def _container(self, post: dict) -> str:
        """A container ready to publish (status FINISHED), or ChannelError: nothing went out."""
        file = card_file(self.site_root, self.slug, post["image"]) if post.get("image") else None
        if file is None or not file.is_file():
            raise ChannelError(Msg("syndication.error.card_missing", {"url": post.get("image") or "—"}))
        created = self.http.call("POST", f"{self.api}/{self.config.account}/media",
                                 data={"image_url": post["image"], "caption": post["text"],
                                       "access_token": self.token()})
        container = str(created.get("id") or "")
        if not container:
            raise ChannelError(Msg("syndication.error.answer"))
        for attempt in range(self.status_tries):
            status = self.http.call("GET", f"{self.api}/{container}",
                                    params={"fields": "status_code", "access_token": self.token()}).get("status_code")
            if status == "FINISHED":
                return container
            if status != "IN_PROGRESS":  # ERROR or EXPIRED: this container can never be published
                raise ChannelError(Msg("syndication.error.container", {"status": status or "—"}))
            if attempt < self.status_tries - 1:
                time.sleep(self.status_pause)
        raise ChannelError(Msg("syndication.error.container_pending"), retry=True)

    def send(self, post: dict) -> str | None:
        container = self._container(post)
        answer = self.http.call("POST", f"{self.api}/{self.config.account}/media_publish", sends=True,
                                data={"creation_id": container, "access_token": self.token()})
        return answer.get("id")

    def find(self, post: dict) -> str | None:
        answer = self.http.call("GET", f"{self.api}/{self.config.account}/media",
                                params={"fields": "id,caption", "limit": LOOKBACK, "access_token": self.token()})
        return _id_of_same_text(answer.get("data", []), "caption", post["text"])


class X(Base):
    """X API v2 with an OAuth 2.0 user access token (scope tweet.write)."""

    platform = "x"
    default_api = "https://api.x.com"
    can_look = False  # reading the timeline needs a paid access level offices do not have

    def send(self, post: dict) -> str | None:
        answer = self.http.call("POST", f"{self.api}/2/tweets", json={"text": post["text"]}, sends=True,
                                headers={"Authorization": f"Bearer {self.token()}"})
        return answer.get("data", {}).get("id")


class Threads(Base):
    """Threads API: a text container, then its publication (account: the Threads user id)."""

    platform = "threads"
    default_api = "https://graph.threads.net/v1.0"

    def send(self, post: dict) -> str | None:
        container = self.http.call("POST", f"{self.api}/{self.config.account}/threads",
                                   data={"media_type": "TEXT", "text": post["text"], "access_token": self.token()})
        answer = self.http.call("POST", f"{self.api}/{self.config.account}/threads_publish", sends=True,
                                data={"creation_id": container.get("id", ""), "access_token": self.token()})
        return answer.get("id")

    def find(self, post: dict) -> str | None:
        answer = self.http.call("GET", f"{self.api}/{self.config.account}/threads",
                                params={"fields": "id,text", "limit": LOOKBACK, "access_token": self.token()})
        return _id_of_same_text(answer.get("data", []), "text", post["text"])


# LinkedIn's "little text" format reserves these characters in a post's commentary
_LITTLE_TEXT_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
_HASHTAG = re.compile(r"(?<!\S)#(\w+)")


def little_text(text: str) -> str:
    """Plain text as LinkedIn's commentary: reserved characters escaped, hashtags as hashtag templates."""
    parts, pos = [], 0
    for match in _HASHTAG.finditer(text):
        parts.append(_LITTLE_TEXT_RESERVED.sub(r"\\\1", text[pos:match.start()]))
        parts.append("{hashtag|\\#|" + match.group(1) + "}")
        pos = match.end()
    parts.append(_LITTLE_TEXT_RESERVED.sub(r"\\\1", text[pos:]))
    return "".join(parts)


class LinkedIn(Base):
    """LinkedIn Posts API for an organisation page (account: the organisation's id)."""

    platform = "linkedin"
    default_api = "https://api.linkedin.com"
    version = "202411"

    @property
    def author(self) -> str:
        account = self.config.account or ""
        return account if account.startswith("urn:li:") else f"urn:li:organization:{account}"

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token()}", "LinkedIn-Version": self.version,
                "X-Restli-Protocol-Version": "2.0.0"}

    def send(self, post: dict) -> str | None:
        body = {"author": self.author, "commentary": little_text(post["text"]), "visibility": "PUBLIC",
                "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                                 "thirdPartyDistributionChannels": []},
                "content": {"article": {"source": post["url"], "title": post["title"],
                                        "description": post.get("description") or ""}},
                "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": False}
        response = self.http.request("POST", f"{self.api}/rest/posts", sends=True, headers=self._headers(), json=body)
        return response.headers.get("x-restli-id")

    def find(self, post: dict) -> str | None:
        answer = self.http.call("GET", f"{self.api}/rest/posts", headers=self._headers(),
                                params={"q": "author", "author": self.author, "count": LOOKBACK})
        return _id_of_same_text(answer.get("elements", []), "commentary", little_text(post["text"]))


class Log(Base):
    """Appends posts to site/_social/published.jsonl, for schedulers that read files."""

    platform = "log"

    @property
    def file(self) -> Path:
        return self.site_root / OUTBOX_DIR / PUBLISHED_LOG

    def find(self, post: dict) -> str | None:
        if not self.file.exists():
            return None
        with self.file.open(encoding="utf-8") as lines:
            held = any(json.loads(line).get("id") == post["id"] for line in lines if line.strip())
        return self.file.name if held else None

    def send(self, post: dict) -> str | None:
        if self.find(post) is None:
            line = json.dumps({**post, "sent": dt.datetime.now(dt.timezone.utc).isoformat()},
                              ensure_ascii=False, sort_keys=True)
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with self.file.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
                out.flush()
                os.fsync(out.fileno())
        return None


class Handoff(Log):
    """WhatsApp channels have no API to post with: each post goes to a file,
    site/_social/<slug>.<platform>.jsonl, and its text to the run's summary
    (publish.py), for the office's admin to paste by hand."""

    hands_off = True

    @property
    def file(self) -> Path:
        return self.site_root / OUTBOX_DIR / f"{self.slug}.{self.config.platform}.jsonl"


KINDS: dict[str, type[Base]] = {"mastodon": Mastodon, "bluesky": Bluesky, "telegram": Telegram,
                                "facebook": Facebook, "instagram": Instagram, "x": X, "threads": Threads,
                                "linkedin": LinkedIn, "log": Log, "whatsapp_channel": Handoff}
# Channels that need no credential: usable without a line in office.yml (`--channel log`).
BUILT_IN = ("log", "whatsapp_channel")


def open_channel(config: Channel, env: Mapping[str, str], http: Http, site_root: Path, slug: str) -> Base:
    return KINDS[config.platform](config, env, http, site_root, slug)
