"""The build: languages, hreflang, fallback notice, failures that keep the last good site,
reproducible output, and the real repository's thirty offices and hub."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


from infohub import paths
from infohub.build import build_sites, shard

from conftest import ROOT, site_config_file


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "INFOHUB_ROOT": str(root), "INFOHUB_LANG": "id", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "infohub", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def head_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


# --- a built fixture office ---------------------------------------------------------


def test_pages_exist_in_both_languages(built_repo):
    site = built_repo / "site" / "kantorcontoh"
    for page in ("", "layanan/", "biaya/", "jam-layanan/", "faq/", "berita/"):
        assert (site / page / "index.html").is_file(), page
        assert (site / "en" / page / "index.html").is_file(), page


def test_every_page_has_hreflang_alternates_and_x_default(built_repo):
    site = built_repo / "site" / "kantorcontoh"
    pages = [p for p in site.rglob("index.html")]
    assert len(pages) >= 16
    for page in pages:
        path = page.parent.relative_to(site).as_posix()
        path = "" if path == "." else path + "/"
        if path.startswith("en/") or path == "en/":
            path = path[3:]
        links = head_links(page.read_text(encoding="utf-8"))
        assert links == {
            "id": f"https://kantorcontoh.id/{path}",
            "en": f"https://kantorcontoh.id/en/{path}",
            "x-default": f"https://kantorcontoh.id/{path}",
        }, page


def test_language_switcher_and_per_language_site_name(built_repo):
    id_home = (built_repo / "site/kantorcontoh/index.html").read_text(encoding="utf-8")
    en_home = (built_repo / "site/kantorcontoh/en/index.html").read_text(encoding="utf-8")
    assert "<title>Beranda - Kantor Imigrasi Contoh</title>" in id_home
    assert "<title>Home - Example Immigration Office</title>" in en_home
    assert '<html lang="id"' in id_home and '<html lang="en"' in en_home
    # Material's language menu links each translation
    assert '<a href="/en/" hreflang="en" class="md-select__link">' in id_home
    assert '<a href="/" hreflang="id" class="md-select__link">' in en_home
    fees = (built_repo / "site/kantorcontoh/en/biaya/index.html").read_text(encoding="utf-8")
    assert '<a href="../../biaya/" hreflang="id" class="md-select__link">' in fees


def test_untranslated_page_falls_back_with_a_notice_in_the_readers_language(built_repo):
    fallback = (built_repo / "site/kantorcontoh/en/berita/2025/hanya-indonesia/index.html").read_text(encoding="utf-8")
    assert "This page has not been translated yet, so it is shown in Indonesian." in fallback
    assert "Berita ini hanya ada dalam bahasa Indonesia." in fallback
    assert '<div class="h-entry infohub-post" lang="id">' in fallback
    # the original is what search engines should index
    assert '<link rel="canonical" href="https://kantorcontoh.id/berita/2025/hanya-indonesia/">' in fallback
    translated = (built_repo / "site/kantorcontoh/en/berita/2025/layanan-akhir-pekan/index.html").read_text(encoding="utf-8")
    assert "has not been translated" not in translated
    assert '<link rel="canonical" href="https://kantorcontoh.id/en/berita/2025/layanan-akhir-pekan/">' in translated
    original = (built_repo / "site/kantorcontoh/berita/2025/hanya-indonesia/index.html").read_text(encoding="utf-8")
    assert "belum diterjemahkan" not in original


def test_home_renders_contacts_as_links(built_repo):
    home = (built_repo / "site/kantorcontoh/index.html").read_text(encoding="utf-8")
    assert 'href="https://wa.me/628110000000"' in home
    assert 'href="tel:+62911000000"' in home
    assert 'href="mailto:info@kantorcontoh.example.org"' in home
    assert 'href="https://maps.example.org/kantorcontoh"' in home


def test_an_office_without_contacts_renders_gracefully(repo):
    office = repo / "offices/kantorcontoh/office.yml"
    text = office.read_text(encoding="utf-8")
    text = re.sub(r"contact:\n(  .*\n)+", "", text)
    text = re.sub(r"address: .*\n", "", text)
    office.write_text(text, encoding="utf-8")
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    home = (repo / "site/kantorcontoh/index.html").read_text(encoding="utf-8")
    # one notice says what is missing and what to do instead (it said "not filled in" line by line)
    assert home.count('class="admonition info infohub-missing"') == 1
    assert "Situs ini belum memuat alamat dan nomor telepon kantor ini" in home
    assert "tel:" not in home and "wa.me" not in home


def test_a_third_language_is_a_config_change(repo):
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace(
        "languages:\n  - id\n  - en\n", "languages:\n  - id\n  - en\n  - ar\n"),
                      encoding="utf-8")
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    ar_page = (repo / "site/kantorcontoh/ar/biaya/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" class="no-js">' in ar_page
    assert 'dir="rtl"' in ar_page
    assert "لم تُترجم هذه الصفحة بعد، لذلك تُعرض باللغة الإندونيسية." in ar_page
    assert head_links(ar_page)["ar"] == "https://kantorcontoh.id/ar/biaya/"
    id_page = (repo / "site/kantorcontoh/biaya/index.html").read_text(encoding="utf-8")
    assert set(head_links(id_page)) == {"id", "en", "ar", "x-default"}


# --- failures keep the last good output -------------------------------------------------


BROKEN = """
warna: merah
hours:
  monday: ["25:00-26:00"]
