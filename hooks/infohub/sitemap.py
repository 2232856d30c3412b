"""The sitemap's entries, as overrides/sitemap.xml printed them with a Jinja loop.

Every page in every language, each with its alternates in all languages plus x-default (the
Indonesian page, at the site's root); all URLs absolute on the site's own domain; lastmod: a news
post's own (updated or publication) date, other pages the build date, which SOURCE_DATE_EPOCH
fixes. The template's loop, some 15,000 Jinja steps at 300 posts (25-35 ms of every build of an
office, an edit's too), is this function: the same text, each value looked up, joined and escaped
as Jinja did (env.getattr, `~`'s markup_join, dictsort's case-blind order, the autoescape).
"""
from __future__ import annotations

from jinja2 import pass_environment
from jinja2.runtime import markup_join
from markupsafe import Markup, escape, soft_str


def _key(item) -> object:
    """dictsort's order: by key, case-blind."""
    key = item[0]
    return key.lower() if isinstance(key, str) else key


def _link(hreflang, href) -> str:
    return f'\n    <xhtml:link rel="alternate" hreflang="{escape(hreflang)}" href="{escape(href)}"/>'


@pass_environment
def urls(env, alternates, config) -> Markup:
    """The <url> entries of the sitemap, for ``alternates`` (mkdocs-static-i18n's i18n_alternates)."""
    get = env.getattr
    default_locale = config.plugins["i18n"].default_language
    site_url = get(config, "site_url")
    out = []
    for files in alternates.values():
        for file in files:
            page = get(file, "page")
            if not page or get(page, "is_link"):
                continue
            loc = get(page, "canonical_url") or markup_join((site_url, get(file, "url")))
            out.append(f"\n  <url>\n    <loc>{escape(loc)}</loc>")
            meta = get(page, "meta")
            post_date = get(meta, "updated") or get(meta, "date")
            if post_date:
                out.append(f"\n    <lastmod>{escape(soft_str(post_date)[:10])}</lastmod>")
            elif get(page, "update_date"):
                out.append(f"\n    <lastmod>{escape(get(page, 'update_date'))}</lastmod>")
            for alt_locale, alt_file in sorted(get(file, "alternates").items(), key=_key):
                alt_page = get(alt_file, "page")
                if alt_page and get(alt_page, "canonical_url"):
                    alt_href = get(alt_page, "canonical_url")
                else:
                    alt_url = get(alt_file, "url")
                    alt_href = markup_join((site_url, alt_url if alt_url != "./" else ""))
                out.append(_link(alt_locale, alt_href))
                if alt_locale == default_locale:
                    out.append(_link("x-default", alt_href))
            out.append("\n  </url>")
    return Markup("".join(out))
