"""The web editors' configurations (Sveltia CMS at the hub's /admin/), generated from the content model.

One editor per office, /admin/<slug>/: that office's news, pages, contacts, hours, closures, fees
not served, FAQ and alert, nothing else (OFFICE_EDITS). One for the national team, /admin/nasional/:
national data and news, and every office's office.yml whole (name, domain, time zone,
channels...). /admin/ lists them. The editor an office opens is a convenience, not a lock:
its pull requests are held to CODEOWNERS and review like any other (docs/panduan/editor-web.md).

Nothing here is written by hand per field: every collection's fields are walked
from the pydantic models of schema.py (Office for office.yml, FrontMatter for
news posts, the national models for national/*.yml). What the model cannot say
comes from two places only:

- the words: labels and hints from the string tables (``cms.*`` in
  locales/<lang>.editors.yml), error texts from the same ``form.*`` strings
  `make check` uses;
- the choices that are data: service, fee and FAQ topic ids from national/,
  each office's languages from its office.yml.

The CMS checks a field's shape as the editor types (the same regular
expressions as schema.py); everything else is checked where a file edit is
checked: `make check` on the pull request the CMS opens. A field the CMS must
not offer is listed in NOT_EDITED with the reason.

    python -m infohub cms-config [--editor SLUG|nasional] [--lang en] [--local]
"""
from __future__ import annotations

import os
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal
from html import escape
from urllib.parse import quote, urlsplit

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import cms_locale, cms_yaml, images, limits, paths, schema
from .messages import t
from .site_config import hub_settings, hub_url

CMS_PACKAGE = "@sveltia/cms"
CMS_SCRIPT = "sveltia-cms.js"  # the package's self-contained build, copied into site/hub/admin/
CMS_DIR = Path("tools") / "cms"
DEFAULT_REPO = {"repo": "imigrasi/infohub", "branch": "main"}
NATIONAL_EDITOR = "nasional"  # /admin/nasional/; an office's editor is /admin/<slug>/
# What an office's own editor offers of office.yml, in its form's order: what changes from week to
# week, and the fees its counters do not serve. The rest (name, domain, time zone, languages, social
# accounts and channels, services...) is the national team's, in /admin/nasional/, whose form lists
# these first and the rest in the order the office's editor writes it (cms_yaml.office_editor_order).
OFFICE_EDITS = ("contact", "hours", "fees", "faq", "alert")
# A post is <slug>.md and <slug>.<lang>.md: the slug leaves room for '.en.md' within the
# file-name limit `make check` holds every name to (checks/office_folder.py).
SLUG_CHARS = limits.FILE_NAME_CHARS - len(".en.md")
# The fonts the CMS's script names on a CDN, each served instead from the hub's own /admin/fonts/:
# the CDN URL as the bundle writes it -> (npm package in tools/cms/package.json, file in it).
# The versions are the bundle's own; a CMS upgrade that names other fonts stops the build.
CDN_FONTS = {
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2":
        # The icons: the CMS draws them at weight 300 only ('wght' 300), so the static weight-300
        # file (347 kB) stands in for the variable font (754 kB, half of /admin/'s first load).
        ("@fontsource/material-symbols-outlined", "files/material-symbols-outlined-latin-300-normal.woff2"),
    "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2":
        ("@fontsource/noto-mono", "files/noto-mono-latin-400-normal.woff2"),
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2":
        ("@fontsource-variable/source-sans-3", "files/source-sans-3-latin-wght-normal.woff2"),
}
GUARD_SCRIPT = "guard.js"  # asks before unsaved work is closed (data/cms-guard.js)
UPLOADS_SCRIPT = "uploads.js"  # refuses a picked file a docs folder does not publish (data/cms-uploads.js)
# What an editor may upload: the pictures and documents a docs folder publishes (checks/file_types.py;
# its pages are written in the forms, never uploaded).
UPLOADS = tuple(sorted((*images.RASTER_SUFFIXES, limits.DOCUMENT_SUFFIX)))
FONTS_PATH = "/admin/fonts/"  # absolute: admin/en/ loads the same script
# Any font or CDN address left in the script once CDN_FONTS are rewritten is refused.
_OUTSIDE_FONT = re.compile(r"https://(?:cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com)/[^\s\"'`)]*")

# Model fields the editor does not offer, and why (tests/test_cms_config.py holds every other
# field of every model to a CMS field).
NOT_EDITED = {
    ("FrontMatter", "template"): "Material's page layout: a developer's choice, not a news post's",
    ("FrontMatter", "hide"): "Material's page layout: a developer's choice, not a news post's",
    ("FrontMatter", "search"): "search tuning of standard pages, not of news posts",
    ("FrontMatter", "icon"): "Material's navigation icon: news posts are not in the navigation",
    ("FrontMatter", "status"): "Material's navigation status: news posts are not in the navigation",
}
# Optional in the model (it describes what a loaded file holds) but refused missing by the
# check, with the reason: the CMS asks for it.
REQUIRED_BY_CHECK = {
    ("Channel", "since"): "a channel posts nothing dated before it (social/since.py); a new channel starts today",
}
# Long texts get a multi-line box.
LONG_TEXTS = {"answer", "summary", "description", "text", "note", "reason", "waiver", "for_whom",
              "processing_time", "legal_basis", "address"}
