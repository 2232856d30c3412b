"""`make publish`: channels, the ledger, retries, crashes, secrets, against a fake API server on loopback."""
from __future__ import annotations

import json
import subprocess
import sys

from urllib.parse import parse_qs

import requests

from fakes.social import CHANNELS, SECRET, add_channels as _channels, publish_env, read_ledger as _ledger
from fakes.social import run_publish as _publish, write_cards, write_outbox_of as _outbox
from infohub.social.ledger import ledger_path


MASTODON = CHANNELS["mastodon"]


def test_publishes_to_mastodon_once_and_reads_the_posts_back(repo, api):
    _channels(repo, MASTODON.format(api=api))
    posts = [p for p in _outbox(repo) if p["platform"] == "mastodon"]
    assert posts
    done = _publish(repo, api=api)
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

    again = _publish(repo, api=api)
    assert len(requests.get(f"{api}/api/v1/accounts/1/statuses", timeout=5).json()) == len(posts)
    assert f"0 pos terkirim, {len(posts)} sudah terbit sebelumnya" in again.stdout


def test_killed_between_posts_then_rerun_sends_each_post_exactly_once(repo, api):
    _channels(repo, MASTODON.format(api=api))
    posts = [p for p in _outbox(repo) if p["platform"] == "mastodon"]
    assert len(posts) >= 3
    publisher = subprocess.Popen([sys.executable, "-m", "infohub", "publish", "--office", "kantorcontoh",
                                  "--channel", "mastodon"], env=publish_env(repo, api), start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the server kills the publisher (and its office's process) when the 2nd post is stored, before it can answer
    requests.post(f"{api}/_test/kill", json={"pid": publisher.pid, "after": 2, "group": True}, timeout=5)
    assert publisher.wait(timeout=60) == -9
    recorded = {uid: entry for by in _ledger(repo).values() for uid, entry in by.get("mastodon", {}).items()}
    assert [entry.get("state") for entry in recorded.values()] == [None, "sending"]  # the 2nd: an intent only

    done = _publish(repo, "--channel", "mastodon", api=api)
    assert f"ditemukan kantorcontoh · mastodon · {posts[1]['language']} · {posts[1]['url']}" in done.stdout
    timeline = requests.get(f"{api}/api/v1/timelines/home", timeout=5).json()
    assert sorted(s["content"] for s in timeline) == sorted(p["text"] for p in posts)  # each exactly once
    assert sum(len(by.get("mastodon", {})) for by in _ledger(repo).values()) == len(posts)


def test_a_failing_channel_is_retried_and_the_others_still_go_out(repo, api):
    _channels(repo, MASTODON.format(api=api) + CHANNELS["telegram"].format(api=api))
    posts = _outbox(repo)
    mastodon = [p for p in posts if p["platform"] == "mastodon"]
    # Mastodon: two 503s, then it works; Telegram: always down
    requests.post(f"{api}/_test/fail", json={"path": "/api/v1/statuses", "status": 503, "times": 2,
                                             "retry_after": "0"}, timeout=5)
    requests.post(f"{api}/_test/fail", json={"path": "/bot", "status": 429, "times": -1, "retry_after": "0"},
                  timeout=5)
    done = _publish(repo, check=1, api=api)
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
    _channels(repo, "".join(CHANNELS[p].format(api=api) for p in ("bluesky", "telegram", "facebook", "x")))
    posts = _outbox(repo)
    done = _publish(repo, "--channel", "bluesky", "--channel", "telegram", "--channel", "facebook", "--channel", "x",
                    api=api)
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
    _publish(repo, "--channel", "bluesky", api=api)
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


def test_no_channel_anywhere_is_a_normal_state_said_in_one_line(repo):
    _outbox(repo)
    done = _publish(repo)
    assert done.stdout.strip() == (
        "Belum ada kantor yang memasang saluran media sosial, jadi tidak ada yang dikirim. Untuk memasangnya, "
        "tambahkan daftar 'channels:' di offices/<slug>/office.yml (lihat panduan Data kantor).")
    done = _publish(repo, lang="en")
    assert done.stdout.strip() == (
        "No office has a social channel yet, so nothing was sent. To add one, put a 'channels:' list in "
        "offices/<slug>/office.yml (see the Office data handbook page).")
    assert not ledger_path(repo, "kantorcontoh").exists()


def _form(body: str) -> dict:
    return {key: values[0] for key, values in parse_qs(body).items()}


def test_instagram_publishes_each_card_with_its_caption_through_a_container(repo, api):
    _channels(repo, CHANNELS["instagram"].format(api=api))
    posts = [p for p in _outbox(repo) if p["platform"] == "instagram"]
    assert posts and all(p["image"].startswith("https://kantorcontoh.id/") and p["image"].endswith(".jpg")
                         for p in posts)
    write_cards(repo, posts)
    done = _publish(repo, api=api)
    seen = requests.get(f"{api}/_test/requests", timeout=5).json()
    # a container with the card's public address and the caption, asked about, then published
    created = [_form(r["body"]) for r in seen if r["path"] == "/17841400000000/media"]
    assert created == [{"image_url": p["image"], "caption": p["text"], "access_token": SECRET} for p in posts]
    looked = [r["path"].split("?") for r in seen if r["method"] == "GET"]
    assert looked == [[f"/ig_container_{n}", f"fields=status_code&access_token={SECRET}"]
                      for n in range(1, len(posts) + 1)]
    published = [_form(r["body"]) for r in seen if r["path"] == "/17841400000000/media_publish"]
    assert published == [{"creation_id": f"ig_container_{n}", "access_token": SECRET} for n in range(1, len(posts) + 1)]
    messages = requests.get(f"{api}/_test/messages", timeout=5).json()
    assert [(m["caption"], m["image_url"]) for m in messages] == [(p["text"], p["image"]) for p in posts]
    ledger = _ledger(repo)
    assert [ledger[p["language"]]["instagram"][p["uid"]]["ref"] for p in posts] == [
        f"ig_media_{n}" for n in range(1, len(posts) + 1)]
    assert "belum ada saluran untuk instagram" not in done.stdout  # no hand-off file any more: sent
    assert not list((repo / "site" / "_social").glob("*.instagram.jsonl"))
    assert SECRET not in done.stdout + done.stderr

    again = _publish(repo, api=api)
    assert f"0 pos terkirim, {len(posts)} sudah terbit sebelumnya" in again.stdout
    assert len(requests.get(f"{api}/_test/messages", timeout=5).json()) == len(posts)


def test_whatsapp_posts_are_handed_to_a_person_with_their_text_in_the_summary(repo, tmp_path):
    _channels(repo, "  - platform: whatsapp_channel\n    since: 2025-08-01\n")
    posts = [p for p in _outbox(repo) if p["platform"] == "whatsapp_channel"]
    assert [p["language"] for p in posts] == ["en", "id"]  # the open day, 2025-08-01: newer than the channel
    step_summary = tmp_path / "summary.md"
    done = _publish(repo, env={**publish_env(repo), "GITHUB_STEP_SUMMARY": str(step_summary)})
    handed = ["kantorcontoh: WhatsApp tidak punya API, jadi pos berikut belum tampil. Tempel sendiri setiap teks di "
              "bawah ini ke saluran WhatsApp kantor. Buku catatan sudah mencatatnya sebagai terbit, jadi teks ini "
              "tidak ditampilkan lagi:"]
    for post in posts:
        handed.append(f"tempel   kantorcontoh · whatsapp_channel · {post['language']} · {post['url']}")
        handed += ["    " + line for line in post["text"].splitlines()]
    lines = done.stdout.splitlines()
    start = lines.index(handed[0])
    assert lines[start:start + len(handed)] == handed
    assert "\n".join(handed) in step_summary.read_text(encoding="utf-8")
    assert {p["uid"] for p in posts} <= set(_ledger(repo)["id"]["whatsapp_channel"]) | set(
        _ledger(repo)["en"]["whatsapp_channel"])
    again = _publish(repo)
    assert "WhatsApp" not in again.stdout  # recorded: not handed out a second time
