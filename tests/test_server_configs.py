"""Server configs from validated values only: `deploy-files` reads office.yml through the
same model as `make check`, leaves out an office that fails it (and says so), and quotes
every value it writes into nginx.conf and _headers (issue 25, item 5)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from infohub import cli, deploy
from infohub.build import build_sites
from infohub.content import load_national, load_office
from nginx_syntax import needs_nginx, nginx_test

TLS = "/etc/ssl/infohub"
# A domain that closes server_name and opens a location of its own: the check refuses it,
# deploy-files used to copy it into nginx.conf as written.
HOSTILE_DOMAIN = 'kantorlain.id;\n    location /x { return 302 https://evil.example; }\n    #'
# A quote in the server's name: it reaches the Content-Security-Policy's connect-src.
HOSTILE_ENDPOINT = 'https://umpan"balik.kantorcontoh.id/api'


def add_office(repo: Path, slug: str, domain: str) -> None:
    """A second office, a copy of kantorcontoh's office.yml with ``domain`` (a YAML string)."""
    folder = repo / "offices" / slug
    folder.mkdir()
    text = (repo / "offices/kantorcontoh/office.yml").read_text(encoding="utf-8")
    (folder / "office.yml").write_text(text.replace("domain: kantorcontoh.id", f"domain: {domain}"),
                                       encoding="utf-8")


def set_feedback(repo: Path, endpoint: str) -> None:
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8") + f"feedback:\n  endpoint: '{endpoint}'\n",
                      encoding="utf-8")


def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture
def hostile_domain(repo) -> Path:
    add_office(repo, "kantorlain", yaml_string(HOSTILE_DOMAIN))
    return repo


def deploy_files(repo: Path, site_root: Path, lang: str, monkeypatch, capsys) -> str:
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    monkeypatch.setenv("INFOHUB_LANG", lang)
    assert cli.main(["deploy-files", "--site-dir", str(site_root), "--tls-dir", TLS]) == 0
    return capsys.readouterr().out


def test_the_check_refuses_the_hostile_domain(hostile_domain):
    office, problems = load_office("kantorlain", load_national(hostile_domain)[0], hostile_domain)
    assert office is None
    assert [(p.path, p.line, p.text("en")) for p in problems] == [
        ("offices/kantorlain/office.yml", 61, "domain: expected a domain name like 'imigrasiblitar.id', got 'kantorlain.id;\n"
        "    location /x { return 302 https://evil.…'")]


def test_an_office_the_check_refuses_gets_no_server_and_is_named(hostile_domain, tmp_path):
    found = deploy.sites(hostile_domain)
    assert found.served == [deploy.Site("hub", "infohub.example.org"), deploy.Site("kantorcontoh", "kantorcontoh.id")]
    assert found.refused == ["kantorlain"]
    conf = deploy.nginx_config(tmp_path, "/srv/infohub/site", TLS, hostile_domain)
    assert "evil.example" not in conf and "kantorlain" not in conf
    assert conf.count("listen 443 ssl http2;") == 2


@pytest.mark.parametrize("lang, said", [
    ("id", "kantorlain: kantor ini tidak mendapat konfigurasi server (_headers, nginx.conf) karena office.yml-nya "
           "tidak lolos pemeriksaan; lihat `make check OFFICE=kantorlain`."),
    ("en", "kantorlain: this office gets no server configuration (_headers, nginx.conf) because its office.yml "
           "fails the check; see `make check OFFICE=kantorlain`."),
])
def test_deploy_files_says_which_office_it_left_out(hostile_domain, tmp_path, monkeypatch, capsys, lang, said):
    site_root = tmp_path / "site"
    for slug in ("hub", "kantorcontoh", "kantorlain"):  # every site built earlier, the refused one too
        (site_root / slug).mkdir(parents=True)
        (site_root / slug / "index.html").write_text("<p>x</p>", encoding="utf-8")
    out = deploy_files(hostile_domain, site_root, lang, monkeypatch, capsys)
    assert out.splitlines()[0] == said
    assert not (site_root / "kantorlain" / "_headers").exists()
    assert (site_root / "kantorcontoh" / "_headers").is_file()


