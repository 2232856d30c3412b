"""One check, one verdict: what `make check` refuses, `make site` never publishes.

The build runs, per site, the function `make check` runs (checks.check_report):
a site with an error is not built, keeps its last good output byte for byte,
the summary names it and the command fails. The hub's aggregate feeds keep
the last good posts of an office that fails (infohub/verdict.py).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import make_repo
from infohub import checks, cli
from infohub.build import build_sites

CORPUS = Path(__file__).resolve().parent / "corpus" / "mistakes"
NIK = "3171015708450001"
POST = "offices/kantorcontoh/docs/berita/2025/layanan-akhir-pekan.md"


def tree(folder: Path) -> dict[str, bytes]:
    """Every published file under site/ with its bytes (the build's own cache and manifest left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] not in (".cache", ".manifest")}


def apply_case(name: str, repo: Path) -> list[str]:
    case = CORPUS / name
    files = sorted(p.relative_to(case).as_posix() for p in case.rglob("*")
                   if p.is_file() and p.name not in ("README.txt", "expected.txt"))
    for rel in files:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / rel, repo / rel)
    return files


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """The fixture repository with a good build of the hub and kantorcontoh in site/."""
    root = make_repo(tmp_path_factory.mktemp("good") / "repo")
    mp = pytest.MonkeyPatch()
    mp.setenv("INFOHUB_LANG", "id")
    mp.setenv("SOURCE_DATE_EPOCH", "1735689600")
    try:
        results = build_sites(["hub", "kantorcontoh"], root / "site", jobs=1, root=root, echo=lambda _: None)
    finally:
        mp.undo()
    assert all(r.ok for r in results), [r.report for r in results]
    return root


@pytest.fixture
def built(good: Path, tmp_path: Path) -> Path:
    """A fresh copy of the good repository and its output, to break."""
    return Path(shutil.copytree(good, tmp_path / "repo", symlinks=True))


def run_site(repo: Path, monkeypatch, capsys, *args: str) -> tuple[int, list[str]]:
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    code = cli.main(["site", "--out", str(repo / "site"), "--jobs", "1", *args])
    return code, capsys.readouterr().out.splitlines()


def files_containing(folder: Path, needle: str) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and needle.encode() in p.read_bytes()]


# --- 1. make site never publishes what make check refuses ------------------------------------

# Editor mistakes that `make check` refuses in a post; the exact report block of each is its expected.txt.
REFUSED = ["nik-in-news", "hostile-html", "html-in-front-matter", "broken-link", "missing-inline-image",
           "img-unquoted-missing", "image-not-a-picture"]


def expected_block(case: str) -> list[str]:
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n").splitlines()


def test_the_refused_cases_say_what_they_are_about():
    assert expected_block("nik-in-news") == [
        "KESALAHAN  " + POST,
        "  baris 10  nomor 3171********0001 adalah NIK (nomor KTP) seseorang; data pribadi tidak boleh terbit, "
        "hapus nomornya. Bila ini contoh yang sudah diperiksa, tulis <!-- infohub: allow nik --> di akhir baris"]
    assert expected_block("missing-inline-image") == [
        "KESALAHAN  " + POST,
        "  baris 10  berkas gambar 'gambar/peta-lokasi.png' tidak ditemukan; periksa nama dan foldernya"]
    assert expected_block("img-unquoted-missing") == [
        "KESALAHAN  " + POST,
        "  baris 10  berkas gambar 'gambar/spanduk.png' tidak ditemukan; periksa nama dan foldernya",
        "  baris 13  berkas gambar 'gambar/jadwal.png' tidak ditemukan; periksa nama dan foldernya"]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_check_refuses_is_not_built_and_the_last_good_output_stays(case, built, monkeypatch, capsys):
    before = tree(built / "site")
    apply_case(case, built)

    monkeypatch.setenv("INFOHUB_ROOT", str(built))
    assert cli.main(["check", "--office", "kantorcontoh"]) == 1
    check_out = capsys.readouterr().out.splitlines()

    code, out = run_site(built, monkeypatch, capsys)
    assert code == 1
    expected = expected_block(case)
    for lines in (check_out, out):
        start = lines.index(expected[0])
        assert lines[start:start + len(expected)] == expected
    assert "[2/2] kantorcontoh: GAGAL — keluaran sebelumnya dibiarkan utuh" in out \
        or "[1/2] kantorcontoh: GAGAL — keluaran sebelumnya dibiarkan utuh" in out
    assert "Situs yang gagal: kantorcontoh" in out
    assert ("hub: umpan berita gabungan tetap memuat berita terakhir yang lolos pemeriksaan dari kantorcontoh, "
            "karena kantor itu kini gagal diperiksa") in out
    # the office's pages, feeds, search index and social outbox, and the hub's feeds: byte for byte
    assert tree(built / "site") == before
    assert not list((built / "site").glob(".staging-*"))


