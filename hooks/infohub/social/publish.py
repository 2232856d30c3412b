"""`make publish`: send the posts in the outbox, record each success in the ledger.

Which channels: those in the office's office.yml ('channels'), or, with
``--channel NAME``, only the platforms named; 'log', 'instagram' and
'whatsapp_channel' need no credential and may be named without being
configured (they write files, see channels.py). With no channel at all it
stops and says how to configure one.

Nothing lost, nothing twice: before each post the ledger is asked whether it
went out already, and right after each success the ledger is saved. A
channel that fails (HTTP 429 or 5xx, a timeout) is tried again after a
growing pause (or the pause the server asks for in Retry-After); if it still
fails its remaining posts wait for the next run, while the other channels
go on. The summary lists what failed, and the exit code is 1.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .. import paths
from ..content import load_national, load_office
from ..messages import Msg, t
from ..schema import Channel, Office
from .channels import BUILT_IN, ChannelError, Http, open_channel
from .ledger import Ledger, ledger_path
from .outbox import outbox_path, read_outbox

EXIT_FAILED = 1
EXIT_NO_CHANNEL = 2
BACKOFF_ENV = "INFOHUB_SOCIAL_BACKOFF"


@dataclass
class Backoff:
    """Pauses between tries: base, 2×base, 4×base…, or what Retry-After asks, at most ``cap``."""

    base: float = 2.0
    attempts: int = 4
    cap: float = 300.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        return min(self.cap, retry_after if retry_after is not None else self.base * 2 ** attempt)


@dataclass
class Result:
    slug: str
    sent: int = 0
    already: int = 0
    waiting: Counter = field(default_factory=Counter)  # platform -> posts with no channel in this run
    failed: list[tuple[dict, Msg]] = field(default_factory=list)
    no_outbox: bool = False


def channel_configs(office: Office, wanted: list[str] | None) -> list[Channel]:
    configured = {channel.platform: channel for channel in office.channels}
    if not wanted:
        return list(configured.values())
    return [configured.get(name) or Channel(platform=name)
            for name in wanted if name in configured or name in BUILT_IN]


def _send(channel, post: dict, backoff: Backoff) -> str | None:
    for attempt in range(backoff.attempts):
        try:
            return channel.send(post)
        except ChannelError as error:
            if not error.retry or attempt == backoff.attempts - 1:
                raise
            time.sleep(backoff.delay(attempt, error.retry_after))
    raise AssertionError("unreachable")  # pragma: no cover


def publish_office(slug: str, office: Office, *, wanted: list[str] | None, root: Path, site_root: Path,
                   dry_run: bool, mark_all: bool, backoff: Backoff, env: Mapping[str, str],
                   echo: Callable[[str], None]) -> Result:
    result = Result(slug)
    posts = read_outbox(outbox_path(site_root, slug))
    if posts is None:
        result.no_outbox = True
        return result
    ledger = Ledger(ledger_path(root, slug))
    http = Http()
    channels = {c.platform: open_channel(c, env, http, site_root, slug) for c in channel_configs(office, wanted)}
    failed_platforms: set[str] = set()
    for post in posts:
        lang, platform, uid = post["language"], post["platform"], post["uid"]
        if ledger.has(lang, platform, uid):
            result.already += 1
        elif mark_all:
            ledger.record(lang, platform, uid, via="mark-all")
            result.sent += 1
        elif platform not in channels:
            result.waiting[platform] += 1
        elif platform in failed_platforms:
            result.failed.append((post, Msg("syndication.error.channel_down")))
        elif dry_run:
            echo(t("syndication.dry_run_post", None, slug=slug, platform=platform, lang=lang, url=post["url"]))
            echo("    " + post["text"].replace("\n", "\n    "))
            result.sent += 1
        else:
            try:
                ref = _send(channels[platform], post, backoff)
            except ChannelError as error:
                failed_platforms.add(platform)
                result.failed.append((post, error.reason))
                echo(t("syndication.failed_post", None, slug=slug, platform=platform, lang=lang,
                       url=post["url"], reason=error.reason))
                continue
            ledger.record(lang, platform, uid, via=platform, ref=ref)
            result.sent += 1
            echo(t("syndication.sent_post", None, slug=slug, platform=platform, lang=lang, url=post["url"]))
    return result


def publish(slugs: list[str], *, wanted: list[str] | None = None, dry_run: bool = False, mark_all: bool = False,
            backoff: Backoff | None = None, root: Path | None = None, site_root: Path | None = None,
            env: Mapping[str, str] | None = None, echo: Callable[[str], None] = print) -> int:
    """Publish the outboxes of ``slugs``; the exit code of `make publish`."""
    root = root or paths.ROOT
    site_root = site_root or root / "site"
    env = os.environ if env is None else env
    backoff = backoff or Backoff(float(env.get(BACKOFF_ENV) or Backoff.base))
    national, _ = load_national(root)
    offices = {}
    for slug in slugs:
        office = load_office(slug, national, root)[0]
        if office is None:
            echo(t("syndication.office_invalid", None, slug=slug))
            return EXIT_FAILED
        offices[slug] = office
    if not mark_all and not any(channel_configs(office, wanted) for office in offices.values()):
        echo(t("syndication.no_channel", None))
        return EXIT_NO_CHANNEL
    results = [publish_office(slug, office, wanted=wanted, root=root, site_root=site_root, dry_run=dry_run,
                              mark_all=mark_all, backoff=backoff, env=env, echo=echo)
               for slug, office in offices.items()]
    for line in summary(results, dry_run, mark_all):
        echo(line)
    return EXIT_FAILED if any(r.failed or r.no_outbox for r in results) else 0


def summary(results: list[Result], dry_run: bool, mark_all: bool) -> list[str]:
    lines = []
    for r in results:
        if r.no_outbox:
            lines.append(t("syndication.no_outbox", None, slug=r.slug))
            continue
        if r.waiting:
            waiting = ", ".join(f"{platform} ({count})" for platform, count in sorted(r.waiting.items()))
            lines.append(t("syndication.waiting", None, slug=r.slug, platforms=waiting))
        for post, reason in r.failed:
            lines.append(t("syndication.failed_post", None, slug=r.slug, platform=post["platform"],
                           lang=post["language"], url=post["url"], reason=reason))
    key = "syndication.summary_dry_run" if dry_run else "syndication.summary_marked" if mark_all else "syndication.summary"
    lines.append(t(key, None, sent=sum(r.sent for r in results), already=sum(r.already for r in results),
                   waiting=sum(sum(r.waiting.values()) for r in results),
                   failed=sum(len(r.failed) for r in results), offices=len(results)))
    return lines
