"""The content model: what office.yml, national data and page front matter may hold.

Declared as typed models (pydantic). Every value arrives as the string the
editor typed (see yamlsource.py); the small "form" types below check its
shape and carry a named form, so a problem can say what was expected with
an example ("expected a range like '08:00-11:30'") in the editor's language.
Unknown keys are errors everywhere: a misspelt key must not vanish silently.
Every text is bounded (Name, Title, Text, LongText; limits.py says why each
length) and holds no control character.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from . import limits

# --- forms: the shapes a value may take, each named for its message --------

TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
CATEGORIES = ("kebijakan", "pengumuman", "kegiatan", "acara")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def form_error(form: str, value: Any, **extra: Any) -> PydanticCustomError:
    return PydanticCustomError("form", "expected {form}", {"form": form, "value": value, **extra})


# Explicit direction controls: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
# One of them shows a text in another order than it is stored ("Jadwal\u202efdp.exe" reads
# "Jadwalexe.pdf"), in a title, a feed, a social post or this check's own report. The plain
# marks (U+200E, U+200F, U+061C) stay allowed: they place punctuation in Arabic text.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _no_direction_controls(value: str) -> str:
    found = _DIRECTION_CONTROLS.search(value)
    if found:
        shown = _DIRECTION_CONTROLS.sub(lambda m: f"[U+{ord(m[0]):04X}]", value)  # the report stays in order
        raise form_error("text_direction_control", shown, char=f"U+{ord(found[0]):04X}")
    return value


def _text(form: str, value: Any) -> str:
    if not isinstance(value, str):
        raise form_error(form, value)
    character = limits.control_character(value)
    if character:  # typed as an escape ("\0", "\x1b"): the YAML parser refuses them raw
        raise form_error("text_control", limits.printable(value), character=character)
    return _no_direction_controls(value).strip()


def _within(limit: int, text: str, value: Any) -> str:
    if len(text) > limit:
        raise form_error("text_max", value, limit=limit, length=len(text))
    return text


def _bounded(limit: int):
    """A text of at most ``limit`` characters (limits.py), without the spaces around it. An empty
    text ('' or spaces) is no text: refused where one is required (a name, a title: feeds and
    cards cannot be made without), as for a key left empty."""
    def check(value: Any) -> str:
        text = _within(limit, _text("text", value), value)
        if not text:
            raise form_error("text_empty", value)
        return text
    return BeforeValidator(check)


def _form(name: str, pattern: str, normalise=lambda s: s):
    regex = re.compile(pattern)

    def check(value: Any) -> str:
        text = normalise(_within(limits.FORM_CHARS, _text(name, value), value))
        if not regex.fullmatch(text):
            raise form_error(name, value)
        return text

    return BeforeValidator(check)


def _time_range(value: Any) -> tuple[str, str]:
    text = _text("time_range", value)
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)", text)
    if not match:
        raise form_error("time_range", value)
    start, end = f"{match[1]}:{match[2]}", f"{match[3]}:{match[4]}"
    if start >= end:
        raise form_error("time_range_order", value)
    return start, end


# The years a date in the content may have. Near the calendar's ends (0001, 9999) adding a day
# or a time zone overflows (an alert lasts through its day: content.alert_ends), and no
# office means such a date.
YEARS = (1900, 2999)


def _in_years(value: Any, moment: dt.date) -> Any:
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise form_error("date_years", value, first=YEARS[0], last=YEARS[1])
    return moment


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return _in_years(value, value)
    text = _text("date", value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise form_error("date", value)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise form_error("date_real", value) from None
    return _in_years(value, day)


def _datetime(value: Any) -> dt.datetime | dt.date:
    """A publication date: '2025-01-31' or '2025-01-31 09:30' (office time)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return _in_years(value, value)
    text = _text("datetime", value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _date(text)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?", text):
        raise form_error("datetime", value)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise form_error("date_real", value) from None
    return _in_years(value, moment)


def _amount(value: Any) -> int:
    text = _text("amount", value)
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"(Rp\.?\s*)?\d{1,3}([.,]\d{3})+(,-|,00)?", text, flags=re.I):
        # Indonesian thousands separators ('350.000'): say exactly what to write
        raise form_error("amount_separators", value, digits=re.sub(r"\D", "", re.sub(r",(-|00)$", "", text)))
    raise form_error("amount", value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text("bool", value).lower()
    if text in ("true", "yes", "ya"):
        return True
    if text in ("false", "no", "tidak"):
        return False
    raise form_error("bool", value)


def _coordinate(limit: float, form: str):
    def check(value: Any) -> float:
        try:
            number = float(_text(form, value))
        except ValueError:
            raise form_error(form, value) from None
        if not -limit <= number <= limit:
            raise form_error(form, value)
        return number

    return BeforeValidator(check)


def _spaces_out(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


Phone = Annotated[str, _form("phone", r"\+62\d{6,13}", _spaces_out)]
WhatsApp = Annotated[str, _form("whatsapp", r"\+628\d{7,12}", _spaces_out)]
Email = Annotated[str, _form("email", r"[^@\s]+@[^@\s]+\.[a-z]{2,}")]


def _readable_url(text: str) -> str:
    """An address every reader of it can take apart: urllib (feeds, cards, MkDocs) stops on an
    unclosed '[' (IPv6) or a port beyond 65535, where a browser would show nothing either."""
    if not unreadable_url(text):
        return text
    raise form_error("url", text)


def unreadable_url(text: str) -> str | None:
    """Why urllib cannot read ``text`` as an address, as a message key (url_unreadable.*), or None."""
    try:
        parts = urlsplit(text)
        parts.hostname, parts.port  # each parses a part of its own and may refuse it
    except ValueError as exc:
        return "url_unreadable.ipv6" if "IPv6" in str(exc) else \
            "url_unreadable.port" if "Port" in str(exc) else "url_unreadable.other"
    return None


Url = Annotated[str, _form("url", r"https://[^\s]+", _readable_url)]
DOMAIN_PATTERN = r"([a-z0-9-]+\.)+[a-z]{2,}"  # also what deploy.py accepts as a server name
Domain = Annotated[str, _form("domain", DOMAIN_PATTERN)]
Time = Annotated[str, _form("time", r"([01]\d|2[0-3]):[0-5]\d")]
Slug = Annotated[str, _form("slug", r"[a-z0-9][a-z0-9-]*")]
Hashtag = Annotated[str, _form("hashtag", r"[A-Za-z][A-Za-z0-9_]*")]


@functools.lru_cache(maxsize=None)
def material_folder() -> Path:
    """Material's templates (material/templates), found without importing the theme."""
    spec = importlib.util.find_spec("material")
    return (Path(next(iter(spec.submodule_search_locations))) / "templates").resolve()


@functools.lru_cache(maxsize=None)
def theme_languages() -> tuple[str, ...]:
    """The two-letter languages Material has its interface in (partials/languages/<code>.html):
    a site in any other language fails to build (Material includes that file by the code)."""
    return tuple(sorted(f.stem for f in (material_folder() / "partials" / "languages").glob("*.html")
                        if re.fullmatch(r"[a-z]{2}", f.stem)))


def _lang_code(value: Any) -> str:
    text = _text("lang", value)
    if not re.fullmatch(r"[a-z]{2}", text):
        raise form_error("lang", value)
    if text not in theme_languages():
        raise form_error("lang_theme", value, choices=", ".join(theme_languages()))
    return text


LangCode = Annotated[str, BeforeValidator(_lang_code)]
Timezone = Annotated[str, _form("timezone", "|".join(map(re.escape, TIMEZONES)))]
Category = Annotated[str, _form("category", "|".join(CATEGORIES))]
TimeRange = Annotated[tuple[str, str], BeforeValidator(_time_range)]
Date = Annotated[dt.date, BeforeValidator(_date)]
DateTime = Annotated[dt.datetime | dt.date, BeforeValidator(_datetime)]
Amount = Annotated[int, BeforeValidator(_amount)]
Flag = Annotated[bool, BeforeValidator(_bool)]
Latitude = Annotated[float, _coordinate(90, "latitude")]
Longitude = Annotated[float, _coordinate(180, "longitude")]
Name = Annotated[str, _bounded(limits.NAME_CHARS)]
Title = Annotated[str, _bounded(limits.TITLE_CHARS)]
Text = Annotated[str, _bounded(limits.TEXT_CHARS)]
LongText = Annotated[str, _bounded(limits.LONG_TEXT_CHARS)]


def _as_written(limit: int):
    """A translation in a Localized: bounded like its Indonesian, kept as written."""

    def check(value: Any) -> str:
        _within(limit, _text("text", value), value)
        return value

    return BeforeValidator(check)


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(BaseModel):
    """A text in several languages: {id: …, en: …}. Indonesian is required.

    A sentence or a short paragraph in each language; LocalizedName and
    LocalizedLong below bound names and long answers instead.
    """

    model_config = ConfigDict(extra="allow", frozen=True)
    id: Text
    __pydantic_extra__: dict[str, Annotated[str, _as_written(limits.TEXT_CHARS)]] = Field(init=False)

    @model_validator(mode="before")
    @classmethod
    def _language_keys(cls, data: Any) -> Any:
        if isinstance(data, str):  # one language given: it is Indonesian
            return {"id": data}
        if isinstance(data, dict):
            for key, value in data.items():
                if not re.fullmatch(r"[a-z]{2}", str(key)):
                    raise form_error("lang_key", key)
                if not isinstance(value, str):
                    raise form_error("text", value)
                _no_direction_controls(value)
        return data

    def get(self, lang: str) -> str:
        """The text in ``lang``, else Indonesian (the fallback every page has)."""
        return (self.model_extra or {}).get(lang) or self.id

    def has(self, lang: str) -> bool:
        return lang == "id" or bool((self.model_extra or {}).get(lang))


class LocalizedName(Localized):
    """A name in several languages: an office, a fee, a service, a topic."""

    id: Name
    __pydantic_extra__: dict[str, Annotated[str, _as_written(limits.NAME_CHARS)]] = Field(init=False)


class LocalizedLong(Localized):
    """A text of several paragraphs in several languages: an answer."""

    id: LongText
    __pydantic_extra__: dict[str, Annotated[str, _as_written(limits.LONG_TEXT_CHARS)]] = Field(init=False)


LocalizedList = dict[LangCode, list[Text]]


# --- office.yml --------------------------------------------------------------


class Contact(Strict):
    phone: Phone | None = None
    whatsapp: WhatsApp | None = None
    email: Email | None = None
    # Other numbers and addresses the office's texts give on purpose (the guard post's phone): the
    # personal-data check lets them pass (checks/privacy.py). Not shown as contacts. A field, not a
    # '# infohub: allow' comment: the web editor drops comments when it saves.
    published: list[Name] = []


class Social(Strict):
    """Official accounts, as full https:// addresses."""

    facebook: Url | None = None
    instagram: Url | None = None
    x: Url | None = None
    youtube: Url | None = None
    tiktok: Url | None = None
    threads: Url | None = None
    linkedin: Url | None = None
    mastodon: Url | None = None
    bluesky: Url | None = None
    telegram: Url | None = None
    whatsapp_channel: Url | None = None


class Geo(Strict):
    lat: Latitude
    lon: Longitude


class Closure(Strict):
    """A day the office is closed: a public holiday or a one-off closure. While it lasts, every
    page says so in a banner and "open now" says closed, with the reason (timeline.py); 'until'
    ends it at that time of the day (office time), an urgent closure that ends on its own."""

    date: Date
    reason: Localized
    until: Time | None = None


class Hours(Strict):
    """The weekly schedule: opening ranges per day; the gaps are breaks."""

    monday: list[TimeRange] = []
    tuesday: list[TimeRange] = []
    wednesday: list[TimeRange] = []
    thursday: list[TimeRange] = []
    friday: list[TimeRange] = []
    saturday: list[TimeRange] = []
    sunday: list[TimeRange] = []
    closures: list[Closure] = []
    note: Localized | None = None

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, day) for day in WEEKDAYS)


