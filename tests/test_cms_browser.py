"""The web editor at the hub's /admin/, driven in Chromium as an editor would, offline.

Sveltia CMS's local mode works on a folder the browser's File System Access API hands it.
Headless Chromium shows no folder picker, so the picker is replaced by the origin's private
file system (OPFS), filled with the throwaway repository's offices/ and national/ before the
CMS opens; what the CMS writes there is copied back into the repository. The CMS's own code
path (scan, form, save, media) is the one a real folder gets.

The editor writes a news post in both languages with an image and its alt text and saves it;
the files must be page.md + page.en.md with the site's front matter, pass `make check`'s
function, build, and appear in the feeds. A hostile value typed in a field (a <script>, a NIK)
is refused by the same check as a file edit.
"""
from __future__ import annotations

import base64
import datetime as dt
import difflib
import json
import re
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import ROOT, make_repo
from infohub.build import build_sites
from infohub.checks import check_report
from search.searchbox import serve

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PICKER = "window.showDirectoryPicker = async () => navigator.storage.getDirectory();"
FILL = """async (files) => {
  const top = await navigator.storage.getDirectory();
  for await (const [name] of top.entries()) await top.removeEntry(name, {recursive: true});
  await top.getDirectoryHandle('.git', {create: true});
  for (const [path, b64] of Object.entries(files)) {
    const parts = path.split('/'); let dir = top;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, {create: true});
    const w = await (await dir.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await w.write(Uint8Array.from(atob(b64), c => c.charCodeAt(0))); await w.close();
  }
}"""
# The files as the CMS left them. It writes a file through a '.sveltia-tmp-*' file renamed over it,
# and says "saved" before the rename is done: the walk starts again until no such file is left.
DUMP = """async () => { let out;
  async function walk(dir, prefix) { for await (const [name, h] of dir.entries()) {
    const p = prefix + name;
    if (name.startsWith('.sveltia-tmp-')) throw new Error('still writing ' + p);
    if (h.kind === 'directory') { if (name !== '.git') await walk(h, p + '/'); }
    else { const b = new Uint8Array(await (await h.getFile()).arrayBuffer());
           let s = ''; for (const x of b) s += String.fromCharCode(x); out[p] = btoa(s); } } }
  for (let tries = 0; ; tries++) {
    out = {};
    try { await walk(await navigator.storage.getDirectory(), ''); return out; }
    catch (e) { if (tries === 50) throw e; await new Promise(r => setTimeout(r, 100)); } } }"""


def _png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x20\x60\xc0" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _build(root: Path, slugs: list[str]):
    return build_sites(slugs, root / "site", jobs=1, root=root, echo=lambda _: None)


PHONE = {"viewport": {"width": 360, "height": 800}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): base64.b64encode(p.read_bytes()).decode()
            for sub in ("offices", "national") for p in (root / sub).rglob("*") if p.is_file()}


def _open_editor(browser, url: str, files: dict, editor: str, device: dict, outside: list | None = None,
                 sign_in_shot: Path | None = None):
    """(context, page) of /admin/<editor>/ on the repository's files, in local mode. Requests
    outside ``url`` are aborted (and listed in ``outside``)."""
    context = browser.new_context(**device)
    context.add_init_script(PICKER)
    page = context.new_page()
    page.route(lambda u: not u.startswith(url),
               lambda r: (outside.append(r.request.url) if outside is not None else None, r.abort()))
    page.goto(url)
    page.evaluate(FILL, files)
    page.goto(f"{url}admin/{editor}/")
    if sign_in_shot:
        page.get_by_role("button", name="Masuk dengan token akses").wait_for()
        page.screenshot(path=str(sign_in_shot))
    page.get_by_role("button", name="Bekerja dengan repositori lokal").click()
    page.get_by_text("Data kantor").first.wait_for()
    return context, page


def _changed(page, files: dict) -> dict[str, bytes]:
    """The files the CMS has written or changed since ``files``."""
    written = {path: base64.b64decode(data) for path, data in page.evaluate(DUMP).items()}
    return {p: b for p, b in written.items() if p not in files or base64.b64decode(files[p]) != b}


