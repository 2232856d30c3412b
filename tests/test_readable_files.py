"""Every built file is readable by the web server, whatever the build user's umask.

nginx's worker runs as another user than the build: a file only its owner can read
(tempfile.mkstemp's 0600, or a strict umask's) is a 403 for every reader. The build
sets files 0644 and folders 0755 itself, and `deploy-files` refuses a site that holds
anything less, naming it.
"""
from __future__ import annotations

import os
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path

from infohub import cli
from infohub.build import build_sites
from infohub.files import replace_file


@contextmanager
def umask(value: int):
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


def modes_below(folder: Path) -> tuple[list[str], list[str]]:
    """(files not at least 0644, folders not at least 0755) below and including ``folder``."""
    files, folders = [], []
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        if path.is_dir() and mode & 0o755 != 0o755:
            folders.append(f"{path.relative_to(folder)} {mode:o}")
        elif path.is_file() and mode & 0o644 != 0o644:
            files.append(f"{path.relative_to(folder)} {mode:o}")
    return files, folders


def test_replace_file_writes_a_file_everyone_may_read_under_a_strict_umask(tmp_path):
    with umask(0o077):
        replace_file(tmp_path / "feed" / "rss.xml", b"<rss/>")
    assert stat.S_IMODE((tmp_path / "feed" / "rss.xml").stat().st_mode) == 0o644


def test_a_built_site_is_readable_by_the_web_server_under_a_strict_umask(repo):
    with umask(0o077):
        results = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    site = repo / "site" / "kantorcontoh"
    assert (site / "rss.xml").is_file() and (site / "en" / "feed.json").is_file()
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert modes_below(site) == ([], [])
    assert {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()} == {0o644}


def test_deploy_files_refuses_a_site_the_web_server_could_not_read(built_repo, tmp_path, monkeypatch, capsys):
    site_root = tmp_path / "site"
    shutil.copytree(built_repo / "site", site_root, ignore=shutil.ignore_patterns(".cache"))
    (site_root / "kantorcontoh" / "rss.xml").chmod(0o600)
    (site_root / "hub" / "en").chmod(0o700)
    monkeypatch.setenv("INFOHUB_ROOT", str(built_repo))
    try:
        code = cli.main(["deploy-files", "--site-dir", str(site_root)])
    finally:
        (site_root / "hub" / "en").chmod(0o755)
    assert code == 1
    assert capsys.readouterr().err == (
        f"Berkas penerbitan tidak ditulis: server web tidak dapat membaca berkas atau folder berikut di {site_root} "
        "(berkas harus 0644, folder 0755), sehingga pembaca akan mendapat 403 Forbidden:\n"
        f"  {site_root}/hub/en\n  {site_root}/kantorcontoh/rss.xml\n"
        f"Bangun ulang dengan `make site`, atau jalankan `chmod -R a+rX {site_root}`.\n")
    assert not (site_root / "kantorcontoh" / "_headers").exists()
    assert not (site_root / "_deploy").exists()


def test_deploy_files_says_so_in_english_too(built_repo, tmp_path, monkeypatch, capsys):
    site_root = tmp_path / "site"
    shutil.copytree(built_repo / "site", site_root, ignore=shutil.ignore_patterns(".cache"))
    (site_root / "kantorcontoh" / "en" / "atom.xml").chmod(0o640)
    monkeypatch.setenv("INFOHUB_ROOT", str(built_repo))
    monkeypatch.setenv("INFOHUB_LANG", "en")
    assert cli.main(["deploy-files", "--site-dir", str(site_root)]) == 1
    assert capsys.readouterr().err == (
        f"Deployment files not written: the web server could not read these files or folders in {site_root} "
        "(files must be 0644, folders 0755), so readers would get 403 Forbidden:\n"
        f"  {site_root}/kantorcontoh/en/atom.xml\n"
        f"Build again with `make site`, or run `chmod -R a+rX {site_root}`.\n")


def test_finishing_an_output_removes_its_empty_kept_folders_makes_it_public_and_counts_its_pages(tmp_path):
    """output_folders.finish, the one walk at the end of a site's build: a mode already right is
    left alone, a wrong one set (a file, a folder, the staging folder itself), a link is neither
    followed nor changed, the kept folders the build left empty go (the staging folder stays),
    and the pages (index.html, however deep) are counted."""
    from infohub import output_folders

    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    outside.chmod(0o600)
    spare, staging = tmp_path / "spare", tmp_path / "staging"
    for folder in ("a/b", "a/empty/deeper", "c", "gone"):
        (spare / folder).mkdir(parents=True)
    output_folders.reuse_folders(spare, staging)
    (staging / "index.html").write_text("home")
    (staging / "a/b/index.html").write_text("page")
    (staging / "c/index.html").write_text("page")
    (staging / "c/style.css").write_text("css")
    (staging / "a/b/index.html").chmod(0o600)
    (staging / "c/style.css").chmod(0o4755)
    (staging / "c").chmod(0o700)
    staging.chmod(0o700)
    (staging / "c/link.txt").symlink_to(outside)
    assert output_folders.finish(staging) == 3
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*")) == [
        "a", "a/b", "a/b/index.html", "c", "c/index.html", "c/link.txt", "c/style.css", "index.html"]
    assert modes_below(staging) == ([], [])
    assert {stat.S_IMODE(p.lstat().st_mode) for p in staging.rglob("*") if p.is_file() and not p.is_symlink()} == {0o644}
    assert stat.S_IMODE(staging.stat().st_mode) == 0o755 and stat.S_IMODE((staging / "c").stat().st_mode) == 0o755
    assert stat.S_IMODE(outside.stat().st_mode) == 0o600  # the link was not followed


def test_a_folder_not_made_of_kept_folders_keeps_its_empty_folders(tmp_path):
    from infohub import output_folders

    (tmp_path / "site/empty").mkdir(parents=True)
    (tmp_path / "site/index.html").write_text("home")
    assert output_folders.finish(tmp_path / "site") == 1
    assert (tmp_path / "site/empty").is_dir()


def test_the_last_output_keeps_its_folders_and_loses_its_files_and_links(tmp_path):
    from infohub import output_folders

    previous, spare = tmp_path / "previous", tmp_path / "cache/folders/x"
    (previous / "a/b").mkdir(parents=True)
    (previous / "a/b/index.html").write_text("page")
    (previous / "a/to-folder").symlink_to(tmp_path / "cache", target_is_directory=True)
    (previous / "file.txt").write_text("x")
    output_folders.keep_folders(previous, spare)
    assert not previous.exists()
    assert sorted(p.relative_to(spare).as_posix() for p in spare.rglob("*")) == ["a", "a/b"]


def test_an_edited_site_is_readable_by_the_web_server_under_a_strict_umask(repo):
    """The build after an edit: pages reused from the last output (hard links) and those written
    again, in folders kept from the last output, all public; as many pages as before."""
    with umask(0o077):
        [first] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
        post = next((repo / "offices/kantorcontoh/docs/berita").rglob("*.md"))
        post.write_text(post.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
        [again] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert first.ok and again.ok, again.report
    assert again.reused and again.pages == first.pages
    site = repo / "site" / "kantorcontoh"
    assert modes_below(site) == ([], [])
    assert {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()} == {0o644}
