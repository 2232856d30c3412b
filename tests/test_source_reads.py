"""A build reads each source page once (paths.source_bytes): the content model's loaders, the
render cache's page keys, its language versions' hash and its kept front matter share the bytes."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from infohub import build, paths
from infohub.build import build_sites
from infohub.files import text_of

OFFICE = "kantorcontoh"
POST = f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md"


@pytest.mark.parametrize("data", [
    b"a\nb\n", b"\xef\xbb\xbfbom\r\ncrlf\r\n", b"cr\ronly\r", b"mixed\r\n\r\r\n\n", b"\r", b"",
    "teks \u00e9\u2019 \U0001f600\r\n".encode(), b"\xef\xbb\xbf", b"no end"])
def test_text_of_is_what_a_text_file_read_gives(tmp_path, data):
    path = tmp_path / "page.md"
    path.write_bytes(data)
    with open(path, encoding="utf-8-sig") as text_file:
        assert text_of(data) == text_file.read()


def test_text_of_refuses_what_a_text_file_read_refuses(tmp_path):
    path = tmp_path / "page.md"
    path.write_bytes(b"caf\xe9\r\n")
    with pytest.raises(UnicodeDecodeError), open(path, encoding="utf-8-sig") as text_file:
        text_file.read()
    with pytest.raises(UnicodeDecodeError):
        text_of(b"caf\xe9\r\n")


def test_source_bytes_are_read_again_once_the_files_may_have_changed(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"one")
    with paths.files_unchanged():
        assert paths.source_bytes(page) == b"one"
        page.write_bytes(b"two")
        assert paths.source_bytes(str(page)) == b"one"  # a Path and its text name the same file
    assert paths.source_bytes(page) == b"two"


def _opened(repo: Path, monkeypatch) -> Counter:
    """How often each source file of the office is opened while the office is built (not by the
    manifest's input hashes, which read a file written less than two seconds ago again)."""
    opened: Counter = Counter()
    docs = str(repo / f"offices/{OFFICE}/docs")
    building = []
    build_site = build.build_site

    def counted(*args, **kwargs):
        building.append(True)
        try:
            return build_site(*args, **kwargs)
        finally:
            building.pop()

    monkeypatch.setattr(build, "build_site", counted)

    def audit(event, args):
        if building and event == "open" and args and isinstance(args[0], str) and args[0].startswith(docs):
            opened[Path(args[0]).relative_to(repo).as_posix()] += 1

    hooks = getattr(sys, "_infohub_test_audit", None)
    if hooks is None:  # an audit hook cannot be removed: one for the session, switched by a list
        hooks = sys._infohub_test_audit = []
        sys.addaudithook(lambda event, args: [hook(event, args) for hook in list(hooks)])
    hooks.append(audit)
    try:
        [result] = build.build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    finally:
        hooks.remove(audit)
    assert result.ok, result.report
    return opened


def test_an_edit_reads_each_post_once(repo, monkeypatch):
    """Before: four times (the loaders' text, the page's key, its versions' hash, its kept Markdown)."""
    build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    post = repo / POST
    post.write_text(post.read_text(encoding="utf-8") + "\nSatu kalimat tambahan.\n", encoding="utf-8")
    opened = _opened(repo, monkeypatch)
    posts = {name: count for name, count in opened.items() if "/berita/2025/" in name and name.endswith(".md")}
    assert len(posts) == 9  # the office's posts, in their languages
    # the edited post's page is rendered again (its English page is not): the engine's read_source
    # reads it once more
    assert posts == {name: (2 if name == POST else 1) for name in posts}
