"""Create or bring up to date the .venv of this checkout, from the hashed lock files.

    python requirements/install.py build      what `make site`, `make check`, `make serve` need
    python requirements/install.py publish    the build and `make publish`
    python requirements/install.py test       everything: the build, publishing and the tests

The Makefile runs it before every command; on Windows run it yourself once:
`py requirements\\install.py build` (or `test`). Standard library only: it runs before
anything is installed, with any Python 3.11 or newer.

- Nothing to do (it only reads the stamps) when the venv already has the layer asked for,
  or a larger one, installed from the lock files as they are now: the stamp
  .venv/.installed-<layer>-<digest of its lock> says so.
- Otherwise installs, hash-checked (`pip install --require-hashes`), the largest lock among
  the layer asked for and those the venv already has: each lock holds the one below it with
  the same pins (test ⊇ publish ⊇ build), so adding the tests to a build venv adds only
  theirs, and a changed lock upgrades the venv in place.
- Then removes what that lock does not name (a package dropped from a lock, the
  `pip install -e .` of infohub that the single requirements.txt once made), so the venv
  is exactly the lock.
- And writes site-packages/infohub.pth naming this checkout's hooks/ folder relative to
  site-packages: the venv imports the infohub package of the checkout it sits in, never
  another one, also when checkout and venv are copied together (and the MkDocs hooks in
  hooks/*.py, which MkDocs loads from the config's own checkout, import the same).
- Every time, compiles what changed in hooks/ to bytecode (__pycache__, as pip does for
  every package it installs): a Python told not to write bytecode (PYTHONDONTWRITEBYTECODE,
  set on some CI machines) would otherwise compile infohub's 100 modules at every command,
  a fifth of a second or more of each edit's rebuild. Up to date, it only compares times.
"""
from __future__ import annotations

import compileall
import hashlib
import json
import os
import py_compile
import subprocess
import sys
from pathlib import Path

LAYERS = ("build", "publish", "test")  # each lock holds the one before it
HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
VENV = Path(os.environ.get("INFOHUB_VENV") or CHECKOUT / ".venv")
KEEP = {"pip", "setuptools", "wheel"}  # the venv's own tools, in no lock
PTH = "infohub.pth"


def lock(layer: str) -> Path:
    return HERE / f"{layer}.txt"


def digest(layer: str) -> str:
    return hashlib.sha256(lock(layer).read_bytes()).hexdigest()[:16]


def stamp(layer: str) -> Path:
    return VENV / f".installed-{layer}-{digest(layer)}"


def stamped_layers() -> set[str]:
    """The layers this venv has had installed, current or not. A stamp of the single
    requirements.txt of old (.installed-<digits>) held everything: the test layer."""
    found = set()
    for path in VENV.glob(".installed-*"):
        name = path.name[len(".installed-"):]
        layer = name.rsplit("-", 1)[0] if "-" in name else "test"
        if layer in LAYERS:
            found.add(layer)
    return found


def up_to_date(layer: str) -> bool:
    return any(stamp(bigger).exists() for bigger in LAYERS[LAYERS.index(layer):])


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    # without PYTHONPATH (the Makefile's names hooks/): pip is to see the venv alone
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(a) for a in args], check=True, env=env, **kwargs)


def normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def locked_names(layer: str) -> set[str]:
    names = set()
    for line in lock(layer).read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith(("#", "-")) and "==" in line:
            names.add(normalized(line.split("==", 1)[0]))
    return names


def install(layer: str) -> None:
    python = venv_python()
    if not python.exists():
        run(sys.executable, "-m", "venv", VENV)
    wanted = {layer} | stamped_layers()
    top = max(wanted, key=LAYERS.index)
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    run(*pip, "install", "--quiet", "--require-hashes", "-r", lock(top))
    listed = run(*pip, "list", "--format=json", stdout=subprocess.PIPE, text=True).stdout
    extra = sorted({p["name"] for p in json.loads(listed)
                    if normalized(p["name"]) not in locked_names(top) | KEEP})
    if extra:
        run(*pip, "uninstall", "--quiet", "--yes", *extra)
    write_pth(python, CHECKOUT)
    for path in VENV.glob(".installed-*"):
        path.unlink()
    for done in LAYERS[:LAYERS.index(top) + 1]:  # the top lock holds every layer below it
        stamp(done).touch()


def write_pth(python: Path, checkout: Path) -> None:
    """site-packages/infohub.pth: `checkout`/hooks, relative to site-packages (Python reads a
    relative line of a .pth from the folder of the .pth itself)."""
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                             stdout=subprocess.PIPE, text=True).stdout.strip())
    relative = os.path.relpath(checkout / "hooks", site_packages)
    (site_packages / PTH).write_text(relative + "\n", encoding="utf-8")


def compile_checkout() -> None:
    """Bytecode for the checkout's hooks/ as the venv's Python reads it. Done here, in this Python,
    when it is the venv's version (the venv is made from it); otherwise left to the imports.
    Quiet: a module that does not compile says so when it is imported."""
    config = VENV / "pyvenv.cfg"
    if not config.exists():
        return
    for line in config.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            if value.strip().split(".")[:2] == [str(n) for n in sys.version_info[:2]]:
                # by time stamps, as Python's own imports write them (SOURCE_DATE_EPOCH, set by
                # reproducible builds, would otherwise make them hash the source at every import)
                compileall.compile_dir(CHECKOUT / "hooks", quiet=2,
                                       invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
            return


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in LAYERS:
        print(f"usage: python requirements/install.py {{{'|'.join(LAYERS)}}}", file=sys.stderr)
        return 2
    if not up_to_date(argv[0]):
        install(argv[0])
    compile_checkout()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