def _reveal(page, locator, tries: int = 60, pane: str = "left"):
    """``locator``'s first element, scrolled to: the form draws its lower fields only as they
    scroll into view, so scroll (the wheel over the ``pane`` of a post: left Indonesian, right
    English) until it is there."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    page.mouse.move(width // 4 if pane == "left" else width * 3 // 4, height * 3 // 4)
    for _ in range(tries):
        if locator.count():
            locator.first.scroll_into_view_if_needed()
            return locator.first
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(100)
    raise AssertionError(f"not in the form: {locator}")


def _write_post(browser, root: Path, site: Path, tmp_path: Path, description: str, body: str,
                shots: bool = False) -> dict[str, bytes]:
    files = _files(root)
    image = tmp_path / "antrean.png"
    image.write_bytes(_png())
    with serve(site) as (url, _):
        outside: list[str] = []
        context, page = _open_editor(browser, url, files, "kantorcontoh", DESKTOP, outside,
                                     SHOTS / "cms-sign-in-local.png" if shots else None)
        page.goto(url + "admin/kantorcontoh/#/collections/berita/new")
        ide = page.locator('[data-locale="id"][data-mode="edit"]')
        field = lambda pane, key: pane.locator(f'section[data-key-path="{key}"]')  # noqa: E731
        box = lambda pane, key: field(pane, key).locator("input:not([type=file]), textarea").first  # noqa: E731
        box(ide, "title").fill("Layanan paspor di hari Sabtu")
        box(ide, "description").fill(description)
        box(ide, "date").fill("2025-09-01T09:00")
        field(ide, "category").get_by_role("radio", name="Pengumuman").click()
        field(ide, "image").locator("input[type=file]").first.set_input_files(str(image))
        _reveal(page, field(ide, "image_alt").locator("input")).fill("Petugas melayani pemohon di loket paspor")
        text = _reveal(page, field(ide, "body").locator("[contenteditable]"))
        text.click()
        text.press_sequentially(body)
        page.locator('[aria-label^="Pratinjau"] button[value="en"]').first.click()
        en = page.locator('[data-locale="en"][data-mode="edit"]')
        box(en, "title").fill("Passport service on Saturdays")
        box(en, "description").fill("The example office opens for passports on Saturdays.")
        _reveal(page, field(en, "image_alt").locator("input"), pane="right").fill(
            "An officer serves an applicant at the passport counter")
        text = _reveal(page, field(en, "body").locator("[contenteditable]"), pane="right")
        text.click()
        text.press_sequentially("The example office opens for passport applications on Saturdays.")
        if shots:
            page.mouse.wheel(0, -6000)
            page.screenshot(path=str(SHOTS / "cms-form.png"))
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Entri disimpan.").wait_for()
        if shots:
            page.wait_for_timeout(1500)  # the editor fades back to the list; the picture wants the end
            page.screenshot(path=str(SHOTS / "cms-saved.png"))
        new = _changed(page, files)
        context.close()
    # Only our own origin: the font and version requests the CMS makes elsewhere are aborted.
    assert all("unpkg.com" in u or "jsdelivr.net" in u or "githubstatus.com" in u for u in outside), outside
    for path, data in new.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return new


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("cms") / "repo")
    assert all(r.ok for r in _build(root, ["hub"]))
    assert (root / "site/hub/admin/sveltia-cms.js").is_file(), "npm ci --prefix tools/cms first"
    return root


def test_a_post_written_in_the_form_is_checked_built_and_in_the_feeds(browser, hub, tmp_path):
    root = hub
    new = _write_post(browser, root, root / "site" / "hub", tmp_path,
                      "Kantor contoh membuka layanan paspor pada hari Sabtu.",
                      "Kantor contoh membuka layanan paspor pada hari Sabtu.", shots=True)
    posts = sorted(p for p in new if p.endswith(".md"))
    # in the folder of the post's year (2025), not the year it was written in
    assert posts == ["offices/kantorcontoh/docs/berita/2025/layanan-paspor-di-hari-sabtu.en.md",
                     "offices/kantorcontoh/docs/berita/2025/layanan-paspor-di-hari-sabtu.md"]
    # in the post's own folder: an upload never replaces another post's picture (issue 22)
    assert "offices/kantorcontoh/docs/berita/2025/gambar/layanan-paspor-di-hari-sabtu/antrean.png" in new
    indonesian = (root / posts[1]).read_text(encoding="utf-8")
    for line in ("title: Layanan paspor di hari Sabtu", "date: 2025-09-01 09:00", "category: pengumuman",
                 "image: /berita/2025/gambar/layanan-paspor-di-hari-sabtu/antrean.png", "image_alt: Petugas melayani pemohon di loket paspor"):
        assert line in indonesian
    report = check_report(["kantorcontoh"], False, root)
    assert not report.errors, report.format("id")
    assert all(r.ok for r in _build(root, ["kantorcontoh"]))
    feed = json.loads((root / "site/kantorcontoh/feed.json").read_text(encoding="utf-8"))
    assert "Layanan paspor di hari Sabtu" in [item["title"] for item in feed["items"]]
    feed_en = json.loads((root / "site/kantorcontoh/en/feed.json").read_text(encoding="utf-8"))
    assert "Passport service on Saturdays" in [item["title"] for item in feed_en["items"]]
    # the post's page in each language, its photo as resized copies with the alt text typed
    for lang, title, alt in (("", "Layanan paspor di hari Sabtu", "Petugas melayani pemohon di loket paspor"),
                             ("en/", "Passport service on Saturdays",
                              "An officer serves an applicant at the passport counter")):
        html = (root / f"site/kantorcontoh/{lang}berita/2025/layanan-paspor-di-hari-sabtu/index.html").read_text(
            encoding="utf-8")
        assert f">{title}</h1>" in html, lang
        photo = re.search(r'<img [^>]*alt="' + re.escape(alt) + '"[^>]*>', html)
        assert photo and "srcset=" in photo[0] and "antrean.png" not in photo[0], lang  # the copies, not the upload


def test_a_hostile_value_typed_in_the_form_is_refused_by_the_check(browser, tmp_path):
    root = make_repo(tmp_path / "repo")
    assert all(r.ok for r in _build(root, ["hub"]))
    _write_post(browser, root, root / "site" / "hub", tmp_path,
                "Pemohon <script>alert(1)</script> dengan NIK 3573010101900001.",
                "Hubungi kami.")
    report = check_report(["kantorcontoh"], False, root)
    text = report.format("id")
    # the same refusals as a file edit: the tag in the data, the NIK, both on the post's description
    post = "offices/kantorcontoh/docs/berita/2025/layanan-paspor-di-hari-sabtu.md"
    assert sorted((p.path, p.line, p.code) for p in report.errors) == [
        (post, 3, "html_in_data"), (post, 3, "privacy_nik")], text
    assert "baris 3  ada tag HTML <script> di data; data ditampilkan apa adanya, jadi tulis teks biasa tanpa tag" in text
    assert "baris 3  nomor 3573********0001 adalah NIK (nomor KTP) seseorang;" in text


# --- one editor per office, checked as you type (issue 22) -----------------------------------

# The height of the form's scrolling pane once every lazily drawn field is drawn.
FORM_HEIGHT = """async () => {
  const pane = () => [...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 10
      && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
  let last = -1, el = pane();
  for (let i = 0; i < 100 && el.scrollHeight !== last; i++) {
    last = el.scrollHeight; el.scrollTop = el.scrollHeight; await new Promise(r => setTimeout(r, 400)); el = pane(); }
  el.scrollTop = 0; return el.scrollHeight; }"""
TOP_SECTIONS = """() => [...document.querySelectorAll('[data-mode="edit"] section[data-key-path]')]
  .map(e => e.dataset.keyPath).filter(k => !k.includes('.'))"""


@pytest.fixture(scope="module")
def two_offices(tmp_path_factory):
    """The test repository with a second office beside kantorcontoh, built with the editors."""
    root = make_repo(tmp_path_factory.mktemp("cmsscope") / "repo")
    other = root / "offices" / "kantorlain"
    (other / "docs").mkdir(parents=True)
    (other / "office.yml").write_text(
        (root / "offices/kantorcontoh/office.yml").read_text(encoding="utf-8")
        .replace("Kantor Imigrasi Contoh", "Kantor Imigrasi Lain").replace("kantorcontoh", "kantorlain"),
        encoding="utf-8")
    assert all(r.ok for r in _build(root, ["hub"]))
    return root


def test_the_admin_page_lists_each_offices_editor(two_offices):
    admin = two_offices / "site/hub/admin"
    landing = (admin / "index.html").read_text(encoding="utf-8")
    assert ('<li><a href="nasional/">Tim nasional: data nasional dan data teknis kantor</a></li>\n'
            '<li><a href="kantorcontoh/">Kantor Imigrasi Contoh</a></li>\n'
            '<li><a href="kantorlain/">Kantor Imigrasi Lain</a></li>') in landing
    english = (admin / "en/index.html").read_text(encoding="utf-8")
    assert '<li><a href="../kantorcontoh/en/">Example Immigration Office</a></li>' in english
    for editor in ("nasional", "kantorcontoh", "kantorlain"):
        for page in (admin / editor / "index.html", admin / editor / "en/index.html"):
            assert 'src="' + "../" * (len(page.relative_to(admin).parts) - 1) + 'sveltia-cms.js"' in \
                page.read_text(encoding="utf-8")
    assert "kantorlain" not in (admin / "kantorcontoh/config.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("device, shot", [(PHONE, "cms-office-phone.png"), (DESKTOP, "cms-office-desktop.png")])
def test_an_office_editor_shows_that_office_alone(browser, two_offices, device, shot):
    with serve(two_offices / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, _files(two_offices), "kantorcontoh", device)
        page.wait_for_timeout(500)
        home = page.locator("body").inner_text()
        page.goto(url + "admin/kantorcontoh/#/collections/kantor/entries/kantorcontoh")
        page.locator('section[data-key-path="contact"]').first.wait_for()
        sections = page.evaluate(TOP_SECTIONS)
        height = page.evaluate(FORM_HEIGHT)
        page.screenshot(path=str(SHOTS / shot))
        context.close()
    for label in ("Berita", "Halaman kantor", "Data kantor"):
        assert label in home
    for other in ("Berita —", "Kantor Imigrasi Lain", "Data nasional", "Berita nasional"):
        assert other not in home
    assert sections == ["contact", "hours", "fees", "faq", "alert"]  # no domain, time zone, channels...
    if device is PHONE:
        # the full office form (what /admin/ showed before, now /admin/nasional/) is 6,887 px here; this
        # one was under 1,500 px until it gained the fees (folded) and the list of numbers the office
        # publishes (contact.published, open with the contacts): 1,704 px
        assert height < 1800, height


def test_a_bad_phone_number_is_refused_in_the_form_with_the_checks_words(browser, two_offices):
    files = _files(two_offices)
    with serve(two_offices / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, "kantorcontoh", PHONE)
        page.goto(url + "admin/kantorcontoh/#/collections/kantor/entries/kantorcontoh")
        phone = page.locator('section[data-key-path="contact.phone"] input').first
        phone.fill("0341 123456")
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Diharapkan nomor internasional seperti '+62341123456'.").first.wait_for()
        page.wait_for_timeout(1000)  # the notice below fades in: the picture wants it whole
        page.screenshot(path=str(SHOTS / "cms-refused.png"))
        refused = _changed(page, files)
        phone.fill("+62 911 000 001")  # spaces are fine: the check takes them out
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Entri disimpan.").wait_for()
        saved = _changed(page, files)
        context.close()
    assert refused == {}
    assert list(saved) == ["offices/kantorcontoh/office.yml"]
    text = saved["offices/kantorcontoh/office.yml"].decode("utf-8")
    assert 'phone: +62 911 000 001' in text or "phone: '+62 911 000 001'" in text
    # what this editor does not show is kept as it was
    for line in ("domain: kantorcontoh.id", "timezone: Asia/Jayapura", "  instagram: https://instagram.example.org/kantorcontoh"):
        assert line in text.splitlines()


def test_a_title_over_the_limit_is_refused_in_the_form_with_the_checks_words(browser, two_offices):
    files = _files(two_offices)
    with serve(two_offices / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, "kantorcontoh", DESKTOP)
        page.goto(url + "admin/kantorcontoh/#/collections/berita/new")
        ide = page.locator('[data-locale="id"][data-mode="edit"]')
        ide.locator('section[data-key-path="title"] input').first.fill("Layanan paspor " * 14)  # 210 characters
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Diharapkan teks paling panjang 200 karakter.").first.wait_for()
        changed = _changed(page, files)
        context.close()
    assert changed == {}


def test_the_hosted_sign_in_offers_the_token_only(browser, two_offices):
    """On the hub's own address (not this computer), without an authenticator in the hub's settings."""
    site = two_offices / "site/hub"
    host = "https://portal.example.go.id/"

    def from_site(route):
        path = route.request.url[len(host):].split("#")[0].split("?")[0]
        file = site / path / "index.html" if path.endswith("/") or not path else site / path
        route.fulfill(path=str(file)) if file.is_file() else route.fulfill(status=404)

    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.route(lambda u: not u.startswith(host), lambda r: r.abort())
    page.route(host + "**", from_site)
    page.goto(host + "admin/kantorcontoh/")
    page.get_by_role("button", name="Masuk dengan token akses").wait_for()
    page.wait_for_timeout(500)
    buttons = page.get_by_role("button").all_inner_texts()
    page.screenshot(path=str(SHOTS / "cms-sign-in.png"))
    context.close()
    assert not any("GitHub" in b or "repositori lokal" in b for b in buttons), buttons


@pytest.mark.parametrize("close", ["Escape", "back button"])
def test_unsaved_work_is_not_closed_without_asking(browser, two_offices, close):
    """Escape and the form's ← closed a post without a word (Sveltia keeps no draft backup in local
    mode): /admin/guard.js asks first while there are unsaved changes, in the editor's language."""
    asked: list[str] = []
    answer = {"accept": False}

    def on_dialog(dialog):
        asked.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    with serve(two_offices / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, _files(two_offices), "kantorcontoh", PHONE)
        page.on("dialog", on_dialog)
        page.goto(url + "admin/kantorcontoh/#/collections/berita/new")
        title = page.locator('[data-locale="id"][data-mode="edit"] section[data-key-path="title"] input').first
        leave = (lambda: page.keyboard.press("Escape")) if close == "Escape" else \
            (lambda: page.locator('button[aria-keyshortcuts="Escape"]').first.click())
        title.wait_for()
        closed = lambda timeout=30000: page.wait_for_function(  # noqa: E731
            "() => !location.hash.endsWith('/new')", timeout=timeout)
        # Nothing typed yet: closes without asking. The CMS takes its keys a moment after the form
        # shows (a CI run once pressed Escape too early, and the form stayed open for 30 s), so press
        # again as a person would; any question asked would fail the assertion on `asked` below.
        for _ in range(3):
            leave()
            try:
                closed(5000)
                break
            except PlaywrightTimeout:
                continue
        else:
            closed(1)
        page.goto(url + "admin/kantorcontoh/#/collections/berita/new")
        title.fill("Pelayanan paspor keliling")
        leave()  # "no": the form stays, with what was typed
        page.wait_for_timeout(500)
        kept = title.input_value()
        answer["accept"] = True
        leave()  # "yes": closed
        closed()
        context.close()
    assert asked == ["Perubahan di formulir ini belum disimpan dan akan hilang. Tetap tutup?"] * 2
    assert kept == "Pelayanan paspor keliling"


