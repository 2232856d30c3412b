"""What the tests need from the machine, installed before `make test` (and `python -m infohub test`) runs.

    python3 tools/provision.py

The browser tests drive Debian's Chromium with Debian's Liberation fonts, the deploy tests and the production rehearsal run
Debian's nginx, the rehearsal validates pages with vnu.jar (a Java runtime; the jar itself from
tools/vnu's npm lock) and makes a stand-in certificate with openssl. Nothing to do, silently, when
all of it is there. Otherwise, as root on a machine with apt-get, it installs the missing packages
(as CI does: .ci/run calls this too); anywhere else it stops at once with the one command to run,
in Indonesian and English, instead of 65 tests failing one by one minutes later.

Standard library only, and its two messages written here rather than in the string tables: it runs
before the venv (and PyYAML, which infohub.messages needs) exists.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
VNU = CHECKOUT / "tools" / "vnu"
VNU_STAMP = VNU / "node_modules" / ".installed"

# A program the tests run -> the Debian package that brings it (the paths tests/ use).
NEEDED = {
    "/usr/lib/chromium/chromium": "chromium",
    "/usr/bin/chromedriver": "chromium-driver",
    "/usr/sbin/nginx": "nginx-light",
    "java": "default-jre-headless",
    "npm": "npm",
    "openssl": "openssl",
    # the browser tests' only fonts (tests/fonts/fonts.conf)
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf": "fonts-liberation",
}

CANNOT = """\
Pengujian memerlukan program yang belum terpasang: {programs}.
Pasang dulu dengan perintah ini, lalu jalankan `make test` lagi:

    {command}

The tests need programs that are not installed: {programs}.
Install them with this command, then run `make test` again:

    {command}
"""
NO_APT = "# tanpa apt-get: pasang paket yang setara dengan / without apt-get, install the equivalent of: {packages}"


def missing() -> dict[str, str]:
    """The programs not found, with the package of each."""
    return {program: package for program, package in NEEDED.items()
            if not (Path(program).is_file() if program.startswith("/") else shutil.which(program))}


def install_command(packages: list[str], root: bool, apt: bool) -> str:
    if not apt:
        return NO_APT.format(packages=" ".join(packages))
    return ("" if root else "sudo ") + "apt-get install -y " + " ".join(packages)


def provision(env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    lacking = missing()
    if lacking:
        packages = sorted(set(lacking.values()))
        root, apt = os.geteuid() == 0, shutil.which("apt-get") is not None
        if not (root and apt):
            print(CANNOT.format(programs=", ".join(sorted(lacking)),
                                command=install_command(packages, root, apt)), file=sys.stderr)
            return 1
        env["DEBIAN_FRONTEND"] = "noninteractive"
        print("apt-get install " + " ".join(packages), flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env, stdout=subprocess.DEVNULL)
    # vnu.jar, pinned by tools/vnu/package-lock.json; again whenever the lock changes
    lock = VNU / "package-lock.json"
    if not VNU_STAMP.exists() or VNU_STAMP.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--prefix", str(VNU), "--ignore-scripts", "--no-audit", "--no-fund"],
                       check=True, env=env)
        VNU_STAMP.touch()
    return 0


if __name__ == "__main__":
    sys.exit(provision())
