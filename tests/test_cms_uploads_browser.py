"""Files uploaded through the web editor, as an editor picks them, in headless Chromium offline.

An office's docs folder publishes only pages, pictures and PDF documents (checks/file_types.py).
The news picture field's ``accept`` narrows the browser's file picker to pictures, but a picker
also offers "All files" (and a phone's picker treats the list as a hint): the file it hands over
is what the CMS gets. Sveltia CMS 0.221.1 does not compare that file with ``accept``, and its
media library ("Aset") and the body's image button take any file, so a picked SVG with a script,
a ``foto.png.js``, an HTML page or a Word document were saved into the office's docs folder. The
check refuses them when the change is proposed; the editor is told at once by /admin/uploads.js
(data/cms-uploads.js), which refuses them before the CMS sees them.

The CMS is opened as tests/test_cms_browser.py opens it (local repository in the origin's
private file system); a file is picked through the file chooser the CMS's own "Unggah" opens.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from infohub.checks import check_report
from search.searchbox import serve
from test_cms_browser import DESKTOP, PHONE, SHOTS, _changed, _files, _open_editor, _png, _reveal, new_indonesian_post
from test_cms_browser import hub  # noqa: F401 (the built test repository, a fixture)
from test_office_trust import FILE_TYPE  # the check's words for a file a docs folder does not publish

pytestmark = pytest.mark.browser
OFFICE = "kantorcontoh"
DOCS = f"offices/{OFFICE}/docs"
POST = f"{DOCS}/berita/2025/uji-unggah"

# What an editor may have on their computer: a poster drawn as SVG (with a script), a script named
# like a photo, a web page, a letter in Word.
HOSTILE = {
    "poster.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
                  b'<script>alert(document.domain)</script><rect width="8" height="8"/></svg>',
    "foto.png.js": b"alert(document.domain)\n",
    "halaman.html": b"<!doctype html><script>alert(document.domain)</script>\n",
    "surat.docx": b"PK\x03\x04 a Word document\n",
}
STORED = {"poster.svg": "poster.svg", "foto.png.js": "foto-png.js"}  # the CMS's slug of each name
REFUSED_TITLE = "Berkas ini tidak bisa diunggah:"
REFUSED_HELP = ("Di sini hanya bisa diunggah gambar (.gif, .jpeg, .jpg, .png, .webp) dan dokumen PDF (.pdf); berkas "
                "lain, seperti SVG, skrip, halaman HTML atau dokumen Word, tidak bisa diterbitkan di situs. Simpan "
                "gambarnya sebagai JPG atau PNG, atau dokumennya sebagai PDF, lalu pilih lagi. Tidak ada berkas dari "
                "pilihan ini yang diunggah.")
@pytest.fixture(scope="module")
def on_disk(tmp_path_factory) -> dict[str, str]:
    """name -> path of each file an editor picks: HOSTILE and a real PNG photo."""
    folder = tmp_path_factory.mktemp("picked")
    for name, data in {**HOSTILE, "antrean.png": _png()}.items():
        (folder / name).write_bytes(data)
    return {name: str(folder / name) for name in (*HOSTILE, "antrean.png")}


@pytest.fixture()
def saved(hub):  # noqa: F811 (the fixture imported above)
    """Write what the CMS saved into the test repository for the check; taken out again after."""
    written: list[Path] = []

    def save(changed: dict[str, bytes]):
        for path, data in changed.items():
            file = hub / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
            written.append(file)
        return check_report([OFFICE], True, hub)

    yield save
    for file in written:
        file.unlink()


def _new_post(page, url: str):
    """A new news post in Indonesian only, filled as far as it must be to be saved; its form."""
    return new_indonesian_post(page, url, OFFICE, "Uji unggah", "2025-09-01T09:00", "Kantor contoh mencoba unggahan. ")


def _pick(page, opener, paths: list[str]):
    """Click ``opener`` ('Pilih berkas' of a field or of the body's picture), then the dialog's
    'Unggah', and hand the file chooser ``paths``: the dialog."""
    opener.click()
    dialog = page.get_by_role("dialog", name="Pilih gambar")
    with page.expect_file_chooser() as chooser:
        dialog.get_by_role("button", name="Unggah").click()
    chooser.value.set_files(paths)
    return dialog


def _save(page):
    page.get_by_role("button", name="Simpan").first.click()
    page.get_by_text("Entri disimpan.").wait_for()


def _lines(notice) -> list[str]:
    return [line for line in notice.inner_text().split("\n") if line]


def _refusal(page):
    """The editor's notice of refused files, once shown."""
    notice = page.get_by_role("dialog", name=REFUSED_TITLE)
    notice.wait_for()
    return notice


@pytest.mark.parametrize("name", ["poster.svg", "foto.png.js"])
def test_the_cms_alone_saves_a_picture_field_upload_the_picker_would_not_offer(browser, hub, on_disk, saved, name):  # noqa: F811
    """Without /admin/uploads.js, the pinned CMS takes the picked file and saves it beside the post
    (the picker's accept list is a hint only); `make check` then refuses it by name."""
    files = _files(hub)
    with serve(hub / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, OFFICE, DESKTOP)
        page.route("**/admin/uploads.js", lambda route: route.abort())
        page.reload()  # the CMS comes back on the same local repository
        page.get_by_text("Data kantor").first.wait_for()
        form = _new_post(page, url)
        picture = form.locator('section[data-key-path="image"]')
        dialog = _pick(page, picture.get_by_role("button", name="Pilih berkas"), [on_disk[name]])
        accept = page.evaluate("() => [...document.querySelectorAll('input[type=file]')].map(i => i.accept)")
        dialog.get_by_role("button", name="Sisipkan").click()
        picture.get_by_text(f"/berita/2025/gambar/uji-unggah/{STORED[name]}").wait_for()
        form.locator('section[data-key-path="image_alt"] input').fill("Poster layanan")
        _save(page)
        changed = _changed(page, files)
        context.close()
    stored = STORED[name]
    assert ".gif,.jpeg,.jpg,.png,.webp" in accept
    assert sorted(changed) == [f"{DOCS}/berita/2025/gambar/uji-unggah/{stored}", f"{POST}.md"]
    assert changed[f"{DOCS}/berita/2025/gambar/uji-unggah/{stored}"] == HOSTILE[name]
    report = saved(changed)
    text = report.format("id")
    assert [(p.path, p.code) for p in report.errors if p.code == "file_type"] == [
        (f"{DOCS}/berita/2025/gambar/uji-unggah/{stored}", "file_type")], text
    assert FILE_TYPE.format(name=stored) in text


def test_a_picture_field_refuses_what_a_docs_folder_does_not_publish_and_keeps_a_photo(browser, hub, on_disk, saved):  # noqa: F811
    files = _files(hub)
    with serve(hub / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, OFFICE, DESKTOP)
        form = _new_post(page, url)
        picture = form.locator('section[data-key-path="image"]')
        dialog = _pick(page, picture.get_by_role("button", name="Pilih berkas"), [on_disk["poster.svg"]])
        notice = _refusal(page)
        shown = _lines(notice)
        page.keyboard.press("Escape")  # closes the notice alone: the CMS's dialog and the form stay
        notice.wait_for(state="detached")
        with page.expect_file_chooser() as chooser:  # the CMS's dialog is still open: pick again
            dialog.get_by_role("button", name="Unggah").click()
        chooser.value.set_files(on_disk["foto.png.js"])
        _refusal(page).get_by_role("button", name="Tutup").click()
        with page.expect_file_chooser() as chooser:
            dialog.get_by_role("button", name="Unggah").click()
        chooser.value.set_files(on_disk["antrean.png"])
        dialog.get_by_role("button", name="Sisipkan").click()
        picture.get_by_text("/berita/2025/gambar/uji-unggah/antrean.png").wait_for()
        form.locator('section[data-key-path="image_alt"] input').fill("Petugas melayani pemohon di loket paspor")
        _save(page)
        changed = _changed(page, files)
        context.close()
    assert shown == [REFUSED_TITLE, "poster.svg", REFUSED_HELP, "Tutup"]
    # the photo as today: beside the post, in the post's own folder; nothing else
    assert sorted(changed) == [f"{DOCS}/berita/2025/gambar/uji-unggah/antrean.png", f"{POST}.md"]
    assert "image: /berita/2025/gambar/uji-unggah/antrean.png" in changed[f"{POST}.md"].decode("utf-8")
    report = saved(changed)
    assert not report.errors, report.format("id")


def test_the_bodys_picture_button_refuses_them_too(browser, hub, on_disk):  # noqa: F811
    files = _files(hub)
    with serve(hub / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, OFFICE, DESKTOP)
        form = _new_post(page, url)
        body = form.locator('section[data-key-path="body"]')
        body.get_by_role("button", name="Gambar").click()
        shown = {}
        for name in HOSTILE:  # one file at a time: the body's picture takes one
            dialog = _pick(page, body.get_by_role("button", name="Pilih berkas").first, [on_disk[name]])
            offered = dialog.inner_text()  # no stock photo service: the admin's CSP blocks them all
            assert not [service for service in ("Picsum", "Pexels", "Pixabay", "Unsplash") if service in offered]
            notice = _refusal(page)
            shown[name] = _lines(notice)
            notice.get_by_role("button", name="Tutup").click()
            dialog.get_by_role("button", name="Batal").click()
        changed = _changed(page, files)
        context.close()
    assert shown == {name: [REFUSED_TITLE, name, REFUSED_HELP, "Tutup"] for name in HOSTILE}
    assert changed == {}


def test_the_media_library_refuses_them_on_a_phone_and_keeps_uploads_in_the_offices_folder(browser, hub, on_disk, saved):  # noqa: F811
    """'Aset' -> 'Media global' wrote into the repository's docs/ (the hub's, another team's folder,
    and not the office's site): it is the office's docs/assets/gambar now."""
    files = _files(hub)
    with serve(hub / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, OFFICE, PHONE)
        page.goto(f"{url}admin/{OFFICE}/#/assets")
        page.get_by_text("Media global", exact=True).first.click()
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Unggah").first.click()
        chooser.value.set_files([on_disk[n] for n in HOSTILE])
        notice = _refusal(page)
        page.screenshot(path=str(SHOTS / "cms-upload-refused.png"))
        shown = _lines(notice)
        notice.get_by_role("button", name="Tutup").click()
        refused = _changed(page, files)
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="Unggah").first.click()
        chooser.value.set_files(on_disk["antrean.png"])
        page.get_by_role("button", name="Unggah", exact=True).last.click()  # "these files will be saved in ..."
        page.get_by_text("Berkas media disimpan.").wait_for()
        changed = _changed(page, files)
        context.close()
    assert shown == [REFUSED_TITLE, *HOSTILE, REFUSED_HELP, "Tutup"]
    assert refused == {}
    assert list(changed) == [f"{DOCS}/assets/gambar/antrean.png"]
    report = saved(changed)
    assert not report.errors, report.format("id")