def new_indonesian_post(page, url: str, office: str, title: str, date: str, text: str, description: str | None = None):
    """Open a new news post of ``office``'s editor, fill what it must have to be saved, and turn
    its English version off: the Indonesian form."""
    page.goto(f"{url}admin/{office}/#/collections/berita/new")
    form = page.locator('[data-locale="id"][data-mode="edit"]')
    # a section's first text box (a picture field's file input is no text box)
    box = lambda key: form.locator(f'section[data-key-path="{key}"]').locator("input:not([type=file]), textarea").first  # noqa: E731
    box("title").fill(title)
    if description is not None:
        box("description").fill(description)
    box("date").fill(date)
    form.locator('section[data-key-path="category"]').get_by_role("radio", name="Pengumuman").click()
    body = _reveal(page, form.locator('section[data-key-path="body"] [contenteditable]'))
    body.click()
    body.press_sequentially(text)
    page.locator('[aria-label^="Pratinjau"] button[value="en"]').first.click()  # the English pane: off
    page.get_by_role("button", name="Tampilkan pilihan konten \u2068Inggris\u2069").first.click()
    page.get_by_role("menuitem", name="Nonaktifkan \u2068Inggris\u2069").click()
    return form


def test_a_post_in_indonesian_only_is_saved_without_its_english_file(browser, two_offices):
    """The handbook allows a post in Indonesian only (berita.md): the form used to demand English."""
    files = _files(two_offices)
    with serve(two_offices / "site/hub") as (url, _):
        context, page = _open_editor(browser, url, files, "kantorcontoh", DESKTOP)
        new_indonesian_post(page, url, "kantorcontoh", "Jam layanan selama libur sekolah", "2025-07-01T08:00",
                            "Kantor contoh tetap buka.",
                            description="Kantor contoh tetap buka seperti biasa selama libur sekolah.")
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_text("Entri disimpan.").wait_for()
        changed = _changed(page, files)
        context.close()
    assert list(changed) == ["offices/kantorcontoh/docs/berita/2025/jam-layanan-selama-libur-sekolah.md"]
    for path, data in changed.items():
        (two_offices / path).write_bytes(data)
    try:
        report = check_report(["kantorcontoh"], False, two_offices)
        assert not report.errors, report.format("id")
    finally:
        for path in changed:
            (two_offices / path).unlink()


