"""Every input has a bound (issue 19): what would take the build down is refused by `make check`.

Each attack below is `make check` run in its own process on the fixture repository with one file
broken; the test measures its wall time and its peak memory (os.wait4) and asserts that it is
refused within a second of the unbroken fixture's check, under 200 MB, with the file, the line
and the limit, in Indonesian and in English. Before hooks/infohub/limits.py, the alias bomb in
office.yml ran 243 s and 23.7 GB, the 150 kB of nested brackets more than 300 s.

Then: the check's time grows linearly with the Markdown it accepts, and Python-Markdown renders
the worst Markdown the bounds accept in bounded time, also linearly. What the check refuses and
the build could not render at all (control characters, templates and icons outside the theme)
is in the corpus (tests/corpus/mistakes/), which test_one_verdict.py builds.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pydantic
import pytest
import yaml

from conftest import ROOT, make_repo
from infohub import checks, limits, schema
from infohub.build import build_sites

POST = "offices/kantorcontoh/docs/berita/2025/layanan-akhir-pekan.md"
OFFICE = "offices/kantorcontoh/office.yml"
FRONT = "---\ntitle: Layanan paspor akhir pekan\ndescription: Layanan pada hari Sabtu.\ndate: 2025-03-01 09:00\n" \
        "category: pengumuman\n"
WITHIN_SECONDS = 1.0  # beyond the check of the unbroken fixture
WITHIN_MB = 200
GUARD_BYTES = 4 << 30  # a regression fails the test instead of taking the machine's memory


@dataclass
class Run:
    code: int
    lines: list[str]
    seconds: float
    mb: float


# The check runs as the grandchild of the test, started by a small launcher that sets the memory
# guard and reports the check's peak memory. Linux counts, in a process's peak (ru_maxrss), the
# memory of the process it was forked from until its exec: forked from the test process, the
# check would be charged pytest's pages (251 MB late in `make test`); forked from the launcher,
# only the launcher's few megabytes.
_LAUNCHER = """
import os, resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, ({guard}, {guard}))
check = subprocess.Popen([sys.executable, "-m", "infohub", *sys.argv[1:]])
_, status, usage = os.wait4(check.pid, 0)
with open(os.environ["INFOHUB_TEST_PEAK_FILE"], "w") as peak:
    peak.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_check(repo: Path, *args: str, timeout: float = 120) -> Run:
    """`make check` in its own process: its exit code, output, wall time and peak memory."""
    out, peak = repo.parent / "check-output.txt", repo.parent / "check-peak.txt"
    peak.unlink(missing_ok=True)
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "id", "GITHUB_ACTIONS": "",
           "PYTHONPATH": str(ROOT / "hooks"), "INFOHUB_TEST_PEAK_FILE": str(peak)}
    with out.open("w+", encoding="utf-8") as sink:
        start = time.monotonic()
        process = subprocess.Popen([sys.executable, "-c", _LAUNCHER.format(guard=GUARD_BYTES), "check", *args],
                                   stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
        seconds = time.monotonic() - start
    kilobytes = int(peak.read_text()) if peak.exists() else 0  # none: the launcher was killed
    return Run(process.returncode, out.read_text(encoding="utf-8").splitlines(), seconds, kilobytes / 1024)


@pytest.fixture(scope="module")
def unbroken(tmp_path_factory):
    """The check of the fixture as it is, per command line: what every attack is measured against.
    Measured again when an attack seems slow (the machine may have become busier meanwhile)."""
    repo = make_repo(tmp_path_factory.mktemp("unbroken") / "repo")
    seconds: dict[tuple, float] = {}

    def time_of(args: tuple[str, ...], again: bool = False) -> float:
        if args not in seconds or again:
            run = run_check(repo, *args)
            assert run.code == 0, run.lines
            seconds[args] = run.seconds
        return seconds[args]

    return time_of


def refused(repo: Path, unbroken, args: tuple[str, ...] = ("--office", "kantorcontoh")) -> Run:
    """The check refuses, within a second of the unbroken check and under 200 MB (on a busy machine,
    the best of three runs, each but the first against the unbroken check run just after it)."""
    for attempt in range(3):
        run = run_check(repo, *args)
        assert run.code == 1, run.lines[-5:]
        assert not any("Traceback" in line for line in run.lines), "\n".join(run.lines)
        if run.seconds - unbroken(args, again=attempt > 0) < WITHIN_SECONDS and run.mb < WITHIN_MB:
            return run
    raise AssertionError(f"{run.seconds:.1f} s (unbroken: {unbroken(args):.1f} s), {run.mb:.0f} MB")


def block(lines: list[str], header: str) -> list[str]:
    """The report's lines about one file: its header and the problem lines below it."""
    at = lines.index(header)
    end = next((i for i in range(at + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[at:end]


def errors_in_english(repo: Path, path: str, offices=("kantorcontoh",), hub: bool = False) -> list[str]:
    report = checks.check_report(list(offices), hub, repo)
    return [f"{p.line} {p.text('en')}" for p in report.errors if p.path == path]


def bomb(levels: int = 8) -> str:
    """A YAML alias bomb: 'lol<levels>' stands for 9**levels values (43 million for 8)."""
    lines = ['lol0: &lol0 "lol"']
    lines += [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def post(repo: Path, body: str = "Teks.", front: str = "") -> None:
    (repo / POST).write_text(f"{FRONT}{front}---\n\n{body}\n", encoding="utf-8")


def office_yml(repo: Path, change) -> None:
    file = repo / OFFICE
    file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")


ALIASES_ID = ("berkas ini berisi lebih dari 20000 nilai (setiap alias seperti *nama dihitung sebanyak nilai yang "
              "diulangnya), padahal itulah batasnya; periksa apakah ada daftar yang tersalin berulang kali")
ALIASES_EN = ("this file holds more than 20000 values (an alias such as *name counts as the values it repeats), "
              "which is the limit; check for a list pasted many times over")


# --- YAML ---------------------------------------------------------------------------------


def test_an_alias_bomb_in_office_yml_is_refused_not_expanded(repo, unbroken):
    office_yml(repo, lambda text: text + bomb())
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + OFFICE) == ["KESALAHAN  " + OFFICE, f"  baris 83  {ALIASES_ID}"]
    assert errors_in_english(repo, OFFICE) == [f"83 {ALIASES_EN}"]


def test_an_alias_bomb_in_front_matter_is_refused(repo, unbroken):
    post(repo, front=bomb())
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + POST) == ["KESALAHAN  " + POST, f"  baris 11  {ALIASES_ID}"]
    assert errors_in_english(repo, POST) == [f"11 {ALIASES_EN}"]


def test_an_alias_bomb_in_the_hubs_mkdocs_yml_is_refused(repo, unbroken):
    config = repo / "offices/_hub/mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + bomb(), encoding="utf-8")
    run = refused(repo, unbroken, args=())  # every office and the hub
    assert block(run.lines, "KESALAHAN  offices/_hub/mkdocs.yml") == [
        "KESALAHAN  offices/_hub/mkdocs.yml", f"  baris 11  {ALIASES_ID}"]


def test_anchors_that_repeat_a_little_are_fine():
    """national/fees.yml repeats its units with anchors: an alias counts, it is not refused."""
    data = "unit: &per_application {id: per permohonan}\nother: *per_application\n"
    assert limits.yaml_problem(data, yaml.parse(data, Loader=yaml.SafeLoader), "x.yml") is None


def test_values_nested_too_deep_are_refused(repo, unbroken):
    office_yml(repo, lambda text: text + "x: " + "[" * 30_000 + "]" * 30_000 + "\n")
    run = refused(repo, unbroken)
    expected = ("nilai di sini bersarang lebih dari 20 tingkat (daftar di dalam daftar, kunci di dalam kunci); data "
                "infohub tidak pernah sedalam itu, periksa inden dan tanda kurungnya")
    assert block(run.lines, "KESALAHAN  " + OFFICE) == ["KESALAHAN  " + OFFICE, f"  baris 78  {expected}"]
    assert errors_in_english(repo, OFFICE) == [
        "78 the values here are nested more than 20 levels deep (lists in lists, keys in keys); infohub's data "
        "never goes that deep, so check the indentation and brackets"]


def test_too_many_values_are_refused(repo, unbroken):
    office_yml(repo, lambda text: text.replace("hashtags:\n  - KantorContoh", "hashtags: [" + "A, " * 25_000 + "A]"))
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + OFFICE) == ["KESALAHAN  " + OFFICE, f"  baris 65  {ALIASES_ID}"]


# --- file sizes: read before the file ------------------------------------------------------


def test_a_50_mb_page_is_refused_without_being_read(repo, unbroken):
    paragraph = "Kantor contoh membuka layanan paspor pada hari Sabtu. " * 20 + "\n\n"
    post(repo, body=paragraph * 46_500)
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + POST) == [
        "KESALAHAN  " + POST, "  berkas  berkas ini berukuran 50314 kB, melebihi batas 200 kB untuk halaman Markdown; "
        "perkecil isinya atau bagi menjadi beberapa berkas"]
    assert errors_in_english(repo, POST) == [
        "None this file is 50314 kB, over the 200 kB limit for a Markdown page; make it smaller or split it into "
        "several files"]


@pytest.mark.parametrize("path, kind, limit", [(OFFICE, "office.yml", 100), ("national/faq.yml", "data nasional", 500)])
def test_a_data_file_too_large_is_refused(path, kind, limit, repo, unbroken):
    file = repo / path
    file.write_text(file.read_text(encoding="utf-8") + "# komentar yang terlalu panjang\n" * (limit * 40),
                    encoding="utf-8")
    size = -(-file.stat().st_size // 1000)
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + path) == [
        "KESALAHAN  " + path, f"  berkas  berkas ini berukuran {size} kB, melebihi batas {limit} kB untuk {kind}; "
        "perkecil isinya atau bagi menjadi beberapa berkas"]


def test_a_front_matter_too_large_is_refused(repo, unbroken):
    post(repo, front="# catatan\n" * 1_500)
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + POST) == [
        "KESALAHAN  " + POST, "  baris 1  front matter halaman ini berukuran 16 kB, melebihi batas 10 kB; setiap "
        "kuncinya cukup berisi teks pendek"]
    assert errors_in_english(repo, POST) == [
        "1 this page's front matter is 16 kB, over the 10 kB limit; each of its keys only needs a short text"]


