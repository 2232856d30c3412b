"""Social posts keep time: a channel posts nothing dated before the day it was added, a scheduled
post's social posts go out when it is due and never before, and exactly once holds across the
scheduled runs. A fixed clock; the fake platforms (tests/fakes/social_server.py)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from fakes.social import CHANNELS, OFFICE, add_channels, publish_env, run_publish, write_outbox_of
from infohub.checks import Scope, summaries
from infohub.content import load_national, load_office
from infohub.sitedata import InvalidContent, load_site
from infohub.social import check as social_check
from infohub.social.ledger import Ledger, ledger_path
from infohub.social.outbox import outbox_path, outbox_posts, write_outbox
from infohub.social.publish import Backoff, publish_office

WIT = dt.timezone(dt.timedelta(hours=9))  # kantorcontoh's zone, Asia/Jayapura
NEWS = Path("offices") / OFFICE / "docs" / "berita" / "2025"
SITE = "https://kantorcontoh.id/"


def _news(repo: Path, name: str, date: str) -> None:
    (repo / NEWS / f"{name}.md").write_text(
        f"---\ntitle: Berita {name}\ndate: {date}\ncategory: pengumuman\ndescription: Isi berita {name}.\n---\n\n"
        f"Isi berita {name}.\n", encoding="utf-8")


def _channel(platform: str, since: str, api: str = "https://mastodon.example") -> str:
    return CHANNELS[platform].format(api=api).replace("since: 2024-01-01", f"since: {since}")


def _pages(posts: list[dict], platform: str) -> list[tuple[str, str]]:
    return sorted((p["language"], p["url"].split("?")[0].removeprefix(SITE)) for p in posts
                  if p["platform"] == platform)


def _outbox_at(repo: Path, now: dt.datetime) -> list[dict]:
    """What a build at ``now`` leaves in the outbox."""
    posts = outbox_posts(load_site(OFFICE, repo), repo, Ledger(ledger_path(repo, OFFICE)), now=now)
    write_outbox(outbox_path(repo / "site", OFFICE), posts)
    return posts


def _publish_at(repo: Path, api: str, now: dt.datetime):
    """One office's publish run at ``now``, in this process."""
    env = {k: v for k, v in publish_env(repo, api).items() if k.startswith(OFFICE.upper())}
    office = load_office(OFFICE, load_national(repo)[0], repo)[0]
    return publish_office(OFFICE, office, wanted=None, root=repo, site_root=repo / "site", dry_run=False,
                          mark_all=False, backoff=Backoff(0.01), env=env, echo=lambda _: None, now=now)


def _on_server(api: str, platform: str) -> list[str]:
    return [p["text"] for p in requests.get(f"{api}/_test/posts", timeout=5).json() if p["platform"] == platform]


# --- a channel starts on the day it was added ------------------------------------------------


def test_a_new_channel_posts_nothing_dated_before_its_day_in_the_offices_time_zone(repo):
    # midnight of 2025-03-01 in Jayapura is 2025-02-28 15:00 UTC: 08:00 that morning is after it
    _news(repo, "malam-sebelumnya", "2025-02-28 23:59")
    _news(repo, "pagi-harinya", "2025-03-01 08:00")
    add_channels(repo, _channel("mastodon", "2025-03-01"))
    posts = write_outbox_of(repo)
    assert _pages(posts, "mastodon") == [
        ("en", "en/berita/2025/hari-terbuka/"), ("en", "en/berita/2025/layanan-akhir-pekan/"),
        ("id", "berita/2025/hari-terbuka/"), ("id", "berita/2025/layanan-akhir-pekan/"),
        ("id", "berita/2025/pagi-harinya/")]
    # the 2024 fee news and every page before the channel's day are not queued for it; Instagram
    # has an account and no channel yet: its posts keep waiting, the archive with them
    assert ("id", "berita/2024/tarif-paspor-pp-45-2024/") in _pages(posts, "instagram")
    assert ("id", "berita/2025/malam-sebelumnya/") in _pages(posts, "instagram")