def test_a_picture_in_an_office_pages_body_is_saved_in_the_offices_folder(browser, hub, on_disk, saved):  # noqa: F811
    """An office's own version of a national page ('Halaman kantor'), with a photo in its text: the
    photo went to the repository's docs/assets/gambar (the hub's), where the office's site never
    finds it; it is the office's docs/assets/gambar now, shown at its site's /assets/gambar/."""
    files = _files(hub)
    with serve(hub / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, OFFICE, DESKTOP)
        page.goto(f"{url}admin/{OFFICE}/#/collections/halaman/new")
        form = page.locator('[data-locale="id"][data-mode="edit"]')
        form.locator('section[data-key-path="title"] input').first.fill("Layanan")  # named as the national page
        body = form.locator('section[data-key-path="body"]')
        text = _reveal(page, body.locator("[contenteditable]"))
        text.click()
        text.press_sequentially("Loket paspor kantor contoh. ")
        body.get_by_role("button", name="Gambar").click()
        dialog = _pick(page, body.get_by_role("button", name="Pilih berkas").first, [on_disk["antrean.png"]])
        dialog.get_by_role("button", name="Sisipkan").click()
        body.get_by_text("/assets/gambar/antrean.png").first.wait_for()
        page.locator('[aria-label^="Pratinjau"] button[value="en"]').first.click()  # the English pane: off
        page.get_by_role("button", name="Tampilkan pilihan konten \u2068Inggris\u2069").first.click()
        page.get_by_role("menuitem", name="Nonaktifkan \u2068Inggris\u2069").click()
        _save(page)
        changed = _changed(page, files)
        context.close()
    assert sorted(changed) == [f"{DOCS}/assets/gambar/antrean.png", f"{DOCS}/layanan.md"]
    assert "![](/assets/gambar/antrean.png)" in changed[f"{DOCS}/layanan.md"].decode("utf-8")
    report = saved(changed)
    assert not report.errors, report.format("id")


