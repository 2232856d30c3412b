"""A published post keeps its file's name. Its identity on the channels, in the ledger and in the
feeds is its path: renamed, it went out again on every channel (6 posts queued again for one post
of the test office: Indonesian and English, on Mastodon, Instagram and the log) and the links
already shared led nowhere, with `make check` silent. The ledger now keeps the file each post came
from, and the check refuses a new page with the title and date of a posted page whose file is gone."""
from __future__ import annotations

import json

from fakes.social import OFFICE, read_ledger, run_publish, write_outbox_of
from infohub.build import build_sites
from infohub.checks import check_report
from infohub.social.ledger import ledger_path

NEWS = f"offices/{OFFICE}/docs/berita/2025"
RENAMED_ID = ("berita ini sudah terkirim ke media sosial ({platforms}) dari berkas {old!r}, yang kini tidak ada lagi: "
              "dengan nama berkas baru, berita yang sama akan terkirim sekali lagi ke setiap saluran, dan tautan yang "
              "sudah dibagikan mengarah ke halaman yang tidak ada. Kembalikan nama berkasnya menjadi {old!r}. Bila ini "
              "memang berita lain, beri judul yang berbeda")


def _all_sent(repo) -> list[dict]:
    """Every queued post recorded as sent (`make publish MARK_ALL=1`, as a first deployment does)."""
    posts = write_outbox_of(repo)
    assert posts
    run_publish(repo, "--mark-all")
    assert write_outbox_of(repo) == []
    return posts


def _rename(repo, old: str, new: str) -> None:
    for suffix in (".md", ".en.md"):
        (repo / NEWS / f"{old}{suffix}").rename(repo / NEWS / f"{new}{suffix}")


def _errors(repo, lang="id") -> list[str]:
    return check_report([OFFICE], False, repo).format(lang, outcome="check_failed").splitlines()


def test_the_ledger_keeps_the_file_each_post_was_made_from(repo):
    posts = _all_sent(repo)
    ledger = read_ledger(repo)
    for post in posts:
        assert ledger[post["language"]][post["platform"]][post["uid"]]["page"] == {
            "source": post["source"], "title": post["title"], "published": post["published"]}
    assert {p["source"] for p in posts if p["url"].startswith(f"https://{OFFICE}.id/berita/2025/layanan-keliling/")} == {
        f"{NEWS}/layanan-keliling.md"}


def test_a_published_post_renamed_is_refused_with_its_old_name_and_nothing_goes_out_again(repo):
    _all_sent(repo)
    [first] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert first.ok, first.report
    outbox = (repo / "site" / "_social" / f"{OFFICE}.json").read_text(encoding="utf-8")
    _rename(repo, "layanan-keliling", "layanan-keliling-kota")
    lines = _errors(repo)
    for suffix in (".md", ".en.md"):
        at = lines.index(f"KESALAHAN  {NEWS}/layanan-keliling-kota{suffix}")
        assert lines[at + 1] == "  berkas  " + RENAMED_ID.format(platforms="instagram, log",
                                                                 old=f"{NEWS}/layanan-keliling{suffix}")
    [second] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert not second.ok and "layanan-keliling-kota" in second.report
    assert (repo / "site" / "_social" / f"{OFFICE}.json").read_text(encoding="utf-8") == outbox  # nothing queued

    english = _errors(repo, "en")
    at = english.index(f"ERROR  {NEWS}/layanan-keliling-kota.md")
    assert english[at + 1] == (
        f"  file  this post already went out on social media (instagram, log) from the file "
        f"'{NEWS}/layanan-keliling.md', which is gone: under a new file name the same post would go out once more "
        f"on every channel, and the links already shared would lead to a page that is not there. Give the file "
        f"back its name, '{NEWS}/layanan-keliling.md'. If this really is another post, give it another title")

    _rename(repo, "layanan-keliling-kota", "layanan-keliling")  # its name given back: accepted, nothing queued
    assert not check_report([OFFICE], False, repo).errors
    assert write_outbox_of(repo) == []


def test_a_published_post_deleted_or_followed_by_another_post_of_that_day_is_accepted(repo):
    _all_sent(repo)
    deleted = (repo / NEWS / "layanan-keliling.md").read_text(encoding="utf-8")
    for suffix in (".md", ".en.md"):
        (repo / NEWS / f"layanan-keliling{suffix}").unlink()
    assert not check_report([OFFICE], False, repo).errors
    title = next(line for line in deleted.splitlines() if line.startswith("title: "))
    (repo / NEWS / "berita-lain.md").write_text(deleted.replace(title, "title: Jadwal layanan lain"), encoding="utf-8")
    assert not check_report([OFFICE], False, repo).errors
    assert [p["source"] for p in write_outbox_of(repo)] == [f"{NEWS}/berita-lain.md"] * 2  # a new post: it goes out (Instagram, log)


def test_a_post_renamed_before_it_went_out_is_accepted(repo):
    write_outbox_of(repo)
    _rename(repo, "layanan-keliling", "layanan-keliling-kota")
    assert not check_report([OFFICE], False, repo).errors


def test_a_ledger_naming_a_file_outside_the_office_asks_nothing_of_the_machine(repo):
    """The ledger is the office's file: a source outside its docs (or the national pages) is not
    looked for, so the check tells nothing about the machine's files."""
    posts = _all_sent(repo)
    path = ledger_path(repo, OFFICE)
    ledger = json.loads(path.read_text(encoding="utf-8"))
    post = next(p for p in posts if p["source"] == f"{NEWS}/layanan-keliling.md")
    for outside in ("/etc/hostname", f"offices/{OFFICE}/../../../etc/hostname", "offices/lain/docs/a.md"):
        entry = ledger[post["language"]][post["platform"]][post["uid"]]
        entry["page"]["source"] = outside
        path.write_text(json.dumps(ledger), encoding="utf-8")
        _rename(repo, "layanan-keliling", "layanan-keliling-kota")
        assert not [p for p in check_report([OFFICE], False, repo).errors if p.code == "social_page_renamed"
                    and p.values["old"] == outside]
        _rename(repo, "layanan-keliling-kota", "layanan-keliling")
