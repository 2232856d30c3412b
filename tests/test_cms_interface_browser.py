"""The web editor's interface in Indonesian, in Chromium (cms_locale.py; issue 22).

An office's editor (/admin/<slug>/) and the national one (/admin/nasional/) open in Indonesian
whatever the browser's language; /admin/<slug>/en/ in English. The translation comes from the
hub's own /admin/locales/id.json: no request leaves the hub (unpkg.com least of all). The
editor is opened as tests/test_cms_browser.py opens it: the local repository in the origin's
private file system.
"""
from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from conftest import make_repo
from infohub.build import build_sites
from search.searchbox import serve
from test_cms_browser import FILL, PICKER

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = make_repo(tmp_path_factory.mktemp("cmsid") / "repo")
    assert all(r.ok for r in build_sites(["hub"], root / "site", jobs=1, root=root, echo=lambda _: None))
    assert (root / "site/hub/admin/sveltia-cms.js").is_file(), "npm ci --prefix tools/cms first"
    return root


def _files(root) -> dict[str, str]:
    """The repository's offices/ and national/, for the origin's private file system (FILL)."""
    return {str(p.relative_to(root)): base64.b64encode(p.read_bytes()).decode()
            for sub in ("offices", "national") for p in (root / sub).rglob("*") if p.is_file()}


@pytest.mark.parametrize("editor", ["kantorcontoh", "nasional"])
def test_an_indonesian_editor_opens_in_indonesian_in_an_english_browser(browser, hub, editor):
    files = _files(hub)
    with serve(hub / "site" / "hub") as (url, requested):
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
        context.add_init_script(PICKER)
        page = context.new_page()
        outside: list[str] = []
        page.route(lambda u: not u.startswith(url), lambda r: (outside.append(r.request.url), r.abort()))
        page.goto(url)
        assert page.evaluate("navigator.language") == "en-US"
        page.evaluate(FILL, files)
        page.goto(f"{url}admin/{editor}/")
        # the sign-in page
        page.get_by_role("button", name="Masuk dengan token akses").wait_for()
        local = page.get_by_role("button", name="Bekerja dengan repositori lokal")
        expect(local).to_be_visible()
        local.click()
        # the top bar and the sidebar, as they appear (the sidebar may come after the first
        # collection's name: a check the moment that shows failed once on a loaded machine)
        page.get_by_text("Data kantor").first.wait_for()
        switch = page.get_by_role("radiogroup", name="Pindah halaman")
        expect(switch.get_by_role("radio", name="Konten")).to_be_checked()
        expect(switch.get_by_role("radio", name="Media")).to_be_visible()
        expect(page.get_by_role("searchbox", name="Cari konten…")).to_be_visible()
        expect(page.get_by_role("button", name="Buat entri atau media")).to_be_visible()
        expect(page.get_by_role("tree", name="Daftar koleksi")).to_be_visible()
        # a new post's form: the Save button, and a refusal in the CMS's own words
        collection = "berita" if editor == "kantorcontoh" else "berita-nasional"
        page.goto(f"{url}admin/{editor}/#/collections/{collection}/new")
        save = page.get_by_role("button", name="Simpan", exact=True).first
        save.wait_for()
        assert page.get_by_role("button", name="Save", exact=True).count() == 0
        save.click()  # empty: refused, in Indonesian
        page.get_by_text("Kolom ini wajib diisi.").first.wait_for()
        assert page.evaluate("document.documentElement.lang") == "id"
        context.close()
    assert "/admin/locales/id.json" in requested
    assert [u for u in outside if "unpkg.com" in u] == []
    # the only other outside request: GitHub's status page, blocked on purpose (test_cms_offline.py)
    assert all("githubstatus.com" in u for u in outside), outside


def test_the_english_editor_opens_in_english_in_an_indonesian_browser(browser, hub):
    files = _files(hub)
    with serve(hub / "site" / "hub") as (url, requested):
        context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800}, is_mobile=True,
                                      has_touch=True)
        context.add_init_script(PICKER)
        page = context.new_page()
        page.route(lambda u: not u.startswith(url), lambda r: r.abort())
        page.goto(url)
        assert page.evaluate("navigator.language") == "id-ID"
        page.evaluate(FILL, files)
        page.goto(f"{url}admin/kantorcontoh/en/")
        page.get_by_role("button", name="Work with Local Repository").click()
        page.get_by_text("Office data").first.wait_for()
        page.goto(f"{url}admin/kantorcontoh/en/#/collections/berita/new")
        page.get_by_role("button", name="Save", exact=True).first.wait_for()
        assert page.get_by_role("button", name="Simpan", exact=True).count() == 0
        context.close()
    assert not [p for p in requested if "/admin/locales/" in p]  # English is the script's own


def test_a_language_chosen_in_the_settings_is_kept(browser, hub):
    """The CMS's own setting (Settings › Language) wins over the page's: an editor who picks
    English keeps it in every editor of the hub, until 'Automatic' again."""
    files = _files(hub)
    with serve(hub / "site" / "hub") as (url, _):
        context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
        context.add_init_script(PICKER)
        page = context.new_page()
        page.route(lambda u: not u.startswith(url), lambda r: r.abort())
        page.goto(url)
        page.evaluate(FILL, files)
        page.evaluate("localStorage.setItem('sveltia-cms.prefs', JSON.stringify({locale: 'en-US'}))")
        page.goto(f"{url}admin/kantorcontoh/")
        page.get_by_role("button", name="Work with Local Repository").wait_for()
        page.evaluate("localStorage.setItem('sveltia-cms.prefs', JSON.stringify({locale: 'auto'}))")
        page.goto(f"{url}admin/nasional/")
        page.get_by_role("button", name="Bekerja dengan repositori lokal").wait_for()
        context.close()