hashtags: KantorContoh
"""


def test_a_relative_out_folder_is_read_from_where_the_command_runs(repo):
    # as the pull request workflow runs it: `preview --out preview`, `site --out DIR`
    env = {**os.environ, "INFOHUB_LANG": "id", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("INFOHUB_ROOT", None)
    run = subprocess.run([sys.executable, "-m", "infohub", "site", "--office", "kantorcontoh", "--out", "keluaran"],
                         capture_output=True, text=True, env=env, timeout=300, cwd=repo)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (repo / "keluaran/kantorcontoh/index.html").is_file()
    assert not (repo / "offices/kantorcontoh/keluaran").exists()  # nothing in the office's folder


def test_broken_office_fails_check_and_site_and_keeps_previous_output(repo):
    first = run_cli(repo, "site", "--office", "kantorcontoh")
    assert first.returncode == 0, first.stdout + first.stderr
    before = tree_digest(repo / "site/kantorcontoh")

    office = repo / "offices/kantorcontoh/office.yml"
    text = office.read_text(encoding="utf-8")
    text = re.sub(r"hours:\n(  .*\n)+", "", text).replace("hashtags:\n  - KantorContoh\n", "")
    office.write_text(text + BROKEN.lstrip("\n"), encoding="utf-8")
    lines = office.read_text(encoding="utf-8").splitlines()
    warna, monday, hashtags = (lines.index(l) + 1 for l in
                               ("warna: merah", '  monday: ["25:00-26:00"]', "hashtags: KantorContoh"))
    expected = [
        "KESALAHAN  offices/kantorcontoh/office.yml",
        f"  baris {warna}  warna: kunci tidak dikenal 'warna'; kunci yang boleh: address, alert, channels, city, class, contact, description, domain, faq, feedback, fees, geo, hashtags, hours, languages, map_url, name, province, services, social, sources, timezone",
        f"  baris {monday}  hours.monday.0: diharapkan rentang jam seperti '08:00-11:30', tertulis '25:00-26:00'",
        f"  baris {hashtags}  hashtags: diharapkan daftar (setiap butir diawali '- '), tertulis 'KantorContoh'",
    ]

    check = run_cli(repo, "check")
    assert check.returncode == 1
    out = check.stdout.splitlines()
    start = out.index(expected[0])
    assert out[start:start + 4] == expected
    assert "3 kesalahan di 1 berkas; perbaiki dulu sebelum digabungkan." in check.stdout
    assert "Traceback" not in check.stdout + check.stderr

    site = run_cli(repo, "site", "--office", "kantorcontoh")
    assert site.returncode == 1
    out = site.stdout.splitlines()
    assert "[1/1] kantorcontoh: GAGAL — keluaran sebelumnya dibiarkan utuh" in out
    for line in expected:
        assert line in out
    assert "3 kesalahan di 1 berkas; situs ini tidak dibangun; keluaran sebelumnya dibiarkan utuh." in out
    assert "Situs yang gagal: kantorcontoh" in out
    assert "Traceback" not in site.stdout + site.stderr
    assert tree_digest(repo / "site/kantorcontoh") == before
    assert not list((repo / "site").glob(".staging-*"))


def test_a_failing_office_does_not_stop_the_others(repo):
    (repo / "offices/kantorcontoh/office.yml").write_text("name: [\n", encoding="utf-8")
    result = run_cli(repo, "site")
    assert result.returncode == 1
    assert "Selesai: 1 situs dibangun, 0 tidak berubah, 1 gagal" in result.stdout
    assert (repo / "site/hub/index.html").is_file()


def test_unknown_office_is_named(repo):
    result = run_cli(repo, "site", "--office", "kantortidakada")
    assert result.returncode != 0
    assert "Kantor 'kantortidakada' tidak ada. Kantor yang ada: kantorcontoh" in result.stderr


# --- reproducible, and nothing written into the source tree ------------------------------


def test_builds_are_reproducible_and_leave_the_source_tree_alone(repo, tmp_path):
    def source_digest() -> dict[str, str]:
        return {k: v for k, v in tree_digest(repo).items() if not k.startswith("site/")}

    before = source_digest()
    build_sites(["kantorcontoh", "hub"], tmp_path / "a", jobs=1, root=repo, echo=lambda _: None)
    build_sites(["kantorcontoh", "hub"], tmp_path / "b", jobs=1, root=repo, echo=lambda _: None)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert source_digest() == before


# --- shards ------------------------------------------------------------------------------------


def test_shards_are_balanced_and_together_are_everything():
    slugs = [f"kantor{i:02d}" for i in range(31)]
    shares = [shard(slugs, i, 4) for i in range(1, 5)]
    assert sorted(s for share in shares for s in share) == sorted(slugs)
    assert {len(share) for share in shares} <= {7, 8}
    assert shard(slugs, 2, 4) == shard(list(reversed(slugs)), 2, 4)


def test_bad_shard_is_explained(repo):
    result = run_cli(repo, "site", "--shard", "5/4")
    assert result.returncode == 2
    assert "SHARD harus berbentuk I/N dengan 1 ≤ I ≤ N, seperti '2/4'; tertulis '5/4'" in result.stderr


# --- the real repository ------------------------------------------------------------------------


DESIGN_OFFICES = """imigrasibanyumanik imigrasijakartatimur imigrasilombok imigrasiblitar imigrasiaceh
imigrasiambon imigrasibalikpapan imigrasibandarlampung imigrasibangkabelitung imigrasibantul imigrasibatam
imigrasibatu imigrasibaturaja imigrasiblangpidie imigrasicandisari imigrasidepok imigrasigorontalo
imigrasigunungkidul imigrasijakartabarat imigrasikutacane imigrasimakassar imigrasimeulaboh
imigrasipadangsidempuan imigrasipalangkaraya imigrasiprabumulih imigrasisalatiga imigrasisleman
imigrasitebingtinggi imigrasitegal kantorimigrasibandung""".split()


def test_the_thirty_offices_exist_with_their_time_zones():
    from infohub.content import load_national, load_office

    assert paths.office_slugs(ROOT) == sorted(DESIGN_OFFICES)
    national, problems = load_national(ROOT)
    assert problems == []
    zones = {}
    for slug in DESIGN_OFFICES:
        office, problems = load_office(slug, national, ROOT)
        assert office is not None, problems
        assert office.domain == f"{slug}.id"
        assert office.name.has("en")
        zones[slug] = office.tz_label
    assert zones["imigrasiambon"] == "WIT"
    assert {s for s, z in zones.items() if z == "WITA"} == {
        "imigrasilombok", "imigrasibalikpapan", "imigrasimakassar", "imigrasigorontalo"}
    assert sum(z == "WIB" for z in zones.values()) == 25


def test_no_unverified_contact_facts_are_seeded():
    """Address and phone numbers stay empty until an editor verifies them."""
    from infohub.content import load_national, load_office

    national, _ = load_national(ROOT)
    for slug in DESIGN_OFFICES:
        office, _ = load_office(slug, national, ROOT)
        assert office.address is None and office.contact.phone is None and office.contact.whatsapp is None


def test_the_hub_lists_every_office_grouped_by_province(tmp_path):
    [result] = build_sites(["hub"], tmp_path, jobs=1, root=ROOT, echo=lambda _: None)
    assert result.ok, result.report
    html = (tmp_path / "hub/index.html").read_text(encoding="utf-8")
    for slug in DESIGN_OFFICES:
        assert f'href="https://{slug}.id/"' in html, slug
    assert '<h2 id="jawa-timur">Jawa Timur</h2>' in html
    english = (tmp_path / "hub/en/index.html").read_text(encoding="utf-8")
    assert "Ambon Immigration Office" in english


# --- incremental builds ---------------------------------------------------------------------------


def test_unchanged_sites_are_skipped_and_incremental_equals_clean(repo, tmp_path):
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    first = build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    assert [r.skipped for r in first] == [False, False]
    again = build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    assert [r.skipped for r in again] == [True, True]

    post = repo / "offices/kantorcontoh/docs/berita/2025/layanan-akhir-pekan.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nSatu kalimat tambahan.\n", encoding="utf-8")
    after_edit = build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    # the office rebuilds; the hub keeps its pages and writes its feeds (they aggregate the offices' news)
    assert [(r.skipped, r.feeds_only) for r in after_edit] == [(False, True), (False, False)]
    assert "Satu kalimat tambahan." in (
        repo / "site/kantorcontoh/berita/2025/layanan-akhir-pekan/index.html").read_text(encoding="utf-8")

    build_sites(["hub", "kantorcontoh"], tmp_path / "clean", **quiet)
    for slug in ("hub", "kantorcontoh"):
        assert tree_digest(repo / "site" / slug) == tree_digest(tmp_path / "clean" / slug), slug


def test_a_post_leaving_the_hubs_feed_leaves_nothing_behind(repo, tmp_path):
    """The hub's feeds written again after a post is deleted equal a clean build, cards included."""
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    card = repo / "site/hub/assets/cards/kantorcontoh/berita/2025/layanan-akhir-pekan.jpg"
    assert card.is_file()
    for name in ("layanan-akhir-pekan.md", "layanan-akhir-pekan.en.md"):
        (repo / "offices/kantorcontoh/docs/berita/2025" / name).unlink()
    results = build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    assert [(r.ok, r.feeds_only) for r in results] == [(True, True), (True, False)]
    assert not card.exists()
    assert "layanan-akhir-pekan" not in (repo / "site/hub/rss.xml").read_text(encoding="utf-8")
    build_sites(["hub", "kantorcontoh"], tmp_path / "clean", **quiet)
    for slug in ("hub", "kantorcontoh"):
        assert tree_digest(repo / "site" / slug) == tree_digest(tmp_path / "clean" / slug), slug


