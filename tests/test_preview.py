"""The pull request preview (infohub/preview.py) and the workflow steps that post it.

The golden comment is tests/fixtures/preview-comment.md; after a deliberate change
of the comment, write it again with INFOHUB_REGOLD=1 and read the diff.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import make_repo
from infohub import preview as pv

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "preview-comment.md"
WORKFLOW = ROOT / ".github" / "workflows" / "pull-request.yml"
OFFICE = "kantorcontoh"
NEWS = f"offices/{OFFICE}/docs/berita/2025"
# The same day and build date on every machine: the comment is compared byte for byte.
FIXED = {"INFOHUB_LANG": "id", "INFOHUB_NOW": "2025-09-01T00:00:00+00:00", "SOURCE_DATE_EPOCH": "1735689600",
         "NO_MKDOCS_2_WARNING": "1"}


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                               "GIT_AUTHOR_DATE": "2025-08-30T10:00:00+07:00",
                               "GIT_COMMITTER_DATE": "2025-08-30T10:00:00+07:00"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new), encoding="utf-8")


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


NEW_POST = """---
title: Loket paspor buka lebih awal
description: Mulai September loket paspor kantor contoh buka pukul 07.30; pengumuman fiktif.
date: 2025-08-25 08:00
category: pengumuman
---

Mulai 1 September 2025 loket paspor buka pukul 07.30 waktu setempat.