# Short forms on a phone: these sections open when tapped, and the items of these lists show one
# line each (the template) until tapped.
COLLAPSED = {"hours", "fees", "alert"}
LIST_SUMMARIES = {"faq": "{{fields.question.id}}", "closures": "{{fields.date}} · {{fields.reason.id}}",
                  "sources": "{{fields.text}}", "channels": "{{fields.platform}}"}
# The national models and the file each is read from.
NATIONAL_FILES = {"alert": schema.NationalAlert, "fees": schema.FeeSchedule, "services": schema.ServiceCatalogue,
                  "faq": schema.NationalFaq, "defaults": schema.Defaults}
NATIONAL_LANGUAGES = ["id", "en"]  # every national text is in both
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"


# --- the words --------------------------------------------------------------------


def label(model: str, name: str, lang: str) -> str:
    """cms.field.<name>.<Model>.label, else cms.field.<name>.label (shared by models)."""
    for key in (f"cms.field.{name}.{model}.label", f"cms.field.{name}.label"):
        try:
            return t(key, lang)
        except KeyError:
            continue
    raise KeyError(f"no CMS label for {model}.{name}: add cms.field.{name}.label to locales/*.editors.yml")


def hint(model: str, name: str, lang: str) -> str | None:
    from .messages import table

    for key in (f"cms.field.{name}.{model}.hint", f"cms.field.{name}.hint"):
        if key in table(lang):
            return t(key, lang)
    return None


def _language_name(code: str, lang: str) -> str:
    try:
        return t(f"editors.language.{code}", lang)
    except KeyError:
        return code


# --- the shapes, from schema.py's forms ----------------------------------------------


def _validator_cells(annotation: Any) -> dict:
    """The variables a schema.py validator closes over (regex, name, limit...), of a type like
    schema.Phone or schema.Title; {} for any other type."""
    for meta in getattr(annotation, "__metadata__", ()):
        func = getattr(meta, "func", None)
        code = getattr(func, "__code__", None)
        if code and func.__closure__:
            return dict(zip(code.co_freevars, (c.cell_contents for c in func.__closure__)))
    return {}


# Spaces and hyphens the check takes out of a number before it reads it (schema._spaces_out).
_SEPARATORS = r"[\s-]*"
_ATOM = re.compile(r"(\\.|[^\\{}()\[\]|*+?.^$])(\{\d+(?:,\d+)?\})?")


def _with_separators(pattern: str) -> str | None:
    r"""The regex of text that matches ``pattern`` once its spaces and hyphens are taken out,
    for a pattern of single characters and counts (r'\+62\d{6,13}'); None for any other."""
    parts, at = [], 0
    while at < len(pattern):
        atom = _ATOM.match(pattern, at)
        if not atom:
            return None
        parts.append(f"(?:{_SEPARATORS}{atom[1]}){atom[2] or ''}")
        at = atom.end()
    return "".join(parts) + _SEPARATORS


def form_of(annotation: Any) -> tuple[str, str | None] | None:
    """(form name, JavaScript regex) of a schema form type like schema.Phone: the regex of the
    text as typed, before the check's normalising (None when it cannot be written as one)."""
    cells = _validator_cells(annotation)
    if "regex" not in cells or "name" not in cells:
        return None
    pattern, normalise = cells["regex"].pattern, cells.get("normalise")
    if normalise is None or normalise("a b-c") == "a b-c":
        return cells["name"], f"^(?:{pattern})$"
    if normalise is schema._spaces_out:
        typed = _with_separators(pattern)
        return cells["name"], (f"^{typed}$" if typed else None)
    return cells["name"], None


def char_limit(annotation: Any) -> int | None:
    """The length limits.py holds a text type to (schema.Name, Title, Text, LongText), or None."""
    if _is_localized(annotation):
        return char_limit(field_type(annotation.model_fields["id"]))
    limit = _validator_cells(annotation).get("limit")
    return limit if isinstance(limit, int) else None


def _pattern(form: str, regex: str | None, lang: str) -> dict:
    if not regex:
        return {}
    return {"pattern": [regex, t("cms.expected", lang, form=t(f"form.{form}", lang))]}


def _length(limit: int | None, lang: str) -> dict:
    """The check's length limit as a pattern, refused in its words. Written /…/u: with the u
    flag the CMS's RegExp counts characters as the check does (Python's len); without it, an
    emoji would count twice in the form and once in the check."""
    if not limit:
        return {}
    return {"pattern": [f"/^[\\s\\S]{{0,{limit}}}$/u",
                        t("cms.expected", lang, form=t("cms.text_max", lang, limit=limit))]}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type, whether None is allowed) of `X | None`."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return annotation, optional
    return annotation, False


def field_type(info: FieldInfo) -> Any:
    """The field's type as schema.py wrote it: pydantic keeps a bare `Annotated` form's
    validators apart (info.metadata), so `Timezone` arrives as `str`; put them back."""
    if info.metadata:
        return typing.Annotated[(info.annotation, *info.metadata)]
    return info.annotation


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_localized(tp: Any) -> bool:
    """schema.Localized or one of its lengths (LocalizedName, LocalizedLong)."""
    return isinstance(tp, type) and issubclass(tp, schema.Localized)


