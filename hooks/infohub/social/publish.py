"""`make publish`: send the posts in the outbox, exactly once, and record each in the ledger.

Which channels: those in the office's office.yml ('channels'), or, with
``--channel NAME``, only the platforms named; 'log' and 'whatsapp_channel'
need no credential and may be named without being configured (they write
files, see channels.py). With no channel anywhere it says so and sends
nothing: a repository without channels is a normal state. WhatsApp has no
API: its posts are handed to a person, their text shown in the summary (and
on the run's page under GitHub Actions) to paste by hand.

Time (see since.py): nothing is sent before the page it links to is due (an
outbox built for a later moment, a preview's, waits), nor a page older than
the day its channel was added (an outbox built before ``since`` was set).

One process per office: each office is published by a child process whose
environment holds that office's own channel secrets and nothing else
(secrets.office_environment), so no office's data can make the publisher
use another office's token, the deploy key or GITHUB_TOKEN.

Exactly once (see ledger.py and channels.py):
- before each send the ledger notes the intent, after it the platform's id;
- an intent found on a later run is settled first: the platform is asked
  whether the post is there (found: recorded, not sent again; not there:
  sent); where it cannot be asked (Telegram, X) the post is held and listed
  as UNCERTAIN until a person says what they see (``--resolve ID=sent`` or
  ``ID=unsent``);
- a send whose answer was lost (timeout, dropped connection, 5xx from a
  gateway) is treated the same way, never tried again blindly.
A channel that fails outright (HTTP 429 or 503, no connection) is tried
again after a growing pause (or what Retry-After asks); if it still fails
its remaining posts wait for the next run while the other channels go on.
Urgent posts (the national alert) go first, and not at all once their
``expires`` has passed. The summary lists what failed and what is uncertain; the exit code is 1
for failures, 3 when only a person's check is missing, else 0.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .. import paths
from ..clock import build_moment
from ..content import load_national, load_office
from ..messages import Msg, plural, t
from ..schema import Channel, Office
from .channels import BUILT_IN, ChannelError, Http, open_channel
from .ledger import Ledger, LedgerUnreadable, ledger_path, page_of
from .outbox import outbox_path, read_outbox
from .secrets import office_environment
from .since import channel_starts, posts_page

EXIT_FAILED = 1
EXIT_UNCERTAIN = 3
BACKOFF_ENV = "INFOHUB_SOCIAL_BACKOFF"
SENT, UNSENT = "sent", "unsent"


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
    """What one office's run did; the lines are already worded, in the messages' language."""

    slug: str
    sent: int = 0
    already: int = 0
    found: int = 0  # had gone out before the ledger could record it: recorded now, not sent again
    waiting: dict[str, int] = field(default_factory=dict)  # platform -> posts with no channel in this run
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)  # post ids settled by --resolve
    expired: int = 0  # urgent posts (the national alert) whose time was over: not sent
    not_due: int = 0  # pages dated after this run's moment: they wait for a later run
    before_channel: int = 0  # pages older than their channel's 'since': never sent there
    handed_off: list[str] = field(default_factory=list)  # posts for a person to paste, with their text
    no_outbox: bool = False
    invalid: bool = False


def channel_configs(office: Office, wanted: list[str] | None) -> list[Channel]:
    configured = {channel.platform: channel for channel in office.channels}
    if not wanted:
        return list(configured.values())
    return [configured.get(name) or Channel(platform=name)
            for name in wanted if name in configured or name in BUILT_IN]


# What a run does with one post of the outbox (post_fate); the publish step and the pull
# request's preview (preview.py) both decide by it, so the preview promises what a run sends.
ALREADY = "already"  # in the ledger: published before
EXPIRED = "expired"  # an urgent post (the national alert) whose time is over, on a channel of this run
ENDED = "ended"  # the same without a channel: dropped silently
NOT_DUE = "not_due"  # its page is dated after this run's moment: a later run sends it
BEFORE_CHANNEL = "before_channel"  # its page is older than its channel's 'since': never sent there
WAITING = "waiting"  # no channel for its platform in this run: it waits in the outbox
SEND = "send"  # sent by this run (or, after an interrupted run, looked for first)


def post_fate(post: dict, ledger: Ledger, channels: set[str], starts: Mapping[str, dt.datetime],
              now: dt.datetime, mark_all: bool = False) -> str:
    """What a run whose channels are ``channels`` (platforms) does with ``post`` at ``now``.
    A post with an intent in the ledger (a send cut short) is never held back by time:
    it may be out already, and is settled first."""
    lang, platform, uid = post["language"], post["platform"], post["uid"]
    intent = ledger.intent(lang, platform, uid)
    published = dt.datetime.fromisoformat(post["published"]) if post.get("published") else None
    if ledger.has(lang, platform, uid):
        return ALREADY
    if not intent and post.get("expires") and now >= dt.datetime.fromisoformat(post["expires"]):
        return EXPIRED if platform in channels else ENDED
    sending = not intent and (platform in channels or mark_all)  # a post without a channel just waits
    if sending and published is not None and published > now:
        return NOT_DUE
    if sending and not posts_page(starts.get(platform), published, urgent=bool(post.get("urgent"))):
        return BEFORE_CHANNEL
    return SEND if platform in channels or mark_all else WAITING


def parse_resolutions(items: list[str]) -> dict[str, str]:
    """['<post id>=sent', …] -> {post id: 'sent' | 'unsent'}; ValueError names the bad item."""
    resolved = {}
    for item in items:
        post_id, _, verdict = item.partition("=")
        if not post_id.strip() or verdict.strip() not in (SENT, UNSENT):
            raise ValueError(item)
        resolved[post_id.strip()] = verdict.strip()
    return resolved


def _send(channel, post: dict, backoff: Backoff) -> str | None:
    for attempt in range(backoff.attempts):
        try:
            return channel.send(post)
        except ChannelError as error:
            if not error.retry or attempt == backoff.attempts - 1:
                raise
            time.sleep(backoff.delay(attempt, error.retry_after))
    raise AssertionError("unreachable")  # pragma: no cover


def _settle_by_hand(ledger: Ledger, lang: str, platform: str, uid: str, verdict: str,
                    page: dict | None = None) -> None:
    """What a person saw on the channel: the post is there (recorded) or not (its intent dropped)."""
    if verdict == SENT:
        ledger.record(lang, platform, uid, via="checked-by-hand", page=page)
    else:
        ledger.forget(lang, platform, uid)


def _where(slug: str, post: dict) -> dict:
    return {"slug": slug, "platform": post["platform"], "lang": post["language"], "url": post["url"]}


def publish_office(slug: str, office: Office, *, wanted: list[str] | None, root: Path, site_root: Path,
                   dry_run: bool, mark_all: bool, backoff: Backoff, env: Mapping[str, str],
                   echo: Callable[[str], None], resolutions: Mapping[str, str] | None = None,
                   now: dt.datetime | None = None) -> Result:
    result = Result(slug)
    posts = read_outbox(outbox_path(site_root, slug))
    if posts is None:
        result.no_outbox = True
        return result
    resolutions = resolutions or {}
    try:
        ledger = Ledger(ledger_path(root, slug))
    except LedgerUnreadable:  # never taken for an empty one: every post would go out again
        echo(t("syndication.ledger_unreadable", None, slug=slug, path=paths.rel(ledger_path(root, slug))))
        result.invalid = True
        return result
    http = Http()
    channels = {c.platform: open_channel(c, env, http, site_root, slug) for c in channel_configs(office, wanted)}
    failed_platforms: set[str] = set()
    waiting: Counter = Counter()

    def fail(post: dict, reason: Msg, platform_down: bool = True) -> None:
        line = t("syndication.failed_post", None, **_where(slug, post), reason=reason)
        result.failed.append(line)
        echo(line)
        if platform_down:
            failed_platforms.add(post["platform"])

    def hold(post: dict) -> None:
        line = t("syndication.uncertain_post", None, **_where(slug, post), id=post["id"])
        result.uncertain.append(line)
        echo(line)

    now = now or build_moment()
    starts, connected = channel_starts(office), set(channels)
    # urgent posts (the national alert) first, the rest in the outbox's order
    for post in sorted(posts, key=lambda p: not p.get("urgent")):
        lang, platform, uid = post["language"], post["platform"], post["uid"]
        intent = ledger.intent(lang, platform, uid)
        fate = post_fate(post, ledger, connected, starts, now, mark_all)
        if fate == ALREADY:
            result.already += 1
            continue
        if fate == EXPIRED:  # an alert that has ended is not announced any more
            result.expired += 1
            echo(t("syndication.expired_post", None, **_where(slug, post)))
            continue
        if fate == ENDED:
            continue
        if fate == NOT_DUE:
            result.not_due += 1
            continue
        if fate == BEFORE_CHANNEL:
            result.before_channel += 1
            continue
        if intent and post["id"] in resolutions:
            result.resolved.append(post["id"])
            _settle_by_hand(ledger, lang, platform, uid, resolutions[post["id"]], page_of(post))
            if resolutions[post["id"]] == SENT:
                result.found += 1
                continue
            intent = None
        if mark_all:
            ledger.record(lang, platform, uid, via="mark-all", page=page_of(post))
            result.sent += 1
        elif fate == WAITING:
            waiting[platform] += 1
        elif platform in failed_platforms:
            fail(post, Msg("syndication.error.channel_down"), platform_down=False)
        elif dry_run:
            echo(t("syndication.dry_run_post", None, **_where(slug, post)))
            echo("    " + post["text"].replace("\n", "\n    "))
            result.sent += 1
        else:
            channel = channels[platform]
            if intent:  # a send of an earlier run whose outcome was never recorded
                if not channel.can_look:
                    hold(post)
                    continue
                try:
                    ref = channel.find(post)
                except ChannelError as error:
                    fail(post, Msg("syndication.error.lookup_failed", {"reason": error.reason}))
                    continue
                if ref is not None:
                    ledger.record(lang, platform, uid, via=platform, ref=ref, page=page_of(post))
                    result.found += 1
                    echo(t("syndication.found_post", None, **_where(slug, post)))
                    continue
            ledger.begin(lang, platform, uid, post["id"], page_of(post))
            try:
                ref = _send(channel, post, backoff)
            except ChannelError as error:
                if not error.maybe_sent:
                    ledger.forget(lang, platform, uid)  # refused: certainly not out
                    fail(post, error.reason)
                elif channel.can_look:
                    fail(post, Msg("syndication.error.check_next_run", {"reason": error.reason}))
                else:
                    failed_platforms.add(platform)
                    hold(post)
                continue
            ledger.record(lang, platform, uid, via=platform, ref=ref, page=page_of(post))
            result.sent += 1
            line = t("syndication.handed_off_post" if channel.hands_off else "syndication.sent_post", None,
                     **_where(slug, post))
            echo(line)
            if channel.hands_off:  # a person pastes it: its text goes in the summary
                result.handed_off.append("\n".join([line, *("    " + text for text in post["text"].splitlines())]))
    # a send cut short whose page is no longer queued (deleted, or unpublished) is not forgotten
    queued = {(p["language"], p["platform"], p["uid"]) for p in posts}
    for lang, platform, uid, entry in ledger.intents():
        if (lang, platform, uid) in queued:
            continue
        if entry.get("id") in resolutions:
            result.resolved.append(entry["id"])
            _settle_by_hand(ledger, lang, platform, uid, resolutions[entry["id"]])
            continue
        line = t("syndication.uncertain_orphan", None, slug=slug, platform=platform, lang=lang, uid=uid,
                 id=entry.get("id", ""))
        result.uncertain.append(line)
        echo(line)
    result.waiting = dict(sorted(waiting.items()))
    return result


def publish(slugs: list[str], *, wanted: list[str] | None = None, dry_run: bool = False, mark_all: bool = False,
            resolutions: Mapping[str, str] | None = None, backoff: Backoff | None = None,
            root: Path | None = None, site_root: Path | None = None, env: Mapping[str, str] | None = None,
            echo: Callable[[str], None] = print) -> int:
    """Publish the outboxes of ``slugs``, one child process per office; the exit code of `make publish`."""
    root = root or paths.root()
    site_root = site_root or root / "site"
    env = os.environ if env is None else env
    resolutions = dict(resolutions or {})
    national, _ = load_national(root)
    results, offices = [], {}
    for slug in slugs:
        office = load_office(slug, national, root)[0] if national else None
        if office is None:
            echo(t("syndication.office_invalid", None, slug=slug))
            results.append(Result(slug, invalid=True))
        elif mark_all or channel_configs(office, wanted):
            offices[slug] = office
    if not offices and not any(r.invalid for r in results):
        echo(t("syndication.no_channel", None))
        return 0
    spec = {"wanted": wanted, "dry_run": dry_run, "mark_all": mark_all, "resolutions": resolutions,
            "backoff": asdict(backoff) if backoff else None, "root": str(root), "site_root": str(site_root),
            # one moment for every office, from this process's clock (INFOHUB_NOW: the child's env has none)
            "now": build_moment().isoformat()}
    for slug in offices:
        results.append(_run_office(slug, spec, env, echo))
    for post_id in sorted(set(resolutions) - {i for r in results for i in r.resolved}):
        echo(t("syndication.resolve_unknown", None, id=post_id))
    lines = summary(results, dry_run, mark_all)
    for line in lines:
        echo(line)
    _step_summary(env, lines)
    if any(r.failed or r.no_outbox or r.invalid for r in results):
        return EXIT_FAILED
    return EXIT_UNCERTAIN if any(r.uncertain for r in results) else 0


def _run_office(slug: str, spec: dict, env: Mapping[str, str], echo: Callable[[str], None]) -> Result:
    """Publish one office in a process of its own that sees only its own secrets."""
    with tempfile.TemporaryDirectory(prefix="infohub-publish-") as folder:
        result_file = Path(folder) / "result.json"
        child = subprocess.Popen([sys.executable, "-m", "infohub.social.publish", slug, json.dumps(spec),
                                  str(result_file)], env=office_environment(slug, env), stdout=subprocess.PIPE,
                                 text=True, encoding="utf-8")
        for line in child.stdout:
            echo(line.rstrip("\n"))
        child.wait()
        if child.returncode != 0 or not result_file.exists():
            line = t("syndication.office_crashed", None, slug=slug, code=child.returncode)
            echo(line)
            return Result(slug, failed=[line])
        return Result(**json.loads(result_file.read_text(encoding="utf-8")))


def _office_main(slug: str, spec_json: str, result_file: str) -> int:
    """The child process of one office (``python -m infohub.social.publish``)."""
    spec = json.loads(spec_json)
    root = Path(spec["root"])
    office = load_office(slug, load_national(root)[0], root)[0]
    backoff = Backoff(**spec["backoff"]) if spec["backoff"] else Backoff(float(os.environ.get(BACKOFF_ENV) or Backoff.base))
    result = publish_office(slug, office, wanted=spec["wanted"], root=root, site_root=Path(spec["site_root"]),
                            dry_run=spec["dry_run"], mark_all=spec["mark_all"], backoff=backoff, env=os.environ,
                            echo=lambda line: print(line, flush=True), resolutions=spec["resolutions"],
                            now=dt.datetime.fromisoformat(spec["now"]) if spec.get("now") else None)
    Path(result_file).write_text(json.dumps(asdict(result), ensure_ascii=False), encoding="utf-8")
    return 0


def summary(results: list[Result], dry_run: bool, mark_all: bool) -> list[str]:
    lines = []
    for r in results:
        if r.no_outbox:
            lines.append(t("syndication.no_outbox", None, slug=r.slug))
            continue
        if r.waiting:
            waiting = ", ".join(f"{platform} ({count})" for platform, count in sorted(r.waiting.items()))
            lines.append(t("syndication.waiting", None, slug=r.slug, platforms=waiting))
        if r.not_due:
            lines.append(plural("syndication.not_due", r.not_due, None, slug=r.slug, count=r.not_due))
        if r.before_channel:
            lines.append(plural("syndication.before_channel", r.before_channel, None, slug=r.slug,
                                count=r.before_channel))
        lines.extend(r.failed)
        lines.extend(r.uncertain)
        if r.handed_off:
            lines.append(t("syndication.handoff_title", None, slug=r.slug))
            lines.extend(r.handed_off)
    key = "syndication.summary_dry_run" if dry_run else "syndication.summary_marked" if mark_all else "syndication.summary"
    lines.append(t(key, None, sent=sum(r.sent for r in results), already=sum(r.already for r in results),
                   found=sum(r.found for r in results), waiting=sum(sum(r.waiting.values()) for r in results),
                   failed=sum(len(r.failed) for r in results), uncertain=sum(len(r.uncertain) for r in results),
                   offices=len(results)))
    return lines


def _step_summary(env: Mapping[str, str], lines: list[str]) -> None:
    """Under GitHub Actions, the summary also goes on the run's page, where a person sees it."""
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        # a fence longer than any run of backticks in the lines: a post's text cannot close it
        longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
        fence = "`" * max(3, longest + 1)
        with open(target, "a", encoding="utf-8") as out:
            out.write("\n".join([fence + "text", *lines, fence, ""]))


if __name__ == "__main__":
    sys.exit(_office_main(*sys.argv[1:4]))
