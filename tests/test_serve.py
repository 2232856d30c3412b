"""`make serve OFFICE=…` (hooks/infohub/serve.py): the preview is `make site`'s build, kept up in one
process and built again on every save, served with the engine's live-reload server.

Each test runs `python -m infohub serve` as a person does, in a terminal's session of its own,
and reads what it serves over HTTP and what it prints."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, make_repo
from infohub import engine

PAGE = "offices/kantorcontoh/docs/berita/2025/hari-terbuka.md"
URL_PATH = "/berita/2025/hari-terbuka/"


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _until(condition, seconds: float, step: float = 0.2) -> bool:
    """Whether ``condition()`` came true within ``seconds``, asked every ``step``."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= end:
            return False
        time.sleep(step)
    return True


def _wait_for(url: str, text: str, seconds: float = 120) -> bool:
    return _until(lambda: text in _fetch(url)[1], seconds)


def _wait_for_log(log: Path, text: str, seconds: float = 120) -> bool:
    return _until(lambda: text in log.read_text(encoding="utf-8"), seconds)


@contextlib.contextmanager
def _serving(tmp_path: Path, repo: Path, port: int, *options: str, **env_extra: str):
    """`python -m infohub serve kantorcontoh` on ``port``, with ``options``; yields (process, log
    file). Stopped as Ctrl+C stops it, and whatever is left of its session killed."""
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "PYTHONPATH": str(ROOT / "hooks"),
           "INFOHUB_CACHE_DIR": str(tmp_path / "cache"), **env_extra}
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-m", "infohub", "serve", "kantorcontoh",
                                   "--dev-addr", f"127.0.0.1:{port}", *options], env=env, cwd=repo, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True,
                                  # as in a terminal: a shell's background job (CI run with '&') starts
                                  # with SIGINT ignored, and Python leaves an ignored SIGINT ignored
                                  preexec_fn=_interruptible)
    try:
        yield server, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=90)  # generous: on a loaded machine a build under way finishes first
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


def _save(path: Path, added: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")


@pytest.mark.parametrize("name, options", [(name, ()) for name in engine.ENGINES] + [(engine.DEFAULT, ("--poll",))],
                         ids=[*engine.ENGINES, f"{engine.DEFAULT}-poll"])
def test_a_save_is_built_as_make_site_builds_it_and_reloads_the_browser(tmp_path, name, options):
    """On each engine, told of saves by the system or looking for them (--poll, `make serve POLL=1`):
    the preview is site/kantorcontoh, what `make site` builds; a saved page is built again (that page
    only), once, and served with the script that reloads the browser."""
    repo = make_repo(tmp_path / "repo")
    port = _free_port()
    url = f"http://127.0.0.1:{port}{URL_PATH}"
    with _serving(tmp_path, repo, port, *options, **{engine.ENV: name}) as (server, log):
        assert _wait_for(url, "Hari terbuka kantor contoh"), log.read_text(encoding="utf-8")[-3000:]
        status, html = _fetch(url)
        assert status == 200 and "livereload" in html
        assert f"Pratinjau kantorcontoh: http://127.0.0.1:{port}/ (dibangun seperti oleh `make site`" in log.read_text(
            encoding="utf-8")
        _save(repo / PAGE, "Kalimat yang baru disimpan.")
        assert _wait_for(url, "Kalimat yang baru disimpan."), log.read_text(encoding="utf-8")[-3000:]
        built = (repo / "site" / "kantorcontoh" / URL_PATH.strip("/") / "index.html").read_text(encoding="utf-8")
        assert "Kalimat yang baru disimpan." in built  # the preview is the site's own output
        text = log.read_text(encoding="utf-8")
        assert "Ada perubahan tersimpan: kantorcontoh dibangun lagi…" in text
        # the build after the save renders what the save changed, not the office
        rebuilt = text.split("Ada perubahan tersimpan")[1]
        assert "dipakai ulang dari pembangunan sebelumnya" in rebuilt, rebuilt
        # The build reads every watched file; the system reports reads too. One save, one build:
        # a read taken for a change would build again and again.
        time.sleep(3)
        assert log.read_text(encoding="utf-8").count("Ada perubahan tersimpan") == 1, log.read_text(encoding="utf-8")
        assert _fetch(f"http://127.0.0.1:{port}/tidak-ada/")[0] == 404  # the site's own 404 page
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=90) == 0
    assert "Pratinjau dihentikan." in log.read_text(encoding="utf-8")


def test_the_browser_shows_a_save_by_itself(tmp_path, browser):
    """A person keeps the page open on a phone-sized window and saves: the page comes back with
    the saved text without a click (the engine's live-reload script)."""
    repo = make_repo(tmp_path / "repo")
    port = _free_port()
    url = f"http://127.0.0.1:{port}{URL_PATH}"
    with _serving(tmp_path, repo, port) as (server, log):
        assert _wait_for(url, "Hari terbuka kantor contoh"), log.read_text(encoding="utf-8")[-3000:]
        page = browser.new_page(viewport={"width": 360, "height": 740})
        try:
            page.goto(url)
            _save(repo / PAGE, "Kalimat yang muncul sendiri di peramban.")
            page.wait_for_function("document.body.innerText.includes('Kalimat yang muncul sendiri di peramban.')",
                                   timeout=120_000)
        finally:
            page.close()


