"""The scheduled deploy (issue 21), as GitHub Actions would run it, on a local bare git remote:
the plan job, the build shards with their cached site/, the deploy (rsync and ssh faked, each
call recorded), the publish job against the fake platforms, the ledger commit and the remember
job. Caches and artifacts are folders here; the clock is fixed per run (INFOHUB_NOW).

A push builds and deploys everything; a scheduled run after a post's time builds, deploys and
publishes that office and the hub's feeds alone; a scheduled run with nothing due stops after
the plan: no site built, nothing deployed, nothing published.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from fakes.social import CHANNELS, OFFICE, SECRET, add_channels
from infohub.social.secrets import CREDENTIAL_PLATFORMS, secret_name
from infohub.social.servers import LOCAL_API_ENV
from test_social_workflow import (WORKFLOW, _fake_make, _jobs, _pushed_to_a_local_remote, _run, _runner,
                                  _step, _step_env)

POST = "Layanan paspor dibuka kembali"


@dataclass
class Run:
    due: str = ""
    sites: str = ""
    built: list[str] = field(default_factory=list)  # the shards' progress lines
    deployed: list[str] = field(default_factory=list)  # the sites rsync sent
    published: list[str] = field(default_factory=list)  # the texts the platforms received


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def _fake_deploy_tools(bin_dir: Path, log: Path) -> None:
    """rsync and ssh that record their arguments: the deploy step's loop is what is tested."""
    for tool in ("rsync", "ssh"):
        fake = bin_dir / tool
        fake.write_text(f'#!/usr/bin/env bash\necho "{tool} $*" >> "{log}"\n', encoding="utf-8")
        fake.chmod(0o755)


def workflow_run(bare: Path, work: Path, store: Path, api: str, env: dict, name: str, event: str,
                 now: str) -> Run:
    """One run of deploy.yml for ``event`` at ``now``. ``store`` holds the caches between runs."""
    run = Run()
    env = env | {"INFOHUB_NOW": now}
    plan_runner = _runner(bare, work / f"{name}-plan", work / "bin")
    jobs = _jobs(plan_runner / ".github" / "workflows" / "deploy.yml")
    # plan: restore the manifests of the last deploy that went through (cache 'deployed-')
    if (store / "deployed").is_dir():
        shutil.copytree(store / "deployed", plan_runner / "site" / ".manifest")
    outputs = work / f"{name}-plan-outputs"
    outputs.touch()
    done = _run(_step(jobs["plan"], "What is due"), plan_runner, env | {"EVENT": event, "GITHUB_OUTPUT": str(outputs)})
    assert done.returncode == 0, done.stdout + done.stderr
    found = _outputs(outputs)
    run.due, run.sites = found["due"], found.get("sites", "")
    if run.due != "true":  # build: needs.plan.outputs.due == 'true'; everything after needs build
        return run

    merged = _runner(bare, work / f"{name}-deploy", work / "bin")
    (merged / "site").mkdir()
    manifests = work / f"{name}-manifests"
    for shard in jobs["build"]["strategy"]["matrix"]["shard"]:
        cache = store / f"site-{shard.replace('/', '-')}"
        runner = _runner(bare, work / f"{name}-build-{shard.replace('/', '-')}", work / "bin")
        if cache.is_dir():  # actions/cache/restore: the shard's site/ as the last run left it
            shutil.copytree(cache, runner / "site", symlinks=True)
        for step_name in ("Check content", "Build this shard"):
            done = _run(_step(jobs["build"], step_name), runner, env | {"SHARD": shard}, shard=shard)
            assert done.returncode == 0, done.stdout + done.stderr
        run.built += [line for line in done.stdout.splitlines() if line.startswith("[")]
        for item in (runner / "site").iterdir():  # upload-artifact sites-*, merged by download
            if not item.name.startswith("."):
                (shutil.copytree if item.is_dir() else shutil.copy2)(
                    item, merged / "site" / item.name, **({"dirs_exist_ok": True} if item.is_dir() else {}))
        if (runner / "site" / ".manifest").is_dir():  # manifests-* (a shard with no site has none)
            shutil.copytree(runner / "site" / ".manifest", manifests, dirs_exist_ok=True)
        shutil.rmtree(cache, ignore_errors=True)  # actions/cache/save under a new key
        shutil.copytree(runner / "site", cache, symlinks=True)

    done = _run(_step(jobs["deploy"], "Write deployment files"), merged, env)
    assert done.returncode == 0, done.stdout + done.stderr
    log = work / f"{name}-deploy.log"
    log.touch()
    step = _step(jobs["deploy"], "Deploy each site")
    done = _run(step, merged, env | _step_env(step, {"DEPLOY_HOST": "deploy@server"}, EVENT=event, DUE=run.sites))
    assert done.returncode == 0, done.stdout + done.stderr
    run.deployed = [line.split()[-1].split("/srv/infohub/site/")[1].strip("/")
                    for line in log.read_text(encoding="utf-8").splitlines() if "/srv/infohub/site/" in line]

    before = {p["text"] for p in requests.get(f"{api}/_test/posts", timeout=5).json()}
    step = _step(jobs["publish"], "Publish the queued social posts")
    secrets = {secret_name(OFFICE, p): SECRET for p in CREDENTIAL_PLATFORMS}
    done = _run(step, merged, _step_env(step, secrets) | env)
    assert done.returncode == 0, done.stdout + done.stderr
    run.published = [p["text"] for p in requests.get(f"{api}/_test/posts", timeout=5).json() if p["text"] not in before]

    kept = work / f"{name}-ledger-artifact"  # the ledger job: commit and push what was published
    for ledger_file in (merged / "offices").glob("*/social-ledger.json"):
        (kept / ledger_file.parent.name).mkdir(parents=True)
        shutil.copy2(ledger_file, kept / ledger_file.parent.name / ledger_file.name)
    ledger = _runner(bare, work / f"{name}-ledger", work / "bin")
    commit = _step(jobs["ledger"], "Commit the ledger")
    done = _run(commit, ledger, env | _step_env(commit, {}, BRANCH="main", LEDGER=str(kept)))
    assert done.returncode == 0, done.stdout + done.stderr

    shutil.rmtree(store / "deployed", ignore_errors=True)  # remember: the manifests of this deploy
    shutil.copytree(manifests, store / "deployed")
    return run


