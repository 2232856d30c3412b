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
import json
import struct
import time
import zlib
from pathlib import Path

import pytest

from conftest import make_repo
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
DUMP = """async () => { const out = {};
  async function walk(dir, prefix) { for await (const [name, h] of dir.entries()) {
    const p = prefix + name;
    if (h.kind === 'directory') { if (name !== '.git') await walk(h, p + '/'); }
    else { const b = new Uint8Array(await (await h.getFile()).arrayBuffer());
           let s = ''; for (const x of b) s += String.fromCharCode(x); out[p] = btoa(s); } } }
  await walk(await navigator.storage.getDirectory(), ''); return out; }"""


def _png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x20\x60\xc0" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _build(root: Path, slugs: list[str]):
    return build_sites(slugs, root / "site", jobs=1, root=root, echo=lambda _: None)


def _write_post(browser, root: Path, site: Path, tmp_path: Path, description: str, body: str,
                shots: bool = False) -> dict[str, bytes]:
    files = {str(p.relative_to(root)): base64.b64encode(p.read_bytes()).decode()
             for sub in ("offices", "national") for p in (root / sub).rglob("*") if p.is_file()}
    image = tmp_path / "antrean.png"
    image.write_bytes(_png())
    with serve(site) as (url, _):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(PICKER)
        page = context.new_page()
        outside: list[str] = []
        page.route(lambda u: not u.startswith(url), lambda r: (outside.append(r.request.url), r.abort()))
        page.goto(url)
        page.evaluate(FILL, files)
        page.goto(url + "admin/")
        if shots:
            page.get_by_role("button", name="Sign In Using Access Token").wait_for()
            page.screenshot(path=str(SHOTS / "cms-sign-in.png"))
        page.get_by_role("button", name="Work with Local Repository").click()
        page.get_by_text("Berita — Kantor Imigrasi Contoh").first.wait_for()
        page.goto(url + "admin/#/collections/berita-kantorcontoh/new")
        ide = page.locator('[data-locale="id"][data-mode="edit"]')
        field = lambda pane, key: pane.locator(f'section[data-key-path="{key}"]')  # noqa: E731
        box = lambda pane, key: field(pane, key).locator("input:not([type=file]), textarea").first  # noqa: E731
        box(ide, "title").fill("Layanan paspor di hari Sabtu")
        box(ide, "description").fill(description)
        box(ide, "date").fill("2025-09-01T09:00")
        field(ide, "category").get_by_role("radio", name="Pengumuman").click()
        field(ide, "image").locator("input[type=file]").first.set_input_files(str(image))
        box(ide, "image_alt").fill("Petugas melayani pemohon di loket paspor")
        box(ide, "event_location").scroll_into_view_if_needed()
        page.mouse.move(300, 600)
        page.mouse.wheel(0, 3000)  # the form renders its lower fields when they scroll into view
        text = field(ide, "body").locator("[contenteditable]").first
        text.click()
        text.press_sequentially(body)
        page.locator('[aria-label^="Preview"] button[value="en"]').first.click()
        en = page.locator('[data-locale="en"][data-mode="edit"]')
        box(en, "title").fill("Passport service on Saturdays")
        box(en, "description").fill("The example office opens for passports on Saturdays.")
        box(en, "image_alt").fill("An officer serves an applicant at the passport counter")
        box(en, "event_location").scroll_into_view_if_needed()
        page.mouse.move(900, 600)
        page.mouse.wheel(0, 3000)
        text = field(en, "body").locator("[contenteditable]").first
        text.click()
        text.press_sequentially("The example office opens for passport applications on Saturdays.")
        if shots:
            page.mouse.wheel(0, -6000)
            page.screenshot(path=str(SHOTS / "cms-form.png"))
        page.get_by_role("button", name="Save").first.click()
        page.get_by_text("Entry saved.").wait_for()
        if shots:
            page.wait_for_timeout(1500)  # the editor fades back to the list; the picture wants the end
            page.screenshot(path=str(SHOTS / "cms-saved.png"))
        written = {path: base64.b64decode(data) for path, data in page.evaluate(DUMP).items()}
        context.close()
    # Only our own origin: the font and version requests the CMS makes elsewhere are aborted.
    assert all("unpkg.com" in u or "jsdelivr.net" in u or "githubstatus.com" in u for u in outside), outside
    new = {p: b for p, b in written.items() if p not in files or base64.b64decode(files[p]) != b}
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
