"""The preview of a pull request: what its merge would change, in one comment.

    python -m infohub preview --base origin/main [--head REV] [--out DIR] [--comment FILE]

Only the sites the change touches are built (``select_sites``), twice: at the
base (the merge base of ``--base`` and the head, checked out with ``git
worktree`` and built by *its own* code, in a process of its own) and at the
head (``--head``'s worktree, or without it the working tree as it is). The
comment then says, Indonesian first and English after:

- the result of ``make check`` for those sites (the same report and counts);
- per site and language, the pages added, removed and changed, where a page is
  its main content reduced to text (no navigation, header, footer, scripts or
  printed build date) and a change is shown as a short unified diff;
- the social posts the merge would queue (in the head's outbox, not in the
  base's), with their text, after the warning of social/review.py when a
  channel's server or account changes.

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

from . import messages, paths
from .clock import parse_moment
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
        target = self.folder / name
        _git(self.root, "worktree", "add", "--quiet", "--detach", str(target), revision)
        self.made.append(target)
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


# --- social posts ------------------------------------------------------------------------


def _outbox(site_root: Path, slug: str) -> list[dict]:
    from .social.outbox import outbox_path, read_outbox

    try:
        return [p for p in read_outbox(outbox_path(site_root, slug)) or [] if isinstance(p, dict)]
    except (OSError, ValueError):
        return []


def queued_posts(base_root: Path, head_root: Path, offices: Iterable[str]) -> tuple[list[dict], list[dict]]:
    """(posts the head queues that the base does not, posts of the base the head no longer queues)."""
    new, gone = [], []
    for slug in offices:
        before, after = _outbox(base_root, slug), _outbox(head_root, slug)
        before_ids, after_ids = {p.get("id") for p in before}, {p.get("id") for p in after}
        new += [p for p in after if p.get("id") not in before_ids]
        gone += [p for p in before if p.get("id") not in after_ids]
    return new, gone


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
    from .social.since import skipped_pages

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


def social_blocks(root: Path, base: str, new: list[dict], gone: list[dict], offices: list[str],
                  now: dt.datetime | None = None) -> list[str]:
    from .social.review import review_section

    blocks = [f"### {_both('social_title')}"]
    for lang in LANGS:  # a channel sent elsewhere: social/review.py's warning, as the summary shows it
        warning = review_section(root, base, offices, lang)
        if warning:
            blocks.append(warning.replace("### ", "#### ", 1).rstrip("\n"))
    blocks += _skipped(root, offices, now)
    if not new:
        blocks.append(_sentence("social_none"))
    else:
        blocks.append(_sentence("social_new", count=len(new)))
        groups: dict[tuple, list[dict]] = {}  # one page in one language: its posts, per platform
        for post in new:
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
    if gone:
        pages: dict[str, list[str]] = {}
        for post in gone:
            where = f"**{inert(post.get('office'))}** · {inert(post.get('language'))} · {_post_where(post)}"
            pages.setdefault(where, []).append(str(post.get("platform")))
        blocks.append(_sentence("social_gone", count=len(gone)) + "\n"
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
            built = {s: ((base_site / s / "index.html").is_file(), (head_site / s / "index.html").is_file())
                     for s in sites}
            blocks += page_blocks(base_site, head_site, sites, built, check_passed=not report.errors)
            # an office whose check fails at the head has no outbox there: its posts are not "gone"
            posted = [s for s in selection.offices if built[s][1] or s not in paths.office_slugs(head_root)]
            new, gone = queued_posts(base_site, head_site, posted)
            social_offices = sorted(set(selection.offices) & set(paths.office_slugs(head_root)))
            blocks += social_blocks(head_root, base_commit, new, gone, social_offices, parse_moment(now))
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