class Context:
    """What the fields of one file need besides the model: its languages and the national choices."""

    def __init__(self, lang: str, languages: list[str], national, widget_i18n: bool = False):
        self.lang = lang
        self.languages = languages
        self.national = national
        self.widget_i18n = widget_i18n  # a news post: translated fields side by side

    def choices(self, model: str, name: str) -> list[dict] | None:
        """The ids a field refers to, from national data (None: free text)."""
        nat = self.national
        if nat is None:
            return None
        if (model, name) == ("Office", "services"):
            return [{"value": s.id, "label": s.name.get(self.lang)} for s in nat.services.services]
        if (model, name) in (("OfficeFees", "not_served"), ("Service", "fees")):
            return [{"value": f.id, "label": f.name.get(self.lang)} for f in nat.fees.fees]
        if (model, name) == ("FaqEntry", "topic"):
            return [{"value": k, "label": v.get(self.lang)} for k, v in nat.faq.topics.items()]
        return None

    def keys(self, model: str, name: str) -> list[tuple[str, str]]:
        """The keys of a mapping field, (key, label): a CMS cannot write free keys with values."""
        nat = self.national
        if (model, name) == ("OfficeFees", "overrides") and nat is not None:
            return [(f.id, f.name.get(self.lang)) for f in nat.fees.fees]
        if (model, name) == ("NationalFaq", "topics") and nat is not None:
            return [(k, v.get(self.lang)) for k, v in nat.faq.topics.items()]
        if (model, name) in (("Service", "requirements"), ("Service", "steps")):
            return [(code, _language_name(code, self.lang)) for code in self.languages]
        raise KeyError(f"no keys known for {model}.{name}")


def _select(options: list, multiple: bool = False) -> dict:
    field = {"widget": "select", "options": options}
    if multiple:
        field["multiple"] = True
    return field


def _language_boxes(ctx: Context, widget: str, limit: int | None) -> list[dict]:
    """One box per language of the file, Indonesian first and required."""
    return [{"name": code, "label": _language_name(code, ctx.lang), "widget": widget, "required": code == "id",
             **_length(limit, ctx.lang)} for code in ctx.languages]


def localized(name: str, text_label: str, ctx: Context, required: bool, value_tp: Any) -> dict:
    """A schema.Localized keyed by a national id (a fee's reason...)."""
    return {"name": name, "label": text_label, "widget": "object", "required": required,
            "fields": _language_boxes(ctx, "string", char_limit(value_tp))}


def cms_field(model: type[BaseModel], name: str, info: FieldInfo, ctx: Context) -> dict | None:
    """The CMS field of one model field (None when NOT_EDITED)."""
    if (model.__name__, name) in NOT_EDITED:
        return None
    key = info.alias or name
    tp, optional = _unwrap(field_type(info))
    required = (info.is_required() and not optional) or (model.__name__, name) in REQUIRED_BY_CHECK
    field: dict[str, Any] = {"name": key, "label": label(model.__name__, name, ctx.lang)}
    text_hint = hint(model.__name__, name, ctx.lang)
    field.update(_widget(model.__name__, name, tp, ctx, info))
    field["required"] = required if "required" not in field else field["required"] and required
    if text_hint:
        field["hint"] = text_hint
    if ctx.widget_i18n:
        field["i18n"] = name in TRANSLATED_FRONT_MATTER or "duplicate"
    return field


# Front matter keys written in each language; the rest is the same in every language.
TRANSLATED_FRONT_MATTER = {"title", "description", "image_alt", "event_location"}


def _widget(model: str, name: str, tp: Any, ctx: Context, info: FieldInfo | None = None) -> dict:
    lang = ctx.lang
    base = typing.get_origin(tp) is typing.Annotated and typing.get_args(tp)[0] or tp
    if _is_localized(tp):
        return {"widget": "object",
                "fields": _language_boxes(ctx, "text" if name in LONG_TEXTS else "string", char_limit(tp))}
    if tp == schema.LocalizedList or (typing.get_origin(tp) is dict and model == "Service"):
        return {"widget": "object", "fields": [
            {"name": code, "label": text, "widget": "list", "required": False,
             "field": {"name": "item", "label": text, "widget": "string"}}
            for code, text in ctx.keys(model, name)]}
    if _is_model(tp):
        return {"widget": "object", **({"collapsed": True} if name in COLLAPSED else {}), "fields": model_fields(tp, ctx)}
    origin = typing.get_origin(base)
    if origin is dict:
        value_tp = typing.get_args(base)[1]
        sub = []
        for k, text in ctx.keys(model, name):
            if _is_localized(value_tp):
                sub.append(localized(k, text, ctx, False, value_tp))
            else:
                sub.append({"name": k, "label": text, "widget": "object", "required": False,
                            "collapsed": True, "fields": model_fields(value_tp, ctx)})
        return {"widget": "object", "fields": sub}
    if origin is list:
        item = typing.get_args(base)[0]
        choices = ctx.choices(model, name)
        if choices is not None:
            return _select(choices, multiple=True)
        if typing.get_origin(item) is Literal:
            return _select(list(typing.get_args(item)), multiple=True)
        if _is_model(item):
            summary = {"collapsed": True, "summary": LIST_SUMMARIES[name]} if name in LIST_SUMMARIES else {}
            return {"widget": "list", **summary, "fields": model_fields(item, ctx)}
        item_field = {"name": "item", "label": label(model, name, lang)} | _widget(model, name, item, ctx)
        item_field.pop("required", None)
        return {"widget": "list", "field": item_field}
    if origin is Literal:
        return _select(list(typing.get_args(base)))
    choices = ctx.choices(model, name)
    if choices is not None:
        return _select(choices)
    if tp == schema.Category:
        return _select([{"value": c, "label": t(f"cms.category.{c}", lang)} for c in schema.CATEGORIES])
    if tp == schema.Timezone:
        return _select([{"value": z, "label": f"{z} ({label_})"} for z, label_ in schema.TIMEZONES.items()])
    if tp == schema.Flag:
        # an untouched switch is written out: it must then mean what a missing key means
        default = info.default if info is not None and isinstance(info.default, bool) else True
        return {"widget": "boolean", "required": False, "default": default}
    if tp == schema.Date:
        return {"widget": "datetime", "type": "date", "format": DATE_FORMAT}
    if tp == schema.DateTime:
        return {"widget": "datetime", "format": DATETIME_FORMAT}
    if tp == schema.Amount:
        return {"widget": "number", "value_type": "int", "min": 0}
    if tp == schema.Latitude or tp == schema.Longitude:
        return {"widget": "number", "value_type": "float", "step": 0.0001}
    if tp == schema.TimeRange:
        return {"widget": "string", **_pattern("time_range", r"^([01]\d|2[0-3]):[0-5]\d\s*-\s*([01]\d|2[0-3]):[0-5]\d$",
                                               lang)}
    if model == "Channel" and name == "platform":
        return _select(list(schema.SOCIAL_PLATFORMS))
    if model == "Channel" and name == "since":  # the CMS fills in today for a channel added there
        return {"widget": "datetime", "type": "date", "format": DATE_FORMAT, "default": "{{now}}"}
    if model == "Analytics" and name == "tool":
        return _select(list(getattr(schema, "ANALYTICS_TOOLS", ())))
    if model == "FrontMatter" and name == "image":
        # the collection's media folder, the post's own: written '/berita/<year>/gambar/<post>/<name>.png'
        # only what a docs folder publishes (checks/file_types.py): an SVG is an image to the
        # browser's file picker, and could carry a script
        return {"widget": "image", "choose_url": False, "accept": ",".join(sorted(images.RASTER_SUFFIXES))}
    form = form_of(tp)
    if form:
        return {"widget": "string", **_pattern(form[0], form[1], lang)}
    return {"widget": "text" if name in LONG_TEXTS else "string", **_length(char_limit(tp), lang)}


