"""MkDocs hook: load and validate the site's data; set up its languages.

Runs once per language build (mkdocs-static-i18n rebuilds the site for each
extra language), so everything here is cached per site and idempotent.
"""
from __future__ import annotations


from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs_static_i18n.config import I18nPluginLanguage

from infohub import messages, paths, sitemap
from infohub.mkdocs_context import current_language, repo_root, site_of, site_slug
from infohub.sitedata import InvalidContent, SiteData, load_site

_LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English", "zh": "中文", "ar": "العربية",
                   "ja": "日本語", "ko": "한국어", "ms": "Bahasa Melayu", "nl": "Nederlands"}


# Before mkdocs-static-i18n (priority -100), which applies each language's settings.
@event_priority(50)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site = config.extra.get("infohub_site")
    if site is None:  # `make serve` (mkdocs serve); `make site` validates first
        try:
            site = load_site(site_slug(config), repo_root(config))
        except InvalidContent as exc:
            raise PluginError("\n" + exc.report.format(outcome="nothing_built")) from None
        config.extra["infohub_site"] = site
    _configure_languages(config, site)
    return config


def _configure_languages(config: MkDocsConfig, site: SiteData) -> None:
    """Each language's site name and description come from the data, and an
    office may add languages (office.yml 'languages') without repeating the
    i18n plugin's whole configuration."""
    i18n = config.plugins["i18n"].config
    configured = {lang.locale: lang for lang in i18n.languages}
    languages = []
    for locale in site.languages:
        lang = configured.get(locale)
        if lang is None:
            lang = I18nPluginLanguage()
            lang.load_dict({"locale": locale, "name": _LANGUAGE_NAMES.get(locale, locale), "build": True})
            failed, _ = lang.validate()
            if failed:
                raise PluginError(f"i18n: {failed}")
        if locale != "id":
            # Material's own UI strings exist for these languages; right-to-left follows from them.
            lang.theme = {**(lang.theme or {}), "language": locale}
        lang.site_name = lang.site_name or site.name(locale)
        lang.site_description = lang.site_description or site.description(locale)
        languages.append(lang)
    i18n.languages = languages
    config.site_name = site.name("id")


def on_env(env, config: MkDocsConfig, files):
    """Give the templates the site's data and strings in the language being built."""
    lang = current_language(config)
    site = site_of(config)
    env.globals["infohub"] = site.view(lang)
    env.globals["t"] = lambda key, **values: messages.t(key, lang, **values)
    env.globals["infohub_sitemap_urls"] = sitemap.urls  # overrides/sitemap.xml's entries
    return env


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` watches docs/; the data the pages are made from lives elsewhere:
    reload on a change to office.yml (the hub's settings) or the national data."""
    root, slug = repo_root(config), site_slug(config)
    data = paths.hub_settings_file(root) if slug == paths.HUB_SLUG else root / "offices" / slug / "office.yml"
    for path in (data, root / "national"):
        if path.exists():
            server.watch(str(path))
    return server
