"""What an office could write, generated from the schema, for the one-verdict fuzz test.

An office's folder is untrusted input (see the threat model in DEVELOPERS.md):
its office.yml, the front matter of its pages and their Markdown. ``office_folders``
draws one whole folder: office.yml, a news post (with or without its English
twin) and a plain page.

Each document starts valid, drawn from the pydantic models in infohub.schema
(``Documents``): every field's type names the values it takes, and a free text
(``Text``) takes anything a person or a paste can put there: markup, template
syntax, paths, control and direction characters, huge and empty values. Then
a few of its values may be replaced by anything at all, keys dropped or added
(``mutated``), so that both the check's refusals and the build of strange but
valid values are exercised. Where a valid value must name something national
(a service, a fee, a FAQ topic) or agree with another field (the domain), the
field has its own strategy in ``_FIELDS``.
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from pydantic import BaseModel

from infohub import schema
from infohub.content import load_national

ROOT = Path(__file__).resolve().parents[1]
NATIONAL, _ = load_national(ROOT)
SLUG = "kantorcontoh"

# --- text: what a person, a paste or an attacker puts in a free text field ---------------

HOSTILE_TEXTS = [
    # markup and script
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>', "<iframe src=//evil.example>", "<!--", "-->", "]]>", "<![CDATA[x]]>",
    "<style>*{display:none}</style>", "&amp;", "&#0;", "&lt;b&gt;", "<b>tebal", "</div></main>",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    # template syntax (Jinja, MkDocs macros) and format strings
    "{{ config }}", "{{ config.extra }}", "{% include '../../etc/passwd' %}", "{# x", "{%", "}}", "{0}", "%s", "${x}",
    # Markdown that reaches into the page
    "[a](javascript:alert(1))", "![x](../../../../etc/passwd)", "*a ", "_", "**", "`", "```", "# judul", "> kutip",
    "| a | b |", "!!! note", "{: onclick=alert(1) }", "[^1]", "\\", "<div markdown>x</div>",
    # paths
    "../../etc/passwd", "/etc/passwd", "..", ".", "~/.gitconfig", "C:\\Windows\\win.ini", "/proc/self/environ",
    "offices/imigrasibatam/office.yml", "file:///etc/passwd",
    # YAML and data look-alikes
    "yes", "no", "~", "null", "true", "0", "-1", "1e309", "nan", "10:00", "2025-13-01", "- a", ": b", "&a", "*a", "!!python/object:os.system",
    # characters: control, direction, invisible, combining, surrogates of other scripts
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200e", "\u202e", "\u2066",
    "\u0301", "\U0001f600", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u00a0", "\t", "\r", "\r\n", "\n\n",
    # privacy: a NIK, a phone number, an e-mail address
    "3171011708450001", "0812-3456-7890", "orang@example.org",
]
# huge values are made by repetition outside Hypothesis' buffer (a long st.text would overrun it)
HUGE_PATTERNS = ["a", "a ", "[", "](", "*a ", "<b>", "{{", "\u202e", "\x00", "é", "[a](b) ", "\n"]


def hostile_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Any text an editor could type or paste; valid wherever the schema says ``Text``."""
    return st.one_of(
        st.text(max_size=max_size),  # every code point Hypothesis draws, control characters included
        st.sampled_from(HOSTILE_TEXTS),
        st.lists(st.sampled_from(HOSTILE_TEXTS) | st.text(max_size=5), min_size=2, max_size=4).map("".join),
        st.sampled_from(["", " ", "\n", "\t \n"]),
        st.builds(lambda pattern, count: pattern * count, st.sampled_from(HUGE_PATTERNS),
                  st.sampled_from([100, 1_000, 5_000])),
    )


# Strange but harmless: what the check should let through and the build must then show as written
STRANGE_TEXTS = ["Tom & Jerry", "O'Brien \"Jr.\"", "100% <- 50%", "a < b > c", "{{ config }}", "{% raw %}", "${HOME}",
                 "[a](b)", "*a* _b_ `c`", "#tagar", "C:\\Windows", "../../etc/passwd", "https://example.org/?a=1&b=2",
                 "\U0001f600\U0001f1ee\U0001f1e9", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u200f(1)", "e\u0301",
                 "\u00a0\u200b", "\u4e2d\u6587", "a" * 60, "\u1e9e\u00df", "\\", "---", "'", '"', "&amp;"]


