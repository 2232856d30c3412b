"""The preview of a pull request: what its merge would change, in one comment.

    python -m infohub preview --base origin/main [--head REV] [--out DIR] [--comment FILE]

Only the sites the change touches are built (``select_sites``), twice: at the
base (the merge base of ``--base`` and the head, checked out with ``git
worktree`` and built by *its own* code, in a process of its own) and at the
head (``--head``'s worktree, or without it the working tree as it is). The
comment then says, Indonesian first and English after:

- the result of ``make check`` for those sites (the same report and counts);
- the alerts (banners) the change adds, changes or removes: an office's
  (office.yml ``alert``) and the national one (national/alert.yml), with their
  text in every language and their end; a banner is outside a page's main
  content, so the pages' diffs below would not show it;
- per site and language, the pages added, removed and changed, where a page is
  its main content reduced to text (no navigation, header, footer, scripts or
  printed build date) and a change is shown as a short unified diff;
- the social posts the merge makes the publish step send: per office, the posts
  of the head's outbox that `make publish` would send with the head's channels
  (social/publish.py's ``post_fate``: a post older than its channel's
  ``since``, already in the ledger, or for a platform with no channel is not
  sent) and that it would not send at the base, counted per platform, with
  their text; ``log`` only writes a file and is counted apart; an office with
  no channel is said to send nothing. Before them, the warning of
  social/review.py when a channel's server or account changes.

Both sides are built with the same tools: a checkout made by ``git worktree``
has only what git tracks, not what an install added beside it (the web editor
in tools/cms/node_modules, which the hub's build copies to /admin/). Each
temporary checkout is given the working tree's installed folders (INSTALLED),
so only the change's own files differ; without this the base's hub had no
/admin/ and every preview said the change added it.

Output in ``--out`` (default ``preview/``): ``site/`` (the head's sites, what
the workflow keeps as an artifact), ``base/`` (the base's), ``preview.md``
(the whole comment) and the comment itself (``--comment``, default
``comment.md``), cut below GitHub's 65,536 characters with a note when longer.
It starts with MARKER, by which the workflow finds and updates its earlier
comment instead of writing another one.

Which sites a change touches (the build's own inputs, manifest.py):

- a file under ``offices/<slug>/``: that office; its ``office.yml`` also the hub
  (its directory shows every office's data);
- ``docs/`` or ``offices/_hub/``: the hub;
- ``national/``, ``overrides/``, ``hooks/``, ``mkdocs.yml``, ``requirements/``:
  every office and the hub;
- anything else (README, tests, tools, workflows): nothing to build.

An office's news reaches the hub only through its aggregate feeds, which are not
pages, so news alone does not build the hub.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from . import messages, paths
from .clock import parse_moment
from .cms_config import CMS_DIR
from .markdown_text import code, inert, inert_html

MARKER = "<!-- infohub-preview -->"
COMMENT_LIMIT = 65_536  # GitHub's limit for a comment's body, in characters
DIFF_LINES = 40  # per page, after which the diff is cut with a note
LINE_CHARS = 400  # per line of a diff or a post
REPORT_LINES = 150  # per language of the check's report
URLS_LISTED = 60  # pages added or removed, per site and language, named one by one
EVERYTHING = ("national", "overrides", "hooks", "requirements", "mkdocs.yml")
HUB_PATHS = ("docs", "offices/_hub")
HUB_OFFICE_FILES = ("office.yml",)
LANGS = (paths.ROOT_LANGUAGE, "en")  # the comment's languages, in the order editors read them
# What an install puts beside the tracked files and the build reads (`make cms`): the environment,
# the same for both sides, not part of the change.
INSTALLED = (CMS_DIR / "node_modules",)


# --- which sites a change touches ------------------------------------------------


@dataclass(frozen=True)
class Selection:
    offices: tuple[str, ...] = ()
    hub: bool = False

    @property
    def sites(self) -> list[str]:
        return [*self.offices, *([paths.HUB_SLUG] if self.hub else [])]

    def __bool__(self) -> bool:
        return bool(self.offices) or self.hub


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def select_sites(changed: Iterable[str], offices: Iterable[str]) -> Selection:
    """The sites built from ``changed`` (repository paths); ``offices``: every office,
    at the base or the head."""
    offices = sorted(set(offices))
    touched: set[str] = set()
    hub = False
    for path in changed:
        if any(_under(path, prefix) for prefix in EVERYTHING):
            return Selection(tuple(offices), True)
        if any(_under(path, prefix) for prefix in HUB_PATHS):
            hub = True
            continue
        parts = path.split("/")
        if len(parts) >= 3 and parts[0] == "offices" and not parts[1].startswith(("_", ".")):
            touched.add(parts[1])
            hub = hub or (len(parts) == 3 and parts[2] in HUB_OFFICE_FILES)
    return Selection(tuple(sorted(touched)), hub)


# --- git --------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if done.returncode:
        raise PreviewError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


class PreviewError(Exception):
    """A revision git does not know, or a worktree it cannot make."""


def changed_paths(root: Path, base: str, head: str | None) -> list[str]:
    """Every path added, changed or removed between ``base`` and ``head`` (None: the
    working tree, untracked files included). A rename counts as both of its paths."""
    if head is None:
        out = _git(root, "diff", "--name-only", "--no-renames", base)
        out += _git(root, "ls-files", "--others", "--exclude-standard")
    else:
        out = _git(root, "diff", "--name-only", "--no-renames", base, head)
    return sorted({line for line in out.splitlines() if line})


@dataclass
class Worktrees:
    """Checkouts of revisions in a temporary folder, removed again on exit."""

    root: Path
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="infohub-preview-")))
    made: list[Path] = field(default_factory=list)

    def checkout(self, revision: str, name: str) -> Path:
        """``revision`` checked out, with the working tree's installed folders (INSTALLED) linked in."""
        target = self.folder / name
        _git(self.root, "worktree", "add", "--quiet", "--detach", str(target), revision)
        self.made.append(target)
        for folder in INSTALLED:
            installed, link = self.root / folder, target / folder
            if installed.is_dir() and not os.path.lexists(link):
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(installed.resolve(), target_is_directory=True)
        return target

    def __enter__(self) -> "Worktrees":
        return self

    def __exit__(self, *exc) -> None:
        for target in self.made:
            subprocess.run(["git", "worktree", "remove", "--force", str(target)], cwd=self.root,
                           capture_output=True)
        subprocess.run(["git", "worktree", "prune"], cwd=self.root, capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


# --- building -------------------------------------------------------------------------


def build_revision(root: Path, sites: list[str], out: Path, echo: Callable[[str], None],
                   jobs: int | None = None, now: str | None = None) -> None:
    """Build ``sites`` of the checkout ``root`` into ``out`` with that checkout's own code
    (its hooks/ first on the path), echoing the build's progress lines."""
    known = set(paths.office_slugs(root)) | {paths.HUB_SLUG}
    sites = [s for s in sites if s in known]  # an office added or removed exists on one side only
    if not sites:
        return
    env = {**os.environ, paths.ROOT_ENV: str(root), "NO_MKDOCS_2_WARNING": "1", **({"INFOHUB_NOW": now} if now else {}),
           "PYTHONPATH": os.pathsep.join([str(root / "hooks"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    command = [sys.executable, "-m", "infohub", "site", "--out", str(out),
               *[arg for slug in sites for arg in ("--office", slug)], *(["--jobs", str(jobs)] if jobs else [])]
    with subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", errors="replace") as process:
        for line in process.stdout:  # type: ignore[union-attr]
            echo("  " + line.rstrip("\n"))


# --- pages as text -------------------------------------------------------------------

_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "svg", "form")
_DROP_CLASSES = ("headerlink", "md-source-file", "md-content__button", "infohub-print-footer")
_BLOCKS = {"p", "div", "section", "article", "aside", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
           "table", "thead", "tbody", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
           "details", "summary", "br", "hr", "address"}


def page_text(html: str) -> list[str]:
    """A built page's main content as lines of text: what a reader reads there."""
    import lxml.html

    document = lxml.html.fromstring(html)
    found = (document.xpath("//article[contains(concat(' ', @class, ' '), ' md-content__inner ')]")
             or document.xpath("//main") or [document])
    main = found[0]
    for element in list(main.iter()):
        if not isinstance(element.tag, str):  # a comment or processing instruction
            if element.getparent() is not None:
                element.drop_tree()
            continue
        classes = (element.get("class") or "").split()
        if (element.tag in _DROP or element.get("hidden") is not None
                or any(c in classes for c in _DROP_CLASSES)) and element.getparent() is not None:
            element.drop_tree()
    for element in main.iter():
        if not isinstance(element.tag, str):
            continue
        # the source's line breaks are spaces to a reader, except in preformatted text
        inside_pre = element.tag == "pre" or any(a.tag == "pre" for a in element.iterancestors())
        if not inside_pre:
            element.text = element.text and element.text.replace("\n", " ")
        parent = element.getparent()
        if parent is not None and not (parent.tag == "pre" or any(a.tag == "pre" for a in parent.iterancestors())):
            element.tail = element.tail and element.tail.replace("\n", " ")
        if element.tag in ("td", "th"):
            element.tail = " | " + (element.tail or "")
        elif element.tag in _BLOCKS:
            prefix = "#" * int(element.tag[1]) + " " if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else ""
            prefix = "- " if element.tag == "li" else prefix
            element.text = "\n" + prefix + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    text: list[str] = []
    bullet = False  # a list item whose text is in a block of its own: its bullet goes on that block's line
    for line in main.text_content().splitlines():
        line = " ".join(line.split()).rstrip(" |").strip()
        if line == "-":
            bullet = True
        elif line:  # a news card's heading is a heading, not a bullet
            text.append("- " + line if bullet and not line.startswith("#") else line)
            bullet = False
    return text


def site_pages(site_dir: Path) -> dict[str, str]:
    """'en/faq/' -> the built page's HTML file, for every page of a built site."""
    if not site_dir.is_dir():
        return {}
    found = {}
    for file in sorted(site_dir.rglob("index.html")):
        relative = file.parent.relative_to(site_dir).as_posix()
        if relative.split("/")[0] in ("assets", "search", "data"):
            continue
        found["" if relative == "." else relative + "/"] = file
    return found


def _page_lang(url: str, languages: set[str]) -> tuple[str, str]:
    """('en', 'faq/') for 'en/faq/'; Indonesian is at the root."""
    first = url.split("/")[0]
    if first in languages:
        return first, url[len(first) + 1:]
    return paths.ROOT_LANGUAGE, url


@dataclass
class PageChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str], int, int]] = field(default_factory=list)  # url, diff, +, −


def _lang_order(lang: str) -> tuple[int, str]:
    """Indonesian first (editors read it first), then the others by code."""
    return (lang != paths.ROOT_LANGUAGE, lang)


def _languages() -> set[str]:
    return {p.name.split(".")[0] for p in messages.LOCALES_DIR.glob("*.yml")} - {paths.ROOT_LANGUAGE}


def compare_site(base_dir: Path, head_dir: Path) -> dict[str, PageChanges]:
    """language -> the pages added, removed and changed between two builds of one site."""
    languages = _languages()
    before, after = site_pages(base_dir), site_pages(head_dir)
    by_lang: dict[str, PageChanges] = {}
    for url in sorted(set(before) | set(after), key=lambda u: (_lang_order(_page_lang(u, languages)[0]), u)):
        changes = by_lang.setdefault(_page_lang(url, languages)[0], PageChanges())
        shown = "/" + url  # the page's address on the site, language root included
        if url not in before:
            changes.added.append(shown)
        elif url not in after:
            changes.removed.append(shown)
        else:
            old = page_text(before[url].read_text(encoding="utf-8"))
            new = page_text(after[url].read_text(encoding="utf-8"))
            if old != new:
                # hunk headers' line numbers mean nothing in a page's text: a gap is shown as "…"
                diff = [line if not line.startswith("@@") else "…"
                        for line in list(difflib.unified_diff(old, new, lineterm="", n=1))[2:]]
                plus = sum(1 for line in diff if line.startswith("+"))
                minus = sum(1 for line in diff if line.startswith("-"))
                changes.changed.append((shown, diff, plus, minus))
    return {lang: c for lang, c in by_lang.items() if c.added or c.removed or c.changed}


# --- alerts ------------------------------------------------------------------------------


def _written(value: dt.date | dt.datetime) -> str:
    """An alert's 'expires' as office.yml has it: '2025-09-10', '2025-09-10 12:00', '…+07:00'."""
    return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()


def alert_lines(alert) -> list[str]:
    """An alert as its file's keys and values, one a line: the same in every language."""
    lines = [f"id: {alert.id}"] if getattr(alert, "id", None) else []
    lines.append(f"level: {alert.level}")
    for lang in dict.fromkeys([paths.ROOT_LANGUAGE, *(alert.text.model_extra or {})]):
        if alert.text.has(lang):
            lines.append(f"text.{lang}: " + " ".join(alert.text.get(lang).split()))
    return [*lines, f"expires: {_written(alert.expires)}"]


def _alert_end(alert, timezone: str | None, lang: str) -> str:
    """When an alert stops showing, in words: a bare date lasts through that day (content.alert_ends),
    in the office's zone; the national alert's bare date in each office's own (timezone None)."""
    from .content import NATIONAL_TIMEZONE, alert_ends
    from .schema import TIMEZONES

    if not isinstance(alert.expires, dt.datetime):
        if timezone is None:
            return _t("alert_until_day_local", lang, date=alert.expires.isoformat())
        return _t("alert_until_day", lang, date=alert.expires.isoformat(), zone=TIMEZONES[timezone])
    zone = timezone or NATIONAL_TIMEZONE
    ends = alert_ends(alert, zone).astimezone(ZoneInfo(zone))
    return _t("alert_until_moment", lang, moment=ends.strftime("%Y-%m-%d %H:%M"), zone=TIMEZONES[zone])


def _alert_diff(old: list[str], new: list[str]) -> list[str]:
    """Two alerts' lines, key by key: unchanged (' '), or the old value ('-') then the new one ('+')."""
    before, after = ({line.split(":", 1)[0]: line for line in lines} for lines in (old, new))
    diff = []
    for key in dict.fromkeys([*before, *after]):
        was, is_now = before.get(key), after.get(key)
        if was == is_now:
            diff.append(f" {was}")
        else:
            diff += [f"-{was}"] * (was is not None) + [f"+{is_now}"] * (is_now is not None)
    return diff


def _alert_block(kind: str, scope: str, before, after, timezone: str | None, now: dt.datetime,
                 **values) -> str:
    """One alert added, changed or removed: a sentence with its end, then its lines (a diff if changed)."""
    from .content import NATIONAL_TIMEZONE, alert_expired

    texts = []
    for lang in LANGS:
        text = _t(f"alert_{scope}_{kind}", lang, **values)
        if after is not None:
            over = alert_expired(after, timezone or NATIONAL_TIMEZONE, now)
            text += "; " + _t("alert_over" if over else "alert_until", lang, until=_alert_end(after, timezone, lang))
        texts.append(text + ".")
    if before is None or after is None:
        body = _fence([_cut(line) for line in alert_lines(before or after)], "text")
    else:
        body = _fence([_cut(line) for line in _alert_diff(alert_lines(before), alert_lines(after))], "diff")
    return f"{texts[0]}\n_{texts[1]}_\n\n{body}"


def _alert_change(before, after) -> str | None:
    if before is None and after is None:
        return None
    if before is None:
        return "added"
    if after is None:
        return "removed"
    return "changed" if alert_lines(before) != alert_lines(after) else None


class _Unreadable(Exception):
    """A side whose data does not load: the check's report says why; the preview guesses nothing."""


def _office_at(root: Path, slug: str):
    from .content import load_office

    if not (root / "offices" / slug / "office.yml").is_file():
        return None  # an office added or removed: no alert on the side without it
    office = load_office(slug, None, root)[0]  # the model alone
    if office is None:
        raise _Unreadable(slug)
    return office


def alert_blocks(base_root: Path, head_root: Path, offices: Iterable[str], now: dt.datetime) -> list[str]:
    """The alerts the change adds, changes or removes: the national one, then each office's, read
    with the head's code from both checkouts. Where a side does not load, nothing is said of it:
    an office.yml the check refuses is not an alert removed."""
    from .content import load_national

    blocks = []
    national = [load_national(root)[0] for root in (base_root, head_root)]
    kind = _alert_change(*(data.alert for data in national)) if None not in national else None
    if kind:
        blocks.append(_alert_block(kind, "national", *(data.alert for data in national), None, now))
    for slug in offices:
        try:
            found = [_office_at(root, slug) for root in (base_root, head_root)]
        except _Unreadable:
            continue
        kind = _alert_change(*(office.alert if office else None for office in found))
        if kind:
            timezone = (found[1] or found[0]).timezone
            blocks.append(_alert_block(kind, "office", *(o.alert if o else None for o in found), timezone, now,
                                       slug=inert(slug)))
    return [f"### {_both('alert_title')}", *blocks] if blocks else []


# --- social posts ------------------------------------------------------------------------


def _outbox(site_root: Path, slug: str) -> list[dict]:
    from .social.outbox import outbox_path, read_outbox

    try:
        return [p for p in read_outbox(outbox_path(site_root, slug)) or [] if isinstance(p, dict)]
    except (OSError, ValueError):
        return []


def sent_posts(site_root: Path, root: Path, slug: str, now: dt.datetime) -> tuple[list[dict], bool]:
    """(the posts of one office's outbox in ``site_root`` that `make publish` would send at ``now``
    with the office's channels and ledger in ``root``, whether the office has a channel at all).
    The publish step's own decision (publish.post_fate), not a copy of it."""
    from .content import load_office
    from .social.ledger import Ledger, LedgerUnreadable, ledger_path
    from .social.publish import SEND, channel_configs, post_fate
    from .social.since import channel_starts

    office = load_office(slug, None, root)[0]  # the model alone: the check reports the rest
    if office is None:
        return [], False  # publish sends nothing for an office it cannot read
    try:
        ledger = Ledger(ledger_path(root, slug))
    except LedgerUnreadable:
        return [], False  # nor for one whose ledger it cannot read (the check says why)
    channels = {channel.platform for channel in channel_configs(office, None)}
    starts = channel_starts(office)
    sent = []
    for post in _outbox(site_root, slug):
        try:
            if post_fate(post, ledger, channels, starts, now) == SEND:
                sent.append(post)
        except (KeyError, TypeError, ValueError):
            continue  # not a post of this code's outbox (an older base's): publish could not send it either
    return sent, bool(channels)


@dataclass
class Outgoing:
    """What the merge changes in what `make publish` sends."""

    new: list[dict] = field(default_factory=list)  # sent after the merge, not before
    gone: list[dict] = field(default_factory=list)  # sent before the merge, not after
    unconnected: list[str] = field(default_factory=list)  # offices with no channel after the merge


def outgoing_posts(base_site: Path, head_site: Path, base_root: Path, head_root: Path, offices: Iterable[str],
                   now: dt.datetime) -> Outgoing:
    """Per office: the posts each side's publish step would send, compared by id."""
    result = Outgoing()
    for slug in offices:
        before = sent_posts(base_site, base_root, slug, now)[0]
        after, connected = sent_posts(head_site, head_root, slug, now)
        before_ids, after_ids = {p.get("id") for p in before}, {p.get("id") for p in after}
        result.new += [p for p in after if p.get("id") not in before_ids]
        result.gone += [p for p in before if p.get("id") not in after_ids]
        if not connected and slug in paths.office_slugs(head_root):
            result.unconnected.append(slug)
    return result


# --- the comment ------------------------------------------------------------------------


def _t(key: str, lang: str, **values) -> str:
    if "count" in values:  # a table may word one and several differently
        return messages.plural(f"preview.{key}", values["count"], lang, **values)
    return messages.t(f"preview.{key}", lang, **values)


def _both(key: str, sep: str = " · ", **values) -> str:
    """The same string in Indonesian then English: for headings and labels."""
    texts = [_t(key, lang, **values) for lang in LANGS]
    return texts[0] if texts[0] == texts[1] else sep.join(texts)


def _sentence(key: str, **values) -> str:
    """A sentence in Indonesian, then in English in italics on the next line."""
    id_text, en_text = (_t(key, lang, **values) for lang in LANGS)
    return f"{id_text}\n_{en_text}_"


def _fence(lines: Iterable[str], info: str = "") -> str:
    lines = list(lines)
    longest = max((len(run) for line in lines for run in line.split() if set(run) == {"`"}), default=0)
    ticks = "`" * max(3, longest + 1)
    return "\n".join([ticks + info, *lines, ticks])


def _cut(line: str, limit: int = LINE_CHARS) -> str:
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _capped(lines: list[str], limit: int) -> list[str]:
    if len(lines) <= limit:
        return [_cut(line) for line in lines]
    return [_cut(line) for line in lines[:limit]] + [_both("more_lines", count=len(lines) - limit)]


def _counts(errors: int, warnings: int) -> dict:
    return {"errors": errors, "warnings": warnings}


def check_blocks(report, sites: list[str]) -> list[str]:
    """The `make check` result for the sites built: counts, then the report in each language."""
    blocks = [f"### {_both('check_title')} (`make check`)"]
    errors, warnings = len(report.errors), len(report.warnings)
    key = "check_failed" if errors else ("check_warnings" if warnings else "check_ok")
    blocks.append(_sentence(key, sites=_names(sites), **_counts(errors, warnings)))
    if report.problems:
        for index, lang in enumerate(LANGS):
            body = _fence(_capped(report.format(lang, outcome="check_failed").splitlines(), REPORT_LINES), "text")
            if index == 0:
                blocks.append(body)
            else:
                blocks.append(f"<details><summary>{_t('language_name', lang)}</summary>\n\n{body}\n\n</details>")
    return blocks


def _names(slugs: Iterable[str]) -> str:
    """Sites named in the comment: their folders' names, which a pull request chooses."""
    return ", ".join(inert(slug) for slug in slugs)


def _language_name(lang: str) -> str:
    return _t("language_name", lang) if messages.has("preview.language_name", lang) else inert(lang)


def _url_list(urls: list[str], limit: int = URLS_LISTED) -> str:
    shown = ", ".join(code(u) for u in urls[:limit])
    return shown + (f", {_both('more_pages', count=len(urls) - limit)}" if len(urls) > limit else "")


def page_blocks(base_root: Path, head_root: Path, sites: list[str], built: dict[str, tuple[bool, bool]],
                check_passed: bool = False) -> list[str]:
    """Per site and language: the pages added, removed and changed. ``built``: slug -> (at base, at head).
    A site missing at the head is blamed on the check only when the check found errors; otherwise
    its build failed by itself (a MkDocs setting, a crash), and the comment points at the build's log."""
    blocks = [f"### {_both('pages_title')}"]
    quiet = []
    cause = "build_failed" if check_passed else "not_built"
    for slug in sites:
        at_base, at_head = built[slug]
        if not at_head and not at_base:
            blocks.append(_sentence(f"site_{cause}", slug=inert(slug)))
            continue
        if not at_head:
            blocks.append(_sentence(f"site_{cause}_head", slug=inert(slug)))
            continue
        if not at_base:
            blocks.append(_sentence("site_new", slug=inert(slug)))
        by_lang = compare_site(base_root / slug, head_root / slug)
        if not by_lang:
            quiet.append(slug)
            continue
        for lang, changes in by_lang.items():
            blocks.append(f"#### {inert(slug)} · {_language_name(lang)}")
            lines = [f"- {_both(kind)} ({len(urls)}): " + _url_list(urls)
                     for kind, urls in (("added", changes.added), ("removed", changes.removed)) if urls]
            if changes.changed:
                lines.append(f"- {_both('changed')} ({len(changes.changed)}):")
            blocks.append("\n".join(lines))
            for url, diff, plus, minus in changes.changed:
                body = _fence(_capped(diff, DIFF_LINES), "diff")
                summary = f"<code>{inert_html(url)}</code> (+{plus} −{minus})"
                blocks.append(f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>")
    if quiet:
        blocks.append(_sentence("sites_unchanged", slugs=_names(quiet)))
    return blocks


def _post_where(post: dict) -> str:
    """The page a post links to, as the site's path: '/en/berita/2025/x/'."""
    url = str(post.get("url") or "").split("?", 1)[0]
    return code("/" + (url.split("://", 1)[-1].split("/", 1) + [""])[1])


def _skipped(root: Path, offices: list[str], now: dt.datetime | None) -> list[str]:
    """Per channel of the offices: how many older pages it leaves out (social/since.py)."""
    from .sitedata import InvalidContent, load_site
    from .social.skipped import skipped_pages

    sentences = []
    for slug in offices:
        try:
            site = load_site(slug, root)
        except InvalidContent:
            continue  # the check's report says why
        sentences += [_sentence("social_skipped", slug=slug, platform=channel.platform,
                                since=channel.since.isoformat(), count=count)
                      for channel, count in skipped_pages(site, root, now)]
    return sentences


LOG = "log"  # a channel that writes a file for a scheduler: no reader sees it (social/channels.py)


def social_blocks(root: Path, base: str, outgoing: Outgoing, offices: list[str],
                  now: dt.datetime | None = None) -> list[str]:
    from .social.review import review_section

    blocks = [f"### {_both('social_title')}"]
    for lang in LANGS:  # a channel sent elsewhere: social/review.py's warning, as the summary shows it
        warning = review_section(root, base, offices, lang)
        if warning:
            blocks.append(warning.replace("### ", "#### ", 1).rstrip("\n"))
    blocks += _skipped(root, offices, now)
    blocks += [_sentence("social_no_channel", slug=inert(slug)) for slug in outgoing.unconnected]
    posted = [p for p in outgoing.new if p.get("platform") != LOG]
    for office in dict.fromkeys(str(p.get("office")) for p in outgoing.new):
        counts: dict[str, int] = {}
        for post in outgoing.new:
            if str(post.get("office")) == office:
                counts[str(post.get("platform"))] = counts.get(str(post.get("platform")), 0) + 1
        logged = counts.pop(LOG, 0)
        if counts:
            blocks.append(_sentence("social_new", slug=inert(office), count=sum(counts.values()),
                                    platforms=", ".join(f"{inert(name)} ({n})" for name, n in counts.items())))
        if logged:
            blocks.append(_sentence("social_log", slug=inert(office), count=logged))
    if not outgoing.new and (not offices or set(offices) - set(outgoing.unconnected)):
        blocks.append(_sentence("social_none"))
    groups: dict[tuple, list[dict]] = {}  # one page in one language: its posts, per platform
    for post in posted:
        groups.setdefault((post.get("office"), post.get("language"), post.get("uid")), []).append(post)
    for (office, lang, _), posts in groups.items():
        first = posts[0]
        lines = [f"**{inert(office)}** · {inert(lang)} · {_post_where(first)} — {inert(first.get('title') or '')}"]
        texts: dict[str, list[str]] = {}  # the same text on several platforms is shown once
        for post in posts:
            texts.setdefault(str(post.get("text") or ""), []).append(str(post.get("platform")))
        for text, platforms in texts.items():
            lines += ["", _names(platforms) + ":", _fence([_cut(t) for t in text.splitlines()], "text")]
        blocks.append("\n".join(lines))
    if outgoing.gone:
        pages: dict[str, list[str]] = {}
        for post in outgoing.gone:
            where = f"**{inert(post.get('office'))}** · {inert(post.get('language'))} · {_post_where(post)}"
            pages.setdefault(where, []).append(str(post.get("platform")))
        blocks.append(_sentence("social_gone", count=len(outgoing.gone)) + "\n"
                      + "\n".join(f"- {where} ({_names(platforms)})" for where, platforms in sorted(pages.items())))
    return blocks


def assemble(blocks: list[str], limit: int = COMMENT_LIMIT) -> str:
    """The blocks joined, cut at a block's end below ``limit`` with a note of what was left out."""
    text = "\n\n".join(blocks) + "\n"
    if len(text) <= limit:
        return text
    note_of = lambda left: "\n---\n" + _sentence("truncated", count=left) + "\n"  # noqa: E731
    kept: list[str] = []
    room = limit - len(note_of(len(blocks))) - 2
    for block in blocks:
        if sum(len(b) + 2 for b in kept) + len(block) > room:
            break
        kept.append(block)
    if not kept:  # even the first block is too long: the marker alone, and the note
        kept = [blocks[0][:room]]
    return "\n\n".join(kept) + "\n" + note_of(len(blocks) - len(kept))


@dataclass
class Preview:
    comment: str  # within GitHub's limit
    full: str  # the whole text
    selection: Selection


def preview(root: Path, base: str, head: str | None = None, out: Path | None = None,
            echo: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
            jobs: int | None = None, run_url: str | None = None, limit: int = COMMENT_LIMIT) -> Preview:
    out = out or root / "preview"
    lang = messages.cli_language()
    head_commit = _git(root, "rev-parse", "--verify", f"{head or 'HEAD'}^{{commit}}").strip()
    base_commit = _git(root, "rev-parse", "--verify", f"{base}^{{commit}}").strip()
    try:  # the pull request's own changes, also when the base moved on since it branched
        base_commit = _git(root, "merge-base", base_commit, head_commit).strip() or base_commit
    except PreviewError:
        pass
    changed = changed_paths(root, base_commit, head)
    blocks = [MARKER, f"## {_both('title')}"]
    with Worktrees(root) as trees:
        head_root = trees.checkout(head_commit, "head") if head else root
        base_root = trees.checkout(base_commit, "base")
        offices = set(paths.office_slugs(head_root)) | set(paths.office_slugs(base_root))
        selection = select_sites(changed, offices)
        if not selection:
            shown = [code(p) for p in changed[:20]] + (["…"] if len(changed) > 20 else [])
            blocks.append(_sentence("nothing_to_build", count=len(changed), files=", ".join(shown) or "—"))
            echo(messages.t("preview.progress_nothing", lang))
        else:
            sites = selection.sites
            blocks.append(_sentence("built", sites=_names(sites), base=base, head=head or "HEAD"))
            if run_url:
                blocks.append(_sentence("artifact", url=run_url))
            # Both builds consider the same moment "now": a post falling due in between is no change.
            now = os.environ.get("INFOHUB_NOW") or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
            head_site, base_site = out / "site", out / "base"
            for folder in (head_site, base_site):
                shutil.rmtree(folder, ignore_errors=True)
            echo(messages.t("preview.progress_base", lang, rev=base, sites=", ".join(sites)))
            build_revision(base_root, sites, base_site, echo, jobs, now)
            echo(messages.t("preview.progress_head", lang, rev=head or "HEAD", sites=", ".join(sites)))
            build_revision(head_root, sites, head_site, echo, jobs, now)

            from .checks import check_report

            head_offices = [s for s in selection.offices if s in paths.office_slugs(head_root)]
            report = check_report(head_offices, selection.hub, head_root)
            checked = head_offices + ([paths.HUB_SLUG] if selection.hub else [])
            blocks += check_blocks(report, checked or sites)
            blocks += alert_blocks(base_root, head_root, selection.offices, parse_moment(now))
            built = {s: ((base_site / s / "index.html").is_file(), (head_site / s / "index.html").is_file())
                     for s in sites}
            blocks += page_blocks(base_site, head_site, sites, built, check_passed=not report.errors)
            # an office whose check fails at the head has no outbox there: its posts are not "gone"
            posted = [s for s in selection.offices if built[s][1] or s not in paths.office_slugs(head_root)]
            outgoing = outgoing_posts(base_site, head_site, base_root, head_root, posted, parse_moment(now))
            social_offices = sorted(set(selection.offices) & set(paths.office_slugs(head_root)))
            blocks += social_blocks(head_root, base_commit, outgoing, social_offices, parse_moment(now))
    full = "\n\n".join(blocks) + "\n"
    return Preview(assemble(blocks, limit), full, selection)


def main(base: str, head: str | None, out: Path | None, comment: Path | None, jobs: int | None = None,
         run_url: str | None = None) -> int:
    root = paths.root()
    # absolute: each side is built from its own checkout (a temporary worktree), not from here
    out = (out or root / "preview").resolve()
    try:
        result = preview(root, base, head, out, jobs=jobs, run_url=run_url)
    except PreviewError as exc:
        print(exc, file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    (out / "preview.md").write_text(result.full, encoding="utf-8")
    target = comment or out / "comment.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.comment, encoding="utf-8")
    print(messages.t("preview.progress_written", None, path=str(target), chars=len(result.comment)), file=sys.stderr)
    return 0

