"""`make check` warns when a social post would cut a page's summary short."""
from __future__ import annotations

import os
import subprocess
import sys


def test_a_long_description_warns_for_each_platform_that_cuts_it(repo):
    long = ("Kantor contoh membuka layanan paspor keliling di setiap kecamatan selama bulan ini, "
            "dengan jadwal yang diumumkan setiap pekan, sehingga warga yang tinggal jauh dari kantor "
            "dapat mengajukan paspor tanpa harus datang ke kota. Bawa KTP elektronik dan kartu keluarga.")
    post = repo / "offices/kantorcontoh/docs/berita/2025/panjang.md"
    post.write_text("---\ntitle: Paspor keliling\ndescription: " + long
                    + "\ndate: 2025-04-01\ncategory: pengumuman\n---\n\nIsi.\n", encoding="utf-8")
    env = {**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": "id"}
    result = subprocess.run([sys.executable, "-m", "infohub", "check", "--office", "kantorcontoh"],
                            capture_output=True, text=True, env=env, timeout=120)
    out = result.stdout
    block = out[out.index("offices/kantorcontoh/docs/berita/2025/panjang.md"):]
    x_line = next(line for line in block.splitlines() if "teks untuk x akan dipotong" in line)
    assert x_line.startswith("  baris 3  (peringatan) description: teks untuk x akan dipotong: ringkasan ini "
                             f"{len(long)} karakter, yang muat utuh hanya sekitar ")
    fit = int(x_line.split("sekitar ")[1].split(";")[0])
    assert 0 < fit < len(long)
    assert "teks untuk bluesky akan dipotong" in block
    assert "teks untuk mastodon akan dipotong" not in block  # 500 characters: it fits
    assert result.returncode == 0  # a warning: the merge may go ahead
