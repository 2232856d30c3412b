"""Files the servers and the code host need, generated from the repository and the built sites.

- ``_headers`` in each built site root (Netlify, Cloudflare Pages): a
  Content-Security-Policy the pages satisfy, HSTS and the usual hardening.
  The policy allows no inline script except the ones infohub's templates
  write (Material's small bootstrap scripts, the FAQ's), by their SHA-256
  hashes, computed from the templates (infohub.inline_scripts); a built page
  that carries any other inline script is refused, named. Images and styles
  are read from the built files, so it is written after `make site`.
  The hub's /admin/ (the web editor) has a policy of its own:
  admin_content_security_policy.
- ``nginx.conf``: one HTTPS server per site domain with the same headers,
  gzip, try_files and the 404 page, and a redirect from plain HTTP.
- ``CODEOWNERS``: each office's folder belongs to its editors' team. Offices
  have no editor handles yet, so each gets the placeholder team
  @imigrasi/<slug>-editors; create the teams on GitHub with those names.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


from . import messages, paths
from .files import not_public, replace_file
from .inline_scripts import product_scripts
from .schema import DOMAIN_PATTERN
from .site_config import hub_url

GITHUB_ORG = "imigrasi"
MAINTAINERS = f"@{GITHUB_ORG}/infohub-maintainers"
NATIONAL_EDITORS = f"@{GITHUB_ORG}/national-editors"
YOUTUBE = "https://www.youtube-nocookie.com"
HSTS = "max-age=63072000; includeSubDomains"
HARDENING = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# The web editor at the hub's /admin/ (Sveltia CMS) talks to GitHub from the browser.
ADMIN_PATH = "/admin/"
GITHUB_API = "https://api.github.com"
GITHUB_AVATARS = "https://avatars.githubusercontent.com"  # the signed-in editor's picture (avatar_url)
# Script types a browser does not run: data blocks need no permission.
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "application/feed+json"}


def editors_team(slug: str) -> str:
    return f"@{GITHUB_ORG}/{slug}-editors"


# --- the sites and their domains ------------------------------------------------


@dataclass(frozen=True)
class Site:
    slug: str
    domain: str


@dataclass(frozen=True)
class Sites:
    """The sites that get a server, and the offices left without one."""

    served: list[Site]
    refused: list[str]  # offices whose office.yml fails the check: no server block, no _headers


def sites(root: Path | None = None) -> Sites:
    """The hub (domain from its site_url) and every office whose office.yml passes the check.

    An office's domain is read through the same validated model as `make check` and the
    build (content.load_office), never from the raw YAML: a value the check refuses must not
    reach a server's configuration. An office that fails is left out and named."""
    from .content import load_national, load_office

    root = root or paths.root()
    served, refused = [], []
    hub_host = urlsplit(hub_url(root) or "").hostname
    if hub_host and re.fullmatch(DOMAIN_PATTERN, hub_host):
        served.append(Site(paths.HUB_SLUG, hub_host))
    national = load_national(root)[0]
    for slug in paths.office_slugs(root):
        office = load_office(slug, national, root)[0]
        if office is None:
            refused.append(slug)
        else:
            served.append(Site(slug, office.domain))
    return Sites(served, refused)


# --- writing a value into nginx.conf or _headers -----------------------------------


class UnsafeValue(ValueError):
    """A value that neither nginx.conf nor _headers can hold as it is."""

    def __init__(self, value: str, at: int):
        super().__init__(value)
        self.value = value
        self.char = f"U+{ord(value[at]):04X}"
        self.around = value[max(0, at - 30):at + 30]  # a header can be long: where it is


# nginx reads '$' as the start of a variable, with no way to write it otherwise; a line break
# (or another control character) would end a header: in _headers, the next line is a header
# or a rule of its own. No value the sites need has one.
_UNWRITABLE = re.compile(r"[\x00-\x1f\x7f$]")


