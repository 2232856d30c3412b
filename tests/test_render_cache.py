"""An edit renders again only the pages it changes (infohub/render_cache.py), and what the build
leaves is byte for byte what a clean build makes."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from infohub.build import build_sites

from conftest import ROOT, with_base_extra
from test_build import tree_digest

sys.path.insert(0, str(ROOT / "tools"))
import bench  # noqa: E402 - tools/ is not a package: the benchmark's own corpus generator

OFFICE = "kantorcontoh"


def _quiet(root: Path) -> dict:
    return {"jobs": 1, "root": root, "echo": lambda _: None}


def _pages(site: Path) -> dict[str, int]:
    """Each page of a built site and the file it is (its inode): a page reused from the last build
    is the same file, hard-linked; a page rendered again is a new one. (The 404 pages are theme
    templates, written every build.)"""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("index.html")}


def _tree(site: Path) -> tuple[dict[str, str], list[str], dict[str, int]]:
    """Everything a site's folder holds: each file's bytes (hashed), each folder (an empty one
    too: an edit's build reuses the last output's folders, infohub/output_folders.py), and each
    file's and folder's permissions."""
    modes = {p.relative_to(site).as_posix(): p.stat().st_mode & 0o777 for p in site.rglob("*")}
    return tree_digest(site), sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()), modes


def _rendered_again(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(page for page, inode in after.items() if before.get(page) != inode)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edited_post_renders_its_pages_and_the_lists_that_show_it_again(repo, tmp_path):
    site = repo / "site" / OFFICE
    first = build_sites([OFFICE], repo / "site", **_quiet(repo))
    before = _pages(site)
    assert (first[0].rendered, first[0].reused) == (len(before), 0) == (30, 0)  # both languages

    # the oldest post, in category 'kegiatan': not among the start page's newest three
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md", "\nSatu kalimat tambahan.\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))

    # the post, the news list and the category's list, in Indonesian; nothing else (its English
    # pages show its English text: before, they were rendered again too, to the same bytes)
    assert _rendered_again(before, _pages(site)) == [
        "berita/2025/layanan-keliling/index.html", "berita/index.html", "berita/kategori/kegiatan/index.html"]
    assert (result.rendered, result.reused) == (3, 27)
    assert "Satu kalimat tambahan." in (site / "berita/2025/layanan-keliling/index.html").read_text(encoding="utf-8")

    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)
    assert (repo / "site/_social" / f"{OFFICE}.json").read_bytes() == \
        (tmp_path / "clean/_social" / f"{OFFICE}.json").read_bytes()


def test_the_newest_post_also_renders_the_start_page_again(repo, tmp_path):
    site = repo / "site" / OFFICE
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    before = _pages(site)
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/hari-terbuka.en.md", "\nOne more sentence.\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    again = _rendered_again(before, _pages(site))
    assert "en/index.html" in again  # the start page lists the newest three
    assert "en/berita/kategori/acara/index.html" in again and "en/faq/index.html" not in again
    assert not [page for page in again if not page.startswith("en/")]  # the English text only
    assert result.rendered == len(again) and result.reused == 30 - len(again)
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert tree_digest(site) == tree_digest(tmp_path / "clean" / OFFICE)


def test_a_post_without_translation_renders_the_english_pages_that_show_it_again(repo, tmp_path):
    """An Indonesian post with no English version is shown in Indonesian on the English pages
    too (the fallback): its edit renders them again."""
    site = repo / "site" / OFFICE
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    before = _pages(site)
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/hanya-indonesia.md", "\nSatu kalimat tambahan.\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    again = _rendered_again(before, _pages(site))
    assert "berita/2025/hanya-indonesia/index.html" in again
    assert "en/berita/2025/hanya-indonesia/index.html" in again and "en/berita/index.html" in again
    assert "Satu kalimat tambahan." in (site / "en/berita/2025/hanya-indonesia/index.html").read_text(encoding="utf-8")
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)


def test_an_office_post_replacing_a_national_one_renders_both_languages_again(repo, tmp_path):
    """An office's own Indonesian file of a national post replaces the national one; its English
    page may show the national English text or fall back to the office's: an edit of the office's
    file renders the English pages again (their key holds every version's text then)."""
    site = repo / "site" / OFFICE
    national = repo / "national/pages/berita/2024/tarif-paspor-pp-45-2024.md"
    own = repo / f"offices/{OFFICE}/docs/berita/2024/tarif-paspor-pp-45-2024.md"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(national.read_text(encoding="utf-8") + "\nKantor ini menambahkan satu kalimat.\n", encoding="utf-8")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.ok, result.report
    before = _pages(site)
    _append(own, "\nSatu kalimat tambahan.\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    again = _rendered_again(before, _pages(site))
    assert "berita/2024/tarif-paspor-pp-45-2024/index.html" in again
    assert "en/berita/2024/tarif-paspor-pp-45-2024/index.html" in again
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)


def test_a_translation_added_renders_both_languages_pages_again(repo, tmp_path):
    """Whether a translation exists is in every language's pages (the language menu, hreflang,
    the fallback notice): adding one renders the Indonesian post's page again too."""
    site = repo / "site" / OFFICE
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    before = _pages(site)
    source = repo / f"offices/{OFFICE}/docs/berita/2025/hanya-indonesia.md"
    (source.parent / "hanya-indonesia.en.md").write_text(
        source.read_text(encoding="utf-8").replace("title:", "title: EN", 1), encoding="utf-8")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.ok, result.report
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)
    assert result.rendered + result.reused == len(_pages(site))