@pytest.mark.slow
def test_a_scheduled_run_builds_deploys_and_publishes_only_what_time_changed(repo, api, tmp_path):
    add_channels(repo, CHANNELS["mastodon"].format(api=api))
    post = repo / "offices" / OFFICE / "docs" / "berita" / "2026" / "dibuka-kembali.md"
    post.parent.mkdir(parents=True)
    post.write_text(f"---\ntitle: {POST}\ndate: 2026-12-03 10:00\ncategory: pengumuman\n---\n\n"
                    "Layanan paspor kembali dibuka setelah banjir surut.\n", encoding="utf-8")
    (repo / ".github" / "workflows").mkdir(parents=True)
    shutil.copy2(WORKFLOW, repo / ".github" / "workflows" / "deploy.yml")
    (repo / "tools").mkdir()  # what the deploy step sends to the server over ssh
    shutil.copy2(WORKFLOW.parents[2] / "tools" / "install_nginx_conf.sh", repo / "tools")
    env_base = {k: v for k, v in os.environ.items() if not k.startswith(("INFOHUB_", "PYTEST"))}
    bin_dir = tmp_path / "bin"
    env = {**env_base, "PATH": f"{bin_dir}:{env_base['PATH']}", "INFOHUB_LANG": "id",
           "INFOHUB_SOCIAL_BACKOFF": "0.01", LOCAL_API_ENV: api}
    _fake_make(bin_dir)
    _fake_deploy_tools(bin_dir, tmp_path / "unused.log")
    # the maintainers' step after adding an office: the workflow names its secrets
    subprocess.run([sys.executable, "-m", "infohub", "publish-secrets", "--write"], cwd=repo, env=env, check=True,
                   capture_output=True)
    bare = _pushed_to_a_local_remote(repo, tmp_path)
    store = tmp_path / "caches"
    store.mkdir()

    def at(name: str, event: str, now: str) -> Run:
        _fake_deploy_tools(bin_dir, tmp_path / f"{name}-deploy.log")
        return workflow_run(bare, tmp_path, store, api, env, name, event, now)

    # the push, at 08:00 WIT: everything is built and deployed; the post is not out yet
    pushed = at("push", "push", "2026-12-03T08:00:00+09:00")
    assert (pushed.due, pushed.sites) == ("true", "")
    assert sorted(pushed.deployed) == ["hub", "kantorcontoh"]
    assert pushed.published and not any(POST in text for text in pushed.published)

    # 10:05, scheduled: the post is due; its office and the hub's feeds alone are built and sent
    due = at("due", "schedule", "2026-12-03T10:05:00+09:00")
    assert (due.due, due.sites) == ("true", "hub kantorcontoh")
    assert [line.split("] ", 1)[1].split(":")[0] for line in due.built] == ["hub", "kantorcontoh"]
    assert "hub: halaman tidak berubah; umpan berita gabungan ditulis ulang" in "\n".join(due.built)
    assert sorted(due.deployed) == ["hub", "kantorcontoh"]
    assert len(due.published) == 1 and POST in due.published[0]

    # 10:20, scheduled: nothing is due (the ledger the last run committed changes no site)
    quiet = at("quiet", "schedule", "2026-12-03T10:20:00+09:00")
    assert (quiet.due, quiet.sites) == ("false", "")
    assert quiet.built == [] and quiet.deployed == [] and quiet.published == []
    assert not (tmp_path / "quiet-deploy").exists()  # no shard, deploy or publish job ran
