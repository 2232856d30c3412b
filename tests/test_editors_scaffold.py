"""Scaffolding: `make new-office` and `make new-post` make valid content at once,
and say exactly what is wrong otherwise."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from infohub.build import build_sites
from infohub.checks import Scope, run_checks
from infohub.content import load_page
from infohub.scaffold import ScaffoldError, create_office, create_post, slugify_title
from infohub.sitedata import load_site


def run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "infohub", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "id"})


def test_new_office_is_valid_and_builds_at_once(repo, tmp_path):
    folder = create_office("kantorbaru", "Kantor Imigrasi Baru", "Kota Baru", "Provinsi Baru", "Asia/Makassar",
                           root=repo)
    assert folder == repo / "offices" / "kantorbaru"
    site = load_site("kantorbaru", repo)
    assert site.office.timezone == "Asia/Makassar" and site.office.domain == "kantorbaru.id"
    errors = [p for p in run_checks(Scope(repo, ["kantorbaru"], include_hub=False)) if p.severity == "error"]
    assert errors == []
    [result] = build_sites(["kantorbaru"], tmp_path / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    assert (tmp_path / "site" / "kantorbaru" / "index.html").is_file()
    assert (tmp_path / "site" / "kantorbaru" / "en" / "index.html").is_file()


@pytest.mark.parametrize("args, message", [
    (["--slug", "Kantor Baru", "--tz", "Asia/Jakarta"],
     "Slug 'Kantor Baru' tidak sah: pakai huruf kecil, angka dan tanda hubung, seperti 'imigrasiblitar'."),
    (["--slug", "kantorbaru", "--tz", "WIB"],
     "Zona waktu 'WIB' tidak dikenal; pilih salah satu: Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura."),
    (["--slug", "kantorcontoh", "--tz", "Asia/Jakarta"],
     "offices/kantorcontoh sudah ada; tidak ada yang ditimpa."),
])
def test_new_office_refuses_with_exact_messages(repo, args, message):
    before = sorted(p.name for p in (repo / "offices").iterdir())
    result = run(repo, "new-office", "--name", "Kantor Imigrasi Baru", "--city", "K", "--province", "P", *args)
    assert result.returncode == 2
    assert result.stderr.strip() == message
    assert sorted(p.name for p in (repo / "offices").iterdir()) == before


def test_new_post_creates_dated_drafts_in_both_languages(repo):
    # 2025-06-30 17:30 UTC is already 1 July in Jayapura (UTC+9), the fixture office's zone
    now = dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.timezone.utc)
    id_file, en_file = create_post("kantorcontoh", "Layanan Paspor: Sabtu & Minggu!", root=repo, now=now)
    folder = repo / "offices/kantorcontoh/docs/berita/2025"
    assert (id_file, en_file) == (folder / "layanan-paspor-sabtu-minggu.md", folder / "layanan-paspor-sabtu-minggu.en.md")
    for file in (id_file, en_file):
        source, problems = load_page(file)
        assert problems == []
        assert source.meta.title == "Layanan Paspor: Sabtu & Minggu!"
        assert source.meta.date == dt.date(2025, 7, 1)
        assert source.meta.category == "pengumuman" and source.meta.draft is True
    assert frontmatter.load(id_file).content == "Tulis isi berita di sini."
    found = [p for p in run_checks(Scope(repo, ["kantorcontoh"], include_hub=False))
             if "layanan-paspor-sabtu-minggu" in p.path]
    assert found == []


def test_new_post_command_explains_how_to_publish(repo):
    result = run(repo, "new-post", "--office", "kantorcontoh", "--title", "Libur Idulfitri")
    assert result.returncode == 0, result.stderr
    year = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).year
    assert result.stdout.startswith(
        "Berita baru dibuat sebagai draf:\n"
        f"  offices/kantorcontoh/docs/berita/{year}/libur-idulfitri.md\n"
        f"  offices/kantorcontoh/docs/berita/{year}/libur-idulfitri.en.md\n")
    assert ("Untuk menerbitkannya: hapus baris 'draft: true' (atau ubah menjadi 'draft: false') di kedua berkas, "
            "jalankan make check, lalu ajukan pull request.") in result.stdout
    again = run(repo, "new-post", "--office", "kantorcontoh", "--title", "Libur Idulfitri")
    assert again.returncode == 2
    assert again.stderr.strip() == (f"offices/kantorcontoh/docs/berita/{year}/libur-idulfitri.md sudah ada; "
                                    "tidak ada yang ditimpa. Pakai judul lain.")


@pytest.mark.parametrize("office, title, message", [
    ("kantorcontoh", "?!", "Judul berita kosong atau tidak berisi huruf/angka; tulis judulnya, misalnya "
                           "TITLE=\"Layanan paspor hari Sabtu\"."),
    ("kantortidakada", "Judul", "Kantor 'kantortidakada' tidak ada. Kantor yang ada: kantorcontoh"),
])
def test_new_post_refuses_with_exact_messages(repo, office, title, message):
    with pytest.raises(ScaffoldError) as caught:
        create_post(office, title, root=repo)
    from infohub import messages
    assert messages.t(caught.value.key, "id", **caught.value.values) == message


def test_slugify_title():
    assert slugify_title("Pelayanan Paspor di Kantor Imigrasi Kelas I Khusus Jakarta Timur pada Hari Sabtu dan Minggu") \
        == "pelayanan-paspor-di-kantor-imigrasi-kelas-i-khusus-jakarta"
    assert slugify_title("Café résumé 2025") == "cafe-resume-2025"