def _writable(value: str) -> str:
    if found := _UNWRITABLE.search(value):
        raise UnsafeValue(value, found.start())
    return value


def nginx_string(value: str, variable: str = "") -> str:
    """``value`` as one double-quoted nginx string, followed by ``variable`` (one of nginx's
    own, like $request_uri). Inside quotes nginx reads \\" as a quote and \\\\ as a backslash."""
    escaped = _writable(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}{variable}"'


def header_line(name: str, value: str) -> str:
    """One header of a rule in _headers; the format has no quoting."""
    return f"  {name}: {_writable(value)}"


# --- the Content-Security-Policy a built site needs -----------------------------


class _InlineCode(HTMLParser):
    """The inline scripts, style elements and style attributes of the pages fed to it, and the
    other sites their images come from (only hosts on national image_hosts survive the build),
    their scripts come from and they send to: an office's feedback endpoint or self-hosted
    analytics (office.yml 'feedback', on its own domain: partials/infohub/feedback-scripts.html
    names the host in data-infohub-connect, -script and -img; page bodies cannot, the
    sanitiser drops scripts and data attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.styles: set[str] = set()
        self.style_attributes: set[str] = set()
        self.image_origins: set[str] = set()
        self.script_origins: set[str] = set()
        self.connect_origins: set[str] = set()
        self._open: tuple[str, list[str]] | None = None
        self.page_scripts: list[str] = []

    def read_page(self, text: str) -> list[str]:
        """Feed one page, read on its own (a comment left open in one page hides nothing of the
        next); returns the inline scripts it carries."""
        self.reset()
        self._open, self.page_scripts = None, []
        self.feed(text)
        self.close()
        return self.page_scripts

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("style"):
            self.style_attributes.add(attrs["style"])
        source = urlsplit(attrs.get("src") or "") if tag == "img" else None
        if source and source.scheme == "https" and source.hostname:
            self.image_origins.add(f"https://{source.hostname}")
        for attribute, found in (("data-infohub-connect", self.connect_origins),
                                 ("data-infohub-script", self.script_origins),
                                 ("data-infohub-img", self.image_origins)):
            named = urlsplit(attrs.get(attribute) or "")
            if named.scheme == "https" and named.hostname:
                found.add(f"https://{named.netloc}".lower())
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "").lower() not in _DATA_SCRIPT_TYPES:
            self._open = ("script", [])
        elif tag == "style":
            self._open = ("style", [])

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            (self.page_scripts.append if tag == "script" else self.styles.add)("".join(self._open[1]))
            self._open = None


class UnknownInlineScript(Exception):
    """Pages of a built site carry inline scripts that no template of infohub writes: text
    that became code. Their hashes are never allowed; the site is not deployed."""

    def __init__(self, found: list[tuple[str, str]]):
        super().__init__(found)
        self.found = found  # (page as shown, the script's start)

    def lines(self, lang: str | None = None) -> list[str]:
        return [messages.t("deploy.unknown_script", lang, page=page, script=script) for page, script in self.found]


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _excerpt(script: str) -> str:
    text = " ".join(script.split())
    return text if len(text) <= 60 else text[:59] + "…"


def content_security_policy(site_dir: Path | None, root: Path | None = None) -> str:
    """The policy for one built site: 'self' only, plus the hashes of the inline scripts
    infohub's templates write and of the site's inline styles. Raises UnknownInlineScript
    when a page carries another inline script."""
    inline = _InlineCode()
    built = site_dir is not None and site_dir.is_dir()
    known = product_scripts(site_dir, (root or paths.root()) / "overrides") if built else set()
    unknown = []
    for page in sorted(site_dir.rglob("*.html")) if built else []:
        unknown += [(paths.rel(page), _excerpt(script))
                    for script in inline.read_page(page.read_text(encoding="utf-8", errors="replace"))
                    if script not in known]
    if unknown:
        raise UnknownInlineScript(unknown)
    scripts = " ".join(sorted(_sha256(s) for s in known))
    styles = " ".join(sorted(_sha256(s) for s in inline.styles))
    if inline.style_attributes:  # table alignment: allowed by hash, not by 'unsafe-inline'
        styles += " 'unsafe-hashes' " + " ".join(sorted(_sha256(s) for s in inline.style_attributes))
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *sorted(inline.script_origins), scripts]).strip(),
        f"style-src 'self' {styles}".strip(),
        " ".join(["img-src 'self' data:", *sorted(inline.image_origins)]),
        "font-src 'self'",
        " ".join(["connect-src 'self'", *sorted(inline.connect_origins)]),
        "worker-src 'self'",
        f"frame-src {YOUTUBE}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def admin_content_security_policy(root: Path | None = None) -> str:
    """The policy of the hub's /admin/ only (the pages keep content_security_policy's).

    The CMS's script, config and fonts are the hub's own files ('self'); the browser talks to
    GitHub's API, and to the OAuth helper / GitHub Enterprise host when the hub's mkdocs.yml
    names one (extra.infohub.cms.base_url). Images: the repository's files arrive through the
    API and are shown as blob: URLs, the editor's avatar comes from avatars.githubusercontent.com.
    style-src needs 'unsafe-inline': the script adds its components' CSS as <style> elements at
    run time (181 of them, each created when its component is first shown; hashes would not fit
    Cloudflare's 2,000 characters a header line) and no script may run inline all the same.
    The CMS's other outside requests are left blocked on purpose and it works without them:
    www.githubstatus.com (GitHub's status banner) and unpkg.com (its update check, and the
    optional libraries it imports from there: code highlighting, maps, PDF thumbnails...)."""
    from .cms_config import https_origin, repository

    connect = ["'self'", "blob:", "data:", GITHUB_API]  # blob:, data: the script reads back its own images
    origin = https_origin(repository(root or paths.root()).get("base_url") or "")
    if origin and origin not in connect:
        connect.append(origin)
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {GITHUB_AVATARS}",
        "font-src 'self'",
        "connect-src " + " ".join(connect),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def security_headers(site_dir: Path | None, root: Path | None = None) -> dict[str, str]:
    return {"Content-Security-Policy": content_security_policy(site_dir, root),
            "Strict-Transport-Security": HSTS, **HARDENING}


def admin_security_headers(root: Path | None = None) -> dict[str, str]:
    """Every header of security_headers, with the editor's own policy."""
    return {"Content-Security-Policy": admin_content_security_policy(root),
            "Strict-Transport-Security": HSTS, **HARDENING}


def _has_admin(site_dir: Path) -> bool:
    return (site_dir / "admin" / "index.html").is_file()


def headers_file(site_dir: Path, root: Path | None = None) -> str:
    """Netlify / Cloudflare Pages `_headers`: the same headers on every path, and the hub's
    /admin/* its own policy.

    Both hosts apply every rule whose path matches, in file order, so /admin/* also gets the
    /* rule's policy. Cloudflare Pages joins two values of one header with a comma (the
    browser would then enforce both policies, the stricter one, and the editor would not
    start): `! Content-Security-Policy` detaches the inherited one first, then the rule's own
    is set. Netlify ignores that line (it has no colon) and lets a later matching rule's
    value of a header replace an earlier one's, so the same file works there too."""
    lines = ["# Generated by `python -m infohub deploy-files` from the built pages; do not edit.", "/*"]
    lines += [header_line(name, value) for name, value in security_headers(site_dir, root).items()]
    if _has_admin(site_dir):
        policy = admin_content_security_policy(root)
        lines += [f"{ADMIN_PATH}*", "  ! Content-Security-Policy", header_line("Content-Security-Policy", policy)]
    return "\n".join(lines) + "\n"


# --- nginx --------------------------------------------------------------------------


def _nginx_headers(headers: dict[str, str], indent: str) -> str:
    return "\n".join(f"{indent}add_header {name} {nginx_string(value)} always;" for name, value in headers.items())


def _nginx_admin(site_dir: Path, root: Path | None) -> str:
    """The hub's /admin/ location: its own policy. add_header in a location drops every
    add_header of the server, so all the security headers are repeated here."""
    if not _has_admin(site_dir):
        return ""
    return (f"\n    # The web editor: its own Content-Security-Policy, and (add_header here drops the\n"
            f"    # server's) every other security header again.\n"
            f"    location {ADMIN_PATH} {{\n{_nginx_headers(admin_security_headers(root), '        ')}\n"
            # config.yml is not in nginx's mime.types (it would go out as an uncompressed
            # octet-stream); 'types' here replaces the list, so the editor's other files are named too
            # (its interface languages, /admin/locales/*.json: cms_locale.py)
            f"        types {{ text/html html; application/javascript js; application/json json; font/woff2 woff2; "
            f"application/yaml yml; }}\n"
            f"        try_files $uri $uri/ =404;\n    }}\n")


def _nginx_server(site: Site, site_dir: Path, serve_root: str, tls_dir: str, root: Path | None = None) -> str:
    headers = _nginx_headers(security_headers(site_dir, root), "    ")
    # A 404 page per language where the build made one; the root one otherwise.
    error_pages = "".join(
        f"\n    location /{lang.name}/ {{\n        error_page 404 /{lang.name}/404.html;\n"
        f"        try_files $uri $uri/ =404;\n    }}\n"
        for lang in sorted(site_dir.iterdir() if site_dir.is_dir() else [])
        if re.fullmatch(r"[a-z]{2}", lang.name) and (lang / "404.html").is_file())
    names = f"{nginx_string(site.domain)} {nginx_string('www.' + site.domain)}"
    return f"""\
# {site.slug}
server {{
    listen 80;
    listen [::]:80;
    server_name {names};
    return 301 {nginx_string("https://" + site.domain, "$request_uri")};
}}

server {{
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name {names};
    root {nginx_string(f"{serve_root}/{site.slug}")};
    index index.html;
    charset utf-8;

    ssl_certificate {nginx_string(f"{tls_dir}/{site.domain}/fullchain.pem")};
    ssl_certificate_key {nginx_string(f"{tls_dir}/{site.domain}/privkey.pem")};

    # add_header in a location would drop these: only /admin/ (below) has its own, all repeated.
{headers}

    gzip on;
    gzip_vary on;
    gzip_types text/css application/javascript application/json application/xml text/xml application/yaml
               application/rss+xml application/atom+xml application/feed+json image/svg+xml;

    error_page 404 /404.html;
    location / {{
        try_files $uri $uri/ =404;
    }}
    # The feeds in their own types: mime.types says text/xml for .xml and application/json for .json.
    location ~ /rss\\.xml$ {{
        types {{ application/rss+xml xml; }}
    }}
    location ~ /atom\\.xml$ {{
        types {{ application/atom+xml xml; }}
    }}
    location ~ /feed\\.json$ {{
        types {{ application/feed+json json; }}
    }}
{error_pages}{_nginx_admin(site_dir, root)}
    location /assets/ {{
        expires 7d;
    }}
    # Deployment files are not pages.
    location = /_headers {{
        return 404;
    }}
}}
"""


def nginx_config(site_root: Path, serve_root: str = "/srv/infohub/site",
                 tls_dir: str = "/etc/letsencrypt/live", root: Path | None = None) -> str:
    """An nginx `http` block include: one HTTPS server per site domain."""
    head = ("# Generated by `python -m infohub deploy-files`; do not edit. Include it inside http { }.\n"
            f"# Sites are served from {_writable(serve_root)}/<slug>/, certificates from {_writable(tls_dir)}/<domain>/.\n\n")
    return head + "\n".join(_nginx_server(site, site_root / site.slug, serve_root, tls_dir, root)
                            for site in sites(root).served)


@dataclass(frozen=True)
class DeployFiles:
    headers: int  # _headers files written
    nginx: Path
    refused: list[str]  # offices left out (sites)


class NotReadable(Exception):
    """Built files the web server's user could not read: served, each would be a 403."""

    def __init__(self, files: list[Path]) -> None:
        super().__init__(", ".join(map(str, files)))
        self.files = files


def write_deploy_files(site_root: Path, serve_root: str = "/srv/infohub/site",
                       tls_dir: str = "/etc/letsencrypt/live", root: Path | None = None) -> DeployFiles:
    """_headers into every built site, and site_root/_deploy/nginx.conf. Every file is composed
    before any is written: a value they cannot hold (UnsafeValue) leaves all as they were, and
    a built site holding a file or folder not readable by all (NotReadable) is not deployed."""
    found = sites(root)
    built = [site_root / site.slug for site in found.served if (site_root / site.slug / "index.html").is_file()]
    unreadable = [file for folder in built for file in not_public(folder)]
    if unreadable:
        raise NotReadable(unreadable)
    headers = {folder / "_headers": headers_file(folder, root) for folder in built}
    nginx = nginx_config(site_root, serve_root, tls_dir, root)
    for file, text in headers.items():
        replace_file(file, text.encode("utf-8"))
    target = site_root / "_deploy" / "nginx.conf"
    replace_file(target, nginx.encode("utf-8"))
    return DeployFiles(len(headers), target, found.refused)


# --- CODEOWNERS ----------------------------------------------------------------------


def codeowners(root: Path | None = None) -> str:
    """Each office's folder to its editors' team; everything else to the maintainers.

    GitHub applies the last matching line, so the general rule comes first.
    """
    lines = [
        "# Generated by `python -m infohub codeowners`; do not edit by hand.",
        f"# Teams are placeholders named {editors_team('<slug>')}: create them in the",
        f"# GitHub organisation '{GITHUB_ORG}' and add each office's editors.",
        "# An office's folder holds content only: nothing in it can change what code runs",
        "# (hooks/infohub/site_config.py). Everything that can (mkdocs.yml, hooks/, overrides/,",
        "# requirements/, .github/, offices/_hub/) stays with the maintainers.",
        f"*                 {MAINTAINERS}",
        f"/national/        {NATIONAL_EDITORS} {MAINTAINERS}",
        f"/docs/            {NATIONAL_EDITORS} {MAINTAINERS}",
    ]
    # a folder whose name is no slug is no office (the check says so): the maintainers' alone
    lines += [f"/offices/{slug}/ {editors_team(slug)}" for slug in paths.office_slugs(root) if paths.is_office_slug(slug)]
    return "\n".join(lines) + "\n"


# --- the pull request comment listing social posts ---------------------------------------


def social_summary(outbox: Path, lang: str | None = None) -> str:
    """Markdown for a pull request comment: each queued social post of site/_social/*.json."""
    from . import messages
    from .markdown_text import code, inert

    posts = []
    for file in sorted(outbox.glob("*.json")) if outbox.is_dir() else []:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for post in data if isinstance(data, list) else []:
            if isinstance(post, dict):
                posts.append((file.stem, post))
    if not posts:
        return messages.t("editors.cli.social_empty", lang)
    lines = [messages.t("editors.cli.social_title", lang, count=len(posts)), ""]
    for office, post in posts:  # the posts' text is the offices': inert in the comment (markdown_text)
        where = " · ".join(inert(str(post[k])) for k in ("platform", "lang", "language") if post.get(k))
        text = str(post.get("text") or post.get("title") or "")
        url = str(post.get("url") or post.get("link") or "")
        lines.append(f"- **{inert(office)}** ({where}): {inert(text)}" + (f" {code(url)}" if url and url not in text else ""))
    return "\n".join(lines)
