"""`make publish`: channels, the ledger, retries, crashes, secrets, against a fake API server on loopback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from infohub.sitedata import load_site
from infohub.social.ledger import Ledger, ledger_path
from infohub.social.outbox import outbox_path, outbox_posts, write_outbox

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "fakes" / "social_server.py"
SECRET = "s3cr3t-Token-7f9a2c"


@pytest.fixture
def api(tmp_path):
    """The fake social APIs, as their own process; yields its base URL."""
    port_file = tmp_path / "port"
    server = subprocess.Popen([sys.executable, str(FAKE), str(port_file)], stderr=subprocess.DEVNULL)
    for _ in range(100):
        if port_file.exists():
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port_file.read_text()}"
    server.kill()
    server.wait()


def _channels(repo: Path, text: str) -> None:
    office = repo / "offices" / "kantorcontoh" / "office.yml"
    office.write_text(office.read_text(encoding="utf-8") + "channels:\n" + text, encoding="utf-8")


def _outbox(repo: Path) -> list[dict]:
    """What `make site` leaves in the outbox (computed without a full build)."""
    posts = outbox_posts(load_site("kantorcontoh", repo), repo, Ledger(ledger_path(repo, "kantorcontoh")))
    write_outbox(outbox_path(repo / "site", "kantorcontoh"), posts)
    return posts


def _publish(repo: Path, *args: str, lang: str = "id", check: int | None = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": lang, "MASTODON_TOKEN_KANTORCONTOH": SECRET,
           "BLUESKY_PASSWORD_KANTORCONTOH": SECRET, "TELEGRAM_TOKEN_KANTORCONTOH": SECRET,
           "FACEBOOK_TOKEN_KANTORCONTOH": SECRET, "X_TOKEN_KANTORCONTOH": SECRET}
    done = subprocess.run([sys.executable, "-m", "infohub", "publish", "--office", "kantorcontoh", "--backoff", "0.01",
                           *args], env=env, capture_output=True, text=True, timeout=120)
    if check is not None:
        assert done.returncode == check, done.stdout + done.stderr
    return done


def _ledger(repo: Path) -> dict:
    return json.loads(ledger_path(repo, "kantorcontoh").read_text(encoding="utf-8"))


MASTODON = "  - platform: mastodon\n    instance: {api}\n    token_env: MASTODON_TOKEN_KANTORCONTOH\n"


def test_publishes_to_mastodon_once_and_reads_the_posts_back(repo, api):
    _channels(repo, MASTODON.format(api=api))
    posts = [p for p in _outbox(repo) if p["platform"] == "mastodon"]
    assert posts
    done = _publish(repo)
    timeline = requests.get(f"{api}/api/v1/timelines/home", timeout=5).json()
    assert sorted(s["content"] for s in timeline) == sorted(p["text"] for p in posts)
    assert {(s["language"], s["visibility"]) for s in timeline} == {(p["language"], "public") for p in posts}
    sent = [r for r in requests.get(f"{api}/_test/requests", timeout=5).json() if r["path"] == "/api/v1/statuses"]
    assert [r["headers"]["Idempotency-Key"] for r in sent] == [p["id"] for p in posts]
    ledger = _ledger(repo)
    assert all(p["uid"] in ledger[p["language"]]["mastodon"] for p in posts)
    # the Instagram account has no channel: its posts wait, and the summary says so
    assert "kantorcontoh: belum ada saluran untuk instagram" in done.stdout
    # the credential is sent as a header only, never shown or recorded
    assert SECRET not in done.stdout + done.stderr
    assert SECRET not in ledger_path(repo, "kantorcontoh").read_text(encoding="utf-8")

    again = _publish(repo)
    assert len(requests.get(f"{api}/api/v1/accounts/1/statuses", timeout=5).json()) == len(posts)
    assert f"0 pos terkirim, {len(posts)} sudah terbit sebelumnya" in again.stdout


def test_killed_between_posts_then_rerun_sends_each_post_exactly_once(repo, api):
    _channels(repo, MASTODON.format(api=api))
    posts = [p for p in _outbox(repo) if p["platform"] == "mastodon"]
    assert len(posts) >= 3
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "MASTODON_TOKEN_KANTORCONTOH": SECRET}
    publisher = subprocess.Popen([sys.executable, "-m", "infohub", "publish", "--office", "kantorcontoh",
                                  "--channel", "mastodon"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the server kills the publisher when the 2nd post is stored, before it can answer
    requests.post(f"{api}/_test/kill", json={"pid": publisher.pid, "after": 2}, timeout=5)
    assert publisher.wait(timeout=60) == -9
    recorded = sum(len(by.get("mastodon", {})) for by in _ledger(repo).values())
    assert recorded == 1  # the 2nd went out but was not recorded

    _publish(repo, "--channel", "mastodon")
    timeline = requests.get(f"{api}/api/v1/timelines/home", timeout=5).json()
    assert sorted(s["content"] for s in timeline) == sorted(p["text"] for p in posts)  # each exactly once
    assert sum(len(by.get("mastodon", {})) for by in _ledger(repo).values()) == len(posts)


def test_a_failing_channel_is_retried_and_the_others_still_go_out(repo, api):
    _channels(repo, MASTODON.format(api=api)
              + f"  - platform: telegram\n    instance: {api}\n    account: '@kantorcontoh'\n"
                "    token_env: TELEGRAM_TOKEN_KANTORCONTOH\n")
    posts = _outbox(repo)
    mastodon = [p for p in posts if p["platform"] == "mastodon"]
    # Mastodon: two 503s, then it works; Telegram: always down
    requests.post(f"{api}/_test/fail", json={"path": "/api/v1/statuses", "status": 503, "times": 2,
                                             "retry_after": "0"}, timeout=5)
    requests.post(f"{api}/_test/fail", json={"path": "/bot", "status": 429, "times": -1, "retry_after": "0"},
                  timeout=5)
    done = _publish(repo, check=1)
    timeline = requests.get(f"{api}/api/v1/timelines/home", timeout=5).json()
    assert len(timeline) == len(mastodon)
    telegram = [p for p in posts if p["platform"] == "telegram"]
    tries = [r for r in requests.get(f"{api}/_test/requests", timeout=5).json() if r["path"].startswith("/bot")]
    assert len(tries) == 4  # the first post, four times; the rest wait for the next run
    assert f"GAGAL    kantorcontoh · telegram · {telegram[0]['language']} · {telegram[0]['url']}: " \
           "server menjawab dengan kode HTTP 429" in done.stdout
    assert f"{len(telegram)} gagal" in done.stdout
    assert "telegram" not in json.dumps(_ledger(repo))
    assert SECRET not in done.stdout + done.stderr  # the token is in Telegram's URL path: not shown


def test_bluesky_telegram_facebook_and_x_receive_what_they_expect(repo, api):
    _channels(repo, f"  - platform: bluesky\n    instance: {api}\n    account: kantorcontoh.example\n"
                    "    password_env: BLUESKY_PASSWORD_KANTORCONTOH\n"
                    f"  - platform: telegram\n    instance: {api}\n    account: '@kantorcontoh'\n"
                    "    token_env: TELEGRAM_TOKEN_KANTORCONTOH\n"
                    f"  - platform: facebook\n    instance: {api}\n    account: '1234'\n"
                    "    token_env: FACEBOOK_TOKEN_KANTORCONTOH\n"
                    f"  - platform: x\n    instance: {api}\n    token_env: X_TOKEN_KANTORCONTOH\n")
    posts = _outbox(repo)
    done = _publish(repo, "--channel", "bluesky", "--channel", "telegram", "--channel", "facebook", "--channel", "x")
    assert SECRET not in done.stdout + done.stderr
    by = {name: [p for p in posts if p["platform"] == name] for name in ("bluesky", "telegram", "facebook", "x")}
    records = requests.get(f"{api}/_test/bluesky", timeout=5).json()
    assert sorted(r["value"]["text"] for r in records) == sorted(p["text"] for p in by["bluesky"])
    first = next(r["value"] for r in records if r["value"]["text"] == by["bluesky"][0]["text"])
    assert first["facets"] == by["bluesky"][0]["facets"] and first["langs"] == [by["bluesky"][0]["language"]]
    messages = requests.get(f"{api}/_test/messages", timeout=5).json()
    assert [m["text"] for m in messages if m["platform"] == "telegram"] == [p["text"] for p in by["telegram"]]
    assert {m["chat_id"] for m in messages if m["platform"] == "telegram"} == {"@kantorcontoh"}
    assert [(m["message"], m["link"]) for m in messages if m["platform"] == "facebook"] == \
        [(p["text"], p["url"]) for p in by["facebook"]]
    assert [m["text"] for m in messages if m["platform"] == "x"] == [p["text"] for p in by["x"]]
    seen = requests.get(f"{api}/_test/requests", timeout=5).json()
    session = next(r for r in seen if r["path"].endswith("createSession"))
    assert json.loads(session["body"]) == {"identifier": "kantorcontoh.example", "password": SECRET}
    assert all(r["headers"]["Authorization"] == f"Bearer {SECRET}" for r in seen if r["path"] == "/2/tweets")

    # Bluesky after a crash: the ledger forgot, the record key finds the post already there
    ledger = _ledger(repo)
    del ledger[by["bluesky"][0]["language"]]["bluesky"][by["bluesky"][0]["uid"]]
    ledger_path(repo, "kantorcontoh").write_text(json.dumps(ledger), encoding="utf-8")
    _publish(repo, "--channel", "bluesky")
    assert len(requests.get(f"{api}/_test/bluesky", timeout=5).json()) == len(by["bluesky"])
    assert by["bluesky"][0]["uid"] in _ledger(repo)[by["bluesky"][0]["language"]]["bluesky"]


def test_log_channel_dry_run_and_mark_all(repo):
    posts = _outbox(repo)
    logged = [p for p in posts if p["platform"] == "log"]
    dry = _publish(repo, "--channel", "log", "--dry-run")
    assert f"[uji coba] kantorcontoh · log · {logged[0]['language']} · {logged[0]['url']}" in dry.stdout
    assert not ledger_path(repo, "kantorcontoh").exists()
    assert not (repo / "site" / "_social" / "published.jsonl").exists()

    # a post written to the log but not yet recorded (a crash in between) is not written twice
    published = repo / "site" / "_social" / "published.jsonl"
    published.write_text(json.dumps(logged[0]) + "\n", encoding="utf-8")
    _publish(repo, "--channel", "log")
    lines = [json.loads(line) for line in published.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(p["id"] for p in logged)
    assert sum(len(by.get("log", {})) for by in _ledger(repo).values()) == len(logged)

    _publish(repo, "--mark-all")
    assert _outbox(repo) == []  # the next `make site` finds nothing new


def test_no_channel_configured_fails_with_a_clear_message(repo):
    _outbox(repo)
    done = _publish(repo, check=2)
    assert done.stdout.strip() == (
        "Belum ada saluran media sosial untuk kantor yang dipilih. Tambahkan daftar 'channels:' di "
        "offices/<slug>/office.yml (lihat README), atau pilih saluran bawaan, misalnya: make publish CHANNEL=log")
    done = _publish(repo, lang="en", check=2)
    assert done.stdout.strip() == (
        "No social channel is configured for the offices selected. Add a 'channels:' list to "
        "offices/<slug>/office.yml (see the README), or name a built-in channel, for example: make publish CHANNEL=log")


def test_a_channel_token_written_into_office_yml_is_refused(repo):
    from infohub.content import load_national, load_office

    _channels(repo, "  - platform: mastodon\n    instance: https://mastodon.example\n    token_env: abc123secret\n")
    _, problems = load_office("kantorcontoh", load_national(repo)[0], repo)
    assert [p.text("id") for p in problems][-1].endswith(
        "diharapkan NAMA variabel lingkungan yang menyimpan token, dalam huruf kapital, misalnya "
        "'MASTODON_TOKEN_IMIGRASIBLITAR' (jangan tulis tokennya sendiri di sini), tertulis 'abc123secret'")