def strange_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(STRANGE_TEXTS), st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")),
                                                              max_size=30))


def plain_text() -> st.SearchStrategy[str]:
    """What a careful editor writes: letters, digits, punctuation (the valid bulk of a site)."""
    return st.sampled_from(["Kantor Imigrasi Contoh", "Layanan paspor", "Jalan Contoh No. 1", "Kota Contoh",
                            "Example Immigration Office", "Libur nasional", "Ada, di halaman kantor."])




def sometimes(usual: st.SearchStrategy, rare: st.SearchStrategy, one_in: int) -> st.SearchStrategy:
    """``rare`` about once in ``one_in`` draws, else ``usual``. (The rare number is one in the middle:
    Hypothesis draws the ends of a range more often than the others.)"""
    return st.integers(0, one_in - 1).flatmap(lambda i: rare if i == one_in // 2 else usual)


# --- the forms of infohub.schema: a valid value of each ------------------------------------

def _spaced(text_: str, seps: list[str]) -> str:
    return seps[0].join([text_[:3], text_[3:7], text_[7:]]) if seps else text_


def _phone(prefix: str, min_digits: int, max_digits: int) -> st.SearchStrategy[str]:
    number = st.text(alphabet="0123456789", min_size=min_digits, max_size=max_digits).map(lambda d: prefix + d)
    return st.builds(_spaced, number, st.lists(st.sampled_from([" ", "-"]), max_size=1))


def _date_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


# valid: the years schema.YEARS allows; now and then the calendar's ends, which the check refuses
DATES = sometimes(st.dates(min_value=dt.date(schema.YEARS[0], 1, 1), max_value=dt.date(schema.YEARS[1], 12, 31)),
                  st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31), dt.date(3000, 1, 1)]),
                  50).map(_date_text)
ZONES = st.sampled_from(["", "Z", "+07:00", "+0900", "-12:00", "+14:00", "+23:59"])
DATETIMES = st.one_of(
    DATES,
    st.builds(lambda day, sep, h, m, sec, zone: f"{day}{sep}{h:02d}:{m:02d}{sec}{zone}",
              DATES, st.sampled_from([" ", "T"]), st.integers(0, 23), st.integers(0, 59),
              st.sampled_from(["", ":00", ":59"]), ZONES),
)
_time = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
TIME_RANGES = st.tuples(_time, _time, st.sampled_from(["-", " - "])).filter(lambda t: t[0] < t[1]).map(
    lambda t: f"{t[0]}{t[2]}{t[1]}")

URLS = sometimes(st.sampled_from(["https://maps.example.org/kantorcontoh", "https://instagram.example.org/kantorcontoh",
                     "https://x.example/a?b=<script>alert(1)</script>", 'https://x.example/"onmouseover="alert(1)',
                     "https://x.example/{{config}}", "https://x.example/../../etc/passwd", "https://[::1]/",
                     "https://x.example/\u202egnp.exe", "https://localhost/", "https://x.example:99999/"]),
                 st.from_regex(r"https://[^\s]+", fullmatch=True), 50)
