"""A fake of the social platforms' APIs on loopback, for the publish tests.

Run as its own process: ``python tests/fakes/social_server.py PORT_FILE`` binds
127.0.0.1 on a free port and writes the port to PORT_FILE. It speaks:

- Mastodon: POST /api/v1/statuses (deduped on Idempotency-Key, as Mastodon
  does), GET /api/v1/timelines/home and /api/v1/accounts/1/statuses;
- Bluesky (atproto XRPC): com.atproto.server.createSession,
  com.atproto.repo.createRecord (an rkey used before is refused),
  com.atproto.repo.getRecord;
- Telegram Bot API: POST /bot<token>/sendMessage;
- Facebook Graph API: POST /<page-id>/feed;
- X API v2: POST /2/tweets.

Test controls: GET /_test/requests (every request seen, with headers and body),
POST /_test/fail {"path": prefix, "status": 503, "times": 2, "retry_after": "0"},
POST /_test/kill {"pid": P, "after": N}: SIGKILL process P as soon as the N-th
new post is stored, before answering, i.e. after the post went out but before
its sender could record it.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCOUNT = {"id": "1", "username": "kantorcontoh", "acct": "kantorcontoh"}


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.statuses: list[dict] = []  # Mastodon, newest last
        self.idempotency: dict[str, dict] = {}
        self.records: dict[str, dict] = {}  # Bluesky rkey -> record
        self.messages: list[dict] = []  # Telegram, Facebook, X
        self.failures: list[dict] = []
        self.kill: dict | None = None
        self.posts_stored = 0


STATE = State()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def _body(self) -> tuple[bytes, dict]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind = self.headers.get("Content-Type", "")
        if "json" in kind:
            return raw, json.loads(raw or b"{}")
        return raw, {k: v[0] for k, v in parse_qs(raw.decode()).items()}

    def _answer(self, status: int, data, headers: dict | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _stored(self) -> None:
        """A new post is stored: the moment a test may kill its sender."""
        STATE.posts_stored += 1
        kill = STATE.kill
        if kill and STATE.posts_stored == kill["after"]:
            os.kill(kill["pid"], signal.SIGKILL)
            STATE.kill = None

    def _injected_failure(self, path: str) -> bool:
        for failure in STATE.failures:
            if path.startswith(failure["path"]) and failure["times"] != 0:
                failure["times"] -= 1
                headers = {"Retry-After": failure["retry_after"]} if failure.get("retry_after") else {}
                self._answer(failure["status"], {"error": "injected"}, headers)
                return True
        return False

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with STATE.lock:
            if url.path == "/_test/requests":
                return self._answer(200, STATE.requests)
            STATE.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers), "body": ""})
            if url.path in ("/api/v1/timelines/home", "/api/v1/accounts/1/statuses"):
                return self._answer(200, list(reversed(STATE.statuses)))
            if url.path == "/xrpc/com.atproto.repo.getRecord":
                record = STATE.records.get(query.get("rkey", ""))
                if record is None:
                    return self._answer(400, {"error": "RecordNotFound"})
                return self._answer(200, {"uri": record["uri"], "value": record["value"]})
            if url.path == "/_test/bluesky":
                return self._answer(200, list(STATE.records.values()))
            if url.path == "/_test/messages":
                return self._answer(200, STATE.messages)
            return self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        raw, data = self._body()
        with STATE.lock:
            if url.path == "/_test/fail":
                STATE.failures.append(data)
                return self._answer(200, {})
            if url.path == "/_test/kill":
                STATE.kill = data
                return self._answer(200, {})
            STATE.requests.append({"method": "POST", "path": self.path, "headers": dict(self.headers),
                                   "body": raw.decode()})
            if self._injected_failure(url.path):
                return None
            if url.path == "/api/v1/statuses":
                return self._mastodon(data)
            if url.path == "/xrpc/com.atproto.server.createSession":
                return self._answer(200, {"did": "did:plc:kantorcontoh", "handle": data["identifier"],
                                          "accessJwt": "session-jwt", "refreshJwt": "refresh-jwt"})
            if url.path == "/xrpc/com.atproto.repo.createRecord":
                return self._bluesky(data)
            if url.path.startswith("/bot") and url.path.endswith("/sendMessage"):
                return self._message("telegram", data, {"ok": True, "result": {"message_id": len(STATE.messages) + 1}})
            if url.path.endswith("/feed"):
                return self._message("facebook", data, {"id": f"page_{len(STATE.messages) + 1}"})
            if url.path == "/2/tweets":
                return self._message("x", data, {"data": {"id": str(len(STATE.messages) + 1), "text": data["text"]}})
            return self._answer(404, {"error": "not found"})

    def _mastodon(self, data: dict) -> None:
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            return self._answer(401, {"error": "The access token is invalid"})
        key = self.headers.get("Idempotency-Key")
        if key and key in STATE.idempotency:
            return self._answer(200, STATE.idempotency[key])
        status = {"id": str(len(STATE.statuses) + 1), "content": data["status"], "language": data.get("language"),
                  "visibility": data.get("visibility", "public"), "account": ACCOUNT,
                  "url": f"http://127.0.0.1/@kantorcontoh/{len(STATE.statuses) + 1}"}
        STATE.statuses.append(status)
        if key:
            STATE.idempotency[key] = status
        self._stored()
        return self._answer(200, status)

    def _bluesky(self, data: dict) -> None:
        rkey = data["rkey"]
        if rkey in STATE.records:
            return self._answer(400, {"error": "InvalidRequest", "message": "Record already exists"})
        uri = f"at://{data['repo']}/{data['collection']}/{rkey}"
        STATE.records[rkey] = {"uri": uri, "value": data["record"]}
        self._stored()
        return self._answer(200, {"uri": uri, "cid": "bafy" + rkey})

    def _message(self, platform: str, data: dict, answer: dict) -> None:
        STATE.messages.append({"platform": platform, **data})
        self._stored()
        return self._answer(200, answer)


def main(port_file: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
