"""The deploy workflow's publishing, as GitHub Actions would run it, on a local bare git remote."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from fakes.social import CHANNELS, OFFICE, SECRET, add_channels
from infohub import paths
from infohub.social.review import channel_changes
from infohub.social.secrets import CREDENTIAL_PLATFORMS, secret_name
from infohub.social.servers import LOCAL_API_ENV

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def _jobs(workflow: Path = WORKFLOW) -> dict:
    return yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]


def _step(job: dict, name: str) -> dict:
    return next(step for step in job["steps"] if step.get("name", "").startswith(name))


def test_the_publish_step_is_handed_each_channel_secret_by_name_and_nothing_else():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "toJSON(secrets)" not in text
    publish = _jobs()["publish"]
    env = _step(publish, "Publish the queued social posts")["env"]
    assert set(env) == {secret_name(slug, p) for slug in paths.office_slugs(ROOT) for p in CREDENTIAL_PLATFORMS}
    assert all(value == f"${{{{ secrets.{name} }}}}" for name, value in env.items())
    # the job never holds the deploy key nor a token that may write: the ledger job pushes, with
    # GITHUB_TOKEN in its push step alone, and holds no secret
    for step in publish["steps"]:
        shown = json.dumps(step)
        assert "DEPLOY_" not in shown and "github.token" not in shown
    assert publish["permissions"] == {"contents": "read"}
    ledger = _jobs()["ledger"]
    assert ledger["permissions"] == {"contents": "write"} and "environment" not in ledger
    assert "secrets." not in json.dumps(ledger)
    assert [s["name"] for s in ledger["steps"] if "github.token" in json.dumps(s)] == [
        "Commit the ledger of what was published"]
    assert publish["environment"] == "social" and _jobs()["deploy"]["environment"] == "production"
    assert publish["concurrency"]["cancel-in-progress"] is False
    assert next(s for s in publish["steps"] if s.get("uses", "").startswith("actions/checkout"))["with"] == \
        {"persist-credentials": False}
    # what did go out is kept and committed after a failed or cancelled publish too
    assert _step(publish, "Keep the ledger as an artifact")["if"] == "always()"
    assert ledger["needs"] == "publish" and ledger["if"].startswith("always() && ")
    assert LOCAL_API_ENV not in text  # the loopback exception is never on in production
    done = subprocess.run([sys.executable, "-m", "infohub", "publish-secrets"], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "INFOHUB_ROOT": str(ROOT)})
    assert done.returncode == 0, done.stdout


def test_build_shards_keep_the_last_good_posts_of_offices_between_runs():
    """The shard's whole site/ is kept between runs, its build cache (site/.cache/last-good) with it."""
    build = _jobs()["build"]["steps"]
    restore = next(s for s in build if s.get("uses", "").startswith("actions/cache/restore@"))
    save = next(s for s in build if s.get("uses", "").startswith("actions/cache/save@"))
    assert restore["with"]["path"] == save["with"]["path"] == "site"
    assert restore["with"]["restore-keys"] == "site-${{ matrix.shard }}-"
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_pull_request_summary_names_a_changed_server_or_account(repo):
    add_channels(repo, "  - platform: mastodon\n    instance: https://mastodon.example\n"
                       "  - platform: telegram\n    account: '@kantorcontoh'\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "offices")
    _git(repo, "commit", "-q", "-m", "base")
    office = repo / "offices" / OFFICE / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace("https://mastodon.example", "https://collector.example.net")
                      .replace("'@kantorcontoh'", "'@someone_else'"), encoding="utf-8")
    assert channel_changes(repo, "HEAD", [OFFICE], "id") == [
        "**kantorcontoh** · mastodon: `instance` berubah dari `https://mastodon.example` menjadi "
        "`https://collector.example.net`",
        "**kantorcontoh** · telegram: `account` berubah dari `@kantorcontoh` menjadi `@someone_else`"]
    assert channel_changes(repo, "HEAD", [OFFICE], "en")[0] == (
        "**kantorcontoh** · mastodon: `instance` changes from `https://mastodon.example` to "
        "`https://collector.example.net`")


# --- the workflow's steps, in order -------------------------------------------------

INSTALL = re.compile(r"pip install|-m venv|make (install|[a-z-]*deps)\b|apt-get")