# --- an office's tasks, each through its own editor as its editor does them (issue 22) ---------------

BLITAR = "imigrasiblitar"
BLITAR_YML = f"offices/{BLITAR}/office.yml"
# The dates the tasks type: from today, so that the banner and the closure are still to come when built.
TODAY = dt.date.today()
FLOOD_ENDS = TODAY + dt.timedelta(days=3)
HOLIDAY = TODAY + dt.timedelta(days=10)


@pytest.fixture(scope="module")
def blitar(tmp_path_factory):
    """The test repository with Kantor Imigrasi Blitar as it is in the repository (no contacts,
    hours, fees, FAQ or alert of its own yet), built before any change: (root, pages before)."""
    root = make_repo(tmp_path_factory.mktemp("blitar") / "repo")
    shutil.copytree(ROOT / "offices" / BLITAR, root / "offices" / BLITAR)
    assert all(r.ok for r in _build(root, ["hub", BLITAR]))
    return root, _pages(root)


def _pages(root: Path) -> dict[str, str]:
    """The text of the built office's pages each task shows on."""
    site = root / "site" / BLITAR
    return {name: (site / name / "index.html").read_text(encoding="utf-8").replace("\n", " ")
            for name in ("", "jam-layanan", "biaya", "faq")}


def _section(page, path: str):
    return _reveal(page, page.locator(f'section[data-key-path="{path}"]'))