def model_fields(model: type[BaseModel], ctx: Context) -> list[dict]:
    fields = []
    for name, info in model.model_fields.items():
        field = cms_field(model, name, info, ctx)
        if field is None:
            continue
        fields.append(field)
    return fields


# --- the collections -------------------------------------------------------------------


def _news_fields(ctx: Context) -> list[dict]:
    return _shared_part(("news", ctx.lang, tuple(ctx.languages), ctx.widget_i18n), ctx.national,
                        lambda: _make_news_fields(ctx))


def _make_news_fields(ctx: Context) -> list[dict]:
    fields = model_fields(schema.FrontMatter, ctx)
    for field in fields:  # what the news check requires of every post (news.check_news)
        if field["name"] in ("title", "date", "category"):
            field["required"] = True
    fields.append({"name": "body", "label": t("cms.field.body.label", ctx.lang), "widget": "markdown",
                   "hint": t("cms.field.body.hint", ctx.lang), "i18n": True})
    return fields


def news_collection(name: str, text_label: str, folder: str, languages: list[str], ctx: Context) -> dict:
    """News posts of one site: <folder>/<year>/<slug>.md, with <slug>.en.md beside it."""
    post_ctx = Context(ctx.lang, languages, ctx.national, widget_i18n=True)
    return {
        "name": name, "label": text_label, "label_singular": t("cms.news_singular", ctx.lang),
        # the post's own year, as `make check` wants (berita/<year of 'date'>/), not the year it was written
        "folder": folder, "path": "{{fields.date | date('YYYY')}}/{{slug}}", "extension": "md", "format": "yaml-frontmatter",
        "create": True, "slug": "{{slug}}",
        "summary": "{{title}} · {{date}}", "sortable_fields": ["date", "title"],
        # An absolute folder: a relative one lands beside '<slug>.en' (Sveltia 0.221). The site reads
        # '/berita/2025/gambar/<post>/x.png' from the docs folder (handbook: berita.md, key 'image').
        # One folder per post (its year and file name): an upload named like another post's picture
        # can never replace it (issue 22; checks/images.py refuses one file shown by two posts).
        "media_folder": f"/{folder}/{{{{dirname}}}}/gambar/{{{{filename}}}}",
        "public_folder": "/berita/{{dirname}}/gambar/{{filename}}",
        # English starts on and may be turned off: an Indonesian-only post is allowed (berita.md)
        "i18n": {"locales": languages, "initial_locales": "all"}, "fields": _news_fields(post_ctx),
    }


def pages_collection(root: Path, folder: str, languages: list[str], ctx: Context) -> dict:
    """An office's own versions of the national pages (ubah-halaman.md): <folder>/<page>.md, named as
    the national page it replaces for this office; the news folder below is not listed."""
    page_ctx = Context(ctx.lang, languages, ctx.national, widget_i18n=True)
    names = sorted(p.stem for p in (root / "national" / "pages").glob("*.md") if "." not in p.stem)

    def make_fields() -> list[dict]:
        fields = [f for f in model_fields(schema.FrontMatter, page_ctx) if f["name"] in ("title", "description")]
        return fields + [{"name": "body", "label": t("cms.field.body.label", ctx.lang), "widget": "markdown",
                          "hint": t("cms.pages_body_hint", ctx.lang), "i18n": True}]

    fields = _shared_part(("pages", ctx.lang, tuple(languages)), ctx.national, make_fields)
    return {
        "name": "halaman", "label": t("cms.pages", ctx.lang), "label_singular": t("cms.pages_singular", ctx.lang),
        "description": t("cms.pages_hint", ctx.lang, names=", ".join(names)),
        "folder": folder, "extension": "md", "format": "yaml-frontmatter", "create": True,
        "slug": {"template": "{{slug}}", "pattern": [f"^(?:{'|'.join(map(re.escape, names))})$",
                                                     t("cms.expected", ctx.lang, form=t("cms.page_name", ctx.lang,
                                                                                        names=", ".join(names)))]},
        "i18n": {"locales": languages, "initial_locales": "all"}, "fields": fields,
    }