def test_a_template_national_data_or_config_change_renders_every_page_again(repo):
    overrides = repo / "overrides"
    overrides.unlink()  # the fixture links the project's own: this test edits a copy
    shutil.copytree(ROOT / "overrides", overrides)
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert build_sites([OFFICE], repo / "site", **_quiet(repo))[0].skipped

    _append(overrides / "main.html", "\n{#- a template edited -#}\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert (result.rendered, result.reused) == (30, 0)

    _append(repo / "national/fees.yml", "\n# national data edited\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert (result.rendered, result.reused) == (30, 0)

    with_base_extra(repo, feed_items=19)
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert (result.rendered, result.reused) == (30, 0)


def test_a_generated_corpus_after_an_edit_equals_a_clean_build(tmp_path, monkeypatch):
    root = bench.prepare(tmp_path / "corpus", 1, 24)
    monkeypatch.setenv("INFOHUB_ROOT", str(root))
    office = "kantorbench000"
    site = root / "site" / office
    build_sites([office], root / "site", **_quiet(root))
    before = _pages(site)
    _append(root / f"offices/{office}/docs/berita/2025/berita-013.md", "\nSatu kalimat tambahan.\n")
    [result] = build_sites([office], root / "site", **_quiet(root))
    # berita-013 (14 February) is the 21st newest of 24: the third page of the news list (ten a
    # page); the 5th newest of its category (n % 4 == 1, 'pengumuman'): that list's first page
    assert _rendered_again(before, _pages(site)) == [
        "berita/2025/berita-013/index.html", "berita/halaman/3/index.html",
        "berita/kategori/pengumuman/index.html"]
    assert result.rendered == 3
    build_sites([office], tmp_path / "clean", **_quiet(root))
    assert _tree(site) == _tree(tmp_path / "clean" / office)


def test_a_post_moved_to_another_date_and_category_equals_a_clean_build(repo, tmp_path):
    """The post leaves its place in every list it was in and takes another: each list that showed
    it, or shows it now, is rendered again; the start page too, as it is now the newest. (A
    category no post had before would add its list page: a new file renders every page again.)"""
    site = repo / "site" / OFFICE
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    before = _pages(site)
    for name in ("layanan-keliling.md", "layanan-keliling.en.md"):  # both languages, as the check wants
        post = repo / f"offices/{OFFICE}/docs/berita/2025/{name}"
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("date: 2025-01-15 10:00", "date: 2025-09-01 10:00")
                        .replace("category: kegiatan", "category: pengumuman"), encoding="utf-8")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.ok, result.report
    again = _rendered_again(before, _pages(site))
    assert {"index.html", "berita/index.html", "berita/kategori/kegiatan/index.html",
            "berita/kategori/pengumuman/index.html", "berita/2025/layanan-keliling/index.html"} <= set(again)
    assert "faq/index.html" not in again
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)


def test_a_deleted_post_leaves_no_folder_behind(repo, tmp_path):
    """The build's staging folder is made of the last output's folders (infohub/output_folders.py):
    those of a post deleted since, in both languages, are gone after the build."""
    site = repo / "site" / OFFICE
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/hari-terbuka.md", "\nSatu kalimat tambahan.\n")
    build_sites([OFFICE], repo / "site", **_quiet(repo))  # a build from the kept folders
    assert (repo / "site/.cache/folders" / OFFICE / "berita/2025/layanan-keliling").is_dir()
    assert not any(p.is_file() for p in (repo / "site/.cache/folders" / OFFICE).rglob("*"))
    for name in ("layanan-keliling.md", "layanan-keliling.en.md"):
        (repo / f"offices/{OFFICE}/docs/berita/2025/{name}").unlink()
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.ok, result.report
    assert not (site / "berita/2025/layanan-keliling").exists()
    assert not (site / "en/berita/2025/layanan-keliling").exists()
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)


def _record_files(repo: Path) -> dict[str, tuple[int, int]]:
    """The files of the office's page records (render_cache.py: shards) and the file each is: its
    inode and change time (a file written anew may get the inode of one deleted before it)."""
    return {p.name: (p.stat().st_ino, p.stat().st_ctime_ns)
            for p in (repo / "site/.cache/pages" / OFFICE).glob("*.json")}