# --- text fields ------------------------------------------------------------------------------


def test_a_100000_character_office_name_is_refused(repo, unbroken):
    """Before: `make site` ran past 300 s (the site name is fitted on every social card)."""
    office_yml(repo, lambda text: text.replace("id: Kantor Imigrasi Contoh", "id: " + "Kantor " * 14_286))
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + OFFICE)[1].startswith("  berkas  berkas ini berukuran 102 kB, melebihi")


def test_a_long_office_name_is_refused_with_its_limit(repo, unbroken):
    office_yml(repo, lambda text: text.replace("  en: Example Immigration Office", "  en: " + "Office " * 3_000))
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + OFFICE) == [
        "KESALAHAN  " + OFFICE, "  baris 72  name.en: diharapkan teks paling panjang 150 karakter (yang ini 20999 "
        "karakter), tertulis 'Office Office Office Office Office Office Office Office O…'"]
    assert errors_in_english(repo, OFFICE) == [
        "72 name.en: expected a text of at most 150 characters (this one has 20999), got 'Office Office Office "
        "Office Office Office Office Office O…'"]


def test_a_2000_character_title_is_refused(repo, unbroken):
    """Before: `make check` 97 s, `make site` 218 s (social texts and cards cut it a character at a time)."""
    post(repo, front="")
    (repo / POST).write_text((repo / POST).read_text(encoding="utf-8").replace(
        "title: Layanan paspor akhir pekan", "title: " + "J" * 2_000), encoding="utf-8")
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + POST) == [
        "KESALAHAN  " + POST, "  baris 2  title: diharapkan teks paling panjang 200 karakter (yang ini 2000 "
        "karakter), tertulis '" + "J" * 57 + "…'"]