class Source(Strict):
    """Where a fact comes from and when somebody last checked it."""

    text: Text
    url: Url | None = None
    verified: Date | None = None


class FeeOverride(Strict):
    """An office may change a national amount only with a stated reason."""

    amount: Amount
    reason: Localized


class OfficeFees(Strict):
    not_served: list[Slug] = []
    overrides: dict[Slug, FeeOverride] = {}


class FaqEntry(Strict):
    id: Slug
    topic: Slug
    question: Localized
    answer: LocalizedLong


class Alert(Strict):
    """A site-wide banner for urgent notices (a crisis, a closure).

    Whether it shows is decided when the site is built: from 'expires' on it
    is left out, so a forgotten alert does not stay up. A bare date means
    through the end of that day in the office's time zone.
    """

    text: Localized
    level: Literal["info", "warning", "danger"] = "warning"
    expires: DateTime


class NationalAlert(Alert):
    """national/alert.yml: one banner on every office's site and the hub at once,
    above the office's own alert, and one urgent social post per office channel.

    Not in defaults.yml: it is not a default an office overrides, both show.
    A bare 'expires' date lasts through the end of that day in each office's
    time zone (the hub's: WIB); a time without a zone is WIB (Asia/Jakarta),
    one moment for the whole country. 'id' names the alert for the social
    posts (social/outbox.py): with it, a corrected text is not posted again;
    without it, every new text is a new post.
    """

    id: Slug | None = None