def _type(page, path: str, text: str) -> None:
    _reveal(page, page.locator(f'section[data-key-path="{path}"]').locator("input, textarea")).fill(text)


def _turn_on(page, path: str):
    """An optional part the office has not filled yet: tick it, and open it when it is folded."""
    section = _section(page, path)
    section.get_by_role("checkbox").first.click()
    opener = section.get_by_role("button", name="Luaskan", exact=True)
    if opener.count():
        opener.first.click()
    return section


def _add(page, path: str) -> None:
    _section(page, path).get_by_role("button", name="Tambah").last.click()


def _contacts(page):
    _turn_on(page, "contact")
    _type(page, "contact.phone", "+62 342 000 001")
    _type(page, "contact.whatsapp", "+62 811 0000 0001")
    _type(page, "contact.email", "info@imigrasiblitar.example.org")
    _add(page, "contact.published")  # the guard post's number, given in an FAQ answer below
    _type(page, "contact.published.0", "0812 0000 0002")


def _hours(page):
    _turn_on(page, "hours")
    _add(page, "hours.monday")
    _type(page, "hours.monday.0", "08:00-16:00")
    _add(page, "hours.friday")  # the Friday prayer: two ranges
    _type(page, "hours.friday.0", "08:00-11:30")
    _add(page, "hours.friday")
    _type(page, "hours.friday.1", "13:30-16:00")
    _add(page, "hours.closures")
    _type(page, "hours.closures.0.date", HOLIDAY.isoformat())
    _type(page, "hours.closures.0.reason.id", "Cuti bersama")
    _type(page, "hours.closures.0.reason.en", "Collective leave day")