FORMS: dict[Any, st.SearchStrategy] = {
    schema.Phone: _phone("+62", 6, 13),
    schema.WhatsApp: _phone("+628", 7, 12),
    schema.Email: st.one_of(st.just("info@kantorcontoh.example.org"),
                            st.from_regex(r"[^@\s]{1,20}@[^@\s]{1,20}\.[a-z]{2,6}", fullmatch=True)),
    schema.Url: URLS,
    schema.Domain: sometimes(st.just(f"{SLUG}.id"), st.from_regex(r"([a-z0-9-]{1,10}\.){1,3}[a-z]{2,6}", fullmatch=True), 20),
    schema.Slug: st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True),
    schema.Hashtag: st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,30}", fullmatch=True),
    schema.LangCode: st.one_of(st.sampled_from(["id", "en", "ar", "jv", "zh"]), st.from_regex(r"[a-z]{2}", fullmatch=True)),
    schema.Timezone: st.sampled_from(sorted(schema.TIMEZONES)),
    schema.Category: st.sampled_from(schema.CATEGORIES),
    schema.TimeRange: TIME_RANGES,
    schema.Time: _time,
    schema.Date: DATES,
    schema.DateTime: DATETIMES,
    schema.Amount: st.integers(0, 10**30).map(str),
    schema.Flag: st.sampled_from(["true", "false", "yes", "no", "ya", "tidak", "True", "YA"]),
    schema.Latitude: st.one_of(st.floats(-90, 90).map(repr), st.sampled_from(["90", "-90", "1_0", " 0 ", "1e-300"])),
    schema.Longitude: st.one_of(st.floats(-180, 180).map(repr), st.sampled_from(["180", "-180.0"])),
}


# --- fields that must agree with the national data or with each other ---------------------

def _unique_by(key: str):
    return lambda items: list({item[key]: item for item in items}.values())


_service_ids = sorted(NATIONAL.service_ids)
_fee_ids = sorted(NATIONAL.fee_ids)
_topics = sorted(NATIONAL.faq.topics)
_own_url = st.sampled_from([f"https://{SLUG}.id/umpan-balik", f"https://statistik.{SLUG}.id/",
                            f"https://{SLUG}.id/<script>", f"https://{SLUG}.id/a?b={{{{config}}}}"])
_SITE_IDS = {"plausible": [f"{SLUG}.id", "<b>"], "umami": ["0a1b2c3d-0000-4000-8000-000000000000"],
             "matomo": ["12", "0"], "goatcounter": ["x"]}
_PLATFORMS_NEEDING = {"mastodon": "instance", "bluesky": "account", "telegram": "account", "facebook": "account",
                      "threads": "account", "linkedin": "account"}


