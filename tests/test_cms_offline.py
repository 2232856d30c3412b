"""The web editor at the hub's /admin/ makes no request outside the hub, under its own CSP.

Sveltia CMS's script names its three fonts on cdn.jsdelivr.net; write_admin serves them from
/admin/fonts/ (the fontsource packages of tools/cms/package.json) and refuses a script that
names any other CDN or font address. /admin/ has its own Content-Security-Policy (deploy.py):
in _headers (Cloudflare Pages and Netlify semantics emulated below) and in nginx. In Chromium
on a phone-sized window, the editor is opened the way tests/test_cms_browser.py opens it
(local repository in the origin's private file system) and every request it makes is listed.
"""
from __future__ import annotations

import base64
import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from conftest import make_repo
from infohub import cms_config, deploy
from infohub.build import build_sites
from infohub.cms_config import CDN_FONTS, CMS_SCRIPT, CmsBundleError, write_admin

ADMIN_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob: https://avatars.githubusercontent.com; font-src 'self'; "
                "connect-src 'self' blob: data: https://api.github.com; object-src 'none'; base-uri 'self'; "
                "form-action 'self'; frame-ancestors 'none'")
# The pages' policy, directive by directive, as before /admin/ had its own.
PUBLIC_DIRECTIVES = ["default-src", "script-src", "style-src", "img-src", "font-src", "connect-src", "worker-src",
                     "frame-src", "object-src", "base-uri", "form-action", "frame-ancestors"]
# Blocked on purpose by the admin policy (README.md, deploy.admin_content_security_policy):
# GitHub's status banner and the CMS's update check / optional libraries on unpkg.com.
INTENDED_BLOCKS = ("https://www.githubstatus.com/", "https://unpkg.com/")
FONT_FILES = sorted(Path(file).name for _, file in CDN_FONTS.values())


def _build(root: Path):
    return build_sites(["hub"], root / "site", jobs=1, root=root, echo=lambda _: None)


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("offline") / "repo")
    assert all(r.ok for r in _build(root))
    assert (root / "site/hub/admin" / CMS_SCRIPT).is_file(), "npm ci --prefix tools/cms first"
    return root


# --- _headers as the two hosts read it ------------------------------------------------------


def _rules(text: str) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(path, detached headers, headers set) per rule, in file order."""
    rules: list = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line.strip(), [], []))
        elif line.strip().startswith("!"):
            rules[-1][1].append(line.strip()[1:].strip())
        else:
            name, value = line.strip().split(": ", 1)
            rules[-1][2].append((name, value))
    return rules


def _matches(rule: str, path: str) -> bool:
    return path == rule or (rule.endswith("*") and path.startswith(rule[:-1]))


def cloudflare_headers(text: str, path: str) -> dict[str, str]:
    """Cloudflare Pages: every matching rule in order; `! Name` detaches what earlier rules set,
    a name set again by a later rule is joined to it with a comma."""
    values: dict[str, list[str]] = {}
    seen: set[str] = set()
    for rule, detached, headers in _rules(text):
        if not _matches(rule, path):
            continue
        for name in detached:
            values.pop(name, None)
        for name, value in headers:
            values[name] = values.get(name, []) + [value] if name in seen else [value]
            seen.add(name)
    return {name: ", ".join(v) for name, v in values.items()}


def netlify_headers(text: str, path: str) -> dict[str, str]:
    """Netlify: a line without a colon is skipped; a later matching rule's header replaces."""
    out: dict[str, str] = {}
    for rule, _, headers in _rules(text):
        if _matches(rule, path):
            out.update(dict(headers))
    return out


# --- unit tests ------------------------------------------------------------------------------


def test_the_admin_policy_is_exactly_this(hub):
    assert deploy.admin_content_security_policy(hub) == ADMIN_POLICY
    headers = deploy.admin_security_headers(hub)
    assert headers["Content-Security-Policy"] == ADMIN_POLICY
    assert {k: v for k, v in headers.items() if k != "Content-Security-Policy"} == {
        k: v for k, v in deploy.security_headers(hub / "site/hub").items() if k != "Content-Security-Policy"}


def test_an_oauth_or_enterprise_host_in_the_config_is_allowed_to_connect(repo, monkeypatch):
    monkeypatch.setattr(cms_config, "repository",
                        lambda root: {"repo": "a/b", "branch": "main", "base_url": "https://auth.example.id/x"})
    assert "connect-src 'self' blob: data: https://api.github.com https://auth.example.id;" in \
        deploy.admin_content_security_policy(repo)


@pytest.mark.parametrize("base_url", [
    "https://auth.example.id;script-src *", "https://auth.example.id\"; add_header X 1", "http://auth.example.id",
    "https://auth example.id", "https://auth.example.id:99999", "javascript:alert(1)", ""])
def test_a_base_url_that_is_not_a_plain_https_host_adds_nothing(repo, monkeypatch, base_url):
    monkeypatch.setattr(cms_config, "repository", lambda root: {"repo": "a/b", "branch": "main", "base_url": base_url})
    policy = deploy.admin_content_security_policy(repo)
    assert "connect-src 'self' blob: data: https://api.github.com;" in policy
    assert "auth" not in policy and "*" not in policy and '"' not in policy


