"""The GitHub Actions workflows at least privilege, read as an attacker would (issues 19 and 25).

An office's team approves its own folder, and anyone may open a pull request: the jobs that build
or check (MkDocs on the offices' content) must hold no write token, no secret and no credential
left on disk; the jobs that hold one (the deploy key, the channel secrets, the write token) run on
main only, restore no cache and run nothing taken from an artifact. zizmor and actionlint read
the workflows offline, from the test lock (requirements/test.txt).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
NGINX = Path("/usr/sbin/nginx")
INSTALL_NGINX_CONF = ROOT / "tools" / "install_nginx_conf.sh"
MAIN_ONLY = "github.ref == 'refs/heads/main'"
# What a job runs that reads an office's folder: MkDocs, the check, the preview of the change.
RUNS_OFFICE_CONTENT = re.compile(r"make (check|site)\b|-m infohub (check|site|preview)\b")


def tool(name: str) -> str:
    """A command installed by the test lock, beside this interpreter (make test installs it)."""
    found = shutil.which(name, path=sysconfig.get_path("scripts"))
    assert found, f"{name} is not installed in this venv: run `make test-deps` (requirements/test.txt)"
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key 'on' as true
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(step: dict, action: str) -> bool:
    return step.get("uses", "").startswith(f"{action}@")


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def all_jobs() -> list[tuple[str, str, dict]]:
    return [(path.name, name, job) for path in FILES for name, job in load(path)["jobs"].items()]


def holds_a_secret(job: dict) -> bool:
    """An environment's secrets, a secret named anywhere in the job, or a token that may write."""
    return ("environment" in job or "secrets." in json.dumps(job)
            or "write" in (job.get("permissions") or {}).values())


# --- zizmor and actionlint -----------------------------------------------------------------------


def zizmor(*flags: str) -> list[dict]:
    done = subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--quiet", "--persona", "auditor",
                           "--format", "json", "--no-exit-codes", *flags, str(WORKFLOWS)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _where(finding: dict) -> tuple[Path, int]:
    location = finding["locations"][0]
    path = ROOT / location["symbolic"]["key"]["Local"]["verbatim_path"]
    return path, location["concrete"]["location"]["start_point"]["row"]


def test_zizmor_finds_nothing_in_the_workflows():
    """Every finding of the strictest persona, at every severity, is fixed, or (never a high one)
    ignored with `# zizmor: ignore[rule] reason` on its line."""
    assert [(f["ident"], *_where(f)) for f in zizmor()] == []
    every = zizmor("--no-ignores")
    assert [f["ident"] for f in every if f["determinations"]["severity"] == "High"] == []
    for finding in every:  # those the run above did not show: each ignored where it is, with its reason
        path, row = _where(finding)
        line = path.read_text(encoding="utf-8").splitlines()[row]
        ignore = re.search(r"# zizmor: ignore\[([a-z0-9,-]+)\]\s*(.*)", line)
        assert ignore and finding["ident"] in ignore[1].split(","), (finding["ident"], path.name, row + 1, line)
        assert len(ignore[2].split()) >= 3, f"{path.name}:{row + 1}: say why {finding['ident']} is ignored"