def _fee_not_served(page):
    _turn_on(page, "fees")
    _section(page, "fees.not_served").get_by_role("combobox").click()
    page.get_by_role("option", name="Surat Perjalanan Laksana Paspor (SPLP) untuk orang asing").click()


def _faq_entry(page, index: int, entry_id: str, question: tuple[str, str], answer: tuple[str, str]):
    """A new FAQ entry at ``index``, on queues, with its question and answer (Indonesian, English)."""
    _add(page, "faq")
    _type(page, f"faq.{index}.id", entry_id)
    _section(page, f"faq.{index}.topic").get_by_role("radio", name="antrean").click()
    for field, texts in (("question", question), ("answer", answer)):
        for lang, text in zip(("id", "en"), texts):
            _type(page, f"faq.{index}.{field}.{lang}", text)


def _faq(page):
    # the national answer, replaced: an entry with its id
    _faq_entry(page, 0, "daftar-antrean",
               ("Bagaimana cara mendaftar antrean paspor?", "How do I book a passport appointment?"),
               ("Daftar lewat aplikasi M-Paspor. Kantor Blitar melayani 100 pemohon sehari.",
                "Register in the M-Paspor app. The Blitar office serves 100 applicants a day."))
    # an entry of its own
    _faq_entry(page, 1, "parkir", ("Apakah ada tempat parkir?", "Is there parking?"),
               ("Ada, di halaman belakang kantor; tanya pos satpam 0812 0000 0002.",
                "Yes, behind the office; ask the guard post on 0812 0000 0002."))