def test_a_change_to_national_data_rebuilds_every_site(repo):
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    fees = repo / "national/fees.yml"
    fees.write_text(fees.read_text(encoding="utf-8").replace("amount: 650000", "amount: 660000", 1), encoding="utf-8")
    results = build_sites(["hub", "kantorcontoh"], repo / "site", **quiet)
    assert [r.skipped for r in results] == [False, False]
    assert "Rp660.000" in (repo / "site/kantorcontoh/biaya/index.html").read_text(encoding="utf-8")


def test_office_data_is_escaped_on_every_page(repo):
    """Templates print office data as text: a tag in office.yml is never markup."""
    office = repo / "offices/kantorcontoh/office.yml"
    text = office.read_text(encoding="utf-8").replace(
        "answer:\n      id: Ada, di halaman kantor contoh.",
        "answer:\n      id: Ada <script>alert(1)</script> <img src=x onerror=alert(2)>")
    text = text.replace("address: Jalan Contoh No. 1, Kota Contoh", "address: Jalan <b onmouseover=alert(3)>Contoh</b>")
    office.write_text(text, encoding="utf-8")
    # `make check` refuses markup in data, so `make site` does not build it ...
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert not result.ok and "ada tag HTML <script> di data" in result.report
    # ... and should it be built anyway (a plain MkDocs build runs no check), the templates escape it.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "INFOHUB_CACHE_DIR": str(repo / "cache")}
    config = site_config_file(repo, "kantorcontoh", repo / "cache")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                    "-d", str(repo / "site/kantorcontoh")], env=env, check=True, timeout=300)
    faq = (repo / "site/kantorcontoh/faq/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in faq and "onerror=alert(2)>" not in faq
    assert "Ada &lt;script&gt;alert(1)&lt;/script&gt;" in faq
    home = (repo / "site/kantorcontoh/index.html").read_text(encoding="utf-8")
    assert "<b onmouseover" not in home and "Jalan &lt;b onmouseover=alert(3)&gt;Contoh&lt;/b&gt;" in home


def test_a_post_falling_due_rebuilds_its_site_without_any_file_changing(repo, monkeypatch):
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    monkeypatch.setenv("INFOHUB_NOW", "2026-01-01T00:00:00+07:00")
    build_sites(["kantorcontoh"], repo / "site", **quiet)
    assert [r.skipped for r in build_sites(["kantorcontoh"], repo / "site", **quiet)] == [True]
    assert not (repo / "site/kantorcontoh/berita/2025/terjadwal").exists()
    monkeypatch.setenv("INFOHUB_NOW", "2100-01-01T00:00:00+07:00")
    assert [r.skipped for r in build_sites(["kantorcontoh"], repo / "site", **quiet)] == [False]
    assert (repo / "site/kantorcontoh/berita/2025/terjadwal/index.html").is_file()


def test_a_deleted_outbox_is_rebuilt(repo):
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites(["kantorcontoh"], repo / "site", **quiet)
    (repo / "site/_social/kantorcontoh.json").unlink()
    assert [r.skipped for r in build_sites(["kantorcontoh"], repo / "site", **quiet)] == [False]
    assert (repo / "site/_social/kantorcontoh.json").is_file()


def test_the_union_of_all_shards_equals_the_full_build(repo, tmp_path):
    from infohub.scaffold import create_office

    for slug, tz in (("kantorsatu", "Asia/Jakarta"), ("kantordua", "Asia/Makassar"), ("kantortiga", "Asia/Jayapura")):
        create_office(slug, f"Kantor Imigrasi {slug[6:].title()}", "Kota Uji", "Provinsi Uji", tz, root=repo)
    everything = ["hub", *paths.office_slugs(repo)]
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites(everything, tmp_path / "full", **quiet)
    shares = [shard(everything, i, 4) for i in range(1, 5)]
    assert sorted(s for share in shares for s in share) == sorted(everything)
    for share in shares:
        build_sites(share, tmp_path / "sharded", **quiet)
    # the output, less the caches and manifests (site/.cache/, site/.manifest/)
    assert published(tmp_path / "sharded") == published(tmp_path / "full")


def published(site_root: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(site_root).items() if not k.startswith(".")}


def test_the_driver_builds_what_plain_mkdocs_builds(repo, tmp_path):
    """The worker's reuse (theme listing, template cache) changes no byte of the output."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600",
           "INFOHUB_CACHE_DIR": str(tmp_path / "cache")}
    config = site_config_file(repo, "kantorcontoh", tmp_path / "cache")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                    "-d", str(tmp_path / "plain")], env=env, check=True, timeout=300)
    build_sites(["hub", "kantorcontoh"], tmp_path / "driver", jobs=1, root=repo, echo=lambda _: None)
    assert tree_digest(tmp_path / "driver" / "kantorcontoh") == tree_digest(tmp_path / "plain")


def test_a_file_added_to_the_overrides_reaches_the_next_build(repo):
    """The theme listing kept in site/.cache/theme/ sees a new or deleted override file."""
    (repo / "overrides").unlink()
    shutil.copytree(ROOT / "overrides", repo / "overrides")
    quiet = {"jobs": 1, "root": repo, "echo": lambda _: None}
    build_sites(["kantorcontoh"], repo / "site", **quiet)
    assert list((repo / "site/.cache/theme").glob("*.json"))
    extra = repo / "overrides/assets/uji-tema.txt"
    extra.write_text("uji\n", encoding="utf-8")
    build_sites(["kantorcontoh"], repo / "site", **quiet)  # overrides are an input: rebuilt
    assert (repo / "site/kantorcontoh/assets/uji-tema.txt").read_text(encoding="utf-8") == "uji\n"
    extra.unlink()
    build_sites(["kantorcontoh"], repo / "site", **quiet)
    assert not (repo / "site/kantorcontoh/assets/uji-tema.txt").exists()


def test_check_office_hub_checks_the_hub_as_site_office_hub_builds_it(repo):
    """`make check OFFICE=hub` used to treat the hub as an office (an AttributeError traceback)."""
    run = run_cli(repo, "check", "--office", "hub")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr
    assert run.stdout.rstrip().endswith("Semua konten valid: 1 situs diperiksa.")
    both = run_cli(repo, "check", "--office", "hub", "--office", "kantorcontoh")
    assert both.stdout.rstrip().endswith("Semua konten valid: 2 situs diperiksa."), both.stdout + both.stderr