def _script(step: dict, **values: str) -> str:
    """A step's shell, with ${{ … }} filled in and the install lines left out (the runner here has them)."""
    text = step["run"]
    text = re.sub(r"\$\{\{\s*matrix\.shard\s*\}\}", values.get("shard", ""), text)
    lines = [line for line in text.splitlines() if not INSTALL.search(line)]
    return "\n".join(lines)


def _step_env(step: dict, secrets: dict[str, str], **extra: str) -> dict:
    env = {}
    for name, value in (step.get("env") or {}).items():
        match = re.fullmatch(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", str(value))
        env[name] = secrets.get(match[1], "") if match else ""
    return env | extra


def _run(step: dict, cwd: Path, env: dict, **values: str) -> subprocess.CompletedProcess:
    """Run one step as the runner's bash would (set -e, as GitHub's default shell)."""
    return subprocess.run(["bash", "-e", "-c", _script(step, **values)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def _runner(bare: Path, folder: Path, bin_dir: Path) -> Path:
    """A fresh checkout, as actions/checkout gives each job, with the interpreter the runner installed."""
    subprocess.run(["git", "clone", "-q", str(bare), str(folder)], check=True)
    (folder / ".venv").symlink_to(Path(sys.prefix))
    return folder


def _pushed_to_a_local_remote(repo: Path, tmp_path: Path) -> Path:
    """Commit ``repo`` as it is and push it to a bare repository standing in for GitHub's."""
    bare = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "content")
    _git(repo, "remote", "add", "origin", str(bare))
    _git(repo, "push", "-q", "origin", "main")
    return bare


def _fake_make(bin_dir: Path) -> None:
    """`make site SHARD=…` and `make check` on the runner, without the install step of the real Makefile."""
    bin_dir.mkdir(exist_ok=True)
    make = bin_dir / "make"
    make.write_text('#!/usr/bin/env bash\nset -e\ntarget=$1; shift\nargs=()\nfor a in "$@"; do case "$a" in '
                    'SHARD=*) args+=(--shard "${a#SHARD=}");; esac; done\n'
                    f'exec "{sys.executable}" -m infohub "$target" "${{args[@]}}"\n', encoding="utf-8")
    make.chmod(0o755)


def _deploy_run(bare: Path, work: Path, api: str, secrets: dict, env: dict, name: str,
                before_commit=lambda: None) -> subprocess.CompletedProcess:
    """One run of the deploy workflow: the build shards, their artifacts merged, the deployment
    files, then the publish job with its ledger commit. Returns the publish step's outcome."""
    merged = _runner(bare, work / f"{name}-publish", work / "bin")
    jobs = _jobs(merged / ".github" / "workflows" / "deploy.yml")  # as committed, secrets list included
    shards = jobs["build"]["strategy"]["matrix"]["shard"]
    (merged / "site").mkdir()
    for shard in shards:
        runner = _runner(bare, work / f"{name}-build-{shard.replace('/', '-')}", work / "bin")
        for step_name in ("Check content", "Build this shard"):
            done = _run(_step(jobs["build"], step_name), runner, env | {"SHARD": shard}, shard=shard)
            assert done.returncode == 0, done.stdout + done.stderr
        # upload-artifact: site/ without its caches and staging folders; download merges them
        for item in (runner / "site").iterdir():
            if not item.name.startswith("."):
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, merged / "site" / item.name,
                                                                     **({"dirs_exist_ok": True} if item.is_dir() else {}))
    done = _run(_step(jobs["deploy"], "Write deployment files"), merged, env)
    assert done.returncode == 0, done.stdout + done.stderr
    publish = jobs["publish"]
    step = _step(publish, "Publish the queued social posts")
    published = _run(step, merged, _step_env(step, secrets) | env)
    # the artifact 'social-ledger' (offices/*/social-ledger.json, kept whatever the outcome), then
    # the ledger job: a fresh checkout that commits and pushes it
    kept = work / f"{name}-ledger-artifact"
    for ledger_file in (merged / "offices").glob("*/social-ledger.json"):
        (kept / ledger_file.parent.name).mkdir(parents=True)
        shutil.copy2(ledger_file, kept / ledger_file.parent.name / ledger_file.name)
    ledger = _runner(bare, work / f"{name}-ledger", work / "bin")
    commit = _step(jobs["ledger"], "Commit the ledger")
    before_commit()
    done = _run(commit, ledger, env | _step_env(commit, {}, BRANCH="main", LEDGER=str(kept)))
    assert done.returncode == 0, done.stdout + done.stderr
    return published


@pytest.mark.slow
def test_deploy_workflow_publishes_each_post_once_across_runs_and_keeps_the_ledger(repo, api, tmp_path):
    """Two deploys in a row, the second after a concurrent push; Telegram down in the first."""
    add_channels(repo, CHANNELS["mastodon"].format(api=api) + CHANNELS["telegram"].format(api=api))
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy2(WORKFLOW, workflows / "deploy.yml")
    env_base = {k: v for k, v in os.environ.items() if not k.startswith(("INFOHUB_", "PYTEST"))}
    env = {**env_base, "PATH": f"{tmp_path / 'bin'}:{env_base['PATH']}", "INFOHUB_LANG": "id",
           "INFOHUB_SOCIAL_BACKOFF": "0.01", "SOURCE_DATE_EPOCH": "1735689600",
           LOCAL_API_ENV: api}  # this machine's fake platforms: the operator allows them, for every step
    _fake_make(tmp_path / "bin")
    # the maintainers' step after adding an office: the workflow names its secrets
    subprocess.run([sys.executable, "-m", "infohub", "publish-secrets", "--write"], cwd=repo, env=env, check=True,
                   capture_output=True)
    bare = _pushed_to_a_local_remote(repo, tmp_path)
    secrets = {secret_name(OFFICE, p): SECRET for p in CREDENTIAL_PLATFORMS}
    secrets["DEPLOY_SSH_KEY"] = "deploy-key-never-handed-to-publish"
    requests.post(f"{api}/_test/fail", json={"path": "/bot", "status": 503, "times": -1, "retry_after": "0"},
                  timeout=5)

    # an editor's commit lands while the first run publishes: the ledger push must rebase over it
    editor = tmp_path / "editor"
    subprocess.run(["git", "clone", "-q", str(bare), str(editor)], check=True)

    def editor_pushes():
        (editor / "offices" / OFFICE / "docs" / "catatan.md").write_text("# Catatan\n\nIsi.\n", encoding="utf-8")
        _git(editor, "add", "-A")
        _git(editor, "commit", "-q", "-m", "Editor's change")
        _git(editor, "push", "-q", "origin", "main")

    first = _deploy_run(bare, tmp_path, api, secrets, env, "first", before_commit=editor_pushes)
    assert first.returncode == 1, first.stdout  # Telegram failed
    assert "GAGAL    kantorcontoh · telegram" in first.stdout, first.stdout
    mastodon = [p["text"] for p in requests.get(f"{api}/_test/posts", timeout=5).json() if p["platform"] == "mastodon"]
    assert mastodon and len(mastodon) == len(set(mastodon)), first.stdout
    log = _git(bare, "log", "--format=%s", "main")
    assert log.splitlines()[:2] == ["Record published social posts [skip ci]", "Editor's change"]
    ledger = json.loads(_git(bare, "show", f"main:offices/{OFFICE}/social-ledger.json"))
    assert sum(len(by.get("mastodon", {})) for by in ledger.values()) == len(mastodon)
    assert not any("telegram" in by for by in ledger.values())

    # Telegram is back: the second run sends only what the first could not, nothing twice
    requests.post(f"{api}/_test/reset", timeout=5)
    second = _deploy_run(bare, tmp_path, api, secrets, env, "second")
    assert second.returncode == 0, second.stdout + second.stderr
    posts = requests.get(f"{api}/_test/posts", timeout=5).json()
    assert {p["platform"] for p in posts} == {"telegram"}  # Mastodon: nothing again
    ledger = json.loads(_git(bare, "show", f"main:offices/{OFFICE}/social-ledger.json"))
    assert sum(len(by.get("telegram", {})) for by in ledger.values()) == len(posts)
    assert sum(len(by.get("mastodon", {})) for by in ledger.values()) == len(mastodon)
    seen = requests.get(f"{api}/_test/requests", timeout=5).json()
    assert not any("deploy-key-never-handed-to-publish" in json.dumps(r) for r in seen)