def office_languages(data: Any) -> list[str]:
    langs = data.get("languages") if isinstance(data, dict) else None
    if isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs) and langs[0] == "id":
        return langs
    return ["id", "en"]


# The hub's mkdocs.yml, extra.infohub.cms: each setting and the form of a good value
# (checks/editor_settings.py reports a bad one; the build leaves it out).
SETTINGS_KEY = ("extra", "infohub", "cms")
_GITHUB_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_GIT_BRANCH = re.compile(r"(?!/)(?!.*//)(?!.*\.\.)[A-Za-z0-9._/-]{1,100}(?<![/.])")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")


def https_origin(url: str) -> str | None:
    """https://host[:port] of a URL, rebuilt from its parts, or None: only a plain host name
    reaches a header (a ';', quote or space in the setting could otherwise add a directive)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not _HOST.fullmatch(host) or parts.username or parts.password:
        return None
    return f"https://{host}" + (f":{port}" if port else "")


SETTINGS = {"repo": ("github_repo", _GITHUB_REPO.fullmatch), "branch": ("git_branch", _GIT_BRANCH.fullmatch),
            "base_url": ("https_server", https_origin)}


def editor_settings(root: Path) -> dict:
    """extra.infohub.cms of the hub's settings as written ({} without one)."""
    data = _read_once(("hub settings", root), lambda: hub_settings(root))
    for key in SETTINGS_KEY:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def repository(root: Path) -> dict:
    """The GitHub repository the CMS proposes changes to: the hub's settings (repo, branch, and
    base_url of an OAuth helper), each only when well formed; without a repo, the one GitHub
    Actions is building (GITHUB_REPOSITORY), else the default."""
    found = {**DEFAULT_REPO}
    ci_repo = os.environ.get("GITHUB_REPOSITORY", "")
    if _GITHUB_REPO.fullmatch(ci_repo):
        found["repo"] = ci_repo
    for key, value in editor_settings(root).items():
        if key in SETTINGS and isinstance(value, str) and SETTINGS[key][1](value.strip()):
            found[key] = value.strip()
    return found


def _office(root: Path, slug: str, lang: str) -> tuple[str, list[str]]:
    """(name in ``lang``, languages) of an office, as far as its office.yml can be read."""
    from .yamlsource import YamlSyntaxError, load_yaml_file

    file = root / "offices" / slug / "office.yml"

    def read() -> Any:
        try:
            return load_yaml_file(file, paths.rel(file))[0]
        except (YamlSyntaxError, OSError):
            return {}

    data = _read_once(("office", file), read)
    name = (data.get("name") or {}) if isinstance(data, dict) else {}
    title = (name.get(lang) or name.get("id")) if isinstance(name, dict) else str(name or slug)
    return (title if isinstance(title, str) and title else slug), office_languages(data)


def editors(root: Path | None = None, lang: str = "id") -> list[tuple[str, str]]:
    """(folder under /admin/, label) of every editor: the national team's first, then each office's."""
    root = root or paths.root()
    return [(NATIONAL_EDITOR, t("cms.national_editor", lang)),
            *((slug, _office(root, slug, lang)[0]) for slug in paths.office_slugs(root))]


# What the configurations of all editors read many times (each office.yml nine times, the hub's
# settings twice each), read once while write_admin writes them: (what, file) -> what was read.
_read: dict[tuple, Any] | None = None


def _read_once(key: tuple, read) -> Any:
    if _read is None:
        return read()
    if key not in _read:
        _read[key] = read()
    return _read[key]


# While write_admin writes every editor's configuration, the lists of fields that many of them hold
# (an office.yml's form, its part an office's editor offers, a news post's fields, a page's) are
# made once per language and set of office languages, not once per office and editor (the national
# editor lists every office's form: 80 forms at 40 offices), and each is written as YAML once for
# each column it stands at (config_yaml). They are shared, never changed: yaml.dump reads them.
# (kind, language, office languages) -> (the national data they were made from, the fields)
_shared_parts: dict[tuple, tuple[Any, list[dict]]] | None = None


def _shared_part(key: tuple, national, make) -> list[dict]:
    if _shared_parts is None:
        return make()
    known = _shared_parts.get(key)
    if known is None or known[0] is not national:
        known = _shared_parts[key] = (national, make())
    return known[1]


def _office_form(lang: str, languages: list[str], national, keys: tuple[str, ...] | None = None) -> list[dict]:
    """An office.yml's form: its fields named in ``keys`` (None: all)."""
    def make() -> list[dict]:
        return cms_yaml.office_editor_order(model_fields(schema.Office, Context(lang, languages, national)),
                                            OFFICE_EDITS)

    def part() -> list[dict]:
        fields = _office_form(lang, languages, national)
        return [f for key in keys for f in fields if f["name"] == key]

    return _shared_part(("office", lang, tuple(languages), keys), national, make if keys is None else part)