def test_a_channel_without_since_is_refused_with_the_line_to_add_and_queues_nothing(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-01T20:00:00+00:00")  # already 2 September in Jayapura
    add_channels(repo, "  - platform: mastodon\n    instance: https://mastodon.example\n"
                       "  - platform: telegram\n    account: '@kantorcontoh'\n    since: 2025-08-01\n")
    _, problems = load_office(OFFICE, load_national(repo)[0], repo)
    refused = [p for p in problems if p.code == "channel_since_missing"]
    assert [(p.path, p.line, p.severity) for p in refused] == [("offices/kantorcontoh/office.yml", 79, "error")]
    assert refused[0].text("id") == (
        "channels.0: saluran mastodon belum punya tanggal mulai. Tambahkan baris 'since: 2025-09-02' (hari ini) "
        "sejajar dengan 'platform: mastodon'. Saluran hanya mengirim halaman yang bertanggal sejak hari itu, jadi "
        "arsip lama tidak ikut terkirim; tulis tanggal yang lebih awal hanya bila halaman lama memang ingin dikirim")
    assert refused[0].text("en") == (
        "channels.0: channel mastodon has no start date. Add the line 'since: 2025-09-02' (today), aligned with "
        "'platform: mastodon'. A channel sends only pages dated from that day on, so the archive is not posted; "
        "write an earlier date only if older pages really should go out")
    with pytest.raises(InvalidContent):  # no build, so no outbox that would post the archive
        load_site(OFFICE, repo)
    done = subprocess.run([sys.executable, "-m", "infohub", "check", "--office", OFFICE],
                          env={**publish_env(repo), "INFOHUB_NOW": "2025-09-01T20:00:00+00:00", "INFOHUB_LANG": "id"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "baris 79  channels.0: saluran mastodon belum punya tanggal mulai. Tambahkan baris 'since: 2025-09-02'" \
        in done.stdout, done.stdout


def test_make_check_says_how_many_older_pages_each_channel_leaves_out(repo):
    add_channels(repo, _channel("mastodon", "2025-03-01") + _channel("telegram", "2024-01-01"))
    # posted on Mastodon before the channel had a start date: not counted as left out
    ledger = Ledger(ledger_path(repo, OFFICE))
    fee_news = next(p for p in write_outbox_of(repo) if p["platform"] == "instagram" and p["language"] == "id")
    ledger.record("id", "mastodon", fee_news["uid"], via="mastodon")
    scope = Scope(repo, [OFFICE], include_hub=False)
    said = "Info: kantorcontoh · mastodon mulai 2025-03-01: 4 halaman yang lebih lama tidak dikirim ke saluran ini."
    assert social_check.CHECK.summary(scope, "id") == said and said in summaries(scope, "id")
    assert social_check.CHECK.summary(scope, "en") == (
        "Info: kantorcontoh · mastodon starts on 2025-03-01: 4 older pages are not sent to this channel.")


# --- scheduled posts and scheduled runs -------------------------------------------------------


def test_a_scheduled_posts_social_posts_go_out_when_it_is_due_never_before_and_once(repo, api):
    add_channels(repo, _channel("mastodon", "2025-09-01", api))
    _news(repo, "terjadwal-pagi", "2025-09-02 10:00")
    before, due, next_run = (dt.datetime(2025, 9, 2, hour, minute, tzinfo=WIT) for hour, minute in
                             ((8, 0), (13, 0), (13, 15)))
    # an outbox built for a later moment (a preview of that day) is published at 08:00: it waits
    _outbox_at(repo, due)
    early = run_publish(repo, api=api, env={**publish_env(repo, api), "INFOHUB_NOW": before.isoformat()})
    assert "kantorcontoh: 1 pos belum waktunya terbit (halamannya bertanggal lebih lambat); pos itu dikirim pada " \
           "penerbitan pertama setelah waktunya" in early.stdout, early.stdout
    assert _on_server(api, "mastodon") == [] and not ledger_path(repo, OFFICE).exists()
    # the scheduled runs: build, then publish, every quarter of an hour
    assert _pages(_outbox_at(repo, before), "mastodon") == []
    assert _publish_at(repo, api, before).sent == 0
    assert _pages(_outbox_at(repo, due), "mastodon") == [("id", "berita/2025/terjadwal-pagi/")]
    first = _publish_at(repo, api, due)
    assert (first.sent, first.not_due) == (1, 0)
    assert _pages(_outbox_at(repo, next_run), "mastodon") == []  # in the ledger: not queued again
    again = _publish_at(repo, api, next_run)
    assert (again.sent, again.already) == (0, 0)
    assert len(_on_server(api, "mastodon")) == 1
    recorded = json.loads(ledger_path(repo, OFFICE).read_text(encoding="utf-8"))
    assert len(recorded["id"]["mastodon"]) == 1


def test_an_outbox_built_before_the_channel_had_its_day_sends_nothing_older(repo, api):
    add_channels(repo, _channel("mastodon", "2024-01-01", api))
    queued = [p for p in write_outbox_of(repo) if p["platform"] == "mastodon"]
    office = repo / "offices" / OFFICE / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("since: 2024-01-01", "since: 2025-08-01"),
                      encoding="utf-8")
    result = _publish_at(repo, api, dt.datetime(2025, 9, 1, tzinfo=WIT))
    assert (result.sent, result.before_channel) == (2, len(queued) - 2)
    assert sorted(_on_server(api, "mastodon")) == sorted(p["text"] for p in queued if "hari-terbuka" in p["url"])