def test_a_save_the_check_refuses_keeps_the_last_good_preview_and_says_why(tmp_path):
    """One verdict in the preview too: a page `make check` refuses is never shown (the engine's
    own serve showed it); the terminal says why; the fixed page is shown at the next save."""
    repo = make_repo(tmp_path / "repo")
    port = _free_port()
    url = f"http://127.0.0.1:{port}{URL_PATH}"
    page = repo / PAGE
    good = page.read_text(encoding="utf-8")
    with _serving(tmp_path, repo, port) as (server, log):
        assert _wait_for(url, "Hari terbuka kantor contoh"), log.read_text(encoding="utf-8")[-3000:]
        page.write_text(good.replace("date:", "date: kemarin\ntanggal_lama:", 1) + "\nKalimat yang ditolak.\n",
                        encoding="utf-8")
        assert _wait_for_log(log, "Situs yang gagal: kantorcontoh")
        text = log.read_text(encoding="utf-8")
        assert "hari-terbuka.md" in text.split("Ada perubahan tersimpan")[1]  # the check names the page
        assert "Kalimat yang ditolak." not in _fetch(url)[1]
        assert "Hari terbuka kantor contoh" in _fetch(url)[1]  # the last good output, still served
        page.write_text(good + "\nKalimat yang diperbaiki.\n", encoding="utf-8")
        assert _wait_for(url, "Kalimat yang diperbaiki."), log.read_text(encoding="utf-8")[-3000:]


def test_a_change_to_the_code_starts_the_preview_again(tmp_path):
    """Modules already imported are not imported again: a save of the code (here the pinned
    requirements) restarts the process, which builds and serves at the same address."""
    repo = make_repo(tmp_path / "repo")
    requirements = repo / "requirements" / "build.txt"
    requirements.parent.mkdir()
    requirements.write_text("# pins\n", encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}{URL_PATH}"
    with _serving(tmp_path, repo, port) as (server, log):
        assert _wait_for(url, "Hari terbuka kantor contoh"), log.read_text(encoding="utf-8")[-3000:]
        requirements.write_text("# pins, changed\n", encoding="utf-8")
        assert _wait_for_log(log, "Kode infohub berubah: pratinjau dimulai ulang…")
        # the new process builds (the requirements are an input of every site) and serves the same address
        end = time.monotonic() + 300
        while log.read_text(encoding="utf-8").count(f"Pratinjau kantorcontoh: http://127.0.0.1:{port}/") < 2:
            assert time.monotonic() < end and server.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.2)
        assert _wait_for(url, "Hari terbuka kantor contoh")
        assert server.poll() is None


def test_an_address_that_is_not_one_or_is_taken_is_one_sentence(tmp_path):
    repo = make_repo(tmp_path / "repo")
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "PYTHONPATH": str(ROOT / "hooks"),
           "INFOHUB_CACHE_DIR": str(tmp_path / "cache"), "INFOHUB_LANG": "en"}
    command = [sys.executable, "-m", "infohub", "serve", "kantorcontoh", "--dev-addr"]
    wrong = subprocess.run(command + ["localhost"], env=env, cwd=repo, capture_output=True, text=True, timeout=300)
    assert wrong.returncode == 2
    assert ("'localhost' is not an address to serve at: write it as HOST:PORT, for example 127.0.0.1:8000"
            in wrong.stdout)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run(command + [f"127.0.0.1:{port}"], env=env, cwd=repo, capture_output=True, text=True,
                              timeout=600)
    assert busy.returncode == 1
    assert (f"Cannot serve at 127.0.0.1:{port}: the port is in use by another program. Is another preview running? Choose another "
            "port, for example: make serve OFFICE=… ADDR=127.0.0.1:8001") in busy.stdout
    assert "Traceback" not in busy.stdout + busy.stderr


def test_serve_stopped_by_sigterm_leaves_no_server_behind(tmp_path):
    """A supervisor or `kill` stops `infohub serve` with SIGTERM: nothing of it keeps the port."""
    repo = make_repo(tmp_path / "repo")
    port = _free_port()
    with _serving(tmp_path, repo, port) as (server, log):
        assert _wait_for(f"http://127.0.0.1:{port}/", "kantorcontoh"), log.read_text(encoding="utf-8")[-3000:]
        server.send_signal(signal.SIGTERM)  # to `infohub serve` alone, as `kill PID` does
        server.wait(timeout=60)
        time.sleep(1)
        left = True
        try:
            os.killpg(server.pid, 0)  # anything left of its session?
        except ProcessLookupError:
            left = False
    assert not left, "something of `infohub serve` outlived it"
    assert _fetch(f"http://127.0.0.1:{port}/") == (0, "")