@pytest.mark.parametrize("model, field, limit", [
    (schema.Office, "city", limits.NAME_CHARS), (schema.FrontMatter, "title", limits.TITLE_CHARS),
    (schema.FrontMatter, "description", limits.TEXT_CHARS), (schema.FrontMatter, "image_alt", limits.TEXT_CHARS)])
def test_text_fields_take_their_limit_and_not_one_character_more(model, field, limit):
    required = {"name": "x", "city": "x", "province": "x", "domain": "x.id", "timezone": "Asia/Jakarta"} \
        if model is schema.Office else {}

    def errors(value):
        try:
            model.model_validate({**required, field: value})
        except pydantic.ValidationError as exc:
            return [(e["loc"], e["ctx"]) for e in exc.errors()]
        return []

    assert errors("a" * limit) == []
    assert errors("a" * (limit + 1)) == [((field,), {"form": "text_max", "value": "a" * (limit + 1),
                                                    "limit": limit, "length": limit + 1})]


def test_every_text_of_the_schema_is_bounded():
    """No field holds a plain str: each goes through a bounded text type or a form."""
    unbounded = []
    for model in (schema.Office, schema.FeeSchedule, schema.ServiceCatalogue, schema.NationalFaq, schema.Defaults,
                  schema.NationalAlert, schema.FrontMatter):
        for sub in {model, *_models_in(model)}:
            for name, info in sub.model_fields.items():
                if info.annotation in (str, str | None) and not info.metadata:
                    unbounded.append(f"{sub.__name__}.{name}")
    assert unbounded == []