# Where `make publish` sends posts (hooks/infohub/social/channels.py).
SOCIAL_PLATFORMS = ("facebook", "instagram", "x", "whatsapp_channel", "telegram", "mastodon", "bluesky",
                    "threads", "linkedin", "log")


def _api_url(value: Any) -> str:
    """A channel's server: https, a public name (see social/servers.py)."""
    from .social.servers import refusal

    text = _within(limits.FORM_CHARS, _text("api_url", value), value)
    if " " in text or (reason := refusal(text)):
        raise form_error(reason or "api_url", value)
    return text


ApiUrl = Annotated[str, BeforeValidator(_api_url)]
_CHANNEL_NEEDS = {"mastodon": ("instance",), "bluesky": ("account",), "telegram": ("account",),
                  "facebook": ("account",), "instagram": ("account",), "threads": ("account",),
                  "linkedin": ("account",)}


def _channel_platform(value: Any) -> str:
    text = _text("channel_platform", value)
    if text not in SOCIAL_PLATFORMS:
        # an official account infohub cannot post to (YouTube, TikTok) is said so, not ignored
        form = "channel_cannot_post" if text in Social.model_fields else "channel_platform"
        raise form_error(form, value, choices=", ".join(SOCIAL_PLATFORMS), platform=text)
    return text


