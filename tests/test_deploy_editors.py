"""Deployment files: workflows, CODEOWNERS, nginx config and the CSP the pages satisfy."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from infohub import deploy, paths
from infohub.cli import parser
from nginx_syntax import needs_nginx, nginx_test
from served_site import served_with_headers

ROOT = Path(__file__).resolve().parents[1]


# --- workflows ------------------------------------------------------------------


def workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key 'on' as true
    return data


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_pull_request_workflow_checks_builds_uploads_and_comments():
    flow = workflow("pull-request.yml")
    assert "pull_request" in flow["on"]
    assert list(flow["jobs"]) == ["check", "build", "comment"]
    assert "make check" in commands(flow["jobs"]["check"])
    build = flow["jobs"]["build"]
    assert "needs" not in build  # beside the check: the preview comment shows the check's result
    assert "-m infohub preview" in commands(build) and "-m infohub deploy-files" in commands(build)
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in build["steps"])
    # the one comment (tests/test_preview.py runs its step against a fake gh)
    assert flow["jobs"]["comment"]["needs"] == "build" and "gh api" in commands(flow["jobs"]["comment"])


def test_deploy_workflow_builds_on_main_deploys_then_publishes_and_commits_the_ledger():
    flow = workflow("deploy.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert list(flow["jobs"]) == ["plan", "build", "deploy", "publish", "ledger", "remember"]
    assert flow["jobs"]["build"]["strategy"]["matrix"]["shard"] == ["1/4", "2/4", "3/4", "4/4"]
    assert 'make site SHARD="$SHARD"' in commands(flow["jobs"]["build"])
    deploy_job = commands(flow["jobs"]["deploy"])
    assert flow["jobs"]["deploy"]["needs"] == ["plan", "build"] and "rsync" in deploy_job
    assert deploy_job.index("-m infohub deploy-files") < deploy_job.index("rsync")  # after the shards are merged
    assert "secrets.DEPLOY_SSH_KEY" in json.dumps(flow["jobs"]["deploy"])
    publish = commands(flow["jobs"]["publish"])
    assert flow["jobs"]["publish"]["needs"] == "deploy"
    assert "-m infohub publish --out site" in publish
    assert flow["jobs"]["ledger"]["needs"] == "publish"
    assert "git add offices/*/social-ledger.json" in commands(flow["jobs"]["ledger"])


def test_workflows_call_commands_that_exist():
    text = "\n".join(commands(job) for name in ("pull-request.yml", "deploy.yml")
                     for job in workflow(name)["jobs"].values())
    subcommands = set(parser()._subparsers._group_actions[0].choices)
    for used in re.findall(r"-m infohub ([a-z-]+)", text):
        assert used in subcommands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"\bmake ([a-z-]+)", text):
        assert re.search(rf"^{target}:", makefile, re.M), target


# --- CODEOWNERS ----------------------------------------------------------------------


def test_codeowners_is_generated_and_up_to_date():
    assert (ROOT / "CODEOWNERS").read_text(encoding="utf-8") == deploy.codeowners(ROOT), \
        "run: python -m infohub codeowners"
    lines = deploy.codeowners(ROOT).splitlines()
    assert "/offices/imigrasiblitar/ @imigrasi/imigrasiblitar-editors" in lines
    assert lines.index("*                 @imigrasi/infohub-maintainers") < lines.index(
        "/offices/imigrasiblitar/ @imigrasi/imigrasiblitar-editors")  # the last match wins on GitHub
    assert len([line for line in lines if line.startswith("/offices/")]) == len(paths.office_slugs(ROOT))


# --- built sites: _headers and nginx -----------------------------------------------------


@pytest.fixture(scope="module")
def deployed(built_repo, tmp_path_factory) -> Path:
    """A copy of the built fixture sites with their deployment files written."""
    site_root = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(built_repo / "site", site_root, ignore=shutil.ignore_patterns(".cache"))
    written = deploy.write_deploy_files(site_root, "/srv/infohub/site", "/etc/ssl/infohub", root=built_repo)
    assert written == deploy.DeployFiles(2, site_root / "_deploy" / "nginx.conf", refused=[])
    return site_root


def parse_headers(file: Path) -> dict[str, str]:
    lines = file.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "/*"
    return dict(line.strip().split(": ", 1) for line in lines[2:])


def test_headers_carry_a_strict_csp_with_the_inline_scripts_hashes_and_hsts(deployed):
    headers = parse_headers(deployed / "kantorcontoh" / "_headers")
    csp = dict(d.split(" ", 1) for d in headers["Content-Security-Policy"].split("; "))
    assert csp["default-src"] == "'self'"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert re.fullmatch(r"'self'( 'sha256-[A-Za-z0-9+/]{43}=')+", csp["script-src"])
    assert csp["frame-src"] == "https://www.youtube-nocookie.com"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_nginx_has_one_https_server_per_domain(deployed):
    conf = (deployed / "_deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.findall(r'server_name "(\S+)" "www\.\S+";', conf) == ["infohub.example.org", "infohub.example.org",
                                                                 "kantorcontoh.id", "kantorcontoh.id"]
    assert 'root "/srv/infohub/site/kantorcontoh";' in conf
    assert conf.count("listen 443 ssl http2;") == 2
    assert "try_files $uri $uri/ =404;" in conf and "error_page 404 /404.html;" in conf
    assert 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;' in conf


@needs_nginx
def test_nginx_accepts_the_generated_config(deployed, tmp_path):
    result = nginx_test((deployed / "_deploy" / "nginx.conf").read_text(encoding="utf-8"), tmp_path, "/etc/ssl/infohub")
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_social_summary_lists_the_queued_posts(tmp_path):
    outbox = tmp_path / "_social"
    outbox.mkdir()
    (outbox / "kantorcontoh.json").write_text(json.dumps([
        {"platform": "mastodon", "language": "id", "text": "Layanan paspor akhir pekan https://kantorcontoh.id/x",
         "url": "https://kantorcontoh.id/x"}]), encoding="utf-8")
    assert deploy.social_summary(outbox, "id") == (
        "Unggahan media sosial yang akan dikirim setelah digabungkan (1):\n\n"
        "- **kantorcontoh** (mastodon · id): Layanan paspor akhir pekan https\\://kantorcontoh\\.id/x")
    (outbox / "kantorcontoh.json").write_text("[]", encoding="utf-8")
    assert deploy.social_summary(outbox, "en") == "This merge sends no new social posts."


# --- the CSP in a browser ------------------------------------------------------------------


@pytest.mark.browser
def test_pages_load_under_the_csp_without_violations(deployed, browser):
    site = deployed / "kantorcontoh"
    with served_with_headers(site) as local:
        _load_pages_under_the_csp(site, local, browser)


def _load_pages_under_the_csp(site: Path, local: str, browser) -> None:
    # The browser asks for the site at its own domain (Material fetches sitemap.xml
    # from site_url: 'self' only on the real origin); the local server answers.
    base = "https://kantorcontoh.id/"

    def forward(route):
        route.fulfill(response=route.fetch(url=route.request.url.replace(base, local)))

    posts = sorted(p.parent.relative_to(site).as_posix() for p in (site / "berita").rglob("index.html")
                   if p.parent != site / "berita")
    pages = ["", "layanan/", "biaya/", "jam-layanan/", "faq/", "berita/", posts[0] + "/", "404.html",
             "en/", "en/biaya/", "en/berita/"]
    problems: list[str] = []
    try:
        context = browser.new_context()  # in the module's Chromium (conftest.browser)
        page = context.new_page()
        page.route(base + "**", forward)
        # Material looks for a sitemap.xml beside each page to keep the language
        # switch on the same page: a miss is expected and harmless.
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith(("/404.html", "/sitemap.xml")) else None)
        page.add_init_script("window.__violations = [];"
                             "document.addEventListener('securitypolicyviolation', e => "
                             "window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
        def console(msg):
            if msg.type in ("error", "warning") and "404" not in msg.text:
                problems.append(f"console {msg.type}: {msg.text}")

        page.on("console", console)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        for path in pages:
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(150)
            problems += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
        # search runs in a web worker and fetches its index: both under the policy
        page.goto(base, wait_until="load")
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially("paspor", delay=30)
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        problems += [f"search: {v}" for v in page.evaluate("window.__violations")]
        # The search worker may still be fetching through the route: stop listening,
        # then let it go quietly (unrouted, its fetch would try the real domain).
        page.remove_listener("console", console)
        context.unroute_all(behavior="ignoreErrors")
        page.unroute_all(behavior="ignoreErrors")
        context.close()
    finally:
        assert problems == []


def test_images_from_an_allowed_host_are_allowed_by_the_csp_and_no_other(tmp_path):
    site = tmp_path / "kantorcontoh"
    site.mkdir()
    (site / "index.html").write_text('<p><img src="https://peta.example.org/denah.png" alt="Denah"> '
                                     '<img src="/assets/a.png" alt=""></p>', encoding="utf-8")
    directives = dict(d.split(" ", 1) for d in deploy.content_security_policy(site).split("; "))
    assert directives["img-src"] == "'self' data: https://peta.example.org"
    (site / "index.html").write_text('<p><img src="/assets/a.png" alt=""></p>', encoding="utf-8")
    assert "img-src 'self' data:;" in deploy.content_security_policy(site)
