"""The clean build's file-system work (issue 23): an output file's folder made only when it is
missing (output_writes.py, files.replace_file, cards), each theme asset copied once per site
(theme_cache.py), a cached card linked straight into a new place -- with the same files, the
same bytes and nothing stale or written into."""
from __future__ import annotations

import filecmp
import os
import shutil
import stat
from pathlib import Path

import pytest

from infohub import build, cards, engine, output_writes, theme_cache
from infohub.build import build_sites
from infohub.files import replace_file


@pytest.fixture(scope="module", autouse=True)
def _installed():
    build._worker_init()  # what the build driver's workers install: output_writes among them


@pytest.fixture
def mkdirs(monkeypatch) -> list[str]:
    """Every folder os.mkdir is asked to make (os.makedirs and Path.mkdir call it), with ' (there)'
    after one that was there already."""
    asked: list[str] = []
    original = os.mkdir

    def counting(path, *args, **kwargs):
        try:
            original(path, *args, **kwargs)
        except FileExistsError:
            asked.append(f"{os.fspath(path)} (there)")
            raise
        except FileNotFoundError:
            raise  # its parent is missing: Path.mkdir makes it and asks again
        asked.append(os.fspath(path))

    monkeypatch.setattr(os, "mkdir", counting)
    return asked


def test_the_engine_writes_a_file_into_a_missing_folder_and_makes_no_folder_that_is_there(tmp_path, mkdirs):
    utils = engine.build_module().utils
    assert utils.write_file is output_writes.write_file
    utils.write_file(b"one", str(tmp_path / "a" / "b" / "index.html"))
    assert mkdirs == [str(tmp_path / "a"), str(tmp_path / "a" / "b")]
    utils.write_file(b"two", str(tmp_path / "a" / "b" / "other.html"))
    utils.write_file(b"three", str(tmp_path / "a" / "b" / "index.html"))
    assert len(mkdirs) == 2
    assert (tmp_path / "a" / "b" / "index.html").read_bytes() == b"three"
    assert (tmp_path / "a" / "b" / "other.html").read_bytes() == b"two"


def test_the_engine_copies_a_file_as_it_did_into_a_missing_folder_a_folder_or_from_nowhere(tmp_path, mkdirs):
    utils = engine.build_module().utils
    source = tmp_path / "style.css"
    source.write_bytes(b"body{}")
    utils.copy_file(str(source), str(tmp_path / "out" / "assets" / "style.css"))
    assert (tmp_path / "out" / "assets" / "style.css").read_bytes() == b"body{}"
    (tmp_path / "out" / "assets" / "style.css").unlink()
    utils.copy_file(str(source), str(tmp_path / "out" / "assets"))  # a folder: copied into it
    assert (tmp_path / "out" / "assets" / "style.css").read_bytes() == b"body{}"
    made = len(mkdirs)
    utils.copy_file(str(source), str(tmp_path / "out" / "again.css"))
    assert len(mkdirs) == made
    assert (tmp_path / "out" / "again.css").read_bytes() == b"body{}"
    with pytest.raises(FileNotFoundError):
        utils.copy_file(str(tmp_path / "absent.css"), str(tmp_path / "out" / "absent.css"))


def test_a_theme_asset_is_a_link_to_one_copy_never_written_into(tmp_path, monkeypatch):
    monkeypatch.setenv("INFOHUB_CACHE_DIR", str(tmp_path / "cache"))
    copies: list[str] = []
    original = shutil.copyfile
    monkeypatch.setattr(shutil, "copyfile", lambda src, dst, **kw: original(src, dst, **kw) and copies.append(dst))
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "bundle.js").write_bytes(b"theme")
    first, second = (theme_cache.ThemeFile("assets/bundle.js", str(theme), str(tmp_path / site), True)
                     for site in ("one", "two"))
    first.copy_file()
    first.copy_file()  # the next language's build of the same site: the link is there
    second.copy_file()
    [shared] = (tmp_path / "cache" / "theme" / "files").rglob("*.js")
    one, two = Path(first.abs_dest_path), Path(second.abs_dest_path)
    assert copies == [] and os.path.samefile(one, shared) and os.path.samefile(two, shared)
    assert shared.stat().st_nlink == 3 and stat.S_IMODE(shared.stat().st_mode) == 0o644
    one.unlink()
    one.write_bytes(b"other")  # something else wrote there since: replaced by the link, not written into
    os.link(one, tmp_path / "held")
    first.copy_file()
    assert os.path.samefile(one, shared) and (tmp_path / "held").read_bytes() == b"other"
    assert shared.read_bytes() == b"theme" and sorted(p.name for p in one.parent.iterdir()) == ["bundle.js"]
    (theme / "assets" / "bundle.js").write_bytes(b"theme 2")  # another version of the theme
    first.copy_file()
    second.copy_file()
    assert copies == [] and one.read_bytes() == two.read_bytes() == b"theme 2" and shared.read_bytes() == b"theme"
    assert os.path.samefile(one, two) and len(list((tmp_path / "cache" / "theme" / "files").rglob("*.js"))) == 2
    assert shared.stat().st_nlink == 1  # the old version's copy, in no site now
    monkeypatch.setattr(theme_cache, "_shared", {})  # the next run (another process) finds its copy
    (theme / "assets" / "bundle.js").write_bytes(b"theme")
    shutil.rmtree(tmp_path / "one")
    first.copy_file()
    assert os.path.samefile(one, shared) and len(list((tmp_path / "cache" / "theme" / "files").rglob("*.js"))) == 2


