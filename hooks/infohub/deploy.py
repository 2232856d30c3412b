"""Files the servers and the code host need, generated from the repository and the built sites.

- ``_headers`` in each built site root (Netlify, Cloudflare Pages): a
  Content-Security-Policy the pages satisfy, HSTS and the usual hardening.
  The policy allows no inline script except the exact ones the built pages
  carry (Material's small bootstrap scripts), by their SHA-256 hashes, so it
  is computed from the built files and must be written after `make site`.
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
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import paths
from .files import not_public, replace_file
from .yamlsource import YamlSyntaxError, load_yaml_file

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


def sites(root: Path | None = None) -> list[Site]:
    """The hub (domain from its site_url) and every office (domain from office.yml)."""
    root = root or paths.root()
    found = []
    hub_config = yaml.safe_load(paths.site_config(paths.HUB_SLUG, root).read_text(encoding="utf-8")) or {}
    hub_host = urlsplit(hub_config.get("site_url") or "").hostname
    if hub_host:
        found.append(Site(paths.HUB_SLUG, hub_host))
    for slug in paths.office_slugs(root):
        file = root / "offices" / slug / "office.yml"
        try:
            data = load_yaml_file(file, paths.rel(file))[0]
        except YamlSyntaxError:
            continue  # `make check` reports it; it cannot be served anyway
        domain = data.get("domain") if isinstance(data, dict) else None
        if isinstance(domain, str) and domain.strip():
            found.append(Site(slug, domain.strip().lower()))
    return found


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
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self.style_attributes: set[str] = set()
        self.image_origins: set[str] = set()
        self.script_origins: set[str] = set()
        self.connect_origins: set[str] = set()
        self._open: tuple[str, list[str]] | None = None

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
            (self.scripts if tag == "script" else self.styles).add("".join(self._open[1]))
            self._open = None


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(site_dir: Path | None) -> str:
    """The policy for one built site: 'self' only, plus the hashes of its inline code."""
    inline = _InlineCode()
    for page in sorted(site_dir.rglob("*.html")) if site_dir and site_dir.is_dir() else []:
        inline.feed(page.read_text(encoding="utf-8", errors="replace"))
    scripts = " ".join(sorted(_sha256(s) for s in inline.scripts))
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


def security_headers(site_dir: Path | None) -> dict[str, str]:
    return {"Content-Security-Policy": content_security_policy(site_dir),
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
    lines += [f"  {name}: {value}" for name, value in security_headers(site_dir).items()]
    if _has_admin(site_dir):
        policy = admin_content_security_policy(root)
        lines += [f"{ADMIN_PATH}*", "  ! Content-Security-Policy", f"  Content-Security-Policy: {policy}"]
    return "\n".join(lines) + "\n"


# --- nginx --------------------------------------------------------------------------


def _nginx_headers(headers: dict[str, str], indent: str) -> str:
    return "\n".join(f'{indent}add_header {name} "{value}" always;' for name, value in headers.items())


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
            f"        types {{ text/html html; application/javascript js; font/woff2 woff2; application/yaml yml; }}\n"
            f"        try_files $uri $uri/ =404;\n    }}\n")


def _nginx_server(site: Site, site_dir: Path, serve_root: str, tls_dir: str, root: Path | None = None) -> str:
    headers = _nginx_headers(security_headers(site_dir), "    ")
    # A 404 page per language where the build made one; the root one otherwise.
    error_pages = "".join(
        f"\n    location /{lang.name}/ {{\n        error_page 404 /{lang.name}/404.html;\n"
        f"        try_files $uri $uri/ =404;\n    }}\n"
        for lang in sorted(site_dir.iterdir() if site_dir.is_dir() else [])
        if len(lang.name) == 2 and (lang / "404.html").is_file())
    names = f"{site.domain} www.{site.domain}"
    return f"""\
# {site.slug}
server {{
    listen 80;
    listen [::]:80;
    server_name {names};
    return 301 https://{site.domain}$request_uri;
}}

server {{
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name {names};
    root {serve_root}/{site.slug};
    index index.html;
    charset utf-8;

    ssl_certificate {tls_dir}/{site.domain}/fullchain.pem;
    ssl_certificate_key {tls_dir}/{site.domain}/privkey.pem;

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
            f"# Sites are served from {serve_root}/<slug>/, certificates from {tls_dir}/<domain>/.\n\n")
    return head + "\n".join(_nginx_server(site, site_root / site.slug, serve_root, tls_dir, root)
                            for site in sites(root))


class NotReadable(Exception):
    """Built files the web server's user could not read: served, each would be a 403."""

    def __init__(self, files: list[Path]) -> None:
        super().__init__(", ".join(map(str, files)))
        self.files = files


def write_deploy_files(site_root: Path, serve_root: str = "/srv/infohub/site",
                       tls_dir: str = "/etc/letsencrypt/live", root: Path | None = None) -> tuple[int, Path]:
    """_headers into every built site, and site_root/_deploy/nginx.conf. Returns (count, nginx path).
    Raises NotReadable, writing nothing, when a built site holds a file or folder not readable by all."""
    built = [site_root / site.slug for site in sites(root) if (site_root / site.slug / "index.html").is_file()]
    unreadable = [file for folder in built for file in not_public(folder)]
    if unreadable:
        raise NotReadable(unreadable)
    for folder in built:
        replace_file(folder / "_headers", headers_file(folder, root).encode("utf-8"))
    target = site_root / "_deploy" / "nginx.conf"
    replace_file(target, nginx_config(site_root, serve_root, tls_dir, root).encode("utf-8"))
    return len(built), target


# --- CODEOWNERS ----------------------------------------------------------------------


def codeowners(root: Path | None = None) -> str:
    """Each office's folder to its editors' team; everything else to the maintainers.

    GitHub applies the last matching line, so the general rule comes first.
    """
    lines = [
        "# Generated by `python -m infohub codeowners`; do not edit by hand.",
        f"# Teams are placeholders named {editors_team('<slug>')}: create them in the",
        f"# GitHub organisation '{GITHUB_ORG}' and add each office's editors.",
        f"*                 {MAINTAINERS}",
        f"/national/        {NATIONAL_EDITORS} {MAINTAINERS}",
        f"/docs/            {NATIONAL_EDITORS} {MAINTAINERS}",
    ]
    lines += [f"/offices/{slug}/ {editors_team(slug)}" for slug in paths.office_slugs(root)]
    return "\n".join(lines) + "\n"


# --- the pull request comment listing social posts ---------------------------------------


def social_summary(outbox: Path, lang: str | None = None) -> str:
    """Markdown for a pull request comment: each queued social post of site/_social/*.json."""
    from . import messages

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
    for office, post in posts:
        where = " · ".join(str(post[k]) for k in ("platform", "lang", "language") if post.get(k))
        text = str(post.get("text") or post.get("title") or "").replace("\n", " ")
        url = post.get("url") or post.get("link") or ""
        lines.append(f"- **{office}** ({where}): {text}" + (f" <{url}>" if url and url not in text else ""))
    return "\n".join(lines)