def _flood_banner(page):
    _turn_on(page, "alert")
    _type(page, "alert.text.id", "Banjir di Jalan Sudanco Supriyadi: layanan paspor dihentikan sementara.")
    _type(page, "alert.text.en", "Flooding on Jalan Sudanco Supriyadi: passport services are suspended.")
    _section(page, "alert.level").get_by_role("radio", name="danger").click()
    _type(page, "alert.expires", f"{FLOOD_ENDS.isoformat()}T17:00")


# task -> (what the editor does in the form, the lines office.yml gains)
OFFICE_TASKS = {
    "contacts": (_contacts, ["+contact:", "+  phone: +62 342 000 001", "+  whatsapp: +62 811 0000 0001",
                             "+  email: info@imigrasiblitar.example.org", "+  published:", "+    - 0812 0000 0002"]),
    "hours with a Friday break and a holiday closure": (_hours, [
        "+hours:", "+  monday:", "+    - 08:00-16:00", "+  friday:", "+    - 08:00-11:30", "+    - 13:30-16:00",
        "+  closures:", f"+    - date: {HOLIDAY.isoformat()}", "+      reason:", "+        id: Cuti bersama",
        "+        en: Collective leave day"]),
    "a fee not served": (_fee_not_served, ["+fees:", "+  not_served:", "+    - splp-wna"]),
    "an FAQ entry and a national answer replaced": (_faq, [
        "+faq:", "+  - id: daftar-antrean", "+    topic: antrean", "+    question:",
        "+      id: Bagaimana cara mendaftar antrean paspor?", "+      en: How do I book a passport appointment?",
        "+    answer:", "+      id: Daftar lewat aplikasi M-Paspor. Kantor Blitar melayani 100 pemohon sehari.",
        "+      en: Register in the M-Paspor app. The Blitar office serves 100 applicants a day.",
        "+  - id: parkir", "+    topic: antrean", "+    question:", "+      id: Apakah ada tempat parkir?",
        "+      en: Is there parking?", "+    answer:",
        "+      id: Ada, di halaman belakang kantor; tanya pos satpam 0812 0000 0002.",
        "+      en: Yes, behind the office; ask the guard post on 0812 0000 0002."]),
    "a flood banner": (_flood_banner, [
        "+alert:", "+  text:", "+    id: 'Banjir di Jalan Sudanco Supriyadi: layanan paspor dihentikan sementara.'",
        "+    en: 'Flooding on Jalan Sudanco Supriyadi: passport services are suspended.'", "+  level: danger",
        f"+  expires: {FLOOD_ENDS.isoformat()} 17:00"]),
}