def test_replace_file_makes_a_missing_folder_and_none_that_is_there(tmp_path, mkdirs):
    replace_file(tmp_path / "x" / "record.json", b"{}")
    replace_file(tmp_path / "x" / "other.json", b"[]")
    assert mkdirs == [str(tmp_path / "x")]
    assert (tmp_path / "x" / "record.json").read_bytes() == b"{}"
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["other.json", "record.json"]


def test_a_cached_card_is_linked_into_a_new_place_and_replaces_an_old_one_whole(tmp_path):
    cached = tmp_path / "cache" / "ab" / "abcd.jpg"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"new card")
    target = tmp_path / "site" / "assets" / "cards" / "faq.jpg"
    cards._place(cached, target)  # its folder made
    assert os.path.samefile(cached, target)
    old = tmp_path / "published" / "faq.jpg"
    old.parent.mkdir()
    old.write_bytes(b"old card")
    kept = tmp_path / "reader.jpg"
    os.link(old, kept)  # what a reader (or the last output) still holds of the old file
    cards._place(cached, old)
    assert os.path.samefile(cached, old)
    assert kept.read_bytes() == b"old card"  # replaced, never written into
    assert sorted(p.name for p in old.parent.iterdir()) == ["faq.jpg"]  # no link left behind
    with pytest.raises(FileNotFoundError):
        cards._place(tmp_path / "cache" / "absent.jpg", tmp_path / "site" / "x.jpg")


def test_a_built_site_has_every_theme_asset_as_material_ships_it(repo, tmp_path, mkdirs):
    """Each theme asset is the theme's file, linked by the first language's build alone; no folder
    of the output is made twice, and the engine asks for none that is there."""
    site_root = tmp_path / "site"
    build_sites(["kantorcontoh"], site_root, jobs=1, root=repo, echo=lambda _: None)
    import material

    theme = Path(material.__file__).parent / "templates"
    site = site_root / "kantorcontoh"
    assets = [p for p in (site / "assets").rglob("*") if p.is_file() and "cards" not in p.parts]
    from_material = [p for p in assets if (theme / p.relative_to(site)).is_file()]
    assert len(from_material) > 40
    for path in from_material:
        assert filecmp.cmp(path, theme / path.relative_to(site), shallow=False), path
        assert path.stat().st_nlink == 2  # the build cache's copy and this site's
    staging = [m.split(".staging-kantorcontoh", 1)[1] for m in mkdirs if ".staging-kantorcontoh" in m]
    folders = sorted([""] + [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()])
    assert sorted(m.removeprefix("/") for m in staging if not m.endswith(" (there)")) == folders
    # asked of a folder that was there, by hooks that write a file or two per language (the feeds,
    # the search index, the English feeds) and by each of a post's pictures; none by the engine
    assert sorted(m for m in staging if m.endswith(" (there)")) == [
        " (there)", "/assets/javascripts/lunr/min (there)", "/assets/javascripts/lunr/min (there)"] + [
        "/berita/2025/gambar (there)"] * 4 + ["/en (there)"]


def test_the_engine_never_writes_into_a_file_another_name_shares(tmp_path):
    """A page or asset of the output may be a hard link (a theme asset, a reused page, a card):
    the engine's write makes a new file, and the other names keep their bytes."""
    utils = engine.build_module().utils
    shared = tmp_path / "cache" / "page.html"
    shared.parent.mkdir()
    shared.write_bytes(b"shared")
    page, asset = tmp_path / "site" / "index.html", tmp_path / "site" / "style.css"
    page.parent.mkdir()
    os.link(shared, page)
    os.link(shared, asset)
    utils.write_file(b"page", str(page))
    source = tmp_path / "style.css"
    source.write_bytes(b"css")
    utils.copy_file(str(source), str(asset))
    assert (page.read_bytes(), asset.read_bytes(), shared.read_bytes()) == (b"page", b"css", b"shared")
    assert shared.stat().st_nlink == 1
    generated = engine.build_module().File("robots.txt", None, str(tmp_path / "site"), True)
    generated.content_bytes = b"generated"  # a file a plugin gives its bytes, written from memory
    os.link(shared, tmp_path / "site" / "robots.txt")
    generated.copy_file()
    assert (tmp_path / "site" / "robots.txt").read_bytes() == b"generated" and shared.read_bytes() == b"shared"
    written = tmp_path / "site" / "written.js"  # a file a plugin wrote into the site, linked elsewhere
    written.write_bytes(b"js")
    os.link(written, tmp_path / "elsewhere.js")
    with pytest.raises(shutil.SameFileError):
        utils.copy_file(str(written), str(written))  # File.copy_file lets this pass, as before
    assert written.read_bytes() == b"js" and written.stat().st_nlink == 2