def test_the_public_pages_policy_is_as_strict_as_before(hub):
    site = hub / "site/hub"
    policy = deploy.content_security_policy(site)
    assert [d.split(" ", 1)[0] for d in policy.split("; ")] == PUBLIC_DIRECTIVES
    csp = dict(d.split(" ", 1) for d in policy.split("; "))
    assert csp["default-src"] == "'self'" and csp["font-src"] == "'self'" and csp["connect-src"] == "'self'"
    assert re.fullmatch(r"'self'( 'sha256-[A-Za-z0-9+/]{43}=')*", csp["script-src"])
    for loosened in ("'unsafe-inline'", "'unsafe-eval'", "api.github.com", "githubusercontent", "blob:"):
        assert loosened not in policy
    text = deploy.headers_file(site, hub)
    for host in (cloudflare_headers, netlify_headers):
        assert host(text, "/")["Content-Security-Policy"] == policy
        assert host(text, "/berita/")["Content-Security-Policy"] == policy


def test_headers_file_gives_admin_its_own_policy_on_cloudflare_and_netlify(hub):
    site = hub / "site/hub"
    text = deploy.headers_file(site, hub)
    assert f"/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {ADMIN_POLICY}\n" in text
    expected = deploy.admin_security_headers(hub)
    for host in (cloudflare_headers, netlify_headers):
        for path in ("/admin/", "/admin/en/", f"/admin/{CMS_SCRIPT}", f"/admin/fonts/{FONT_FILES[0]}"):
            assert host(text, path) == expected, (host.__name__, path)
    # An office has no editor: no /admin/ rule.
    assert "/admin/" not in deploy.headers_file(hub / "site" / "kantorcontoh", hub)


def test_nginx_repeats_every_header_in_the_admin_location(hub):
    conf = deploy._nginx_server(deploy.Site("hub", "infohub.example.org"), hub / "site/hub", "/srv", "/tls", hub)
    location = re.search(r"\n    location /admin/ \{\n(.*?)\n    \}\n", conf, re.S)
    assert location, conf
    lines = location.group(1).splitlines()
    assert lines == [f'        add_header {name} "{value}" always;'
                     for name, value in deploy.admin_security_headers(hub).items()] + [
                         # config.yml as YAML and the interface languages as JSON (gzipped, see
                         # gzip_types), not an octet-stream
                         "        types { text/html html; application/javascript js; application/json json; "
                         "font/woff2 woff2; application/yaml yml; }",
                         "        try_files $uri $uri/ =404;"]
    assert "application/yaml" in conf[conf.index("gzip_types"):conf.index(";", conf.index("gzip_types"))]
    server_level = conf[:conf.index("\n    location ")]
    for name, value in deploy.security_headers(hub / "site/hub").items():
        assert f'    add_header {name} "{value}" always;' in server_level
    assert "location /admin/" not in deploy._nginx_server(
        deploy.Site("kantorcontoh", "kantorcontoh.id"), hub / "site" / "kantorcontoh", "/srv", "/tls", hub)


def test_write_admin_serves_the_fonts_from_admin_fonts(hub):
    admin = hub / "site/hub/admin"
    script = (admin / CMS_SCRIPT).read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in script
    for name in FONT_FILES:
        assert f"url(/admin/fonts/{name})" in script
        assert (admin / "fonts" / name).read_bytes()[:4] == b"wOF2"
    assert sorted(p.name for p in (admin / "fonts").iterdir()) == FONT_FILES


def test_no_office_can_take_the_name_of_a_folder_of_admin(hub):
    """/admin/<slug>/ is an office's editor: every other folder there is a name no office may take."""
    from infohub import paths

    folders = {p.name for p in (hub / "site/hub/admin").iterdir() if p.is_dir()}
    assert folders - set(paths.office_slugs(hub)) == set(paths.RESERVED_SLUGS) - {paths.HUB_SLUG}


def _fake_cms(root: Path, script: str) -> None:
    """A repository whose tools/cms has this script and the three font files."""
    modules = root / "tools/cms/node_modules"
    (modules / "@sveltia/cms/dist").mkdir(parents=True)
    (modules / "@sveltia/cms/dist" / CMS_SCRIPT).write_text(script, encoding="utf-8")
    for package, file in CDN_FONTS.values():
        (modules / package / file).parent.mkdir(parents=True, exist_ok=True)
        (modules / package / file).write_bytes(b"wOF2")


def test_write_admin_refuses_a_script_naming_an_unmapped_cdn_font(tmp_path):
    other = "https://cdn.jsdelivr.net/fontsource/fonts/inter:vf@5.2.0/latin-wght-normal.woff2"
    _fake_cms(tmp_path, "".join(f"src:url({url})" for url in CDN_FONTS) + f"src:url({other})")
    with pytest.raises(CmsBundleError) as error:
        write_admin(tmp_path / "site", tmp_path)
    assert str(error.value) == (
        "editor web (/admin/): skrip Sveltia CMS memuat https://cdn.jsdelivr.net/fontsource/fonts/"
        "inter:vf@5.2.0/latin-wght-normal.woff2 dari luar situs; tambahkan paket fontsource-nya ke "
        "tools/cms/package.json dan CDN_FONTS di hooks/infohub/cms_config.py")
    assert not (tmp_path / "site").exists()  # nothing half written