def _channel(platform: str, text: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    needs = _PLATFORMS_NEEDING.get(platform)
    if needs == "instance":
        return st.fixed_dictionaries({"platform": st.just(platform), "since": DATES,
                                      "instance": st.sampled_from(["https://mastodon.example.social"])})
    if needs == "account":
        return st.fixed_dictionaries({"platform": st.just(platform), "since": DATES, "account": text})
    return st.fixed_dictionaries({"platform": st.just(platform), "since": DATES})


def _fields(text: st.SearchStrategy[str], model) -> dict[tuple[type, str], st.SearchStrategy]:
    return {
        (schema.Office, "languages"): st.one_of(st.just(["id"]), st.just(["id", "en"]),
                                                st.lists(FORMS[schema.LangCode], max_size=2, unique=True)
                                                .map(lambda rest: ["id"] + [c for c in rest if c != "id"])),
        (schema.Office, "services"): st.one_of(st.none(), st.lists(st.sampled_from(_service_ids), min_size=1, unique=True)),
        (schema.OfficeFees, "not_served"): st.lists(st.sampled_from(_fee_ids), unique=True, max_size=2),
        (schema.OfficeFees, "overrides"): st.dictionaries(st.sampled_from(_fee_ids),
                                                          st.deferred(lambda: model(schema.FeeOverride)), max_size=2),
        (schema.FaqEntry, "topic"): st.sampled_from(_topics),
        (schema.Office, "faq"): st.lists(st.deferred(lambda: model(schema.FaqEntry)), max_size=3).map(_unique_by("id")),
        (schema.Office, "channels"): st.lists(st.sampled_from(schema.SOCIAL_PLATFORMS), unique=True, max_size=3)
        .flatmap(lambda platforms: st.tuples(*[_channel(p, text) for p in platforms]).map(list)),
        (schema.Feedback, "endpoint"): _own_url,
        (schema.Analytics, "url"): _own_url,
        (schema.Office, "feedback"): st.one_of(
            st.fixed_dictionaries({"endpoint": _own_url}),
            st.sampled_from(sorted(_SITE_IDS)).flatmap(lambda tool: st.fixed_dictionaries({"analytics": st.fixed_dictionaries(
                {"tool": st.just(tool), "url": _own_url}, optional={"site_id": st.sampled_from(_SITE_IDS[tool])})}))),
        # Material's own page keys: what an office could name, inside the theme and out
        (schema.FrontMatter, "template"): sometimes(st.sampled_from(schema.PAGE_TEMPLATES), st.sampled_from(
            ["404.html", "blog-post.html", "tidak-ada.html", "../../etc/passwd", "/etc/passwd", "{{ x }}.html"]), 10),
        (schema.FrontMatter, "icon"): sometimes(st.sampled_from(["material/passport", "fontawesome/brands/x-twitter"]),
                                                st.sampled_from(["material/tidak-ada", "../../../etc/passwd", "/etc/passwd",
                                                                 "material/../../../../etc/passwd", "Material/Passport"]), 10),
        (schema.PageSearch, "boost"): sometimes(st.sampled_from(["2", "0.5", "10.25"]), st.sampled_from(["100", "-1", "x"]), 10),
        (schema.FrontMatter, "image"): sometimes(st.sampled_from(["gambar/foto.png", "/berita/2025/gambar/foto.png"]),
                                                 st.sampled_from(["gambar/tidak-ada.png", "../../../../../etc/passwd",
                                                                  "../../gambar", "https://evil.example/x.png", "gambar",
                                                                  "gambar/foto.png\x00", "a" * 300]) | text, 3),
    }


# --- documents from the models ---------------------------------------------------------------

class Documents:
    """Strategies for valid documents, with free texts from ``text``."""

    def __init__(self, text: st.SearchStrategy[str]):
        self.text = text
        # every bounded text of the schema (limits.py): a name, a title, a sentence, an answer
        self.forms = {**FORMS, **{form: text for form in (schema.Name, schema.Title, schema.Text, schema.LongText)}}
        self.fields = _fields(text, self.model)

    def localized(self) -> st.SearchStrategy:
        """{id: …, en: …} (maybe more languages), or a bare text, which is Indonesian."""
        return st.one_of(self.text, st.fixed_dictionaries({"id": self.text}, optional={"en": self.text, "ar": self.text}))

    def annotation(self, hint: Any, owner: type, name: str) -> st.SearchStrategy:
        """A valid value of the type ``hint`` (of field ``name`` of ``owner``)."""
        if (owner, name) in self.fields:
            return self.fields[(owner, name)]
        if hint in self.forms:
            return self.forms[hint]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            return st.one_of([self.annotation(a, owner, "") for a in args if a is not type(None)])
        if origin is typing.Literal:
            return st.sampled_from(args)
        if origin is list:
            return st.lists(self.annotation(args[0], owner, ""), max_size=3)
        if origin is dict:
            return st.dictionaries(self.annotation(args[0], owner, ""), self.annotation(args[1], owner, ""), max_size=2)
        if isinstance(hint, type) and issubclass(hint, schema.Localized):  # LocalizedName, LocalizedLong too
            return self.localized()
        if isinstance(hint, type) and issubclass(hint, BaseModel):
            return self.model(hint)
        if origin is typing.Annotated and args[0] is str:  # a form without a strategy here yet: any text
            return self.text
        raise TypeError(f"no strategy for {hint!r} ({owner.__name__}.{name}): add it to FORMS")

    def model(self, cls: type[BaseModel], required_too: tuple[str, ...] = ()) -> st.SearchStrategy[dict]:
        """A mapping valid for ``cls``: its required keys (and ``required_too``), some of its optional ones."""
        hints = typing.get_type_hints(cls, include_extras=True)
        required, optional = {}, {}
        for name, field in cls.model_fields.items():
            key = field.alias or name
            needed = field.is_required() or name in required_too
            (required if needed else optional)[key] = self.annotation(hints[name], cls, name)
        return st.fixed_dictionaries(required, optional=optional)

    def front_matter(self, post: bool) -> st.SearchStrategy[dict]:
        """A page's front matter; a news post's has a title, a date and a category (what check_news asks for)."""
        if post:
            return self.model(schema.FrontMatter, ("title", "date", "category")).map(_event_in_order).map(_image_described)
        # a page with a date and a category is a news post in the wrong folder (checks/placement.py)
        return self.model(schema.FrontMatter).map(_event_in_order).map(
            lambda meta: {k: v for k, v in meta.items() if k != "category"} if "date" in meta else meta)


def _image_described(meta: dict) -> dict:
    """A post's image has its description (news.check_news); one without comes from ``mutated``."""
    return {**meta, "image_alt": meta.get("image_alt") or "Foto"} if "image" in meta else meta


def _event_in_order(meta: dict) -> dict:
    """An event ends when or after it starts (FrontMatter._event_ends_after_start), so that valid
    front matter has events: an end drawn before its start becomes the start. (A reversed
    event comes from ``mutated``.)"""
    start, end = meta.get("event_start"), meta.get("event_end")
    if end is None:
        return meta
    if start is None:
        return {k: v for k, v in meta.items() if k != "event_end"}
    comparable = len(start) == len(end) and start[10:11] == end[10:11]  # same form: text order is time order
    return {**meta, "event_end": max(start, end) if comparable else start}


# --- mutations: anything at all, in any place ----------------------------------------------

anything = st.recursive(
    st.one_of(hostile_text(), st.integers(), st.floats(), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text(10), inner, max_size=3)),
    max_leaves=6,
)