Pengumuman ini fiktif dan hanya ada untuk pengujian.
"""


def _pull_request_repo(target: Path) -> Path:
    """main: the fixture repository. Branch 'change', two commits: (1) Friday's hours and a
    fee in office.yml, and a news post (Indonesian only); (2) a page changed, another removed."""
    repo = make_repo(target)
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    _git(repo, "checkout", "-q", "-b", "change")
    _edit(repo, f"offices/{OFFICE}/office.yml", "    - 08:00-11:30", "    - 08:00-11:00")
    _edit(repo, f"offices/{OFFICE}/office.yml", "amount: 1200000", "amount: 1250000")
    (repo / NEWS / "pengumuman-baru.md").write_text(NEW_POST, encoding="utf-8")
    _commit(repo, "Friday closes earlier, the express fee rises, a news post")
    _edit(repo, f"{NEWS}/hari-terbuka.md", "pada hari Sabtu.", "pada hari Sabtu pagi.")
    for name in ("layanan-keliling.md", "layanan-keliling.en.md"):
        (repo / NEWS / name).unlink()
    _commit(repo, "Open day in the morning; the mobile service post removed")
    return repo


def _run_preview(repo: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **FIXED, "PYTHONPATH": str(ROOT / "hooks")}
    env.pop("INFOHUB_ROOT", None)
    return subprocess.run([sys.executable, "-m", "infohub", "preview", "--out", str(out), *args], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory):
    """The fixture pull request previewed once: (repo, out folder, finished process)."""
    folder = tmp_path_factory.mktemp("preview")
    repo = _pull_request_repo(folder / "repo")
    out = folder / "out"
    done = _run_preview(repo, out, "--base", "main", "--head", "change")
    assert done.returncode == 0, done.stdout + done.stderr
    return repo, out, done


def test_the_comment_of_a_pull_request_is_the_golden_one(pull_request):
    _, out, _ = pull_request
    comment = (out / "comment.md").read_text(encoding="utf-8")
    if os.environ.get("INFOHUB_REGOLD") == "1":
        GOLDEN.write_text(comment, encoding="utf-8")
    assert comment == GOLDEN.read_text(encoding="utf-8")
    assert comment.startswith(pv.MARKER + "\n") and (out / "preview.md").read_text(encoding="utf-8") == comment


def test_the_preview_builds_both_sides_reports_progress_on_stderr_and_cleans_up(pull_request):
    repo, out, done = pull_request
    assert done.stdout == ""
    assert "Pratinjau: membangun revisi dasar (main): kantorcontoh, hub…" in done.stderr
    assert "Pratinjau: membangun revisi perubahan (change): kantorcontoh, hub…" in done.stderr
    assert f"Pratinjau: komentar ditulis ke {out / 'comment.md'}" in done.stderr
    for side in ("site", "base"):
        assert {p.name for p in (out / side).iterdir() if not p.name.startswith(".")} == {OFFICE, "hub", "_social"}
    assert (out / "site" / OFFICE / "berita/2025/pengumuman-baru/index.html").is_file()
    assert not (out / "site" / OFFICE / "berita/2025/layanan-keliling").exists()
    assert (out / "base" / OFFICE / "berita/2025/layanan-keliling/index.html").is_file()
    assert len(_git(repo, "worktree", "list").splitlines()) == 1  # the temporary checkouts are gone
    assert _git(repo, "status", "--porcelain") == ""


def test_the_workflows_relative_out_folder_holds_both_builds(tmp_path):
    # as pull-request.yml runs it, from the repository's folder: --out preview --comment preview/comment.md
    repo = _pull_request_repo(tmp_path / "repo")
    done = _run_preview(repo, Path("preview"), "--base", "main", "--head", "change", "--comment", "preview/comment.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "preview/site" / OFFICE / "berita/2025/pengumuman-baru/index.html").is_file()
    assert (repo / "preview/base" / OFFICE / "berita/2025/layanan-keliling/index.html").is_file()
    assert "tidak bisa dibangun" not in (repo / "preview/comment.md").read_text(encoding="utf-8")
    assert not list((repo / "offices").glob("*/preview"))  # nothing beside an office's mkdocs.yml


def test_an_office_failing_its_check_is_said_not_built_and_its_errors_lead(repo, tmp_path):
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    _git(repo, "checkout", "-q", "-b", "broken")
    _edit(repo, f"offices/{OFFICE}/office.yml", "    - 08:00-11:30", "    - 8-11")
    _commit(repo, "Friday in a form the check refuses")
    done = _run_preview(repo, tmp_path / "out", "--base", "main", "--head", "broken")
    assert done.returncode == 0, done.stderr
    comment = (tmp_path / "out" / "comment.md").read_text(encoding="utf-8")
    # (one warning is the hub's placeholder address: a local check warns, the deploy's refuses)
    assert "❌ Pemeriksaan gagal untuk kantorcontoh, hub — kesalahan: 1, peringatan: 4." in comment
    assert "_❌ The check fails for kantorcontoh, hub — errors: 1, warnings: 4. Fix them before merging._" in comment
    assert "KESALAHAN  offices/kantorcontoh/office.yml\n  baris " in comment
    assert comment.index("KESALAHAN") < comment.index("ERROR  offices/kantorcontoh/office.yml")  # Indonesian first
    assert ("**kantorcontoh** tidak dibangun dengan perubahan ini karena pemeriksaannya gagal; lihat hasil "
            "pemeriksaan di atas. Situs yang sedang tayang tidak berubah.") in comment
    assert "Dihapus" not in comment and "batal dikirim" not in comment  # nor its pages or posts removed


def test_a_site_whose_check_passes_but_build_fails_is_said_so_not_blamed_on_the_check(repo, tmp_path):
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    _git(repo, "checkout", "-q", "-b", "broken")
    # a maintainer's change `make check` does not read (templates); the build does
    (repo / "overrides").unlink()
    shutil.copytree(ROOT / "overrides", repo / "overrides")
    (repo / "overrides/partials/infohub/faq.html").write_text("{% if %}\n", encoding="utf-8")
    _commit(repo, "A template that does not parse")
    done = _run_preview(repo, tmp_path / "out", "--base", "main", "--head", "broken")
    assert done.returncode == 0, done.stderr
    comment = (tmp_path / "out" / "comment.md").read_text(encoding="utf-8")
    assert "⚠️ Pemeriksaan lulus untuk kantorcontoh, hub — kesalahan: 0" in comment
    assert ("**kantorcontoh** gagal dibangun dengan perubahan ini, padahal pemeriksaannya lulus; penyebabnya ada "
            "di log pembangunan (langkah \"Build the touched sites and write the preview\" di run ini). Situs yang sedang tayang tidak "
            "berubah.") in comment
    assert ("_**kantorcontoh** fails to build with this change although its check passes; the cause is in the "
            "build's log (the step \"Build the touched sites and write the preview\" of this run). The live site stays as it is._") in comment
    assert "karena pemeriksaannya gagal" not in comment


# --- which sites a change builds ---------------------------------------------------------

OFFICES = ["imigrasibatam", "imigrasiblitar", "kantorcontoh"]


@pytest.mark.parametrize("changed, offices, hub", [
    ([f"offices/{OFFICE}/docs/berita/2025/x.md"], [OFFICE], False),  # news: the office; the hub's feeds only
    ([f"offices/{OFFICE}/docs/biaya.en.md", "offices/imigrasibatam/docs/faq.md"], ["imigrasibatam", OFFICE], False),
    ([f"offices/{OFFICE}/office.yml"], [OFFICE], True),  # the hub's directory shows office data
    ([f"offices/{OFFICE}/mkdocs.yml"], [OFFICE], False),  # refused by the check; no hub setting
    ([f"offices/{OFFICE}/social-ledger.json"], [OFFICE], False),
    ([f"offices/{OFFICE}/docs/office.yml"], [OFFICE], False),  # only the office's own office.yml
    (["offices/imigrasibaru/office.yml"], ["imigrasibaru"], True),  # a new office (not yet at the base)
    (["docs/panduan/berita.md"], [], True),
    (["offices/_hub/mkdocs.yml"], [], True),
    (["national/fees.yml"], OFFICES, True),
    (["national/pages/faq.md"], OFFICES, True),
    (["overrides/partials/infohub/fees.html"], OFFICES, True),
    (["hooks/infohub/feeds.py"], OFFICES, True),
    (["hooks"], OFFICES, True),  # hooks/ as one symlink
    (["mkdocs.yml"], OFFICES, True),
    (["requirements/build.txt"], OFFICES, True),
    (["README.md", "tests/test_build.py", "tools/bench.py", ".github/workflows/deploy.yml", "Makefile"], [], False),
    (["offices/README.md", "offices/.gitkeep", "national.md", "hooksmith/x.py"], [], False),
    ([], [], False),
])
def test_the_sites_a_change_touches(changed, offices, hub):
    selection = pv.select_sites(changed, OFFICES)
    assert (list(selection.offices), selection.hub) == (offices, hub)
    assert bool(selection) == bool(offices or hub)


def test_a_pull_request_touching_nothing_buildable_says_so_and_builds_nothing(repo, tmp_path):
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    _git(repo, "checkout", "-q", "-b", "docs-only")
    (repo / "README.md").write_text("# Catatan\n", encoding="utf-8")
    (repo / "tools").mkdir()
    (repo / "tools" / "note.txt").write_text("x\n", encoding="utf-8")
    _commit(repo, "notes")
    out = tmp_path / "out"
    done = _run_preview(repo, out, "--base", "main", "--head", "docs-only")
    assert done.returncode == 0, done.stderr
    assert (out / "comment.md").read_text(encoding="utf-8") == (
        "<!-- infohub-preview -->\n\n## Pratinjau pull request · Pull request preview\n\n"
        "Perubahan ini tidak menyentuh berkas yang dibangun menjadi situs (2 berkas: `README.md`, "
        "`tools/note.txt`), jadi tidak ada yang dibangun, diperiksa, atau dikirim ke media sosial.\n"
        "_This change touches no file the sites are built from (2 files: `README.md`, `tools/note.txt`), "
        "so nothing was built, checked or sent to social media._\n")
    assert "Pratinjau: perubahan ini tidak menyentuh situs mana pun; tidak ada yang dibangun." in done.stderr
    assert not (out / "site").exists() and not (out / "base").exists()


def test_without_head_the_working_tree_is_previewed_untracked_files_included(repo, tmp_path):
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    (repo / "README.md").write_text("# Catatan\n", encoding="utf-8")  # untracked, not committed
    result = pv.preview(repo, "main", None, tmp_path / "out", echo=lambda _: None)
    assert "(1 berkas: `README.md`)" in result.comment and not result.selection


def test_the_social_section_says_how_many_older_pages_a_new_channel_leaves_out(repo):
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    _edit(repo, f"offices/{OFFICE}/office.yml", "hashtags:\n  - KantorContoh", "hashtags:\n  - KantorContoh\nchannels:\n"
          "  - platform: mastodon\n    instance: https://mastodon.example\n    since: 2025-03-01")
    # at the builds' moment, 1 September 2025: the 2024 fee news (id, en), the mobile service (id, en)
    # and the Indonesian-only post of February are older than the channel
    blocks = pv.social_blocks(repo, "HEAD", pv.Outgoing(), [OFFICE], dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc))
    assert blocks[-2:] == [
        "**kantorcontoh** · mastodon mulai 2025-03-01: 5 halaman yang lebih lama tidak dikirim ke saluran ini.\n"
        "_**kantorcontoh** · mastodon starts on 2025-03-01: 5 older pages are not sent to this channel._",
        "Penggabungan ini tidak menambah unggahan media sosial yang akan dikirim.\n_This merge adds no social posts to be sent._"]
    # before the February post was published, one fewer
    early = pv.social_blocks(repo, "HEAD", pv.Outgoing(), [OFFICE], dt.datetime(2025, 1, 31, tzinfo=dt.timezone.utc))
    assert early[-2].startswith("**kantorcontoh** · mastodon mulai 2025-03-01: 4 halaman")


# --- pages as text ------------------------------------------------------------------------


def test_a_page_is_its_main_content_as_text():
    html = """<html><head><title>T</title><script>var x</script></head><body>
      <header class="md-header">Kantor</header><nav class="md-nav">Menu</nav>
      <main class="md-main"><div class="md-content"><article class="md-content__inner md-typeset">
        <a class="md-content__button" href="#">Edit</a>
        <h1>Biaya <a class="headerlink" href="#">¶</a></h1>
        <p>Tarif
           berlaku <strong>sejak</strong> 2024.</p>
        <script>track()</script><style>p{}</style>
        <div hidden>nanti</div>
        <table><tr><th>Layanan</th><th>Biaya</th></tr><tr><td>Paspor</td><td>Rp350.000</td></tr></table>
        <ul><li>satu</li><li><p>dua</p></li></ul>
        <pre><code>a
  b</code></pre>
        <p class="infohub-print-footer">Dicetak 1 September 2025</p>
        <!-- a comment -->
      </article></div></main>
      <footer class="md-footer">Hak cipta</footer></body></html>"""
    assert pv.page_text(html) == ["# Biaya", "Tarif berlaku sejak 2024.", "Layanan | Biaya", "Paspor | Rp350.000",
                                  "- satu", "- dua", "a", "b"]


# --- the comment's length --------------------------------------------------------------------


def test_a_comment_over_githubs_limit_is_cut_at_a_section_with_a_note():
    blocks = [pv.MARKER, "## Judul"] + [f"<details><summary>{i}</summary>\n\n" + "x" * 990 + "\n\n</details>"
                                        for i in range(100)]
    comment = pv.assemble(blocks)
    assert len(comment) <= pv.COMMENT_LIMIT == 65_536
    assert comment.startswith(pv.MARKER + "\n\n## Judul\n\n")
    kept = comment.count("<details>")
    assert kept == comment.count("</details>") and 55 < kept < 66  # whole sections only
    assert comment.endswith(
        f"\n---\n✂️ Komentar ini dipotong agar muat di GitHub: {100 - kept} bagian tidak ditampilkan. Isi lengkapnya "
        "ada di berkas preview.md pada artefak **preview**.\n_✂️ This comment was cut to fit on GitHub: "
        f"{100 - kept} sections are not shown. The whole text is in preview.md in the **preview** artifact._\n")
    short = pv.assemble(blocks[:5])
    assert short == "\n\n".join(blocks[:5]) + "\n"


def test_a_long_diff_is_cut_with_the_number_of_lines_left_out():
    lines = [f"+baris {i}" for i in range(pv.DIFF_LINES + 7)]
    capped = pv._capped(lines, pv.DIFF_LINES)
    assert capped[:-1] == lines[:pv.DIFF_LINES] and capped[-1] == "… 7 baris lagi · … 7 more lines"


# --- the workflow ------------------------------------------------------------------------------


def _jobs() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def _step(job: dict, name: str) -> dict:
    return next(step for step in job["steps"] if step.get("name", "").startswith(name))


def test_only_the_comment_job_may_write_and_forks_are_skipped_with_a_note():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert flow["permissions"] == {}  # each job names its own (tests/test_workflows.py)
    jobs = flow["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "check": {"contents": "read"}, "build": {"contents": "read"}, "comment": {"pull-requests": "write"}}
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    assert jobs["comment"]["if"] == same_repo and jobs["comment"]["needs"] == "build"
    assert _step(jobs["build"], "Say why a fork gets no comment")["if"] == same_repo.replace("==", "!=")
    assert "github.token" not in json.dumps(jobs["build"]) + json.dumps(jobs["check"])
    build = _step(jobs["build"], "Build the touched sites")
    assert "-m infohub preview --base \"$BASE\"" in build["run"] and build["env"]["BASE"] == "origin/${{ github.base_ref }}"
    upload = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    download = next(s for s in jobs["comment"]["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert upload["with"]["name"] == download["with"]["name"] == "preview"
    assert "preview/comment.md" in upload["with"]["path"]


FAKE_GH = '''#!{python}
"""gh, as far as the comment step uses it: `gh api` on issue comments, recorded in $FAKE_GH_LOG."""
import json, os, subprocess, sys

args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
assert args[0] == "api", args
method, jq, fields, path, i = "GET", None, {{}}, None, 1
while i < len(args):
    if args[i] == "--method":
        method, i = args[i + 1], i + 1
    elif args[i] == "--jq":
        jq, i = args[i + 1], i + 1
    elif args[i] == "-F":
        key, value = args[i + 1].split("=", 1)
        fields[key] = open(value[1:], encoding="utf-8").read() if value.startswith("@") else value
        i += 1
    elif not args[i].startswith("--"):
        path = args[i]
    i += 1
state_file = os.environ["FAKE_GH_STATE"]
comments = json.load(open(state_file, encoding="utf-8"))
parts = path.split("/")  # repos/OWNER/NAME/issues/…
assert parts[:3] == ["repos", *os.environ["GH_REPO"].split("/")], path
if method == "GET" and parts[3:] == ["issues", os.environ["PR"], "comments"]:
    out = json.dumps(comments)
    if jq:
        out = subprocess.run(["jq", "-r", jq], input=out, capture_output=True, text=True, check=True).stdout
    sys.stdout.write(out)
elif method == "POST" and parts[3:] == ["issues", os.environ["PR"], "comments"]:
    comments.append({{"id": max([c["id"] for c in comments], default=0) + 1,
                     "user": {{"login": "github-actions[bot]"}}, "body": fields["body"]}})
elif method == "PATCH" and parts[3:5] == ["issues", "comments"]:
    comment = next(c for c in comments if c["id"] == int(parts[5]))
    comment["body"] = fields["body"]
else:
    sys.exit(f"unexpected call: {{args}}")
json.dump(comments, open(state_file, "w", encoding="utf-8"))
'''


def test_the_comment_step_writes_one_comment_and_updates_it_afterwards(tmp_path):
    step = _step(_jobs()["comment"], "Comment on the pull request")
    assert not any("${{" in line for line in step["run"].splitlines())  # all it needs comes from env
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
    gh.chmod(0o755)
    state, log = tmp_path / "comments.json", tmp_path / "calls.jsonl"
    human = {"id": 11, "user": {"login": "editor"}, "body": pv.MARKER + " quoted by a person"}
    other = {"id": 12, "user": {"login": "github-actions[bot]"}, "body": "Another bot comment"}
    state.write_text(json.dumps([human, other]), encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_GH_STATE": str(state),
           "FAKE_GH_LOG": str(log), "GH_TOKEN": "dummy", "GH_REPO": "kemenimipas/infohub", "PR": "7"}
    (tmp_path / "preview").mkdir()

    def run(body: str) -> list[list[str]]:
        (tmp_path / "preview" / "comment.md").write_text(body, encoding="utf-8")
        log.write_text("", encoding="utf-8")
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    first = run(pv.MARKER + "\nfirst\n")
    assert [c[:3] for c in first] == [["api", "--paginate", "repos/kemenimipas/infohub/issues/7/comments"],
                                      ["api", "--method", "POST"]]
    second = run(pv.MARKER + "\nsecond\n")
    assert second[1] == ["api", "--method", "PATCH", "repos/kemenimipas/infohub/issues/comments/13",
                         "-F", "body=@preview/comment.md"]
    run(pv.MARKER + "\nthird\n")
    comments = json.loads(state.read_text(encoding="utf-8"))
    assert comments == [human, other, {"id": 13, "user": {"login": "github-actions[bot]"},
                                       "body": pv.MARKER + "\nthird\n"}]


# --- what the approver must be told truly (issue 22, item 6) -------------------------------------

CHANNELS = """channels:
  - platform: mastodon
    instance: https://mastodon.example
    since: 2025-03-01
  - platform: log
    since: 2025-03-01