def test_write_admin_refuses_a_script_without_a_mapped_font_or_with_google_fonts(tmp_path):
    first, *rest = CDN_FONTS
    _fake_cms(tmp_path, "".join(f"src:url({url})" for url in rest))
    with pytest.raises(CmsBundleError) as error:
        write_admin(tmp_path / "site", tmp_path)
    assert str(error.value) == (f"editor web (/admin/): alamat fon {first} tidak ada lagi di skrip Sveltia CMS; "
                                "perbarui CDN_FONTS di hooks/infohub/cms_config.py untuk versi CMS ini")
    google = "https://fonts.googleapis.com/css2?family=Roboto"
    with pytest.raises(CmsBundleError, match=re.escape(google)):
        cms_config.offline_script("".join(CDN_FONTS) + f"@import url({google});", tmp_path / "tools/cms/node_modules")


def test_the_hubs_build_stops_with_that_message_and_keeps_the_last_good_hub(tmp_path):
    root = make_repo(tmp_path / "repo")
    assert all(r.ok for r in build_sites(["hub"], root / "site", jobs=1, root=root, echo=lambda _: None))
    before = (root / "site/hub/index.html").read_bytes()
    other = "https://fonts.gstatic.com/s/roboto/v30/x.woff2"
    _fake_cms(root, "".join(f"src:url({url})" for url in CDN_FONTS) + f"src:url({other})")
    [result] = build_sites(["hub"], root / "site", jobs=1, root=root, echo=lambda _: None, force=True)
    assert not result.ok
    assert result.report == (f"editor web (/admin/): skrip Sveltia CMS memuat {other} dari luar situs; tambahkan "
                             "paket fontsource-nya ke tools/cms/package.json dan CDN_FONTS di "
                             "hooks/infohub/cms_config.py")
    assert (root / "site/hub/index.html").read_bytes() == before


# --- in Chromium -----------------------------------------------------------------------------


class _CloudflareLike(http.server.SimpleHTTPRequestHandler):
    """The built hub with the headers its _headers gives each path on Cloudflare Pages."""

    headers_text = ""

    def end_headers(self):
        for name, value in cloudflare_headers(self.headers_text, self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.browser
def test_admin_on_a_phone_loads_only_from_its_own_origin_under_its_csp(browser, hub):
    from test_cms_browser import FILL, PICKER

    site = hub / "site/hub"
    handler = type("Handler", (_CloudflareLike,), {"headers_text": deploy.headers_file(site, hub)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    files = {str(p.relative_to(hub)): base64.b64encode(p.read_bytes()).decode()
             for sub in ("offices", "national") for p in (hub / sub).rglob("*") if p.is_file()}
    requests: list[str] = []
    fonts: dict[str, int] = {}
    try:
        context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True)
        context.add_init_script(PICKER + "window.__violations = [];"
                                "document.addEventListener('securitypolicyviolation', e => "
                                "window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        page.route(lambda u: not u.startswith(url), lambda r: r.abort())  # never the network
        page.on("request", lambda r: requests.append(r.url))
        page.on("response", lambda r: fonts.__setitem__(r.url.rsplit("/", 1)[-1], r.status)
                if "/admin/fonts/" in r.url else None)
        page.goto(url)
        page.evaluate(FILL, files)
        response = page.goto(url + "admin/kantorcontoh/")
        assert response.headers["content-security-policy"] == ADMIN_POLICY
        page.get_by_role("button", name="Bekerja dengan repositori lokal").click()
        page.get_by_text("Data kantor").first.wait_for()
        page.evaluate("""() => document.fonts.load('16px "Noto Mono"')""")  # code text only: load it
        page.evaluate("document.fonts.ready")
        used = page.evaluate("""() => document.fonts.check('16px "Material Symbols Outlined"')
                                 && [...document.fonts].some(f => f.family === 'Material Symbols Outlined'
                                                                  && f.status === 'loaded')""")
        # An icon is one glyph of the icon font, not its name spelt out.
        icons = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e =>
            !e.children.length && e.textContent.trim() === 'bookmark_manager'
            && getComputedStyle(e).fontFamily.includes('Material Symbols'))
            .map(e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize))""")
        page.wait_for_timeout(500)
        violations = page.evaluate("window.__violations")
        page.screenshot(path=str(hub / "admin-phone.png"))
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    outside = [u for u in requests if not u.startswith((url, "blob:" + url[:-1], "data:"))]
    assert outside == [], outside
    assert fonts == {name: 200 for name in FONT_FILES}, fonts
    assert [v for v in violations if not v.split(" ", 1)[1].startswith(INTENDED_BLOCKS)] == [], violations
    assert used
    assert icons and all(width < 1.5 for width in icons), icons