def _office_file(root: Path, slug: str, ctx: Context, keys: tuple[str, ...] | None) -> dict:
    """office.yml of one office in a files collection: its fields named in ``keys`` (None: all)."""
    title, languages = _office(root, slug, ctx.lang)
    fields = _office_form(ctx.lang, languages, ctx.national, keys)
    return {"name": slug, "label": title, "file": f"offices/{slug}/office.yml", "format": "yml", "fields": fields}


def _office_collections(root: Path, slug: str, ctx: Context) -> list[dict]:
    """What one office's editor lists: its news, its pages and its office.yml's OFFICE_EDITS."""
    languages = _office(root, slug, ctx.lang)[1]
    return [
        news_collection("berita", t("cms.news_singular", ctx.lang), f"offices/{slug}/docs/berita", languages, ctx),
        pages_collection(root, f"offices/{slug}/docs", languages, ctx),
        {"name": "kantor", "label": t("cms.offices", ctx.lang), "files": [_office_file(root, slug, ctx, OFFICE_EDITS)],
         "editor": {"preview": False}},
    ]


def _national_collections(root: Path, ctx: Context) -> list[dict]:
    """What the national team's editor lists: every office's office.yml whole, national news and data."""
    # the fields cms_forms.national_fields builds: the form the files are kept in
    national_files = [{"name": stem, "label": t(f"cms.national.{stem}", ctx.lang), "file": f"national/{stem}.yml",
                       "format": "yml", "fields": model_fields(model, ctx)}
                      for stem, model in NATIONAL_FILES.items()]
    return [
        {"name": "kantor", "label": t("cms.offices", ctx.lang), "editor": {"preview": False},
         "files": [_office_file(root, slug, ctx, None) for slug in paths.office_slugs(root)]},
        news_collection("berita-nasional", t("cms.national_news", ctx.lang), "national/pages/berita", ["id", "en"], ctx),
        {"name": "nasional", "label": t("cms.national.label", ctx.lang), "files": national_files,
         "editor": {"preview": False}},
    ]


def cms_config(root: Path | None = None, lang: str = "id", local: bool = False,
               editor: str = NATIONAL_EDITOR) -> dict:
    """The whole configuration of one editor (NATIONAL_EDITOR or an office's slug), as the CMS
    reads it from admin/<editor>/config.yml."""
    from .content import load_national

    root = root or paths.root()
    national, _ = load_national(root)
    ctx = Context(lang, NATIONAL_LANGUAGES, national)
    repo = repository(root)
    backend = {"name": "github", "repo": repo["repo"], "branch": repo["branch"],
               "commit_messages": {key: t(f"cms.commit.{key}", lang) for key in
                                   ("create", "update", "delete", "uploadMedia", "deleteMedia")}}
    if repo.get("base_url"):
        backend["base_url"] = repo["base_url"]
    else:  # no "Sign In with GitHub" through api.netlify.com, a third party that cannot sign in here
        backend["auth_methods"] = ["token"]
    collections = (_national_collections(root, ctx) if editor == NATIONAL_EDITOR
                   else _office_collections(root, editor, ctx))
    # The media library's "Media global" and a picture in an office page's body: an office's own docs
    # folder, shown at its site's /assets/gambar/ (the repository's docs/ is the hub's, the national
    # team's folder in CODEOWNERS, and not in the office's site); the national editor's is that one.
    media_docs = "docs" if editor == NATIONAL_EDITOR else f"offices/{editor}/docs"
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        # Images of news posts go beside the post (collection media_folder); this is the rest's.
        "media_folder": f"{media_docs}/assets/gambar",
        "public_folder": "/assets/gambar",
        # An upload the check would refuse is refused at once (limits.IMAGE_BYTES; the build
        # resizes what it accepts: images.py).
        # An upload gets the global slug's form ('Foto Kegiatan (1).jpg' -> 'foto-kegiatan-1.jpg'):
        # the name the check wants of every file under docs/ (checks/office_folder.py)
        # No stock photos (Pexels, Unsplash, …): the admin's Content-Security-Policy blocks those
        # services, so the choice could only fail, and a photo's licence is not the editor's to check.
        "media_libraries": {"default": {"config": {"max_file_size": limits.IMAGE_BYTES, "slugify_filename": True}},
                            "stock_assets": False},
        "site_url": _hub_url(root),
        "i18n": {"structure": "multiple_files", "locales": ["id", "en"], "default_locale": "id",
                 # page.md (Indonesian) + page.en.md, as mkdocs-static-i18n's suffix layout wants
                 "omit_default_locale_from_file_path": True},
        # how the CMS writes a file: office.yml is kept in exactly that form (cms_yaml.py)
        "output": cms_yaml.OUTPUT,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-", "maxlength": SLUG_CHARS},
        "collections": collections,
    }
    if local:
        config["local_backend"] = True
    return config


def _hub_url(root: Path) -> str:
    return _read_once(("hub url", root), lambda: hub_url(root) or "")