def test_actionlint_finds_nothing_in_the_workflows():
    # shellcheck from the test lock reads every run: script; pyflakes has no step to read
    done = subprocess.run([tool("actionlint"), "-shellcheck", tool("shellcheck"), "-pyflakes=", "-no-color",
                           "-format", "{{json .}}", *map(str, FILES)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert json.loads(done.stdout or "[]") == [], done.stdout
    assert done.returncode == 0, done.stderr


# --- pinned actions -------------------------------------------------------------------------------

PINNED = re.compile(r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # (?P<tag>v\d+(?:\.\d+)*)$")


def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment():
    """A tag can be moved to other code by whoever controls the action's repository; a commit cannot."""
    used = [(path.name, step["uses"]) for path in FILES for job in load(path)["jobs"].values()
            for step in steps(job) if "uses" in step]
    lines = [(path.name, line) for path in FILES for line in path.read_text(encoding="utf-8").splitlines()
             if re.match(r"^\s*(- )?uses:", line)]
    assert len(lines) == len(used) >= 12
    unpinned = [(name, line.strip()) for name, line in lines if not PINNED.match(line)]
    assert unpinned == []
    # one commit and one tag per action, the same in every job
    pins: dict[str, set[tuple[str, str]]] = {}
    for _, line in lines:
        match = PINNED.match(line)
        pins.setdefault(match["action"], set()).add((match["sha"], match["tag"]))
    assert {action: len(found) for action, found in pins.items()} == dict.fromkeys(pins, 1)


# --- tokens, secrets, caches and artifacts --------------------------------------------------------


def test_no_token_may_do_anything_unless_its_job_says_so():
    for path in FILES:
        assert load(path)["permissions"] == {}, path.name
    for workflow, name, job in all_jobs():
        assert "permissions" in job, f"{workflow}: job {name} names no permissions"


def test_only_the_ledger_and_the_comment_jobs_may_write():
    writers = {(workflow, name): job["permissions"] for workflow, name, job in all_jobs()
               if "write" in job["permissions"].values()}
    assert writers == {("deploy.yml", "ledger"): {"contents": "write"},
                       ("pull-request.yml", "comment"): {"pull-requests": "write"}}


def test_jobs_that_run_office_content_only_read_and_hold_no_secret():
    running = [(workflow, name) for workflow, name, job in all_jobs() if RUNS_OFFICE_CONTENT.search(commands(job))]
    assert running == [("deploy.yml", "build"), ("pull-request.yml", "check"), ("pull-request.yml", "build")]
    for workflow, name, job in all_jobs():
        if (workflow, name) in running:
            assert job["permissions"] == {"contents": "read"}, (workflow, name)
            assert not holds_a_secret(job) and "github.token" not in json.dumps(job), (workflow, name)


def test_no_checkout_leaves_the_token_on_disk():
    """actions/checkout keeps the job's token for later git commands unless told not to; any step,
    or an artifact of the folder, could then carry it away. The ledger job pushes with the token
    given to its push step alone."""
    checkouts = [(workflow, name, step) for workflow, name, job in all_jobs() for step in steps(job)
                 if uses(step, "actions/checkout")]
    assert len(checkouts) == 8  # deploy 5, pull request 2, nightly 1
    for workflow, name, step in checkouts:
        assert step["with"]["persist-credentials"] is False, (workflow, name)
    for workflow, name, job in all_jobs():
        for step in steps(job):
            if "github.token" in json.dumps(step):
                assert (workflow, name, step.get("name")) in {
                    ("deploy.yml", "ledger", "Commit the ledger of what was published"),
                    ("pull-request.yml", "comment", "Comment on the pull request")}


def test_jobs_that_hold_a_secret_restore_no_cache():
    """A cache is written by whichever job ran with its key, office content included: the jobs
    with the deploy key, the channel secrets or a write token install from the hashed lock
    without one."""
    holders = [(workflow, name) for workflow, name, job in all_jobs() if holds_a_secret(job)]
    assert holders == [("deploy.yml", "deploy"), ("deploy.yml", "publish"), ("deploy.yml", "ledger"),
                       ("pull-request.yml", "comment")]
    for workflow, name, job in all_jobs():
        if (workflow, name) in holders:
            for step in steps(job):
                assert not step.get("uses", "").startswith("actions/cache"), (workflow, name)  # /restore, /save too
                assert "cache" not in (step.get("with") or {}), (workflow, name, step.get("uses"))


def test_the_deploy_job_installs_before_the_built_sites_arrive_and_runs_nothing_from_them():
    deploy = load(WORKFLOWS / "deploy.yml")["jobs"]["deploy"]
    order = [step.get("name") or step["uses"].split("@")[0] for step in steps(deploy)]
    download = next(i for i, step in enumerate(steps(deploy)) if uses(step, "actions/download-artifact"))
    install = next(i for i, step in enumerate(steps(deploy)) if "make deps" in step.get("run", ""))
    assert install < download, order
    after = "\n".join(step.get("run", "") for step in steps(deploy)[download:])
    # python and the remote script come from the checkout; site/ is only read, copied and sent
    runs_from_site = re.compile(r"(^|[;&|(]\s*)(\./)?site/|\b(bash|sh|python3?|source|\.)\s+(\./)?site/", re.M)
    assert not runs_from_site.search(after)
    assert ".venv/bin/python -m infohub deploy-files --site-dir site" in after


# --- main only --------------------------------------------------------------------------------------


def test_nothing_is_deployed_or_published_from_another_branch():
    """workflow_dispatch runs deploy.yml from any branch a person picks: the build says so and fails,
    and every job that deploys, publishes or writes is skipped off main. The environments'
    deployment branch rule (handbook) says it a third time, on GitHub's side."""
    flow = load(WORKFLOWS / "deploy.yml")
    # the schedule runs on the default branch, main: the same guards hold for it
    assert flow["on"] == {"push": {"branches": ["main"]}, "schedule": [{"cron": "*/15 * * * *"}],
                          "workflow_dispatch": None}
    jobs = flow["jobs"]
    assert list(jobs) == ["plan", "build", "deploy", "publish", "ledger", "remember"]
    assert jobs["build"]["needs"] == "plan" and jobs["deploy"]["needs"] == ["plan", "build"]
    guard = steps(jobs["build"])[0]
    assert guard["if"] == "github.ref != 'refs/heads/main'" and "exit 1" in guard["run"] and "::error" in guard["run"]
    for name in ("deploy", "publish", "ledger", "remember"):
        assert MAIN_ONLY in jobs[name]["if"], name
    assert jobs["deploy"]["environment"] == "production" and jobs["publish"]["environment"] == "social"
    assert "environment" not in jobs["ledger"]


def test_the_main_only_guard_fails_loudly():
    guard = steps(load(WORKFLOWS / "deploy.yml")["jobs"]["build"])[0]
    assert guard["env"] == {"REF": "${{ github.ref }}"}
    done = subprocess.run(["bash", "-e", "-c", guard["run"]], capture_output=True, text=True,
                          env={**os.environ, "REF": "refs/heads/feature"})
    assert done.returncode == 1
    assert done.stdout == ("::error title=Deploy::deploy.yml hanya men-deploy dan menerbitkan dari main, bukan dari "
                           "refs/heads/feature. · deploy.yml deploys and publishes from main only, not from "
                           "refs/heads/feature.\n")


# --- nginx: tested before it replaces the live config ---------------------------------------------------


def test_the_deploy_sends_the_nginx_config_to_a_staging_file_and_swaps_it_only_after_nginx_t():
    run = next(step for step in steps(load(WORKFLOWS / "deploy.yml")["jobs"]["deploy"])
               if step.get("name", "").startswith("Deploy each site"))["run"]
    assert 'rsync -az site/_deploy/nginx.conf "$DEPLOY_HOST:/etc/nginx/conf.d/infohub.conf.staged"' in run
    assert 'ssh "$DEPLOY_HOST" bash -s < tools/install_nginx_conf.sh' in run
    assert "conf.d/infohub.conf\"" not in run  # the live file is never written from here


@pytest.fixture
def server(tmp_path):
    """A web server's /etc/nginx in a folder: sudo and systemctl recorded, nginx itself real."""
    if not NGINX.exists() and not os.environ.get("CI"):
        pytest.skip("nginx is not installed at /usr/sbin/nginx")
    etc, bin_dir = tmp_path / "etc", tmp_path / "bin"
    (etc / "conf.d").mkdir(parents=True)
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    temp = "\n".join(f"    {kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    (etc / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                                    f"http {{\n{temp}\n    include {etc}/conf.d/*.conf;\n}}\n", encoding="utf-8")
    for name, body in {
        "sudo": 'echo "sudo $*" >> "$CALLS"\nexec "$@"',
        "systemctl": "true",
        # the server's nginx: its own main config when none is named
        "nginx": f'if [[ " $* " == *" -c "* ]]; then exec {NGINX} -e {tmp_path}/error.log "$@"; fi\n'
                 f'exec {NGINX} -e {tmp_path}/error.log -c {etc}/nginx.conf "$@"',
    }.items():
        (bin_dir / name).write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    shutil.copy("/etc/nginx/mime.types", etc / "mime.types")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CALLS": str(calls), "INFOHUB_NGINX_DIR": str(etc)}
    live = etc / "conf.d" / "infohub.conf"
    live.write_text("server { listen 127.0.0.1:18080; server_name old.example; }\n", encoding="utf-8")
    return etc, env, calls


def _install(etc: Path, env: dict, new: str) -> subprocess.CompletedProcess:
    (etc / "conf.d" / "infohub.conf.staged").write_text(new, encoding="utf-8")
    return subprocess.run(["bash", "-s"], stdin=INSTALL_NGINX_CONF.open(encoding="utf-8"), env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_config_nginx_accepts_replaces_the_live_one_and_nginx_reloads(server):
    etc, env, calls = server
    new = "server { listen 127.0.0.1:18080; server_name new.example; }\n"
    done = _install(etc, env, new)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "nginx: konfigurasi baru sudah berlaku. · nginx: the new configuration is live.\n"
    assert (etc / "conf.d" / "infohub.conf").read_text(encoding="utf-8") == new
    assert not (etc / "conf.d" / "infohub.conf.staged").exists()
    assert calls.read_text(encoding="utf-8").splitlines() == [
        f"sudo nginx -t -q -c {etc}/conf.d/infohub.check", "sudo nginx -t -q", "sudo systemctl reload nginx"]


@pytest.mark.parametrize("new", [
    # what a quote in feedback.endpoint did to the generated file (issue 25, item 5)
    'server { listen 127.0.0.1:18080; location /f { proxy_pass "https://x.example/"a"; } }\n',
    "server { listen 127.0.0.1:18080; server_name new.example;\n",
])
def test_a_config_nginx_refuses_never_replaces_the_live_one(server, new):
    etc, env, calls = server
    before = (etc / "conf.d" / "infohub.conf").read_text(encoding="utf-8")
    done = _install(etc, env, new)
    assert done.returncode == 1
    staged = etc / "conf.d" / "infohub.conf.staged"
    assert done.stdout == (f"::error title=nginx::nginx menolak konfigurasi baru ({staged}, lihat di atas); konfigurasi "
                           f"yang berjalan tidak berubah. · nginx refused the new configuration ({staged}, above); the "
                           "live one is unchanged.\n")
    assert "test failed" in done.stderr  # nginx's own reason, in the job's log
    assert (etc / "conf.d" / "infohub.conf").read_text(encoding="utf-8") == before
    assert "systemctl" not in calls.read_text(encoding="utf-8")


def test_a_config_that_clashes_with_the_servers_other_sites_is_put_back(server):
    etc, env, calls = server
    (etc / "conf.d" / "other.conf").write_text("limit_req_zone $binary_remote_addr zone=shared:1m rate=1r/s;\n",
                                               encoding="utf-8")
    before = (etc / "conf.d" / "infohub.conf").read_text(encoding="utf-8")
    done = _install(etc, env, "limit_req_zone $binary_remote_addr zone=shared:2m rate=2r/s;\n")
    assert done.returncode == 1
    assert done.stdout == ("::error title=nginx::nginx menolak konfigurasi baru bersama konfigurasi lain di server "
                           "(lihat di atas); konfigurasi sebelumnya dipasang kembali. · nginx refused the new "
                           "configuration beside the server's other ones (above); the previous one is back.\n")
    assert 'conflicts with already declared size' in done.stderr
    assert (etc / "conf.d" / "infohub.conf").read_text(encoding="utf-8") == before
    assert not (etc / "conf.d" / "infohub.conf.previous").exists()
    assert calls.read_text(encoding="utf-8").splitlines() == [
        f"sudo nginx -t -q -c {etc}/conf.d/infohub.check", "sudo nginx -t -q"]
