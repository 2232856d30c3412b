"""A fake of the social platforms' APIs on loopback, for the publish tests.

Run as its own process: ``python tests/fakes/social_server.py PORT_FILE`` binds
127.0.0.1 on a free port and writes the port to PORT_FILE. It speaks:

- Mastodon: POST /api/v1/statuses (deduped on Idempotency-Key, as Mastodon
  does), GET /api/v1/accounts/verify_credentials, /api/v1/timelines/home and
  /api/v1/accounts/1/statuses;
- Bluesky (atproto XRPC): com.atproto.server.createSession,
  com.atproto.repo.uploadBlob, com.atproto.repo.createRecord (an rkey used
  before is refused), com.atproto.repo.getRecord;
- Telegram Bot API: POST /bot<token>/sendMessage;
- Facebook Graph API: POST /<page-id>/feed, GET /<page-id>/posts;
- Instagram content publishing (Graph API): POST /<ig-user>/media (an image container,
  not public yet), GET /<container>?fields=status_code, POST /<ig-user>/media_publish
  (a container published twice is refused), GET /<ig-user>/media;
- X API v2: POST /2/tweets;
- Threads API: POST /<user>/threads (a container), POST /<user>/threads_publish,
  GET /<user>/threads;
- LinkedIn Posts API: POST /rest/posts (201, id in x-restli-id), GET /rest/posts?q=author.

Test controls:
- GET /_test/requests: every request seen, with headers and body;
- GET /_test/posts: every post stored, on any platform, as {platform, text};
- POST /_test/reset: forget every post, request and control;
- POST /_test/fail {"path": prefix, "status": 503, "times": 2, "retry_after": "0"}:
  answer with that status; {"path": prefix, "drop": true, "times": 1}: store
  the post, then close the connection without answering (the platform
  accepted it, the answer was lost); {"path": prefix, "delay": 3, "times": 1}:
  store it, then answer only after that many seconds (a read timeout);
- POST /_test/container_status {"status": "ERROR", "times": 1}: the next status looks at an
  Instagram container answer that instead of FINISHED ("IN_PROGRESS", "ERROR", "EXPIRED");
- POST /_test/kill {"pid": P, "after": N, "when": W, "group": true}: SIGKILL
  process P (its whole process group with "group") at the N-th request that
  publishes something: W "arrive" before the post is stored, "stored" after it
  is stored and before the answer, "answered" right after the answer is sent.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCOUNT = {"id": "1", "username": "kantorcontoh", "acct": "kantorcontoh"}


def publishes(path: str) -> bool:
    """The requests that make a post public (a Threads container does not)."""
    return (path == "/api/v1/statuses" or path == "/xrpc/com.atproto.repo.createRecord"
            or (path.startswith("/bot") and path.endswith("/sendMessage")) or path.endswith("/feed")
            or path == "/2/tweets" or path.endswith("/threads_publish") or path.endswith("/media_publish")
            or path == "/rest/posts")


def shown_little_text(commentary: str) -> str:
    """What LinkedIn shows of a commentary: hashtag templates as '#tag', escapes removed."""
    text = re.sub(r"\{hashtag\|\\#\|([^}]*)\}", r"#\1", commentary)
    return re.sub(r"\\(.)", r"\1", text)


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.statuses: list[dict] = []  # Mastodon, newest last
        self.idempotency: dict[str, dict] = {}
        self.records: dict[str, dict] = {}  # Bluesky rkey -> record
        self.blobs = 0
        self.messages: list[dict] = []  # Telegram, Facebook, X, Threads, LinkedIn
        self.containers: dict[str, str] = {}  # Threads container id -> text
        self.ig_containers: dict[str, dict] = {}  # Instagram container id -> {caption, image_url, status}
        self.ig_status: list[str] = []  # statuses the next looks at a container answer (test control)
        self.failures: list[dict] = []
        self.kill: dict | None = None
        self.publishing = 0  # requests that publish, seen so far


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _body(self) -> tuple[bytes, dict]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind = self.headers.get("Content-Type", "")
        if "json" in kind:
            return raw, json.loads(raw or b"{}")
        if kind.startswith("image/"):
            return raw, {}
        return raw, {k: v[0] for k, v in parse_qs(raw.decode()).items()}

    def _answer(self, status: int, data, headers: dict | None = None) -> None:
        failure = getattr(self, "_pending_failure", None)
        if failure and failure.get("drop"):
            self.close_connection = True  # stored, but no answer ever comes
            self.connection.close()
            return
        if failure and failure.get("delay"):
            STATE.lock.release()  # let the server answer others while this one waits
            try:
                time.sleep(float(failure["delay"]))
            finally:
                STATE.lock.acquire()
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if getattr(self, "_kill_after_answer", False):
            self._kill()

    def _kill(self) -> None:
        kill, STATE.kill = STATE.kill, None
        if kill.get("group"):
            os.killpg(kill["pid"], signal.SIGKILL)
        else:
            os.kill(kill["pid"], signal.SIGKILL)

    def _arrived(self, path: str) -> bool:
        """Counts a publishing request; True when the test wants its sender killed right now."""
        if not publishes(path):
            return False
        STATE.publishing += 1
        kill = STATE.kill
        if kill and STATE.publishing == kill["after"]:
            when = kill.get("when", "stored")
            if when == "arrive":
                self._kill()
                return True
            self._kill_when = when
        return False

    def _stored(self) -> None:
        """A new post is stored: the moment a test may kill its sender before the answer."""
        when = getattr(self, "_kill_when", None)
        if when == "stored":
            self._kill()
        elif when == "answered":
            self._kill_after_answer = True

    def _failure_for(self, path: str) -> dict | None:
        for failure in STATE.failures:
            if path.startswith(failure["path"]) and failure["times"] != 0:
                failure["times"] -= 1
                return failure
        return None

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with STATE.lock:
            if url.path == "/_test/requests":
                return self._answer(200, STATE.requests)
            if url.path == "/_test/posts":
                return self._answer(200, self._all_posts())
            if url.path == "/_test/bluesky":
                return self._answer(200, list(STATE.records.values()))
            if url.path == "/_test/messages":
                return self._answer(200, STATE.messages)
            STATE.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers), "body": ""})
            if url.path == "/api/v1/accounts/verify_credentials":
                return self._answer(200, ACCOUNT)
            if url.path in ("/api/v1/timelines/home", "/api/v1/accounts/1/statuses"):
                return self._answer(200, list(reversed(STATE.statuses)))
            if url.path == "/xrpc/com.atproto.repo.getRecord":
                record = STATE.records.get(query.get("rkey", ""))
                if record is None:
                    return self._answer(400, {"error": "RecordNotFound"})
                return self._answer(200, {"uri": record["uri"], "value": record["value"]})
            if url.path.endswith("/posts") and url.path != "/rest/posts":  # Facebook
                return self._answer(200, {"data": [{"id": m["id"], "message": m["message"]}
                                                   for m in reversed(STATE.messages) if m["platform"] == "facebook"]})
            if url.path.endswith("/threads"):
                return self._answer(200, {"data": [{"id": m["id"], "text": m["text"]}
                                                   for m in reversed(STATE.messages) if m["platform"] == "threads"]})
            if url.path.endswith("/media"):  # Instagram: the account's recent media
                return self._answer(200, {"data": [{"id": m["id"], "caption": m["caption"]}
                                                   for m in reversed(STATE.messages) if m["platform"] == "instagram"]})
            container = STATE.ig_containers.get(url.path.strip("/"))
            if container is not None and query.get("fields") == "status_code":
                status = STATE.ig_status.pop(0) if STATE.ig_status else container["status"]
                return self._answer(200, {"status_code": status, "id": url.path.strip("/")})
            if url.path == "/rest/posts":
                return self._answer(200, {"elements": [{"id": m["id"], "commentary": m["commentary"]}
                                                       for m in reversed(STATE.messages) if m["platform"] == "linkedin"]})
            return self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        raw, data = self._body()
        with STATE.lock:
            if url.path == "/_test/fail":
                STATE.failures.append(data)
                return self._answer(200, {})
            if url.path == "/_test/reset":  # forget every post and control, as a new server would
                STATE.__init__()
                return self._answer(200, {})
            if url.path == "/_test/container_status":
                STATE.ig_status += [data["status"]] * int(data.get("times", 1))
                return self._answer(200, {})
            if url.path == "/_test/kill":
                STATE.kill = data
                STATE.publishing = 0
                return self._answer(200, {})
            STATE.requests.append({"method": "POST", "path": self.path, "headers": dict(self.headers),
                                   "body": raw.decode("utf-8", errors="replace")})
            if self._arrived(url.path):
                return None
            failure = self._failure_for(url.path)
            if failure and "status" in failure:
                headers = {"Retry-After": failure["retry_after"]} if failure.get("retry_after") else {}
                return self._answer(failure["status"], {"error": "injected"}, headers)
            self._pending_failure = failure
            return self._route(url.path, data)

    def _route(self, path: str, data: dict) -> None:
        if path == "/api/v1/statuses":
            return self._mastodon(data)
        if path == "/xrpc/com.atproto.server.createSession":
            return self._answer(200, {"did": "did:plc:kantorcontoh", "handle": data["identifier"],
                                      "accessJwt": "session-jwt", "refreshJwt": "refresh-jwt"})
        if path == "/xrpc/com.atproto.repo.uploadBlob":
            STATE.blobs += 1
            return self._answer(200, {"blob": {"$type": "blob", "ref": {"$link": f"bafkblob{STATE.blobs}"},
                                               "mimeType": self.headers.get("Content-Type"),
                                               "size": int(self.headers.get("Content-Length") or 0)}})
        if path == "/xrpc/com.atproto.repo.createRecord":
            return self._bluesky(data)
        if path.startswith("/bot") and path.endswith("/sendMessage"):
            return self._message("telegram", data, {"ok": True, "result": {"message_id": len(STATE.messages) + 1}})
        if path.endswith("/feed"):
            return self._message("facebook", {**data, "id": f"page_{len(STATE.messages) + 1}"},
                                 {"id": f"page_{len(STATE.messages) + 1}"})
        if path == "/2/tweets":
            return self._message("x", data, {"data": {"id": str(len(STATE.messages) + 1), "text": data["text"]}})
        if path.endswith("/threads"):
            container = f"container_{len(STATE.containers) + 1}"
            STATE.containers[container] = data["text"]
            return self._answer(200, {"id": container})
        if path.endswith("/threads_publish"):
            text = STATE.containers.pop(data.get("creation_id", ""), None)
            if text is None:
                return self._answer(400, {"error": {"message": "unknown container"}})
            media = f"threads_{len(STATE.messages) + 1}"
            return self._message("threads", {"text": text, "id": media}, {"id": media})
        if path.endswith("/media_publish"):
            container = STATE.ig_containers.get(data.get("creation_id", ""))
            if container is None or container["status"] != "FINISHED":
                return self._answer(400, {"error": {"message": "The media is not ready for publishing"}})
            container["status"] = "PUBLISHED"
            media = f"ig_media_{len(STATE.messages) + 1}"
            return self._message("instagram", {"caption": container["caption"], "image_url": container["image_url"],
                                               "id": media}, {"id": media})
        if path.endswith("/media"):
            if not data.get("image_url") or len(data.get("caption", "")) > 2200:
                return self._answer(400, {"error": {"message": "Invalid parameter"}})
            container = f"ig_container_{len(STATE.ig_containers) + 1}"
            STATE.ig_containers[container] = {"caption": data.get("caption", ""), "image_url": data["image_url"],
                                              "status": "FINISHED"}
            return self._answer(200, {"id": container})
        if path == "/rest/posts":
            urn = f"urn:li:share:{len(STATE.messages) + 1}"
            STATE.messages.append({"platform": "linkedin", **data, "id": urn})
            self._stored()
            return self._answer(201, {}, {"x-restli-id": urn})
        return self._answer(404, {"error": "not found"})

    def _all_posts(self) -> list[dict]:
        posts = [{"platform": "mastodon", "text": s["content"]} for s in STATE.statuses]
        posts += [{"platform": "bluesky", "text": r["value"]["text"]} for r in STATE.records.values()]
        for m in STATE.messages:
            text = m.get("text") or m.get("message") or m.get("caption") or shown_little_text(m.get("commentary", ""))
            posts.append({"platform": m["platform"], "text": text})
        return posts

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
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
