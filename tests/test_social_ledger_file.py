"""An office's ledger of published posts (offices/<slug>/social-ledger.json) that is not the ledger:
a merge left conflict markers in it, a hand copy lost a bracket. It sits in the office's folder, so
`make check` refuses it with a message a maintainer can act on, `make site` refuses it too (one
verdict: before, the check passed a ledger of the wrong shape and the build stopped at it), and
`make publish` sends nothing for that office: read as empty, it would send every post again."""
from __future__ import annotations

import requests
import pytest

from fakes.social import CHANNELS, OFFICE, add_channels, read_ledger, run_publish, write_outbox_of
from infohub.build import build_sites
from infohub.checks import check_report
from infohub.social.ledger import ledger_path

LEDGER = f"offices/{OFFICE}/social-ledger.json"
RESTORE_ID = ("Kembalikan isinya dari versi terakhir di main atau dari artefak 'social-ledger' run terakhir. "
              "Tanpa catatan ini, unggahan yang sudah terkirim akan dikirim lagi")
NOT_JSON_ID = ("catatan unggahan media sosial ini rusak, tidak bisa dibaca sebagai JSON (sering karena sisa tanda "
               "konflik gabungan '<<<<<<<', '=======' atau '>>>>>>>', atau koma dan kurung yang hilang). Berkas ini "
               "ditulis oleh tahap penerbitan, bukan untuk diubah dengan tangan. Bila ini sisa konflik gabungan, "
               "pertahankan entri dari kedua sisi (setiap entri mencatat satu unggahan yang sudah terkirim) lalu hapus "
               "tanda konfliknya; selain itu, k" + RESTORE_ID[1:])
SHAPE_ID = ("catatan unggahan media sosial ini tidak berbentuk catatan yang ditulis tahap penerbitan: nilai {where} "
            "seharusnya berupa objek JSON. " + RESTORE_ID)
NOT_OBJECT_ID = ("catatan unggahan media sosial ini tidak berbentuk catatan yang ditulis tahap penerbitan: isinya "
                 "seharusnya satu objek JSON. " + RESTORE_ID)
CONFLICT = """{
<<<<<<< HEAD
  "id": {"log": {"urn:uuid:1": {"at": "2025-06-01T00:00:00+00:00", "via": "log"}}}
=======
  "id": {"log": {"urn:uuid:2": {"at": "2025-06-02T00:00:00+00:00", "via": "log"}}}
>>>>>>> ledger
}
"""

CASES = {
    "merge-conflict": (CONFLICT, "baris 2", NOT_JSON_ID),
    "bracket-lost": ('{"id": {"log": {}}\n', "baris 2", NOT_JSON_ID),
    "list-of-posts": ('{"id": {"mastodon": ["urn:uuid:1"]}}\n', "berkas",
                      SHAPE_ID.format(where='"id" → "mastodon"')),
    "entry-not-object": ('{"en": {"log": {"urn:uuid:1": "sent"}}}\n', "berkas",
                         SHAPE_ID.format(where='"en" → "log" → "urn:uuid:1"')),
    "not-an-object": ("[]\n", "berkas", NOT_OBJECT_ID),
}


def _break(repo, text: str) -> None:
    ledger_path(repo, OFFICE).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("text, where, message", CASES.values(), ids=CASES.keys())
def test_a_ledger_that_is_not_the_ledger_is_refused_by_check_and_site_alike(repo, text, where, message):
    _break(repo, text)
    lines = check_report([OFFICE], False, repo).format("id", outcome="check_failed").splitlines()
    at = lines.index(f"KESALAHAN  {LEDGER}")
    assert lines[at + 1] == f"  {where}  {message}"
    [result] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert not result.ok and message in result.report
    assert not (repo / "site" / OFFICE).exists()


def test_the_message_is_in_english_too(repo):
    _break(repo, CONFLICT)
    lines = check_report([OFFICE], False, repo).format("en", outcome="check_failed").splitlines()
    at = lines.index(f"ERROR  {LEDGER}")
    assert lines[at + 1] == (
        "  line 2  this ledger of social posts is damaged and cannot be read as JSON (often merge conflict markers "
        "left behind, '<<<<<<<', '=======' or '>>>>>>>', or a missing comma or bracket). The publishing step writes "
        "this file; it is not edited by hand. If a merge conflict left this, keep the entries of both sides (each "
        "records a post that went out) and remove the markers; otherwise restore it from the last version on main "
        "or from the 'social-ledger' artifact of the last run. Without it, posts that already went out would be "
        "sent again")


def test_the_last_good_output_stays_when_the_ledger_breaks(repo):
    """The ledger is not an input of the pages (publish reads it itself), so the edit of a page is
    what makes the office build again here: refused, its last output kept."""
    [first] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert first.ok, first.report
    page = repo / "site" / OFFICE / "index.html"
    before = page.read_bytes()
    _break(repo, CONFLICT)
    post = repo / "offices" / OFFICE / "docs" / "berita" / "2025" / "layanan-keliling.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
    [second] = build_sites([OFFICE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert not second.ok and NOT_JSON_ID in second.report
    assert page.read_bytes() == before


def test_publish_sends_nothing_for_an_office_whose_ledger_it_cannot_read(repo, api):
    """The ledger says what went out: an unreadable one is never taken for an empty one, and never
    written over (the posts it recorded would be lost)."""
    add_channels(repo, CHANNELS["mastodon"].format(api=api))
    assert [p for p in write_outbox_of(repo) if p["platform"] == "mastodon"]
    _break(repo, CONFLICT)
    done = run_publish(repo, api=api, check=1)
    assert (f"{OFFICE}: catatan unggahan {LEDGER} tidak bisa dibaca, jadi tidak ada yang dikirim untuk kantor ini "
            "(tanpa catatan itu, unggahan yang sudah terkirim akan dikirim lagi); lihat masalahnya dengan: "
            f"make check OFFICE={OFFICE}") in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert requests.get(f"{api}/api/v1/timelines/home", timeout=5).json() == []
    assert ledger_path(repo, OFFICE).read_text(encoding="utf-8") == CONFLICT
    english = run_publish(repo, api=api, check=1, lang="en")
    assert (f"{OFFICE}: the ledger {LEDGER} cannot be read, so nothing is sent for this office (without it, posts "
            f"that already went out would be sent again); see the problem with: make check OFFICE={OFFICE}"
            ) in english.stdout


def test_a_ledger_the_publishing_step_wrote_passes(repo, api):
    add_channels(repo, CHANNELS["mastodon"].format(api=api))
    write_outbox_of(repo)
    run_publish(repo, api=api)
    assert read_ledger(repo)["id"]["mastodon"]
    report = check_report([OFFICE], False, repo)
    assert not [p for p in report.errors if p.path == LEDGER]
