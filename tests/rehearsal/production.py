"""The deploy output served as production serves it, on this machine.

Debian's nginx with the configuration `deploy-files` writes, its worker an
unprivileged user (nobody) reading a copy of the sites, TLS with a stand-in
certificate made here for every domain, each site on its own name: the
listening addresses become 127.0.0.1 and two free high ports, nothing else of
the generated configuration changes. ``Production.get`` asks it as a reader
would: by name (SNI and Host), checking the certificate.
"""
from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
WORKER_USER = "nobody nogroup"  # what a production nginx runs its workers as (www-data on Debian)


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes  # decoded from gzip when it came gzipped
    gzipped: bool

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _certificate(folder: Path, domains: list[str]) -> tuple[Path, Path]:
    """One self-signed certificate naming every domain and its www., as (certificate, key)."""
    names = ",".join(f"DNS:{name}" for domain in domains for name in (domain, f"www.{domain}"))
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=infohub rehearsal", "-addext", f"subjectAltName={names}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def _on_loopback(conf: str, http_port: int, https_port: int) -> str:
    """The generated servers on 127.0.0.1's high ports; the plain-HTTP redirect keeps its target."""
    conf = re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", conf, flags=re.M)
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    return conf.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")


class Production:
    def __init__(self, sites: dict[str, str], https_port: int, http_port: int, cert: Path, log: Path):
        self.sites = sites  # slug -> domain
        self.https_port, self.http_port = https_port, http_port
        self.log = log
        self._context = ssl.create_default_context(cafile=str(cert))

    def get(self, domain: str, path: str, gzip_ok: bool = True, plain_http: bool = False) -> Response:
        """GET https://<domain><path> from this nginx, as a browser asks (gzip accepted)."""
        if plain_http:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        else:
            connection = _ByName(domain, self.https_port, self._context)
        headers = {"Host": domain, "User-Agent": "infohub-rehearsal"}
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        try:
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            raw = answer.read()
            found = {name.lower(): value for name, value in answer.getheaders()}
        finally:
            connection.close()
        gzipped = found.get("content-encoding") == "gzip"
        return Response(answer.status, found, gzip.decompress(raw) if gzipped else raw, gzipped)


class _ByName(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 that asks for ``host`` by name (SNI) and checks the certificate names it."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext):
        super().__init__(host, port, context=context, timeout=10)

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _readable_folder() -> Path:
    """A folder the worker's user can reach: pytest's own lies under a 0700 folder."""
    folder = Path(tempfile.mkdtemp(prefix="infohub-rehearsal-", dir="/tmp"))
    folder.chmod(0o755)
    return folder


@contextmanager
def production(site_root: Path, sites: dict[str, str], work: Path) -> Iterator[Production]:
    """nginx serving ``site_root/_deploy/nginx.conf`` (written by deploy-files for the serve root
    and certificate folder this writes: see ``paths``) and the built sites (slug -> domain)."""
    serve = _readable_folder()
    try:
        shutil.copytree(site_root, serve / "site", symlinks=True,
                        ignore=shutil.ignore_patterns(".cache", ".manifest", "_social", "_deploy"))
        (serve / "site").chmod(0o755)  # the operator's /srv/infohub/site; what is below is the build's
        tls = work / "tls"
        conf = (site_root / "_deploy" / "nginx.conf").read_text(encoding="utf-8")
        # every domain of the configuration needs its certificate for nginx to start, built or not
        domains = sorted(set(re.findall(rf"{re.escape(TLS_DIR)}/([^/]+)/", conf)))
        cert, key = _certificate(work, domains)
        for domain in domains:
            (tls / domain).mkdir(parents=True)
            shutil.copy(cert, tls / domain / "fullchain.pem")
            shutil.copy(key, tls / domain / "privkey.pem")
        https_port, http_port = _free_port(), _free_port()
        conf = conf.replace(SERVE_ROOT, str(serve / "site")).replace(TLS_DIR, str(tls))
        (work / "sites.conf").write_text(_on_loopback(conf, http_port, https_port), encoding="utf-8")
        user = f"user {WORKER_USER};\n" if os.geteuid() == 0 else ""  # only root may switch users
        (work / "nginx.conf").write_text(f"""\
{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/sites.conf;
}}
""", encoding="utf-8")
        server = subprocess.Popen([str(NGINX), "-p", str(work), "-c", str(work / "nginx.conf"),
                                   "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            _wait_for(https_port, server)
            yield Production(sites, https_port, http_port, cert, work / "error.log")
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(serve, ignore_errors=True)


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"nginx stopped: {server.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not listen within 10 s")


# deploy-files' arguments: written into nginx.conf, replaced by production() with its own folders
SERVE_ROOT = "/srv/rehearsal/site"
TLS_DIR = "/etc/rehearsal/tls"