def _places(data: Any, at: tuple = ()) -> list[tuple]:
    """Every path to a value inside nested dicts and lists."""
    found = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, at + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _places(value, at + (i,))
    return found


def _replace(data: Any, at: tuple, new: Any, drop: bool = False) -> Any:
    if not at:
        return new
    head, rest = at[0], at[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if drop and not rest:
            del copy[head]
        else:
            copy[head] = _replace(data[head], rest, new, drop)
        return copy
    copy = list(data)
    if drop and not rest:
        del copy[head]
    else:
        copy[head] = _replace(data[head], rest, new, drop)
    return copy


@st.composite
def mutated(draw, documents: st.SearchStrategy[dict]) -> dict:
    """A valid document, then up to two of: a value replaced by anything, a key dropped, a key added."""
    data = draw(documents)
    # one document in five: with three or four documents a case, about half the cases have a mutation
    for _ in range(draw(sometimes(st.just(0), st.sampled_from([1, 2]), 5))):
        # not the document itself: a whole file of garbage is test_editors_hypothesis' business
        at = draw(st.sampled_from(_places(data)[1:] or [()]))
        kind = draw(st.sampled_from(["replace", "drop", "add"]))
        if kind == "drop":
            if at:
                data = _replace(data, at, None, drop=True)
        elif kind == "add" and isinstance(target_at(data, at), dict):
            key = draw(st.sampled_from(["unknown", "Title", "INHERIT", "hooks", "extra", "class"]) | hostile_text(10))
            data = _replace(data, at, {**target_at(data, at), key: draw(anything)})
        elif kind == "replace":
            data = _replace(data, at, draw(anything))
    return data


def target_at(data: Any, at: tuple) -> Any:
    for part in at:
        data = data[part]
    return data


# --- files --------------------------------------------------------------------------------

def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


@st.composite
def markdown_file(draw, meta: dict, body: str) -> str:
    """A Markdown file as an editor saves it: usually '---' front matter '---' then the body."""
    framing = draw(sometimes(st.just("plain"), st.sampled_from(["crlf", "bom", "unclosed", "none"]), 8))
    head = as_yaml(meta) if meta else ""
    if framing == "none":
        return body
    if framing == "unclosed":
        return f"---\n{head}{body}"
    text_ = f"---\n{head}---\n\n{body}\n"
    if framing == "crlf":
        return text_.replace("\n", "\r\n")
    return ("\ufeff" + text_) if framing == "bom" else text_


MARKDOWN_PARTS = [
    "Paragraf biasa.", "## Subjudul", "# Judul\n", "- satu\n- dua", "1. satu\n2. dua", "> kutipan",
    "[Biaya](../../biaya.md)", "[Biaya](/biaya/)", "[hilang](tidak-ada.md)", "[luar](https://example.org)",
    "[js](javascript:alert(1))", "<https://example.org>", "![foto](gambar/foto.png)", "![](gambar/tidak-ada.png)",
    "![x](../../../../../../etc/passwd)", "![x](https://evil.example/x.png)", "![x](gambar/foto.png){: onerror=alert(1) }",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src='//evil.example'></iframe>",
    "<style>body{display:none}</style>", "<div markdown>\n**tebal**\n</div>", "<details><summary>s</summary>x</details>",
    "<!-- komentar -->", "<!-- infohub: allow nik -->", "<!--", "{{ config.extra }}", "{% raw %}", "{{",
    "!!! note \"Catatan\"\n    Isi catatan.", "!!! danger\n", "??? info \"Lihat\"\n    Isi.", "???+ x",
    "```python\nprint(1)\n```", "```", "~~~\nx\n~~~", "    kode", "`kode`",
    "| a | b |\n|---|---|\n| 1 | 2 |", "| a |\n|", "[^1]\n\n[^1]: catatan", "*miring* **tebal**",
    "{: #x .y onclick=alert(1) }", "{#id}", "[a][b]\n\n[b]: javascript:alert(1)", "\\", "&nbsp;", "&#x0;",
    "Hubungi 0812-3456-7890 atau orang@example.org.", "NIK 3171011708450001", "---", "***", "___",
    "<http://[::1]>", "[a](<b c>)", "[a](https://[::1)", "<a href='javascript:alert(1)'>x</a>",
]


def markdown(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A body: known Markdown constructs and free text, joined any way."""
    part = st.one_of(sometimes(st.sampled_from(MARKDOWN_PARTS[:6]), st.sampled_from(MARKDOWN_PARTS), 3), text)
    return st.tuples(st.lists(part, max_size=6), st.sampled_from(["\n\n", "\n", " ", ""])).map(
        lambda t: t[1].join(t[0]))


@dataclass(frozen=True)
class OfficeFolder:
    """One generated office folder: each file's path inside offices/<slug>/ and its text."""

    files: dict[str, str]

    def __repr__(self) -> str:  # what Hypothesis prints for a failing case: the files, readable
        return "OfficeFolder(files={\n" + "".join(f"  {path!r}: {body!r},\n" for path, body in self.files.items()) + "})"


# file names as editors type them, and two that reach further (a new line ends a GitHub annotation)
POST_NAMES = ["kabar", "kabar-baru", "Kabar Baru", "kabar.baru", "ka'bar", "index", "\u00e9t\u00e9", "a" * 100,
              "ka\nbar", "x::error file=a::b"]

# How hostile a case is: a strange one has only valid values, of every script and symbol (what
# passes the check and must then build); a calm one a hostile value now and then; a wild one many.
STRANGE = Documents(st.one_of(plain_text(), strange_text()))
CALM = Documents(sometimes(st.one_of(plain_text(), strange_text()), hostile_text(), 25))
WILD = Documents(st.one_of(plain_text(), hostile_text()))


@st.composite
def office_folders(draw) -> OfficeFolder:
    docs = draw(st.sampled_from([STRANGE, STRANGE, CALM, WILD]))
    files = {"office.yml": as_yaml(draw(mutated(docs.model(schema.Office))))}
    post = "docs/berita/2025/" + draw(sometimes(st.just("kabar"), st.sampled_from(POST_NAMES), 4))
    original = draw(mutated(docs.front_matter(post=True)))
    files[f"{post}.md"] = draw(markdown_file(original, draw(markdown(docs.text))))
    if draw(st.booleans()):
        twin = draw(mutated(docs.front_matter(post=True).map(
            lambda meta: {**meta, **{k: original[k] for k in ("date", "category") if k in original}})))
        files[f"{post}.en.md"] = draw(markdown_file(twin, draw(markdown(docs.text))))
    files["docs/halaman.md"] = draw(markdown_file(draw(mutated(docs.front_matter(post=False))),
                                                  draw(markdown(docs.text))))
    return OfficeFolder(files)
