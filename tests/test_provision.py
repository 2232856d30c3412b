"""`make test` on a fresh machine: tools/provision.py installs what the tests need, or says how, at once."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def provision(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("provision", ROOT / "tools" / "provision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # vnu.jar's install is up to date: only the Debian packages are looked at here
    vnu = tmp_path / "vnu"
    (vnu / "node_modules").mkdir(parents=True)
    (vnu / "package-lock.json").write_text("{}")
    (vnu / "node_modules" / ".installed").touch()
    monkeypatch.setattr(module, "VNU", vnu)
    monkeypatch.setattr(module, "VNU_STAMP", vnu / "node_modules" / ".installed")
    ran: list[list[str]] = []
    monkeypatch.setattr(module.subprocess, "run", lambda args, **kw: ran.append(list(args)))
    module.ran = ran
    return module


def lacking(monkeypatch, provision, *programs: str) -> None:
    """The machine lacks ``programs`` (and has everything else)."""
    monkeypatch.setattr(provision, "missing", lambda: {program: provision.NEEDED[program] for program in programs})


def test_nothing_to_do_says_nothing(provision, monkeypatch, capsys):
    lacking(monkeypatch, provision)
    assert provision.provision() == 0
    assert provision.ran == [] and capsys.readouterr() == ("", "")


def test_as_root_with_apt_it_installs_what_is_missing(provision, monkeypatch):
    lacking(monkeypatch, provision, "/usr/sbin/nginx", "java")
    monkeypatch.setattr(provision.os, "geteuid", lambda: 0)
    monkeypatch.setattr(provision.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert provision.provision() == 0
    assert provision.ran == [["apt-get", "update", "-qq"],
                             ["apt-get", "install", "-y", "-qq", "default-jre-headless", "nginx-light"]]


def test_without_root_it_stops_with_the_command_in_both_languages(provision, monkeypatch, capsys):
    lacking(monkeypatch, provision, "/usr/lib/chromium/chromium", "/usr/sbin/nginx")
    monkeypatch.setattr(provision.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(provision.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert provision.provision() == 1
    assert provision.ran == []
    assert capsys.readouterr().err == (
        "Pengujian memerlukan program yang belum terpasang: /usr/lib/chromium/chromium, /usr/sbin/nginx.\n"
        "Pasang dulu dengan perintah ini, lalu jalankan `make test` lagi:\n\n"
        "    sudo apt-get install -y chromium nginx-light\n\n"
        "The tests need programs that are not installed: /usr/lib/chromium/chromium, /usr/sbin/nginx.\n"
        "Install them with this command, then run `make test` again:\n\n"
        "    sudo apt-get install -y chromium nginx-light\n\n")


def test_without_apt_it_names_the_packages(provision, monkeypatch, capsys):
    lacking(monkeypatch, provision, "java")
    monkeypatch.setattr(provision.os, "geteuid", lambda: 0)
    monkeypatch.setattr(provision.shutil, "which", lambda name: None)
    assert provision.provision() == 1
    err = capsys.readouterr().err
    assert ("    # tanpa apt-get: pasang paket yang setara dengan / without apt-get, install the equivalent of: "
            "default-jre-headless\n") in err
    assert provision.ran == []


def test_vnu_is_installed_again_when_its_lock_changes(provision, monkeypatch):
    lacking(monkeypatch, provision)
    lock = provision.VNU / "package-lock.json"
    later = time.time() + 60
    os.utime(lock, (later, later))
    assert provision.provision() == 0
    assert provision.ran == [["npm", "ci", "--prefix", str(provision.VNU), "--ignore-scripts", "--no-audit",
                              "--no-fund"]]


def test_a_machine_without_the_programs_stops_within_seconds(tmp_path):
    """The real script on a machine without the programs (nor apt-get): it stops at once."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "provision.py")], capture_output=True, text=True,
                            env={"PATH": str(tmp_path)})  # no java, npm, openssl, apt-get
    assert result.returncode == 1
    assert "The tests need programs that are not installed: " in result.stderr
    assert time.monotonic() - start < 5
