"""`nginx -t` on a generated nginx.conf, as the deploy does on the server before it reloads.

The config is included inside an http block of a throwaway main config, with a self-signed
certificate in place of each domain's, all in a temporary folder: nothing of the machine's
nginx is read or changed.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

NGINX = Path("/usr/sbin/nginx")
# CI installs nginx (.ci/run); only a developer machine without it may skip
needs_nginx = pytest.mark.skipif(not NGINX.exists() and not os.environ.get("CI"),
                                 reason="nginx is not installed at /usr/sbin/nginx")


def nginx_test(conf: str, folder: Path, tls_dir: str) -> subprocess.CompletedProcess:
    """Run `nginx -t` on ``conf`` (written with certificates under ``tls_dir``) in ``folder``."""
    certs = folder / "certs"
    certs.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", certs / "privkey.pem", "-out", certs / "fullchain.pem"], check=True,
                   capture_output=True)
    for domain in set(re.findall(rf"{re.escape(tls_dir)}/([^/]+)/", conf)):
        (certs / domain).mkdir(exist_ok=True)
        for name in ("privkey.pem", "fullchain.pem"):
            shutil.copy(certs / name, certs / domain / name)
    (folder / "sites.conf").write_text(conf.replace(tls_dir, str(certs)), encoding="utf-8")
    (folder / "nginx.conf").write_text(f"""\
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/sites.conf;
}}
""", encoding="utf-8")
    return subprocess.run([str(NGINX), "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                          capture_output=True, text=True)
