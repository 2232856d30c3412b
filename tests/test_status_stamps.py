"""What the hooks read from a file and keep in memory is read again once the file's bytes
changed, whatever its size and modification time say (files.status_stamp): `make serve` builds
again and again in one process while the files are edited, and `cp -p`, `rsync -t` or a tool
that restores times leave other bytes of the same size and modification time."""
from __future__ import annotations

import os
from pathlib import Path

from infohub import content, hub_address
from infohub.checks import domains

OFFICE = "kantorcontoh"


def _rewrite_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new) and old in path.read_text(encoding="utf-8")
    status = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)


def test_a_page_is_read_again(repo):
    page = repo / f"offices/{OFFICE}/docs/berita/2025/layanan-keliling.md"
    assert content.load_page(page)[0].meta.title == "Layanan paspor keliling di kecamatan contoh"
    _rewrite_keeping_size_and_time(page, "kecamatan contoh\n", "kecamatan cantik\n")
    assert content.load_page(page)[0].meta.title == "Layanan paspor keliling di kecamatan cantik"


def test_the_national_data_is_read_again(repo):
    assert content.load_national(repo)[0].fees.legal_basis.id.startswith("PP 45/2024 ")
    _rewrite_keeping_size_and_time(repo / "national/fees.yml", "id: PP 45/2024", "id: PP 46/2024")
    assert content.load_national(repo)[0].fees.legal_basis.id.startswith("PP 46/2024 ")


def test_an_office_domain_is_read_again(repo):
    office = repo / f"offices/{OFFICE}/office.yml"
    assert domains._domain_of(office)[0] == "kantorcontoh.id"
    _rewrite_keeping_size_and_time(office, "domain: kantorcontoh.id", "domain: kantorcontah.id")
    assert domains._domain_of(office)[0] == "kantorcontah.id"


def test_the_hub_address_is_read_again(repo):
    settings = repo / "offices/_hub/mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "site_url: https://infohub.example.org/", "site_url: https://infohub.imigrasi.go.id/"), encoding="utf-8")
    assert hub_address.public_hub_url(repo) == "https://infohub.imigrasi.go.id/"
    _rewrite_keeping_size_and_time(settings, "https://infohub.imigrasi.go.id/", "https://infohab.imigrasi.go.id/")
    assert hub_address.public_hub_url(repo) == "https://infohab.imigrasi.go.id/"


def test_a_refused_office_file_is_read_again(repo):
    from infohub.yamlsource import YamlSyntaxError, load_yaml_file

    office = repo / f"offices/{OFFICE}/office.yml"
    office.write_text("domain: [kantorcontoh.id\n", encoding="utf-8")
    try:
        load_yaml_file(office, "office.yml")
        raise AssertionError("not refused")
    except YamlSyntaxError as refused:
        assert refused.problem.code == "yaml_incomplete"
    _rewrite_keeping_size_and_time(office, "domain: [kantorcontoh.id", "domain:  kantorcontoh.id")
    assert load_yaml_file(office, "office.yml")[0] == {"domain": "kantorcontoh.id"}


def test_a_picture_is_resized_again(tmp_path):
    import io

    from PIL import Image

    from infohub import images

    def png(colour: tuple[int, int, int]) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (400, 300), colour).save(out, "PNG", compress_level=0)  # the same size
        return out.getvalue()

    source = tmp_path / "foto.png"
    source.write_bytes(png((200, 10, 10)))
    first = images.resize(source, "berita/gambar/foto.png", tmp_path / "cache")
    status = source.stat()
    source.write_bytes(png((10, 200, 10)))
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (source.stat().st_size, source.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    again = images.resize(source, "berita/gambar/foto.png", tmp_path / "cache")
    assert again.largest.path != first.largest.path  # another content: another name
    with Image.open(again.largest.cached) as copy:
        assert copy.convert("RGB").getpixel((0, 0)) == (10, 200, 10)