_STR, _BOOL, _INT, _NULL = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "bool", "int", "null"))
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml: 20x faster on 700 kB
    def ignore_aliases(self, data):  # every field written out, never as a YAML reference
        return True

    # id of a shared list of fields -> the plain scalar written in its place, and those written (_dump)
    placed: dict[int, str] = {}
    written: list[str] = []

    def represent_data(self, data):
        """The nodes SafeRepresenter makes, made directly for what a configuration holds (plain
        dicts, lists, strings, numbers, booleans): its general dispatch was half the time of the
        hub's /admin/ (80 configurations, 4 MB at 40 offices). Anything else, and any other
        setting than config_yaml's, goes through SafeRepresenter."""
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR, data, style=self.default_style)
        if self.default_flow_style is None or self.sort_keys:
            return super().represent_data(data)
        if kind is list and id(data) in self.placed:
            self.written.append(self.placed[id(data)])
            return yaml.ScalarNode(_STR, self.placed[id(data)], style=self.default_style)
        if kind is dict:
            return yaml.MappingNode(_MAP, [(self.represent_data(key), self.represent_data(value))
                                           for key, value in data.items()], flow_style=self.default_flow_style)
        if kind is list:
            return yaml.SequenceNode(_SEQ, [self.represent_data(item) for item in data],
                                     flow_style=self.default_flow_style)
        if kind is bool:
            return yaml.ScalarNode(_BOOL, "true" if data else "false", style=self.default_style)
        if kind is int:
            return yaml.ScalarNode(_INT, str(data), style=self.default_style)
        if data is None:
            return yaml.ScalarNode(_NULL, "null", style=self.default_style)
        return super().represent_data(data)


def config_yaml(root: Path | None = None, lang: str = "id", local: bool = False,
                editor: str = NATIONAL_EDITOR) -> str:
    head = t("cms.generated_header", lang)
    return f"# {head}\n{_dump(cms_config(root, lang, local, editor))}"


def _plain_dump(data: Any, placed: dict[int, str] | None = None, written: list[str] | None = None) -> str:
    dumper = type("_Placing", (_Dumper,), {"placed": placed, "written": written}) if placed else _Dumper
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=110)


# The YAML of a shared list of fields as the value of a key at a column: (key, column, id of the
# list) -> (the list, the lines of its value).
_written_parts: dict[tuple[str, int, int], tuple[list[dict], str]] = {}
_PLACEHOLDER = "infohub-shared-fields-"
_PLACED = re.compile(r"^( *)((?:- )?)([a-z_]+): (infohub-shared-fields-\d+)$", re.M)


def _dump(config: dict) -> str:
    """yaml.dump of a configuration. During write_admin, each shared list of fields (_shared_parts)
    is written once for each key and column it stands at, and its lines put where the list is:
    libyaml writes a value the same wherever its key stands at the same column (the line width
    counts from the line's start). The same text as writing the whole (tests/test_render_speed.py);
    anything unexpected (a value of the configuration that reads like a placeholder, a list that
    is not a key's value), and it is written whole."""
    if not _shared_parts:
        return _plain_dump(config)
    parts = {id(fields): fields for _, fields in _shared_parts.values() if fields}
    placed = {key: f"{_PLACEHOLDER}{number}" for number, key in enumerate(parts)}
    written: list[str] = []
    text = _plain_dump(config, placed, written)
    if not written:
        return text
    if text.count(_PLACEHOLDER) != len(written) or len(_PLACED.findall(text)) != len(written):
        return _plain_dump(config)
    by_placeholder = {placeholder: parts[key] for key, placeholder in placed.items()}

    def value_lines(match: re.Match) -> str:
        indent, dash, key, placeholder = match.groups()
        column, fields = len(indent) + len(dash), by_placeholder[placeholder]
        known = _written_parts.get((key, column, id(fields)))
        if known is None or known[0] is not fields:
            known = _written_parts[key, column, id(fields)] = (fields, _value_lines(key, column, fields))
        return f"{indent}{dash}{key}:\n{known[1]}"

    try:
        return _PLACED.sub(value_lines, text)
    except ValueError:
        return _plain_dump(config)