def _added_lines(before: bytes, after: bytes) -> list[str]:
    return [line for line in difflib.unified_diff(before.decode("utf-8").splitlines(),
                                                  after.decode("utf-8").splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_an_offices_tasks_in_its_own_editor_on_a_phone(browser, blitar):
    """Each task of the issue through /admin/imigrasiblitar/ on a phone, saved on its own: office.yml
    gains exactly that task's lines (nothing else moves), `make check` passes after each save, and
    the built site shows them all."""
    root, before = blitar
    verdicts = {}
    with serve(root / "site/hub") as (url, _):
        for task, (do, lines) in OFFICE_TASKS.items():
            files = _files(root)
            context, page = _open_editor(browser, url, files, BLITAR, PHONE)
            page.goto(f"{url}admin/{BLITAR}/#/collections/kantor/entries/{BLITAR}")
            page.locator('section[data-key-path="contact"]').first.wait_for()
            do(page)
            page.get_by_role("button", name="Simpan").first.click()
            page.get_by_text("Entri disimpan.").wait_for()
            changed = _changed(page, files)
            context.close()
            assert list(changed) == [BLITAR_YML], task
            was = (root / BLITAR_YML).read_bytes()
            assert _added_lines(was, changed[BLITAR_YML]) == lines, task
            (root / BLITAR_YML).write_bytes(changed[BLITAR_YML])
            report = check_report([BLITAR], False, root)
            # no error, the file in the editor's form, and no personal data: the guard post's number is
            # declared in contact.published, a field the next save keeps (a comment would be dropped)
            verdicts[task] = [p.code for p in report.problems
                              if p.severity == "error" or p.code.startswith(("cms_form", "privacy"))]
    assert verdicts == {task: [] for task in OFFICE_TASKS}
    assert all(r.ok for r in _build(root, [BLITAR]))
    after = _pages(root)
    banner = "Banjir di Jalan Sudanco Supriyadi: layanan paspor dihentikan sementara."
    for name in ("", "jam-layanan", "biaya", "faq"):  # the banner on every page
        assert banner not in before[name] and banner in after[name], name
    assert 'role="alert"' in after[""]  # danger interrupts a screen reader
    not_served = "Kantor ini tidak melayani: Surat Perjalanan Laksana Paspor (SPLP) untuk orang asing."
    assert not_served not in before["biaya"] and not_served in after["biaya"]
    national_answer = "Daftar lewat aplikasi M-Paspor, pilih kantor dan jadwal kedatangan"
    office_answer = "Daftar lewat aplikasi M-Paspor. Kantor Blitar melayani 100 pemohon sehari."
    assert national_answer in before["faq"] and office_answer not in before["faq"]
    assert national_answer not in after["faq"] and office_answer in after["faq"]
    assert "Apakah ada tempat parkir?" in after["faq"]
    for text in ("08:00", "11:30", "13:30", "Cuti bersama"):
        assert text not in before["jam-layanan"] and text in after["jam-layanan"], text
    assert "tel:+62342000001" not in before[""] and "tel:+62342000001" in after[""]