def test_a_nik_reaches_no_file_under_site(built, monkeypatch, capsys):
    apply_case("nik-in-news", built)
    code, _ = run_site(built, monkeypatch, capsys, "--force")
    assert code == 1
    assert files_containing(built / "site", NIK) == []
    assert files_containing(built / "site", NIK[:4] + " " + NIK[4:8]) == []


CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", CASES)
def test_every_editor_mistake_gets_the_same_verdict_from_check_and_site(name, repo, monkeypatch, capsys):
    files = apply_case(name, repo)
    offices = sorted({rel.split("/")[1] for rel in files if rel.startswith("offices/")} | {"kantorcontoh"})
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    for office in offices:
        check_passes = cli.main(["check", "--office", office]) == 0
        capsys.readouterr()
        [result] = build_sites([office], repo / "site", jobs=1, root=repo, echo=lambda _: None)
        assert result.ok == check_passes, (name, office, result.report)
        assert (repo / "site" / office / "index.html").is_file() == check_passes, (name, office)


# --- 3. one broken office does not change the others' output --------------------------------

HUB_FEEDS = [f"hub/{root}{name}" for root in ("", "en/") for name in ("rss.xml", "atom.xml", "feed.json")]


def test_the_hub_keeps_the_last_good_posts_of_a_broken_office(built, monkeypatch, capsys):
    before = tree(built / "site")
    assert "layanan-akhir-pekan" in before["hub/rss.xml"].decode()
    (built / "offices/kantorcontoh/office.yml").write_text("name: [\n", encoding="utf-8")
    code, out = run_site(built, monkeypatch, capsys)
    assert code == 1
    assert "Situs yang gagal: kantorcontoh" in out
    assert out[-1] == ("hub: umpan berita gabungan tetap memuat berita terakhir yang lolos pemeriksaan dari "
                       "kantorcontoh, karena kantor itu kini gagal diperiksa")
    after = tree(built / "site")
    for feed in HUB_FEEDS:
        assert after[feed] == before[feed], feed
    assert {k: v for k, v in after.items() if k.startswith("kantorcontoh/")} == \
        {k: v for k, v in before.items() if k.startswith("kantorcontoh/")}


def test_the_summary_says_so_in_english(built, monkeypatch, capsys):
    (built / "offices/kantorcontoh/office.yml").write_text("name: [\n", encoding="utf-8")
    monkeypatch.setenv("INFOHUB_LANG", "en")
    code, out = run_site(built, monkeypatch, capsys)
    assert code == 1
    assert out[-2:] == ["Sites that failed: kantorcontoh",
                        "hub: the combined news feeds keep the last posts from kantorcontoh that passed the checks, "
                        "as that office now fails them"]


def test_an_office_that_never_passed_has_no_posts_in_the_hubs_feeds(repo, monkeypatch, capsys):
    apply_case("nik-in-news", repo)
    code, out = run_site(repo, monkeypatch, capsys)
    assert code == 1
    assert out[-1] == ("hub: umpan berita gabungan tidak memuat berita dari kantorcontoh: "
                       "kantor itu gagal diperiksa dan belum pernah lolos")
    assert "kantorcontoh.id" not in (repo / "site/hub/rss.xml").read_text(encoding="utf-8")
    assert files_containing(repo / "site", NIK) == []


def test_a_killed_build_leaves_nothing_behind(built, monkeypatch, capsys):
    site = built / "site"
    before = tree(site)
    (site / ".staging-kantorcontoh" / "berita").mkdir(parents=True)
    (site / ".staging-kantorcontoh" / "berita" / "index.html").write_text("half", encoding="utf-8")
    (site / "hub").rename(site / ".previous-hub")  # killed between the two renames of a swap
    code, _ = run_site(built, monkeypatch, capsys)
    assert code == 0
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".cache", ".manifest"]
    assert tree(site) == before