def _value_lines(key: str, column: int, fields: list[dict]) -> str:
    """The lines YAML writes for ``fields`` as the value of ``key`` standing at ``column``: the
    value written under ``key`` nested in mappings that bring it to that column. ValueError when
    they do not read as expected."""
    data: dict = {key: fields}
    for _ in range(column // 2):
        data = {"a": data}
    text = _plain_dump(data)
    head = "".join(f"{' ' * (2 * depth)}a:\n" for depth in range(column // 2)) + f"{' ' * column}{key}:\n"
    if column % 2 or not text.startswith(head) or not text.endswith("\n") or "\n..." in text:
        raise ValueError("not the lines expected")
    return text[len(head):-1]


# --- site/hub/admin/ ----------------------------------------------------------------------


def cms_script(root: Path) -> Path | None:
    """The CMS's self-contained script, once `npm ci --prefix tools/cms` has installed it: in the
    repository built, else in the checkout these hooks come from (a test's copied repository)."""
    for base in (root, Path(__file__).resolve().parents[2]):
        script = base / CMS_DIR / "node_modules" / CMS_PACKAGE / "dist" / CMS_SCRIPT
        if script.is_file():
            return script
    return None


class CmsBundleError(ValueError):
    """The CMS's script names an outside font the build cannot serve from /admin/fonts/."""


def offline_script(text: str, node_modules: Path) -> tuple[str, dict[str, Path]]:
    """The script with every CDN_FONTS URL pointing at /admin/fonts/, and the font files to copy
    there (file name -> file in node_modules). Raises CmsBundleError, naming the URL, when a
    mapped URL is no longer in the script, its package file is not installed, or any other
    CDN or font URL is in it: a CMS upgrade must not bring an outside request back silently."""
    fonts: dict[str, Path] = {}
    for url, (package, file) in CDN_FONTS.items():
        if url not in text:
            raise CmsBundleError(t("cms.offline_font_missing", None, url=url))
        source = node_modules / package / file
        if not source.is_file():
            raise CmsBundleError(t("cms.offline_font_not_installed", None, url=url, package=package,
                                   folder=str(CMS_DIR)))
        fonts[Path(file).name] = source
        text = text.replace(url, FONTS_PATH + Path(file).name)
    left = _OUTSIDE_FONT.search(text)
    if left:
        raise CmsBundleError(t("cms.offline_font_unmapped", None, url=left.group(0)))
    return text, fonts


# The start of every page under /admin/: not for search engines, sized for a phone.
_ADMIN_HEAD = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
"""

ADMIN_PAGE = _ADMIN_HEAD + """<link href="config.yml" type="application/yaml" rel="cms-config-url">
</head>
<body>
<noscript>{noscript}</noscript>
<script src="{guard}" data-message="{unsaved}"></script>
<script src="{uploads}" data-accept="{accept}" data-title="{refused}" data-help="{refused_help}" data-close="{close}"></script>
<script src="{script}"></script>
</body>
</html>
"""


# /admin/ and /admin/en/: the list of editors. No script: nothing here runs before an editor is chosen.
ADMIN_LANDING = _ADMIN_HEAD + """<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem}}
li{{margin:.5rem 0}}a{{color:#1a4f9c}}</style>
</head>
<body>
<h1>{title}</h1>
<p>{intro}</p>
<ul>
{items}
</ul>
<p><a href="{other_href}" hreflang="{other_lang}">{other}</a></p>
</body>
</html>
"""


def _uploads_script(up: str, lang: str) -> dict[str, str]:
    """ADMIN_PAGE's values for uploads.js: the suffixes it lets through and its notice's words."""
    pictures = ", ".join(sorted(images.RASTER_SUFFIXES))
    return {"uploads": up + UPLOADS_SCRIPT, "accept": ",".join(UPLOADS),
            "refused": escape(t("cmsupload.refused", lang)), "close": escape(t("cmsupload.close", lang)),
            "refused_help": escape(t("cmsupload.refused_help", lang, pictures=pictures,
                                     documents=limits.DOCUMENT_SUFFIX))}


def landing_page(root: Path, lang: str) -> str:
    """admin/index.html (Indonesian) or admin/en/index.html: a link to each editor."""
    up, own, other_lang, other_href = ("", "", "en", "en/") if lang == "id" else ("../", "en/", "id", "../")
    items = "\n".join(f'<li><a href="{up}{quote(folder)}/{own}">{escape(label)}</a></li>'
                      for folder, label in editors(root, lang))
    return ADMIN_LANDING.format(lang=lang, title=escape(t("cms.title", lang)), intro=escape(t("cms.landing_intro", lang)),
                                items=items, other_lang=other_lang, other_href=other_href,
                                other=escape(t("cms.landing_other", lang)))


def write_admin(site_dir: Path, root: Path, local: bool = False) -> str | None:
    """site_dir/admin/: the CMS's script, fonts and interface languages once (admin/locales/,
    cms_locale.py), the list of editors (admin/index.html, admin/en/), and each editor's page and
    config.yml in admin/<editor>/ (Indonesian) and admin/<editor>/en/ (English). Returns a warning
    when the CMS is not installed (nothing is written then); raises CmsBundleError or
    cms_locale.CmsPatchError, before writing anything, for a script the build cannot serve."""
    script = cms_script(root)
    if script is None:
        return t("cms.not_installed", None, folder=str(CMS_DIR))
    text, fonts = offline_script(script.read_bytes().decode("utf-8"), script.parents[3])
    text = cms_locale.patched_script(text)
    admin = site_dir / "admin"
    (admin / "fonts").mkdir(parents=True, exist_ok=True)
    for name, source in fonts.items():
        (admin / "fonts" / name).write_bytes(source.read_bytes())
    (admin / "locales").mkdir(exist_ok=True)
    for name, data in cms_locale.locale_files(script.parents[1]).items():
        (admin / "locales" / name).write_bytes(data)
    (admin / CMS_SCRIPT).write_bytes(text.encode("utf-8"))  # byte for byte but the font URLs and cms_locale's patches
    (admin / GUARD_SCRIPT).write_bytes((Path(__file__).parent / "data" / "cms-guard.js").read_bytes())
    (admin / UPLOADS_SCRIPT).write_bytes((Path(__file__).parent / "data" / "cms-uploads.js").read_bytes())
    (admin / "en").mkdir(exist_ok=True)
    global _shared_parts, _read
    _shared_parts, _read = {}, {}
    _written_parts.clear()
    try:
        for lang, folder in (("id", admin), ("en", admin / "en")):
            (folder / "index.html").write_text(landing_page(root, lang), encoding="utf-8")
        for editor, _ in editors(root):
            for lang, folder, up in (("id", admin / editor, "../"), ("en", admin / editor / "en", "../../")):
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "config.yml").write_text(config_yaml(root, lang, local, editor), encoding="utf-8")
                (folder / "index.html").write_text(ADMIN_PAGE.format(
                    lang=lang, title=t("cms.title", lang), noscript=t("cms.noscript", lang), script=up + CMS_SCRIPT,
                    guard=up + GUARD_SCRIPT, unsaved=escape(t("cms.unsaved", lang)), **_uploads_script(up, lang)),
                    encoding="utf-8")
    finally:
        _shared_parts = _read = None
        _written_parts.clear()
    return None