def test_what_a_preview_watches(tmp_path):
    """An office's preview is built again for a save in its folder or in what every site is built
    from; the hub's for any office's too (its directory shows them); the code restarts it."""
    from infohub.serve import code_stamp, watched

    repo = make_repo(tmp_path / "repo")
    shared = [repo / "mkdocs.yml", repo / "national", repo / "overrides", repo / "hooks"]
    assert watched("kantorcontoh", repo) == [repo / "offices" / "kantorcontoh", *shared]
    assert watched("hub", repo) == [repo / "docs", repo / "offices", *shared]
    (repo / "requirements").mkdir()
    (repo / "requirements" / "build.txt").write_text("# pins\n", encoding="utf-8")
    assert watched("kantorcontoh", repo)[-1] == repo / "requirements" / "build.txt"
    before = code_stamp(repo)
    assert str(repo / "requirements" / "build.txt") in {name for name, _, _ in before}
    assert not any(name.endswith(".pyc") or "__pycache__" in name for name, _, _ in before)
    (repo / "requirements" / "build.txt").write_text("# pins, changed\n", encoding="utf-8")
    assert code_stamp(repo) != before


# --- how a save is noticed (infohub/file_changes.py) ---------------------------------------------


class _Seen:
    """A handler as the live-reload server's: it notes the events of files it is given."""

    def __init__(self) -> None:
        self.events: list = []

    def dispatch(self, event) -> None:
        if not event.is_directory:
            self.events.append(event)

    def wait(self, seconds: float = 10) -> bool:
        return _until(lambda: bool(self.events), seconds, step=0.05)


@contextlib.contextmanager
def _watching(folder: Path, poll: bool = False, said=None):
    from infohub.file_changes import SaveWatcher

    seen = _Seen()
    watcher = SaveWatcher(poll, said or (lambda reason: None))
    watcher.schedule(seen, str(folder), recursive=True)
    watcher.start()
    try:
        time.sleep(0.3)  # the watches are in place
        yield watcher, seen
    finally:
        watcher.stop()
        watcher.join()


def test_a_read_is_no_change_and_a_write_is(tmp_path):
    """The system reports reads; the preview takes only what changes a file for a save."""
    page = tmp_path / "docs" / "berita" / "a.md"
    page.parent.mkdir(parents=True)
    page.write_text("lama\n", encoding="utf-8")
    with _watching(tmp_path / "docs") as (watcher, seen):
        assert not watcher.polling
        page.read_text(encoding="utf-8")
        list((tmp_path / "docs").rglob("*"))
        assert not seen.wait(1.5), seen.events
        page.write_text("baru\n", encoding="utf-8")
        assert seen.wait(), "a write was not noticed"


@pytest.mark.parametrize("change", ["new file", "deleted", "replaced", "folder moved out", "folder moved in"])
def test_each_kind_of_save_is_noticed(tmp_path, change):
    """An editor's save may write a new file, delete one, replace a file by renaming another over
    it, or move a whole folder of posts: each is a change. A folder moved is one event of the folder
    for the system, handed on as a change of a file (the server passes on files only)."""
    docs = tmp_path / "docs"
    year = docs / "berita" / "2024"
    year.mkdir(parents=True)
    (year / "a.md").write_text("a\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    (outside / "2023").mkdir(parents=True)
    (outside / "2023" / "b.md").write_text("b\n", encoding="utf-8")
    with _watching(docs) as (watcher, seen):
        if change == "new file":
            (year / "c.md").write_text("c\n", encoding="utf-8")
        elif change == "deleted":
            (year / "a.md").unlink()
        elif change == "replaced":
            (year / ".a.md.swp").write_text("a, saved\n", encoding="utf-8")
            os.replace(year / ".a.md.swp", year / "a.md")
        elif change == "folder moved out":
            os.rename(year, outside / "2024")
        else:
            os.rename(outside / "2023", docs / "berita" / "2023")
        assert seen.wait(), f"{change}: not noticed"


def test_without_the_system_s_events_the_files_are_looked_at_and_the_terminal_says_why(tmp_path, monkeypatch):
    """When the system refuses to watch (its limit of watches or of event queues reached by other
    programs), the preview says why, once, and looks at the files twice a second instead."""
    from watchdog.observers import Observer

    from infohub import file_changes, messages

    class Refused(Observer):
        def start(self):
            raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(file_changes, "Observer", Refused)
    said: list[str] = []
    page = tmp_path / "docs" / "a.md"
    page.parent.mkdir()
    page.write_text("lama\n", encoding="utf-8")
    with _watching(tmp_path / "docs", said=lambda reason: said.append(messages.t("serve.polling_instead", "id",
                                                                                   reason=reason))) as (watcher, seen):
        assert watcher.polling
        assert said == ["Sistem tidak bisa melaporkan perubahan berkas di sini (inotify instance limit reached): "
                        "pratinjau memeriksa berkas dua kali sedetik sebagai gantinya"]
        time.sleep(0.6)  # the first look is taken
        page.write_text("baru, lebih panjang\n", encoding="utf-8")
        assert seen.wait(), "a write was not noticed by looking"
    assert messages.t("serve.polling_instead", "en", reason="too many open files") == (
        "The system cannot report changes to the files here (too many open files): the preview looks at them "
        "twice a second instead")