@needs_nginx
def test_nginx_accepts_the_config_written_beside_a_hostile_domain(hostile_domain, tmp_path):
    conf = deploy.nginx_config(tmp_path / "site", "/srv/infohub/site", TLS, hostile_domain)
    result = nginx_test(conf, tmp_path, TLS)
    assert result.returncode == 0, result.stderr


def test_the_check_refuses_a_feedback_server_name_with_a_quote(repo):
    set_feedback(repo, HOSTILE_ENDPOINT)
    office, problems = load_office("kantorcontoh", load_national(repo)[0], repo)
    assert office is None
    assert [p.text("en") for p in problems] == [
        "feedback.endpoint: expected a full address starting with 'https://' on this office's domain, like "
        "'https://kantorcontoh.id/api/masukan', got 'https://umpan\"balik.kantorcontoh.id/api'"]
    assert [site.slug for site in deploy.sites(repo).served] == ["hub"]


@pytest.fixture
def built_with_endpoint(repo) -> Path:
    """kantorcontoh built with a valid endpoint, then its pages edited to name a server with a
    quote, a backslash and a brace: what a page could carry that the check never saw."""
    set_feedback(repo, "https://umpanbalik.kantorcontoh.id/api")
    results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    for page in (repo / "site/kantorcontoh").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace('data-infohub-connect="https://umpanbalik.kantorcontoh.id"',
                                     'data-infohub-connect="https://a&quot;b\\c}d.kantorcontoh.id"'), encoding="utf-8")
    return repo


def test_every_header_value_is_quoted_in_nginx_conf(built_with_endpoint):
    policy = deploy.content_security_policy(built_with_endpoint / "site/kantorcontoh")
    assert "connect-src 'self' https://a\"b\\c}d.kantorcontoh.id;" in policy  # what the pages name
    conf = deploy.nginx_config(built_with_endpoint / "site", "/srv/infohub/site", TLS, built_with_endpoint)
    quoted = policy.replace("\\", "\\\\").replace('"', '\\"')
    assert f'    add_header Content-Security-Policy "{quoted}" always;' in conf
    assert '    server_name "kantorcontoh.id" "www.kantorcontoh.id";' in conf
    assert '    root "/srv/infohub/site/kantorcontoh";' in conf
    assert f'    ssl_certificate "{TLS}/kantorcontoh.id/fullchain.pem";' in conf
    assert '    return 301 "https://kantorcontoh.id$request_uri";' in conf


@needs_nginx
def test_nginx_accepts_a_header_value_with_a_quote(built_with_endpoint, tmp_path):
    conf = deploy.nginx_config(built_with_endpoint / "site", "/srv/infohub/site", TLS, built_with_endpoint)
    result = nginx_test(conf, tmp_path, TLS)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["https://a$host.kantorcontoh.id", "default-src 'self'\n/*\n  X-Injected: 1",
                                   "default-src 'self'\r"])
def test_a_value_no_config_can_hold_is_refused_not_written(value):
    """nginx reads '$' as a variable and has no way to write it otherwise; a line break would
    start another header (or another rule in _headers)."""
    with pytest.raises(deploy.UnsafeValue) as refused:
        deploy.nginx_string(value)
    assert refused.value.value == value and refused.value.char == ("U+0024" if "$" in value else f"U+{ord(value[18]):04X}")
    with pytest.raises(deploy.UnsafeValue):
        deploy.header_line("Content-Security-Policy", value)


def test_deploy_files_refuses_to_write_an_unsafe_value_and_says_so(built_with_endpoint, monkeypatch, capsys):
    for page in (built_with_endpoint / "site/kantorcontoh").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace('data-infohub-connect="https://a&quot;b\\c}d.kantorcontoh.id"',
                                     'data-infohub-connect="https://a$b.kantorcontoh.id"'), encoding="utf-8")
    monkeypatch.setenv("INFOHUB_ROOT", str(built_with_endpoint))
    assert cli.main(["deploy-files", "--site-dir", str(built_with_endpoint / "site")]) == 1
    assert capsys.readouterr().err == (
        "Berkas penerbitan tidak ditulis: sebuah nilai untuk nginx.conf atau _headers memuat karakter U+0024 "
        "(di '; connect-src 'self' https://a$b.kantorcontoh.id; worker-src'); "
        "kedua berkas itu tidak bisa memuat tanda '$', baris baru, atau karakter kendali lain.\n")
    assert not (built_with_endpoint / "site/_deploy/nginx.conf").exists()