"""
FLOOD_ALERT = """alert:
  level: danger
  text:
    id: "Banjir di Jalan Contoh: layanan paspor pindah ke gedung B sampai 5 September 2025."
    en: "Flooding on Jalan Contoh: passport services move to building B until 5 September 2025."
  expires: 2025-09-05
"""
NATIONAL_ALERT = """id: gangguan-2025-09
level: warning
text:
  id: Layanan paspor nasional terganggu sampai 3 September 2025 pukul 17.00 WIB.
  en: National passport services are disrupted until 3 September 2025 at 17:00 WIB.
expires: 2025-09-03 17:00
"""
OLD_POST = """---
title: Tarif lama
date: 2024-06-01
category: pengumuman
---

Berita 2024 yang baru dimasukkan ke repositori.
"""
OFFICE_ALERT = OFFICE_ALERT_OLD = """alert:
  text:
    id: 'Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).'
    en: 'Example alert: passport services are closed on 10 September 2025 (fictional).'
  level: warning
  expires: 2025-09-10
"""


def _installed_repo(target: Path) -> Path:
    """A repository as the pull-request workflow has it: its own code (committed, not links to this
    checkout's), and the web editor installed by `make cms` in tools/cms/node_modules, which git
    ignores. Main: the fixture with a Mastodon and a log channel since 1 March 2025."""
    repo = make_repo(target)
    for shared in ("mkdocs.yml", "hooks", "overrides"):
        (repo / shared).unlink()
        copy = shutil.copytree if (ROOT / shared).is_dir() else shutil.copy
        copy(ROOT / shared, repo / shared, **({"ignore": shutil.ignore_patterns("__pycache__", "*.pyc")}
                                              if (ROOT / shared).is_dir() else {}))
    # (without the final '/' of the real .gitignore: here node_modules is a link to this checkout's)
    (repo / ".gitignore").write_text(".cache/\n__pycache__/\npreview/\ntools/cms/node_modules\n", encoding="utf-8")
    (repo / "tools" / "cms").mkdir(parents=True)
    (repo / "tools" / "cms" / "node_modules").symlink_to((ROOT / "tools" / "cms" / "node_modules").resolve())
    with (repo / "offices" / OFFICE / "office.yml").open("a", encoding="utf-8") as office:
        office.write(CHANNELS)
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    return repo


@pytest.fixture(scope="module")
def flood(tmp_path_factory):
    """The working tree (as CI previews it) changes the office's alert to a flood banner, adds a
    national alert, a news post of 2025 and one of 2024, and removes the English open-day post (sent at
    the base on both channels): the comment of its preview."""
    folder = tmp_path_factory.mktemp("flood")
    repo = _installed_repo(folder / "repo")
    _edit(repo, f"offices/{OFFICE}/office.yml", OFFICE_ALERT_OLD, FLOOD_ALERT)
    (repo / "national" / "alert.yml").write_text(NATIONAL_ALERT, encoding="utf-8")
    (repo / NEWS / "pengumuman-baru.md").write_text(NEW_POST, encoding="utf-8")
    (repo / f"offices/{OFFICE}/docs/berita/2024").mkdir()
    (repo / f"offices/{OFFICE}/docs/berita/2024/tarif-lama.md").write_text(OLD_POST, encoding="utf-8")
    (repo / NEWS / "hari-terbuka.en.md").unlink()
    env = {**FIXED, "INFOHUB_ROOT": str(repo)}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        result = pv.preview(repo, "main", None, folder / "out", echo=lambda _: None)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return result.comment


def test_the_preview_names_the_alerts_a_change_adds_or_changes_with_text_and_dates(flood):
    assert (
        "### Pengumuman (banner) · Alerts (banners)\n\n"
        "Pengumuman nasional ditambahkan, untuk semua kantor dan portal; tampil sampai 2025-09-03 17:00 WIB.\n"
        "_National alert added, for every office's site and the hub; shown until 2025-09-03 17:00 WIB._\n\n"
        "```text\n"
        "id: gangguan-2025-09\n"
        "level: warning\n"
        "text.id: Layanan paspor nasional terganggu sampai 3 September 2025 pukul 17.00 WIB.\n"
        "text.en: National passport services are disrupted until 3 September 2025 at 17:00 WIB.\n"
        "expires: 2025-09-03 17:00\n"
        "```\n\n"
        "**kantorcontoh** · pengumuman kantor diubah; tampil sampai akhir 2025-09-05 (WIT).\n"
        "_**kantorcontoh** · office alert changed; shown until the end of 2025-09-05 (WIT)._\n\n"
        "```diff\n"
        "-level: warning\n"
        "+level: danger\n"
        "-text.id: Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).\n"
        "+text.id: Banjir di Jalan Contoh: layanan paspor pindah ke gedung B sampai 5 September 2025.\n"
        "-text.en: Example alert: passport services are closed on 10 September 2025 (fictional).\n"
        "+text.en: Flooding on Jalan Contoh: passport services move to building B until 5 September 2025.\n"
        "-expires: 2025-09-10\n"
        "+expires: 2025-09-05\n"
        "```\n\n### ") in flood


def test_the_preview_counts_what_each_channel_sends_and_not_what_publish_would_not(flood):
    section = flood[flood.index("### Unggahan media sosial"):]
    # the national alert (id, en) and the 2025 post (id) on Mastodon; the 2024 post is older than the
    # channel; Instagram has an account but no channel; log only writes a file
    assert ("**kantorcontoh**: setelah digabungkan, 3 unggahan baru akan dikirim: mastodon (3).\n"
            "_**kantorcontoh**: after the merge, 3 new posts will be sent: mastodon (3)._") in section
    assert ("**kantorcontoh**: 3 unggahan hanya dicatat di berkas log (`log`), tidak dikirim ke media sosial.\n"
            "_**kantorcontoh**: 3 posts are only written to the log file (`log`), not sent to social media._") in section
    assert "instagram" not in section and "Tarif lama" not in section
    assert section.count("mastodon:\n```text") == 3 and "log:\n```text" not in section
    assert section.endswith(
        "2 unggahan yang akan dikirim tanpa perubahan ini batal dikirim setelah digabungkan (halamannya dihapus atau "
        "tidak terbit lagi, atau kanalnya berubah):\n_2 posts that would be sent without this change are no longer "
        "sent after the merge (their page was removed or is no longer published, or their channel changed):_\n"
        "- **kantorcontoh** · en · `/en/berita/2025/hari-terbuka/` (mastodon, log)\n")


def test_both_sides_are_built_with_the_same_tools_so_admin_is_no_change(flood):
    assert "/admin/" not in flood
    assert "#### hub" not in flood  # the hub's pages show no alert text: nothing changed there


def test_an_office_without_channels_is_promised_no_posts(pull_request):
    _, out, _ = pull_request
    comment = (out / "comment.md").read_text(encoding="utf-8")
    section = comment[comment.index("### Unggahan media sosial"):]
    assert "akan dikirim" not in section and "will be sent" not in section
    assert ("**kantorcontoh**: belum ada kanal media sosial di `office.yml` (`channels`), jadi penggabungan ini "
            "tidak mengirim unggahan apa pun.\n_**kantorcontoh**: no social channel is set up in `office.yml` "
            "(`channels`), so this merge sends no posts._") in section


def test_an_alert_removed_or_already_over_is_said_so(tmp_path):
    base, head = make_repo(tmp_path / "base"), make_repo(tmp_path / "head")
    _edit(head, f"offices/{OFFICE}/office.yml", OFFICE_ALERT, "")
    now = dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc)
    assert pv.alert_blocks(base, head, [OFFICE], now) == [
        "### Pengumuman (banner) · Alerts (banners)",
        "**kantorcontoh** · pengumuman kantor dihapus.\n_**kantorcontoh** · office alert removed._\n\n"
        "```text\n"
        "level: warning\n"
        "text.id: Contoh peringatan: layanan paspor ditutup 10 September 2025 (fiktif).\n"
        "text.en: Example alert: passport services are closed on 10 September 2025 (fictional).\n"
        "expires: 2025-09-10\n"
        "```"]
    later = dt.datetime(2025, 9, 12, tzinfo=dt.timezone.utc)
    assert pv.alert_blocks(head, base, [OFFICE], later)[1].startswith(
        "**kantorcontoh** · pengumuman kantor ditambahkan; sudah berakhir pada akhir 2025-09-10 (WIT), jadi tidak "
        "tampil di situs.\n_**kantorcontoh** · office alert added; it ended at the end of 2025-09-10 (WIT), so "
        "the site does not show it._\n\n```text\nlevel: warning\n")
    assert pv.alert_blocks(base, base, [OFFICE], now) == []  # no change: no section
    # an office.yml the check refuses is no alert removed: the check's report says what is wrong
    _edit(head, f"offices/{OFFICE}/office.yml", '  friday:\n    - 08:00-11:30', '  friday:\n    - 8-11')
    assert pv.alert_blocks(base, head, [OFFICE], now) == []


def test_a_comment_with_hundreds_of_posts_stays_within_githubs_limit_in_both_languages(tmp_path):
    posts = [{"office": OFFICE, "language": "id", "uid": f"u{i}", "platform": "mastodon", "id": f"p{i}",
              "url": f"https://kantorcontoh.id/berita/2025/p{i}/", "title": f"Berita {i}", "text": "x" * 300}
             for i in range(400)]
    blocks = pv.social_blocks(tmp_path, "HEAD", pv.Outgoing(new=posts), [])
    assert blocks[1] == ("**kantorcontoh**: setelah digabungkan, 400 unggahan baru akan dikirim: mastodon (400).\n"
                         "_**kantorcontoh**: after the merge, 400 new posts will be sent: mastodon (400)._")
    comment = pv.assemble([pv.MARKER, *blocks])
    assert len(comment) <= pv.COMMENT_LIMIT
    assert "_✂️ This comment was cut to fit on GitHub: " in comment and "✂️ Komentar ini dipotong" in comment