class Channel(Strict):
    """One social channel of an office: its platform and where it posts.

    Its credential is not named here: it is always the variable
    <SLUG>_<PLATFORM>_TOKEN (social/secrets.py), so an office can use only its own.
    """

    platform: Annotated[str, BeforeValidator(_channel_platform)]
    instance: ApiUrl | None = None  # Mastodon server; elsewhere, an API address other than the default
    # Bluesky handle, Telegram chat ('@channel'), Facebook page id, Instagram user id (of the
    # professional account), Threads user id, LinkedIn organization id
    account: Name | None = None
    # The day the channel was added, in the office's time zone: it posts no page dated before it
    # (social/since.py). Required in office.yml; the check names the line to add (content.py).
    since: Date | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_secret_names(cls, data: Any, info) -> Any:
        """token_env / password_env named any variable, the deploy key included: now refused."""
        if isinstance(data, dict):
            from .social.secrets import secret_name

            for key in ("token_env", "password_env"):
                if key in data:
                    slug = (info.context or {}).get("slug", "<slug>")
                    raise form_error("secret_name_derived", key,
                                     name=secret_name(slug, str(data.get("platform") or "<platform>")))
        return data

    @model_validator(mode="after")
    def _has_what_platform_needs(self) -> "Channel":
        needs = _CHANNEL_NEEDS.get(self.platform, ())
        if any(getattr(self, key) is None for key in needs):
            raise form_error("channel", self.platform, needs=", ".join(needs), platform=self.platform)
        return self


# "Was this page helpful?" (overrides/assets/javascripts/infohub-feedback.js) and the page
# analytics that come with it: the self-hosted tools it can send to, and the script each serves.
ANALYTICS_TOOLS = ("plausible", "umami", "matomo", "goatcounter")


def _feedback_url(value: Any, info) -> str:
    """Where a reader's answer goes: https, a public name (social/servers.py), and on the
    office's own domain or a subdomain of it: office.yml may not send readers' answers
    to another office or to a third party. The domain comes from Office (see there)."""
    from .social.servers import refusal

    domain = (info.context or {}).get("domain")
    example = {"domain": domain or "imigrasiblitar.id"}
    text = _within(limits.FORM_CHARS, _text("feedback_url", value), value)
    if " " in text:
        raise form_error("feedback_url", value, **example)
    reason = refusal(text)
    if reason:
        raise form_error(reason.replace("api_url", "feedback_url"), value, **example)
    if not re.fullmatch(r"[a-z0-9.-]+(:\d{1,5})?", urlsplit(text).netloc.lower()):
        # a server name of letters, digits, dots and hyphens: it is written into the
        # Content-Security-Policy of nginx.conf and _headers (deploy.py)
        raise form_error("feedback_url", value, **example)
    host = (urlsplit(text).hostname or "").rstrip(".").lower()
    if re.fullmatch(r"[\d.]+|.*:.*", host):  # a public address written as digits: not a domain
        raise form_error("feedback_url_private", value, **example)
    if domain and host != domain and not host.endswith("." + domain):
        raise form_error("feedback_url_domain", value, host=host, **example)
    return text