def test_the_workflows_never_upload_staging_folders():
    import yaml

    checked = 0
    for workflow in sorted((Path(__file__).resolve().parents[1] / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/upload-artifact"):
                    uploaded = step["with"]["path"].split()
                    for site in [p for p in uploaded if p == "site/" or p.endswith("/site/")]:
                        checked += 1  # (another artifact, the social ledger, holds no site)
                        assert {f"!{site}.cache/", f"!{site}.staging-*/", f"!{site}.previous-*/"} <= set(uploaded), workflow
    assert checked >= 2  # the pull request's preview and the deploy's shards


# --- 2. what the checks missed --------------------------------------------------------------


def report_lines(repo: Path, office: str = "kantorcontoh", lang: str = "id") -> list[str]:
    return checks.check_report([office], False, repo).format(lang, outcome="check_failed").splitlines()


def test_a_duplicate_faq_id_in_office_yml_is_an_error(repo):
    apply_case("faq-duplicate-id", repo)
    lines = report_lines(repo)
    at = lines.index("KESALAHAN  offices/kantorcontoh/office.yml")
    assert lines[at + 1] == (
        "  baris 59  faq.1.id: id 'parkir' sudah dipakai pertanyaan di baris 51; setiap id hanya boleh sekali, "
        "kalau tidak pertanyaan pertama tertimpa tanpa pemberitahuan. Ganti id ini atau gabungkan kedua pertanyaan")
    english = report_lines(repo, lang="en")
    assert english[english.index("ERROR  offices/kantorcontoh/office.yml") + 1] == (
        "  line 59  faq.1.id: the id 'parkir' is already used by the question on line 51; each id may appear once, "
        "or the first question is silently replaced. Change this id or merge the two questions")


def test_a_duplicate_faq_id_in_the_national_faq_is_an_error(repo):
    apply_case("faq-duplicate-id-national", repo)
    lines = report_lines(repo)
    at = lines.index("KESALAHAN  national/faq.yml")
    assert lines[at + 1] == (
        "  baris 47  faq.4.id: id 'biaya-paspor' sudah dipakai pertanyaan di baris 23; setiap id hanya boleh sekali, "
        "kalau tidak pertanyaan pertama tertimpa tanpa pemberitahuan. Ganti id ini atau gabungkan kedua pertanyaan")


def test_twins_must_agree_on_date_and_category(repo):
    apply_case("twin-date-category", repo)
    lines = report_lines(repo)
    at = lines.index("KESALAHAN  offices/kantorcontoh/docs/berita/2025/layanan-akhir-pekan.en.md")
    assert lines[at + 1:at + 3] == [
        "  baris 4  date: tertulis '2025-03-02', sedangkan versi bahasa Indonesianya (layanan-akhir-pekan.md) "
        "menulis '2025-03-01 09:00'; tanggal dan kategori setiap versi bahasa sebuah berita harus sama",
        "  baris 5  category: tertulis 'kegiatan', sedangkan versi bahasa Indonesianya (layanan-akhir-pekan.md) "
        "menulis 'pengumuman'; tanggal dan kategori setiap versi bahasa sebuah berita harus sama",
    ]
    english = report_lines(repo, lang="en")
    at = english.index("ERROR  offices/kantorcontoh/docs/berita/2025/layanan-akhir-pekan.en.md")
    assert english[at + 1] == (
        "  line 4  date: this says '2025-03-02', but the Indonesian version (layanan-akhir-pekan.md) says "
        "'2025-03-01 09:00'; every language version of a post must have the same date and category")


EXPIRED = ("  baris 57  (peringatan) alert.expires: pengumuman ini sudah berakhir (2025-09-10) dan tidak tampil lagi "
           "di situs; hapus bagian 'alert' dari office.yml, atau perbarui 'expires' bila pengumuman masih berlaku")


def test_an_expired_alert_is_a_warning_and_the_site_is_still_built(repo, monkeypatch):
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-11T00:00:00+09:00")  # the first moment after 10 September in WIT
    lines = report_lines(repo)
    assert lines[lines.index("PERINGATAN  offices/kantorcontoh/office.yml") + 1] == EXPIRED
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok
    assert ("offices/kantorcontoh/office.yml:57: alert.expires: pengumuman ini sudah berakhir (2025-09-10) dan "
            "tidak tampil lagi di situs; hapus bagian 'alert' dari office.yml, atau perbarui 'expires' bila "
            "pengumuman masih berlaku") in result.warnings
    monkeypatch.setenv("INFOHUB_NOW", "2025-09-10T23:59:00+09:00")  # still showing: nothing to say
    assert "PERINGATAN  offices/kantorcontoh/office.yml" not in report_lines(repo)


def test_alternates_name_only_pages_that_are_built_and_jsonld_names_the_page_itself(repo):
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace(
        "languages:\n  - id\n  - en\n", "languages:\n  - id\n  - en\n  - ar\n"),
                      encoding="utf-8")
    (repo / "offices/kantorcontoh/docs/berita/2025/visa-kedatangan.en.md").write_text(
        "---\ntitle: Visa on arrival\ndescription: Only in English.\ndate: 2025-03-05 09:00\n"
        "category: pengumuman\n---\n\nOnly in English.\n", encoding="utf-8")
    [result] = build_sites(["kantorcontoh"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert result.ok, result.report
    site = repo / "site/kantorcontoh"
    assert not (site / "berita/2025/visa-kedatangan").exists()
    assert not (site / "ar/berita/2025/visa-kedatangan").exists()
    english_only = (site / "en/berita/2025/visa-kedatangan/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', english_only) == [
        ("en", "https://kantorcontoh.id/en/berita/2025/visa-kedatangan/"),
        ("x-default", "https://kantorcontoh.id/en/berita/2025/visa-kedatangan/")]
    ar_faq = (site / "ar/faq/index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', ar_faq, re.S)[1])
    faq = next(item for item in data["@graph"] if item["@type"] == "FAQPage")
    assert faq["url"] == "https://kantorcontoh.id/ar/faq/"
    assert '<link rel="canonical" href="https://kantorcontoh.id/faq/">' in ar_faq  # the text is the original's
    assert [lang for lang, _ in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', ar_faq)] \
        == ["id", "en", "ar", "x-default"]


def test_new_post_writes_a_description_an_english_comment_and_every_language(repo):
    import datetime as dt

    from infohub.content import load_page
    from infohub.scaffold import create_post

    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace(
        "languages:\n  - id\n  - en\n", "languages:\n  - id\n  - en\n  - ar\n"),
                      encoding="utf-8")
    files = create_post("kantorcontoh", "Libur Nasional", root=repo,
                        now=dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.timezone.utc))
    folder = repo / "offices/kantorcontoh/docs/berita/2025"
    assert files == [folder / "libur-nasional.md", folder / "libur-nasional.en.md", folder / "libur-nasional.ar.md"]
    assert files[0].read_text(encoding="utf-8") == (
        "---\ntitle: Libur Nasional\n"
        "# Ringkasan satu kalimat untuk daftar berita, feed dan media sosial.\ndescription:\n"
        "date: 2025-06-30\ncategory: pengumuman\n"
        "# Draf: tidak terbit sampai baris ini dihapus atau diubah menjadi 'draft: false'.\ndraft: true\n---\n\n"
        "Tulis isi berita di sini.\n")
    assert files[1].read_text(encoding="utf-8") == (
        "---\ntitle: Libur Nasional\n"
        "# A one-sentence summary for the news list, the feeds and social posts.\ndescription:\n"
        "date: 2025-06-30\ncategory: pengumuman\n"
        "# Draft: not published until this line is deleted or changed to 'draft: false'.\ndraft: true\n---\n\n"
        "Write the English text of the post here (translate the title above too).\n")
    assert files[2].read_text(encoding="utf-8") == files[1].read_text(encoding="utf-8")
    for file in files:
        assert load_page(file)[1] == []
    assert [p for p in checks.check_report(["kantorcontoh"], False, repo).problems if "libur-nasional" in p.path] == []


def test_new_post_command_lists_every_file_it_wrote(repo, monkeypatch, capsys):
    office = repo / "offices/kantorcontoh/office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace(
        "languages:\n  - id\n  - en\n", "languages:\n  - id\n  - en\n  - ar\n"),
                      encoding="utf-8")
    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    assert cli.main(["new-post", "--office", "kantorcontoh", "--title", "Libur"]) == 0
    out = capsys.readouterr().out
    year = next((repo / "offices/kantorcontoh/docs/berita").glob("*/libur.md")).parent.name
    assert out.startswith(
        "Berita baru dibuat sebagai draf, satu berkas untuk setiap bahasa kantor:\n"
        f"  offices/kantorcontoh/docs/berita/{year}/libur.md\n"
        f"  offices/kantorcontoh/docs/berita/{year}/libur.en.md\n"
        f"  offices/kantorcontoh/docs/berita/{year}/libur.ar.md\n"
        "Tulis isinya di setiap berkas.")


def test_a_run_that_skips_the_hub_still_says_what_its_feeds_keep(built, monkeypatch, capsys):
    apply_case("nik-in-news", built)
    run_site(built, monkeypatch, capsys)
    code, out = run_site(built, monkeypatch, capsys)  # the hub's feeds are current now: skipped
    assert code == 1
    assert out[-2:] == ["Situs yang gagal: kantorcontoh",
                        "hub: umpan berita gabungan tetap memuat berita terakhir yang lolos pemeriksaan dari "
                        "kantorcontoh, karena kantor itu kini gagal diperiksa"]