def _models_in(model) -> set:
    import typing

    found = set()
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, schema.BaseModel) and tp not in found:
                found.add(tp)
                found |= _models_in(tp)
            stack += list(typing.get_args(tp))
    return found


# --- Markdown -----------------------------------------------------------------------------


def test_150_kb_of_nested_brackets_are_refused(repo, unbroken):
    """What a paste gone wrong looks like; before, `make check` and `make site` ran past 300 s."""
    post(repo, body="[a](*a " * 21_500)
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + POST) == [
        "KESALAHAN  " + POST,
        "  baris 8  di sini lebih dari 20 tanda '(' masih terbuka tanpa ')' penutupnya, biasanya karena teks rusak "
        "saat disalin; tutup tanda-tanda itu atau hapus yang tidak perlu",
        "  baris 8  paragraf (atau daftar, atau tabel) yang dimulai di baris ini panjangnya 150501 karakter tanpa "
        "baris kosong, padahal paling panjang 10000; pecah dengan menyisipkan baris kosong"]
    assert errors_in_english(repo, POST) == [
        "8 more than 20 '(' are open here without a closing ')', usually text damaged by copying; close them or "
        "delete the ones not needed",
        "8 the paragraph (or list, or table) starting on this line runs 150501 characters without an empty line, "
        "and the limit is 10000; split it with empty lines"]


@pytest.mark.parametrize("body, line, expected", [
    ("Teks.\n\n" + "[a " * 21, 10, "di sini lebih dari 20 tanda '[' masih terbuka tanpa ']' penutupnya, biasanya "
     "karena teks rusak saat disalin; tutup tanda-tanda itu atau hapus yang tidak perlu"),
    ("<b " * 21, 8, "di sini lebih dari 20 tanda '<' masih terbuka tanpa '>' penutupnya, biasanya karena teks rusak "
     "saat disalin; tutup tanda-tanda itu atau hapus yang tidak perlu"),
    ("".join("    " * level + "- a\n" for level in range(11)), 18, "baris ini bersarang lebih dari 10 tingkat "
     "(daftar, kutipan atau catatan di dalam yang lain); kurangi tingkatannya"),
    ("> " * 11 + "a", 8, "baris ini bersarang lebih dari 10 tingkat (daftar, kutipan atau catatan di dalam yang "
     "lain); kurangi tingkatannya"),
    ("```\nkode\n```\n\n" * 201, 808, "halaman ini berisi lebih dari 200 blok kode ('```'), padahal itulah "
     "batasnya; pecah menjadi beberapa halaman"),
])
def test_markdown_beyond_a_bound_is_refused_at_its_line(body, line, expected, repo, unbroken):
    post(repo, body=body)
    run = refused(repo, unbroken)
    assert block(run.lines, "KESALAHAN  " + POST) == ["KESALAHAN  " + POST, f"  baris {line}  {expected}"]


def test_escaped_and_closed_marks_are_not_counted():
    text = "\\[" * 50 + " " + "[a](https://example.org/(b)) " * 50 + "<b>x</b> " * 50 + "\n"
    assert limits.markdown_problems(text, "x.md") == []


# --- linear time ---------------------------------------------------------------------------

# The worst shapes the bounds accept, a full paragraph each: Python-Markdown's cost grows with
# the square of a paragraph full of markup, so the paragraph, not the page, is the unit.
SHAPES = {  # what opens a paragraph, and what fills it
    "references left open": ("[a][" * 20, "a "),
    "emphasis": ("", "*a* "),
    "links": ("", "[a](https://example.org/) "),
    "code left open": ("``", "`a "),
    "tags and autolinks": ("", "<b>a</b> <https://example.org/> "),
    "prose": ("", "Kantor contoh membuka layanan paspor pada hari *Sabtu*, lihat [jadwal](https://example.org/). "),
}