FeedbackUrl = Annotated[str, BeforeValidator(_feedback_url)]


def _analytics_tool(value: Any) -> str:
    text = _text("analytics_tool", value)
    if text not in ANALYTICS_TOOLS:
        raise form_error("analytics_tool", value, choices=", ".join(ANALYTICS_TOOLS))
    return text


class Analytics(Strict):
    """The office's own analytics server: page views without cookies, and the answers as events."""

    tool: Annotated[str, BeforeValidator(_analytics_tool)]
    url: FeedbackUrl  # where the tool is installed, e.g. https://statistik.imigrasiblitar.id/
    # Plausible: the site's domain as registered there (default: the office's domain);
    # Umami: the website ID; Matomo: the site ID (digits); GoatCounter: none.
    site_id: Name | None = Field(default=None, validate_default=True)

    @field_validator("site_id")
    @classmethod
    def _site_id_as_the_tool_needs(cls, site_id: str | None, info) -> str | None:
        needs = {"umami": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                 "matomo": r"\d+"}.get(info.data.get("tool"))
        if needs and not re.fullmatch(needs, site_id or ""):
            raise form_error(f"analytics_site_id_{info.data['tool']}", site_id or "")
        return site_id


class Feedback(Strict):
    """Where the answers to "Was this page helpful?" go: the office's own endpoint
    (a JSON POST) or its self-hosted analytics. Without it, pages offer the office's contact."""

    endpoint: FeedbackUrl | None = None
    analytics: Analytics | None = None

    @model_validator(mode="after")
    def _one_destination(self) -> "Feedback":
        if (self.endpoint is None) == (self.analytics is None):
            raise form_error("feedback_one", "endpoint + analytics" if self.endpoint else "")
        return self


class Office(Strict):
    """offices/<slug>/office.yml"""

    name: LocalizedName
    office_class: Name | None = Field(default=None, alias="class")
    city: Name
    province: Name
    domain: Domain
    timezone: Timezone
    description: Localized | None = None
    address: Text | None = None
    map_url: Url | None = None
    geo: Geo | None = None
    contact: Contact = Contact()
    social: Social = Social()
    hashtags: list[Hashtag] = []
    languages: list[LangCode] = ["id", "en"]
    hours: Hours = Hours()
    services: list[Slug] | None = None  # None: every national service
    fees: OfficeFees = OfficeFees()
    faq: list[FaqEntry] = []
    sources: list[Source] = []
    alert: Alert | None = None
    channels: list[Channel] = []
    feedback: Feedback | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("languages")
    @classmethod
    def _indonesian_first(cls, languages: list[str]) -> list[str]:
        if not languages or languages[0] != "id" or len(set(languages)) != len(languages):
            raise form_error("languages_id_first", ", ".join(languages))
        return languages

    @field_validator("feedback", mode="wrap")
    @classmethod
    def _feedback_on_own_domain(cls, value: Any, handler, info) -> "Feedback | None":
        """Feedback's addresses are checked against this office's domain (validated before it)."""
        if isinstance(value, dict):
            return Feedback.model_validate(value, context={**(info.context or {}), "domain": info.data.get("domain")})
        return handler(value)

    @field_validator("channels")
    @classmethod
    def _one_channel_per_platform(cls, channels: list[Channel]) -> list[Channel]:
        seen = [c.platform for c in channels]
        for platform in seen:
            if seen.count(platform) > 1:
                raise form_error("channels_unique", platform)
        return channels

    @property
    def tz_label(self) -> str:
        return TIMEZONES[self.timezone]


# --- national data: national/*.yml ----------------------------------------


class FeeSource(Strict):
    """Where a fee comes from, in each language, and when somebody last checked it."""

    text: Localized
    url: Url | None = None
    verified: Date | None = None


class Fee(Strict):
    id: Slug
    name: LocalizedName
    amount: Amount
    unit: LocalizedName
    for_whom: Localized | None = None
    # Empty: the schedule's. A fee with a basis or source of its own is marked on the page.
    legal_basis: Localized | None = None
    source: FeeSource | None = None
    waiver: Localized | None = None  # who does not pay it, shown beside the fee
    note: Localized | None = None


class FeeSchedule(Strict):
    """The national fee schedule: its legal basis and source said once, then the fees."""

    legal_basis: Localized
    legal_basis_url: Url | None = None
    source: FeeSource
    fees: list[Fee]

    def basis_of(self, fee: Fee) -> Localized:
        return fee.legal_basis or self.legal_basis

    def source_of(self, fee: Fee) -> FeeSource:
        return fee.source or self.source