# A DataTransfer holding the files given (name -> text), as a drag from the computer carries them.
DRAGGED = """(files) => { const carried = new DataTransfer();
  for (const [name, text] of Object.entries(files)) carried.items.add(new File([text], name));
  return carried; }"""


def test_a_file_dropped_on_the_media_library_is_refused_too(browser, hub):  # noqa: F811
    """The media library takes a drop without looking at its type: the drop is refused as a whole, and
    its "drop here" cover goes."""
    files = _files(hub)
    with serve(hub / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, OFFICE, DESKTOP)
        page.goto(f"{url}admin/{OFFICE}/#/assets")
        page.get_by_text("Media global", exact=True).first.click()
        folder = page.get_by_text("Tidak ada berkas.", exact=True)
        dragged = page.evaluate_handle(DRAGGED, {"poster.svg": HOSTILE["poster.svg"].decode(), "catatan.txt": "x"})
        folder.dispatch_event("dragover", {"dataTransfer": dragged})
        cover = page.get_by_text("Letakkan berkas di sini", exact=True)
        covered = cover.is_visible()
        folder.dispatch_event("drop", {"dataTransfer": dragged})
        notice = _refusal(page)
        shown = _lines(notice)
        notice.get_by_role("button", name="Tutup").click()
        uncovered = cover.count()
        changed = _changed(page, files)
        context.close()
    assert covered
    assert shown == [REFUSED_TITLE, "poster.svg", "catatan.txt", REFUSED_HELP, "Tutup"]
    assert uncovered == 0
    assert changed == {}