def worst_markdown(paragraphs_each: int) -> str:
    """Every shape, ``paragraphs_each`` paragraphs of each as long as they may be: 60 kB for 1."""
    paragraphs = [head + fill * ((limits.MARKDOWN_BLOCK_CHARS - 1 - len(head)) // len(fill))
                  for head, fill in SHAPES.values()] * paragraphs_each
    return "\n\n".join(paragraph.rstrip() for paragraph in paragraphs) + "\n"


def best_of(runs: int, work) -> float:
    """The least CPU time of this process over ``runs`` runs of ``work``: other processes on a
    busy machine do not count in it, as they do in wall time."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def test_the_worst_markdown_the_bounds_accept_is_accepted():
    assert limits.markdown_problems(worst_markdown(3), "x.md") == []
    assert len(worst_markdown(1)) > 50_000 and len(worst_markdown(3)) < limits.MARKDOWN_BYTES


def test_the_checks_time_grows_linearly_with_the_markdown_it_accepts(repo):
    """The page's share of the check's CPU time, for 60 kB and for 3× that; the three measured in
    turn, five times, the least of each kept. CPU time of this process, not wall time: a CI run
    beside another once made the wall-time ratio pass 5."""
    texts = {"without": "Teks.", "small": worst_markdown(1), "large": worst_markdown(3)}
    times: dict[str, list[float]] = {name: [] for name in texts}
    for _ in range(5):
        for name, body in texts.items():
            post(repo, body=body)
            start = time.process_time()
            assert checks.check_report(["kantorcontoh"], False, repo).errors == []
            times[name].append(time.process_time() - start)
    without, small, large = (min(times[name]) for name in texts)
    assert (large - without) / (small - without) < 5, times


def test_python_markdown_renders_the_worst_accepted_markdown_in_bounded_time():
    """The build's Markdown (the base mkdocs.yml's extensions, and MkDocs' own) on the largest accepted
    page of the worst shapes: bounded (seconds, where it ran past 300 s before) and linear."""
    import markdown

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions, settings = ["toc", "tables", "fenced_code"], {}
    for entry in config["markdown_extensions"]:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        extensions.append(name)
        settings[name] = entry[name] if isinstance(entry, dict) else {}

    def render(text: str):
        return lambda: markdown.Markdown(extensions=extensions, extension_configs=settings).convert(text)

    small = best_of(2, render(worst_markdown(1)))
    large = best_of(2, render(worst_markdown(3)))
    assert large < 30, large
    assert large / small < 5, (small, large)


# --- what the theme renders: only what it can -------------------------------------------------


def test_the_templates_a_page_may_name_are_this_products():
    own = sorted(f"infohub/{p.name}" for p in (ROOT / "overrides" / "infohub").glob("*.html"))
    assert sorted(schema.PAGE_TEMPLATES) == sorted(["main.html", *own])


@pytest.mark.parametrize("front, line, expected", [
    ("icon: material/tidak-ada\n", 6, "icon: diharapkan nama ikon dari kumpulan ikon bawaan Material, misalnya "
     "'material/passport' (daftarnya: https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/), "
     "tertulis 'material/tidak-ada'"),
    ("status: baru\n", 6, "status: diharapkan salah satu dari 'new' atau 'deprecated', tertulis 'baru'"),
    ("search:\n  exclude: tidak\n", 7, "search.exclude: diharapkan salah satu dari 'true' atau 'false', tertulis "
     "'tidak'"),
    ("search:\n  boost: tinggi\n", 7, "search.boost: diharapkan angka seperti '2' atau '0.5', tertulis 'tinggi'"),
])
def test_materials_page_keys_hold_only_what_the_theme_renders(front, line, expected, repo):
    post(repo, front=front)
    lines = checks.check_report(["kantorcontoh"], False, repo).format("id").splitlines()
    assert block(lines, "KESALAHAN  " + POST) == ["KESALAHAN  " + POST, f"  baris {line}  {expected}"]


def test_a_page_with_every_material_key_the_theme_renders_is_built(repo):
    """The other way round: what the check accepts of these keys, the build renders."""
    page = repo / "offices/kantorcontoh/docs/kontak.md"
    page.write_text("---\ntitle: Kontak\ntemplate: main.html\nicon: fontawesome/solid/phone\nstatus: new\n"
                    "hide: [toc]\nsearch:\n  exclude: \"false\"\n  boost: \"2\"\n---\n\nHubungi kami.\n",
                    encoding="utf-8")
    assert checks.check_report(["kantorcontoh"], False, repo).errors == []
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    html = (repo / "site/kantorcontoh/kontak/index.html").read_text(encoding="utf-8")
    assert 'class="md-status md-status--new"' in html