class Service(Strict):
    id: Slug
    name: LocalizedName
    summary: Localized
    requirements: LocalizedList = {}
    steps: LocalizedList = {}
    processing_time: Localized | None = None
    fees: list[Slug] = []
    apply_via: list[Literal["m-paspor", "counter"]] = []
    source: Source | None = None


class ServiceCatalogue(Strict):
    services: list[Service]


class NationalFaq(Strict):
    topics: dict[Slug, LocalizedName]
    faq: list[FaqEntry]


class Defaults(Strict):
    """national/defaults.yml: values every office has unless it says otherwise."""

    hashtags: list[Hashtag] = []
    mpaspor_url: Url | None = None
    # The Directorate General of Immigration's own site, where a page sends readers to check
    directorate_general_url: Url | None = None
    description: Localized | None = None
    # Hosts whose images a page may show ('peta.example.org', exactly): any other
    # host's image is removed from pages and feeds (infohub.checks.html.sanitise).
    image_hosts: list[Domain] = []


# --- page front matter --------------------------------------------------------

# The templates a page may name: MkDocs' default and the product's own (overrides/infohub/, which
# the hooks give the standard pages and the news). Any other name is a file the build cannot find
# or one outside the theme ('../../etc/passwd'), or one of Material's that needs plugins this
# product does not run (blog-post.html).
PAGE_TEMPLATES = ("main.html", "infohub/directory.html", "infohub/faq.html", "infohub/fees.html",
                  "infohub/home.html", "infohub/hours.html", "infohub/news.html", "infohub/news-post.html",
                  "infohub/services.html")
# The statuses Material draws beside a page in the navigation.
PAGE_STATUSES = ("new", "deprecated")


def _page_template(value: Any) -> str:
    text = _text("template", value)
    if text not in PAGE_TEMPLATES:
        raise form_error("template", value, choices=", ".join(PAGE_TEMPLATES))
    return text


@functools.lru_cache(maxsize=None)
def material_icons() -> Path:
    """Material's bundled icon set (material/templates/.icons)."""
    return material_folder() / ".icons"


def _icon(value: Any) -> str:
    """An icon of Material's bundled set, written as the theme names it ('material/passport'):
    its file must exist inside the set."""
    text = _text("icon", value)
    if re.fullmatch(r"[a-z0-9_-]+(/[a-z0-9_-]+)*", text):
        target = (material_icons() / f"{text}.svg").resolve()
        if target.is_relative_to(material_icons()) and target.is_file():
            return text
    raise form_error("icon", value)


class PageSearch(Strict):
    """Material's 'search' key: leave the page out of the search, or rank it higher.
    'exclude' as MkDocs reads it too (it reads 'tidak' as a text, and a text as true)."""

    exclude: Literal["true", "false"] | None = None
    boost: Annotated[str, _form("search_boost", r"\d{1,2}(\.\d{1,2})?")] | None = None



class FrontMatter(Strict):
    """What a Markdown page may say about itself between its '---' lines."""

    title: Title | None = None
    description: Text | None = None
    date: DateTime | None = None
    updated: DateTime | None = None
    category: Category | None = None
    image: Text | None = None
    image_alt: Text | None = None  # required with 'image' in a news post (news.check_news)
    social: Flag | None = None
    draft: Flag = False
    hashtags: list[Hashtag] | None = None
    # An event (category 'acara'): when and where, in the office's time zone.
    event_start: DateTime | None = None
    event_end: DateTime | None = None
    event_location: Text | None = None
    # Material for MkDocs' own page keys: what they change is rendered by the theme, so each
    # holds only what the theme can render (a template of PAGE_TEMPLATES, an icon of its set).
    template: Annotated[str, BeforeValidator(_page_template)] | None = None
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = []
    search: PageSearch | None = None
    icon: Annotated[str, BeforeValidator(_icon)] | None = None
    status: Literal[PAGE_STATUSES] | None = None

    @field_validator("event_end")
    @classmethod
    def _event_ends_after_start(cls, end, info):
        start = info.data.get("event_start")
        if end is not None and (start is None or _moment(end) < _moment(start)):
            raise form_error("event_end_after_start", end.strftime("%Y-%m-%d %H:%M") if isinstance(end, dt.datetime) else end.isoformat())
        return end


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    """A date or date-time, comparable with another: a bare date is its midnight."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0, 0))
    return value.replace(tzinfo=None)