def test_an_edit_writes_only_the_record_files_of_the_pages_it_renders_again(repo):
    """Before: every edit wrote all the office's records again (one file, 3 MB at 300 posts)."""
    from infohub.render_cache import shard_name

    site = repo / "site" / OFFICE
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    files, pages = _record_files(repo), _pages(site)
    assert len(files) > 20
    legacy = repo / "site/.cache/pages" / f"{OFFICE}.json"  # the one record file before the shards
    legacy.write_text('{"format": 1, "pages": {}}', encoding="utf-8")
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md", "\nSatu kalimat tambahan.\n")
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert not legacy.exists()
    again = _rendered_again(pages, _pages(site))
    assert len(again) == 3
    expected = {shard_name("en" if page.startswith("en/") else "id", page) for page in again}
    after = _record_files(repo)
    assert sorted(name for name, inode in after.items() if files.get(name) != inode) == sorted(expected)
    assert after.keys() == files.keys()
    # the records kept and those written are read back: the next edit renders again only its own pages
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/hari-terbuka.md", "\nSatu kalimat lagi.\n")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.rendered < 10 and result.rendered + result.reused == 30


def test_an_edit_undone_renders_the_post_again(repo, tmp_path):
    """The records of the pages the edit rendered describe the edited output: undoing the edit
    must not find the first build's records of them (the stale cache this would be)."""
    site = repo / "site" / OFFICE
    post = repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md"
    original = post.read_text(encoding="utf-8")
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    _append(post, "\nSatu kalimat tambahan.\n")
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    post.write_text(original, encoding="utf-8")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.rendered == 3
    assert "Satu kalimat tambahan." not in (site / "berita/2025/layanan-keliling/index.html").read_text(encoding="utf-8")
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)


def test_a_build_stopped_before_its_records_are_written_leaves_none_that_lie(repo, tmp_path, monkeypatch):
    """The new output is in place but the build stopped before writing its records (killed): the
    record files it would have changed are gone, those it kept describe the new output too."""
    from infohub import render_cache

    site = repo / "site" / OFFICE
    post = repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md"
    original = post.read_text(encoding="utf-8")
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    files = _record_files(repo)
    _append(post, "\nSatu kalimat tambahan.\n")
    monkeypatch.setattr(render_cache.RenderCache, "save", lambda self: None)
    build_sites([OFFICE], repo / "site", **_quiet(repo))
    left = _record_files(repo)
    assert len(left) < len(files) and all(files[name] == inode for name, inode in left.items())
    monkeypatch.undo()
    post.write_text(original, encoding="utf-8")
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.rendered >= 3
    build_sites([OFFICE], tmp_path / "clean", **_quiet(repo))
    assert _tree(site) == _tree(tmp_path / "clean" / OFFICE)


def test_a_reused_page_has_the_front_matter_and_markdown_its_source_gives(repo, monkeypatch):
    """A reused page's page.meta and page.markdown come from its record (the YAML is not parsed
    again): each is what the engine's read_source gives for the source as it is now, types too."""
    from mkdocs.utils import meta as front_matter

    from infohub import render_cache

    build_sites([OFFICE], repo / "site", **_quiet(repo))
    # the English text: both languages are built (an edit in Indonesian alone leaves the English
    # build out whole, language_reuse.py, and its pages are not read at all)
    _append(repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.en.md", "\nOne more sentence.\n")
    kept = render_cache._kept_source
    compared = []

    def checked(page, config, record):
        used = kept(page, config, record)
        if used:
            markdown, meta = front_matter.get_data(page.file.content_string)
            assert (page.markdown, repr(page.meta)) == (markdown, repr(meta)), page.file.src_uri
            compared.append(type(meta.get("date")).__name__)
        return used

    monkeypatch.setattr(render_cache, "_kept_source", checked)
    [result] = build_sites([OFFICE], repo / "site", **_quiet(repo))
    assert result.reused == len(compared) == 27
    assert {"date", "str"} <= set(compared)  # dates kept as dates, "2025-01-15 10:00" as the text it is


@pytest.mark.parametrize("yaml_text", [
    "title: a\ndate: 2025-01-02\nx: [1, 2.5, null, true, {b: 2025-01-02 10:11:12.5}]\n",
    "a: -0.0\nb: 12345678901234567890\nc: ''\nd: {}\ne: []\n"])
def test_front_matter_kept_in_a_record_comes_back_the_same(yaml_text):
    import json

    import yaml

    from infohub import render_cache

    meta = yaml.load(yaml_text, Loader=yaml.CSafeLoader)
    back = render_cache._decoded(json.loads(json.dumps(render_cache._encoded(meta)[0])))
    assert repr(back) == repr(meta)


@pytest.mark.parametrize("yaml_text", [
    "date: 2025-01-02T10:00:00+07:00\n",  # a zone: JSON has no way to say which
    "1: x\n",  # a key that is not a string
    'a: {"\\0date": "2025-01-02"}\n',  # a key that reads as the record's own tag
    "a: !!binary aGVsbG8=\n", "a: !!set {x, y}\n"])
def test_front_matter_json_cannot_hold_is_not_kept(yaml_text):
    import yaml

    from infohub import render_cache

    assert render_cache._encoded(yaml.load(yaml_text, Loader=yaml.CSafeLoader)) is None
