""""Was this page helpful?": where office.yml may send the answers, the control on the pages,
the Content-Security-Policy that allows exactly that host, and the control in real Chromium.

An office sends readers' answers only to its own domain (an endpoint taking a JSON POST, or
its self-hosted Plausible, Umami, Matomo or GoatCounter); `make check` refuses anything else
with a message in both languages. An office without 'feedback' offers its contact and sends
nothing: no script of the feature is even loaded.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Error as PlaywrightError

from conftest import make_repo, record_console, serving
from infohub import deploy
from infohub.build import build_sites
from infohub.content import load_national, load_office
from infohub.problems import WARNING
from test_completeness import BARE, add_bare_office

OFFICE = "kantorcontoh"
ENDPOINT = "https://masukan.kantorcontoh.id/api/masukan"
UMAMI_ID = "4f9c2b1e-8d3a-4c6b-9e2f-1a2b3c4d5e6f"
# one small office per analytics tool: slug -> its office.yml 'feedback'
TOOLS = {
    "plausible": "  analytics:\n    tool: plausible\n    url: https://statistik.kantorplausible.id/\n",
    "umami": f"  analytics:\n    tool: umami\n    url: https://statistik.kantorumami.id\n    site_id: {UMAMI_ID}\n",
    "matomo": "  analytics:\n    tool: matomo\n    url: https://kantormatomo.id/matomo/\n    site_id: '7'\n",
    "goatcounter": "  analytics:\n    tool: goatcounter\n    url: https://statistik.kantorgoatcounter.id\n",
}


def with_feedback(repo: Path, text: str, slug: str = OFFICE) -> None:
    file = repo / "offices" / slug / "office.yml"
    file.write_text(file.read_text(encoding="utf-8") + "feedback:\n" + text, encoding="utf-8")


def problems(repo: Path, text: str, lang: str = "id", *, also: str | None = None) -> list[str]:
    """The problems of office.yml with ``text`` under 'feedback:', as an editor reads them;
    with ``also`` a second language, the two lists side by side."""
    with_feedback(repo, text)
    _, found = load_office(OFFICE, load_national(repo)[0], repo)
    return [f"{p.line} {p.text(lang)}" + (f" | {p.text(also)}" if also else "") for p in found
            if p.severity != WARNING]  # the fixture's alert has expired: a warning, not ours


# --- office.yml ------------------------------------------------------------------------------

ACCEPTED = {
    "the office's own domain": "  endpoint: https://kantorcontoh.id/api/masukan\n",
    "a subdomain of it": f"  endpoint: {ENDPOINT}\n",
    **{f"self-hosted {tool}": text.replace(f"kantor{tool}.id", "kantorcontoh.id") for tool, text in TOOLS.items()},
}


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_destinations_on_the_offices_own_domain_are_accepted(repo, text):
    assert problems(repo, text) == []


OTHER_DOMAIN = {
    "id": "diharapkan alamat di domain kantor ini sendiri (kantorcontoh.id atau subdomainnya, misalnya "
          "'https://statistik.kantorcontoh.id'), bukan di domain lain ({host}): jawaban pembaca hanya boleh dikirim "
          "ke server kantor ini, tertulis '{url}'",
    "en": "expected an address on this office's own domain (kantorcontoh.id or a subdomain of it, like "
          "'https://statistik.kantorcontoh.id'), not on another domain ({host}): readers' answers may only go to "
          "this office's own servers, got '{url}'",
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("url,host", [
    ("https://imigrasiblitar.id/api/masukan", "imigrasiblitar.id"),  # another office
    ("https://plausible.io/api/event", "plausible.io"),  # a third party
    ("https://kantorcontoh.id.example.net/x", "kantorcontoh.id.example.net"),  # looks like it, is not
    ("https://palsukantorcontoh.id/x", "palsukantorcontoh.id"),
])
def test_another_domain_is_refused_in_both_languages(repo, url, host, lang):
    assert problems(repo, f"  endpoint: {url}\n", lang) == [
        "79 feedback.endpoint: " + OTHER_DOMAIN[lang].format(host=host, url=url)]


def test_an_analytics_tool_on_another_domain_is_refused(repo):
    assert problems(repo, "  analytics:\n    tool: umami\n    url: https://cloud.umami.is\n"
                          f"    site_id: {UMAMI_ID}\n") == [
        "81 feedback.analytics.url: " + OTHER_DOMAIN["id"].format(host="cloud.umami.is", url="https://cloud.umami.is")]


REFUSED = {
    "http": ("http://kantorcontoh.id/api/masukan",
             "diharapkan alamat lengkap yang diawali 'https://' di domain kantor ini, misalnya "
             "'https://kantorcontoh.id/api/masukan'",
             "expected a full address starting with 'https://' on this office's domain, like "
             "'https://kantorcontoh.id/api/masukan'"),
    "public IP": ("https://203.0.113.7/api",
                  "diharapkan alamat dengan nama domain kantor ini (kantorcontoh.id atau subdomainnya), bukan alamat IP "
                  "atau server lokal",
                  "expected an address with this office's domain name (kantorcontoh.id or a subdomain of it), not an "
                  "IP address or a local server"),
    "private IP": ("https://192.168.1.10/api",
                   "diharapkan alamat dengan nama domain kantor ini (kantorcontoh.id atau subdomainnya), bukan alamat "
                   "IP atau server lokal",
                   "expected an address with this office's domain name (kantorcontoh.id or a subdomain of it), not an "
                   "IP address or a local server"),
    "credentials": ("https://admin:rahasia@kantorcontoh.id/api",
                    "diharapkan alamat tanpa nama pengguna atau kata sandi di dalamnya, misalnya "
                    "'https://kantorcontoh.id/api/masukan'",
                    "expected an address with no user name or password in it, like "
                    "'https://kantorcontoh.id/api/masukan'"),
}


@pytest.mark.parametrize("url,id_text,en_text", REFUSED.values(), ids=REFUSED.keys())
def test_addresses_that_are_not_a_public_https_name_are_refused(repo, url, id_text, en_text):
    assert problems(repo, f"  endpoint: {url}\n", also="en") == [
        f"79 feedback.endpoint: {id_text}, tertulis '{url}' | feedback.endpoint: {en_text}, got '{url}'"]


def test_one_destination_a_known_tool_and_the_site_id_it_needs(repo):
    assert problems(repo, "  endpoint: https://kantorcontoh.id/a\n  analytics:\n    tool: goatcounter\n"
                          "    url: https://statistik.kantorcontoh.id\n") == [
        "78 feedback: diharapkan salah satu saja: 'endpoint' (alamat penerima masukan milik kantor) atau 'analytics' "
        "(alat statistik kantor), tertulis 'endpoint + analytics'"]
    file = repo / "offices" / OFFICE / "office.yml"
    base = file.read_text(encoding="utf-8").split("feedback:")[0]
    file.write_text(base, encoding="utf-8")
    assert problems(repo, "  analytics:\n    tool: google\n    url: https://statistik.kantorcontoh.id\n", "en") == [
        "80 feedback.analytics.tool: expected one of the self-hosted analytics tools: plausible, umami, matomo, "
        "goatcounter, got 'google'"]
    file.write_text(base, encoding="utf-8")
    assert problems(repo, "  analytics:\n    tool: matomo\n    url: https://statistik.kantorcontoh.id\n"
                          "    site_id: situs-saya\n") == [
        "82 feedback.analytics.site_id: diharapkan site_id berupa angka ID situs dari Matomo (Administrasi → Situs), "
        "misalnya '3', tertulis 'situs-saya'"]


def test_make_check_refuses_another_offices_domain(repo):
    with_feedback(repo, "  endpoint: https://imigrasiblitar.id/api/masukan\n")
    for lang, expected in (("id", "baris 79  feedback.endpoint: diharapkan alamat di domain kantor ini sendiri"),
                           ("en", "line 79  feedback.endpoint: expected an address on this office's own domain")):
        done = subprocess.run([sys.executable, "-m", "infohub", "check", "--office", OFFICE], capture_output=True,
                              text=True, timeout=120,
                              env={**os.environ, "INFOHUB_ROOT": str(repo), "INFOHUB_LANG": lang, "GITHUB_ACTIONS": ""})
        assert done.returncode == 1, done.stdout
        assert expected in done.stdout and "offices/kantorcontoh/office.yml" in done.stdout


# --- the built pages and their CSP -----------------------------------------------------------


def add_tool_office(repo: Path, tool: str) -> str:
    """A copy of the bare office (kantorkosong) as kantor<tool>, with that tool configured."""
    slug = f"kantor{tool}"
    add_bare_office(repo)
    (repo / "offices" / BARE).rename(repo / "offices" / slug)
    folder = repo / "offices" / slug
    office = folder / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").replace(BARE, slug), encoding="utf-8")
    with_feedback(repo, TOOLS[tool], slug)
    return slug


@pytest.fixture(scope="module")
def sites(built_repo, tmp_path_factory) -> dict[str, Path]:
    """Built and with their deployment files: kantorcontoh sending to its endpoint, one office per
    analytics tool, and without feedback kantorcontoh (built_repo) and the bare kantorkosong."""
    repo = make_repo(tmp_path_factory.mktemp("feedback") / "repo")
    with_feedback(repo, f"  endpoint: {ENDPOINT}\n")
    slugs = [OFFICE, *(add_tool_office(repo, tool) for tool in TOOLS)]
    add_bare_office(repo)
    results = build_sites([*slugs, BARE], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert all(r.ok for r in results), [r.report for r in results]
    plain = tmp_path_factory.mktemp("plain") / "site"
    import shutil

    shutil.copytree(built_repo / "site" / OFFICE, plain / OFFICE, ignore=shutil.ignore_patterns(".cache"))
    for site_root, root in ((repo / "site", repo), (plain, built_repo)):
        deploy.write_deploy_files(site_root, root=root)
    found = {slug: repo / "site" / slug for slug in slugs}
    return {**found, "endpoint": found[OFFICE], "plain": plain / OFFICE, BARE: repo / "site" / BARE}


def csp(site: Path) -> dict[str, str]:
    headers = dict(line.strip().split(": ", 1) for line in (site / "_headers").read_text().splitlines()[2:])
    return dict(d.split(" ", 1) for d in headers["Content-Security-Policy"].split("; "))


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


CONTENT_PAGES = ["layanan", "biaya", "jam-layanan", "faq", "berita", "berita/2025/hari-terbuka"]


@pytest.mark.parametrize("prefix,question,yes,no,label", [
    ("", "Apakah halaman ini membantu?", "Ya", "Tidak", "Apa yang paling membantu?"),
    ("en/", "Was this page helpful?", "Yes", "No", "What helped most?"),
])
def test_every_content_page_carries_the_control_in_its_language(sites, prefix, question, yes, no, label):
    for path in CONTENT_PAGES:
        page = soup(sites["endpoint"], prefix + path)
        section = page.select_one("section.infohub-feedback")
        assert section is not None, path
        assert section.h2.get_text() == question and section.h2["id"] == section["aria-labelledby"]
        buttons = section.select(".infohub-feedback__choice button")
        assert [(b.get_text(), b["type"], b["value"]) for b in buttons] == [(yes, "button", "yes"), (no, "button", "no")]
        form = section.form
        assert form.label.get_text() == label and form.label["for"] == form.textarea["id"]
        assert form.textarea["maxlength"] == "300" and form.textarea["aria-describedby"] == form.p["id"]
        assert section.select_one("[role=status]")["aria-live"] == "polite"
        script = page.select_one("script[data-infohub-feedback]")
        assert script["data-send-to"] == ENDPOINT and script["data-kind"] == "endpoint"
    home = soup(sites["endpoint"], prefix.rstrip("/") or ".")
    assert home.select_one("section.infohub-feedback") is None  # the start page has the contacts itself


def test_without_feedback_the_contact_stands_in_and_no_script_is_loaded(sites):
    for prefix, text in (("", "Hubungi Kantor Imigrasi Contoh"), ("en/", "Contact Example Immigration Office")):
        page = soup(sites["plain"], prefix + "biaya")
        section = page.select_one("section.infohub-feedback")
        assert section.select("button, form, textarea") == []
        link = section.select_one(".infohub-feedback__contact a")
        assert (link.get_text(), link["href"]) == (text, "../#kontak")
        assert page.select("script[data-infohub-feedback]") == []
        assert "infohub-feedback.js" not in str(page)
    # an office that has published no contact, while the hub's address is a placeholder
    # (tests/test_hub_address.py): its own page's contact section, never a link to nowhere
    link = soup(sites[BARE], "layanan").select_one(".infohub-feedback__contact a")
    assert link["href"] == "../#kontak" and link.get_text().startswith("Hubungi ")


def test_the_csp_gains_exactly_the_configured_host(sites):
    assert csp(sites["endpoint"])["connect-src"] == "'self' https://masukan.kantorcontoh.id"
    assert "https:" not in csp(sites["endpoint"])["script-src"]
    assert csp(sites["endpoint"])["img-src"] == "'self' data:"
    for unconfigured in ("plain", BARE):
        policy = csp(sites[unconfigured])
        assert policy["connect-src"] == "'self'" and "https:" not in policy["script-src"], unconfigured
    hosts = {"plausible": "https://statistik.kantorplausible.id", "umami": "https://statistik.kantorumami.id",
             "matomo": "https://kantormatomo.id", "goatcounter": "https://statistik.kantorgoatcounter.id"}
    for tool, host in hosts.items():
        policy = csp(sites[f"kantor{tool}"])
        assert policy["connect-src"] == f"'self' {host}", tool
        assert [s for s in policy["script-src"].split() if s.startswith("https:")] == [host], tool
        # Matomo's and GoatCounter's trackers may fall back to an image request
        assert policy["img-src"] == ("'self' data: " + host if tool in ("matomo", "goatcounter") else "'self' data:")


def test_each_tool_loads_its_own_tracker_from_the_office(sites):
    trackers = {
        "plausible": ("https://statistik.kantorplausible.id/js/script.js", "data-domain", "kantorplausible.id"),
        "umami": ("https://statistik.kantorumami.id/script.js", "data-website-id", UMAMI_ID),
        "matomo": ("https://kantormatomo.id/matomo/matomo.js", None, None),
        "goatcounter": ("https://statistik.kantorgoatcounter.id/count.js", "data-goatcounter",
                        "https://statistik.kantorgoatcounter.id/count"),
    }
    for tool, (src, attribute, value) in trackers.items():
        page = soup(sites[f"kantor{tool}"], "layanan")
        outside = [s for s in page.select("script[src]") if s["src"].startswith("https:")]
        assert [s["src"] for s in outside] == [src], tool
        if attribute:
            assert outside[0][attribute] == value
        scripts = page.select("script[src]")
        assert scripts.index(page.select_one("script[data-infohub-feedback]")) < scripts.index(outside[0])


# --- in Chromium --------------------------------------------------------------------------------

BASE = "https://kantorcontoh.id/"
# an analytics server in a folder of the site's own domain, not part of the built site
ON_THE_SITES_DOMAIN = "https://kantormatomo.id/matomo/"


@pytest.fixture(scope="module")
def servers(sites):
    with serving(sites) as urls:
        yield urls


@pytest.fixture
def open_site(browser, sites, servers):
    """Opens a page of a built site at its own domain, under the CSP of its _headers. Every request
    the page makes is recorded; the office's feedback server answers 204 and counts each one;
    trackers are answered with an empty script (the tool's own would count a page view)."""
    contexts = []

    def opener(name: str, path: str, domain: str = "kantorcontoh.id", javascript: bool = True):
        context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.sent = [], []
        base, local = f"https://{domain}/", servers[name]
        policy = "; ".join(f"{k} {v}" for k, v in csp(sites[name]).items())

        def route(route):
            try:
                answer(route)
            except PlaywrightError as exc:  # the test ended while a request was under way
                if "disposed" not in str(exc) and "closed" not in str(exc):
                    raise

        def answer(route):
            request = route.request
            page.requests.append(f"{request.method} {request.url}")
            if request.url.startswith(base) and not request.url.startswith(ON_THE_SITES_DOMAIN):
                response = route.fetch(url=request.url.replace(base, local))
                route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})
            elif request.method == "OPTIONS":  # a CORS preflight: allowed, not counted
                route.fulfill(status=204, headers={"access-control-allow-origin": base.rstrip("/"),
                                                   "access-control-allow-methods": "POST",
                                                   "access-control-allow-headers": "content-type"})
            elif request.url.endswith(".js"):
                route.fulfill(status=200, content_type="text/javascript", body="")
            else:
                page.sent.append(request)
                route.fulfill(status=204, headers={"access-control-allow-origin": base.rstrip("/")})

        page.route("**/*", route)
        record_console(page)
        page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                             "console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI));")
        page.goto(base + path, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.unroute_all(behavior="ignoreErrors")
        context.close()


def body(request) -> dict:
    return json.loads(request.post_data)


@pytest.mark.browser
def test_yes_sends_one_request_then_the_reason_goes_in_a_second(open_site):
    page = open_site("endpoint", "biaya/")
    control = page.locator("[data-infohub-feedback-control]")
    control.wait_for(state="visible")
    page.wait_for_timeout(300)
    assert page.sent == []  # nothing before the reader clicks
    page.get_by_role("button", name="Ya").click()
    page.wait_for_timeout(300)
    assert [(r.method, r.url, body(r), r.headers["content-type"]) for r in page.sent] == [
        ("POST", ENDPOINT, {"page": "/biaya/", "helpful": "yes"}, "application/json")]
    assert page.get_by_role("button", name="Ya").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("status").inner_text() == ("Terima kasih atas jawaban Anda. Bila berkenan, tulis "
                                                       "alasannya di bawah.")
    reason = page.get_by_label("Apa yang paling membantu?")
    assert reason.is_visible() and reason.evaluate("el => el === document.activeElement")
    page.get_by_role("button", name="Ya").click(force=True)  # disabled: no second answer
    reason.fill("Tabel biayanya jelas. " * 20)  # 440 characters: at most 300 are sent
    page.get_by_role("button", name="Kirim").click()
    page.get_by_role("status").filter(has_text="sudah kami terima").wait_for()
    assert len(page.sent) == 2
    assert body(page.sent[1]) == {"page": "/biaya/", "helpful": "yes", "reason": ("Tabel biayanya jelas. " * 20)[:300]}
    assert not page.locator("form.infohub-feedback__reason").is_visible()
    assert page.console == []


@pytest.mark.browser
def test_keyboard_only_in_english(open_site):
    page = open_site("endpoint", "en/jam-layanan/")
    page.locator("[data-infohub-feedback-control]").wait_for(state="visible")
    for _ in range(200):  # Tab through the page to the "No" button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "No":
            break
    else:
        pytest.fail("Tab never reached the 'No' button")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.get_by_label("What was missing or wrong?").wait_for()
    assert page.evaluate("document.activeElement.id") == "infohub-feedback-reason"
    page.keyboard.type("The Friday break is not listed.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send"
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="we have received your feedback").wait_for()
    assert [body(r) for r in page.sent] == [{"page": "/en/jam-layanan/", "helpful": "no"},
                                            {"page": "/en/jam-layanan/", "helpful": "no",
                                             "reason": "The Friday break is not listed."}]
    assert page.console == []


@pytest.mark.browser
def test_without_feedback_nothing_leaves_and_the_contact_shows(open_site):
    page = open_site("plain", "layanan/")
    link = page.get_by_role("link", name="Hubungi Kantor Imigrasi Contoh")
    link.wait_for(state="visible")
    page.wait_for_timeout(300)
    assert [r for r in page.requests if not r.startswith("GET " + BASE)] == []
    assert not any("infohub-feedback" in r for r in page.requests)
    assert page.get_by_role("button", name="Ya").count() == 0
    link.click()
    page.wait_for_url(BASE + "#kontak")
    assert page.sent == [] and page.console == []


EVENTS = {
    "plausible": lambda r: (r.url, body(r)) == ("https://statistik.kantorplausible.id/api/event", {
        "name": "Feedback", "url": "https://kantorplausible.id/faq/", "domain": "kantorplausible.id",
        "props": {"helpful": "yes"}}),
    "umami": lambda r: r.url == "https://statistik.kantorumami.id/api/send" and body(r)["type"] == "event" and {
        k: body(r)["payload"][k] for k in ("website", "url", "name", "data", "hostname")} == {
        "website": UMAMI_ID, "url": "/faq/", "name": "feedback", "data": {"helpful": "yes"},
        "hostname": "kantorumami.id"},
    "matomo": lambda r: r.url.startswith("https://kantormatomo.id/matomo/matomo.php?") and {
        k: v for k, v in parse_qs(urlsplit(r.url).query).items() if k in ("idsite", "rec", "e_c", "e_a", "url")} == {
        "idsite": ["7"], "rec": ["1"], "e_c": ["Feedback"], "e_a": ["yes"], "url": ["https://kantormatomo.id/faq/"]},
    "goatcounter": lambda r: r.url.startswith("https://statistik.kantorgoatcounter.id/count?") and {
        k: v for k, v in parse_qs(urlsplit(r.url).query).items() if k in ("p", "e")} == {
        "p": ["feedback/yes/faq/"], "e": ["true"]},
}


@pytest.mark.browser
@pytest.mark.parametrize("tool", TOOLS)
def test_each_analytics_tool_gets_its_custom_event(open_site, tool):
    page = open_site(f"kantor{tool}", "faq/", domain=f"kantor{tool}.id")
    page.locator("[data-infohub-feedback-control]").wait_for(state="visible")
    page.wait_for_timeout(300)
    assert page.sent == []  # the trackers are stubbed: nothing of ours before the click
    page.get_by_role("button", name="Ya").click()
    page.wait_for_timeout(300)
    assert len(page.sent) == 1 and page.sent[0].method == "POST", [r.url for r in page.sent]
    assert EVENTS[tool](page.sent[0]), (page.sent[0].url, page.sent[0].post_data)
    if tool == "matomo":  # the queue its tracker reads: no cookies
        assert ["disableCookies"] in page.evaluate("window._paq")
    assert page.console == []


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_control_has_no_wcag_violations_before_and_after_an_answer(open_site, prefix):
    import axe_playwright_python.sync_playwright as axe_api

    page = open_site("endpoint", prefix + "faq/")
    page.locator("[data-infohub-feedback-control]").wait_for(state="visible")
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
               "resultTypes": ["violations"]}
    for answered in (False, True):
        if answered:
            page.locator(".infohub-feedback__choice button").first.click()
            page.locator("textarea").wait_for()
        found = axe_api.Axe().run(page, context=".infohub-feedback", options=options).response["violations"]
        assert found == [], (answered, [(v["id"], [n["target"] for n in v["nodes"]]) for v in found])
    assert page.console == []
