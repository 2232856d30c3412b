"""The content model: what office.yml, national data and page front matter may hold.

Declared as typed models (pydantic). Every value arrives as the string the
editor typed (see yamlsource.py); the small "form" types below check its
shape and carry a named form, so a problem can say what was expected with
an example ("expected a range like '08:00-11:30'") in the editor's language.
Unknown keys are errors everywhere: a misspelt key must not vanish silently.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

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


def _text(form: str, value: Any) -> str:
    if not isinstance(value, str):
        raise form_error(form, value)
    return value.strip()


def _form(name: str, pattern: str, normalise=lambda s: s):
    regex = re.compile(pattern)

    def check(value: Any) -> str:
        text = normalise(_text(name, value))
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


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = _text("date", value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise form_error("date", value)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise form_error("date_real", value) from None


def _datetime(value: Any) -> dt.datetime | dt.date:
    """A publication date: '2025-01-31' or '2025-01-31 09:30' (office time)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = _text("datetime", value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _date(text)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?", text):
        raise form_error("datetime", value)
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise form_error("date_real", value) from None


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
Url = Annotated[str, _form("url", r"https://[^\s]+")]
Domain = Annotated[str, _form("domain", r"([a-z0-9-]+\.)+[a-z]{2,}")]
Time = Annotated[str, _form("time", r"([01]\d|2[0-3]):[0-5]\d")]
Slug = Annotated[str, _form("slug", r"[a-z0-9][a-z0-9-]*")]
Hashtag = Annotated[str, _form("hashtag", r"[A-Za-z][A-Za-z0-9_]*")]
LangCode = Annotated[str, _form("lang", r"[a-z]{2}")]
Timezone = Annotated[str, _form("timezone", "|".join(map(re.escape, TIMEZONES)))]
Category = Annotated[str, _form("category", "|".join(CATEGORIES))]
TimeRange = Annotated[tuple[str, str], BeforeValidator(_time_range)]
Date = Annotated[dt.date, BeforeValidator(_date)]
DateTime = Annotated[dt.datetime | dt.date, BeforeValidator(_datetime)]
Amount = Annotated[int, BeforeValidator(_amount)]
Flag = Annotated[bool, BeforeValidator(_bool)]
Latitude = Annotated[float, _coordinate(90, "latitude")]
Longitude = Annotated[float, _coordinate(180, "longitude")]
Text = Annotated[str, BeforeValidator(lambda v: _text("text", v))]


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(BaseModel):
    """A text in several languages: {id: …, en: …}. Indonesian is required."""

    model_config = ConfigDict(extra="allow", frozen=True)
    id: Text

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
        return data

    def get(self, lang: str) -> str:
        """The text in ``lang``, else Indonesian (the fallback every page has)."""
        return (self.model_extra or {}).get(lang) or self.id

    def has(self, lang: str) -> bool:
        return lang == "id" or bool((self.model_extra or {}).get(lang))


LocalizedList = dict[LangCode, list[Text]]


# --- office.yml --------------------------------------------------------------


class Contact(Strict):
    phone: Phone | None = None
    whatsapp: WhatsApp | None = None
    email: Email | None = None


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
    answer: Localized


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

    text = _text("api_url", value)
    if " " in text or (reason := refusal(text)):
        raise form_error(reason or "api_url", value)
    return text


ApiUrl = Annotated[str, BeforeValidator(_api_url)]
_CHANNEL_NEEDS = {"mastodon": ("instance",), "bluesky": ("account",), "telegram": ("account",),
                  "facebook": ("account",), "threads": ("account",), "linkedin": ("account",)}


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
    # Bluesky handle, Telegram chat ('@channel'), Facebook page id, Threads user id, LinkedIn organization id
    account: Text | None = None

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
    from urllib.parse import urlsplit

    from .social.servers import refusal

    domain = (info.context or {}).get("domain")
    example = {"domain": domain or "imigrasiblitar.id"}
    text = _text("feedback_url", value)
    if " " in text:
        raise form_error("feedback_url", value, **example)
    reason = refusal(text)
    if reason:
        raise form_error(reason.replace("api_url", "feedback_url"), value, **example)
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
    site_id: Text | None = Field(default=None, validate_default=True)

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

    name: Localized
    office_class: Text | None = Field(default=None, alias="class")
    city: Text
    province: Text
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
    name: Localized
    amount: Amount
    unit: Localized
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
    name: Localized
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
    topics: dict[Slug, Localized]
    faq: list[FaqEntry]


class Defaults(Strict):
    """national/defaults.yml: values every office has unless it says otherwise."""

    hashtags: list[Hashtag] = []
    mpaspor_url: Url | None = None
    description: Localized | None = None
    # Hosts whose images a page may show ('peta.example.org', exactly): any other
    # host's image is removed from pages and feeds (infohub.checks.html.sanitise).
    image_hosts: list[Domain] = []


# --- page front matter --------------------------------------------------------


class FrontMatter(Strict):
    """What a Markdown page may say about itself between its '---' lines."""

    title: Text | None = None
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
    # Material for MkDocs' own page keys
    template: Text | None = None
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = []
    search: dict[Literal["exclude", "boost"], Text] | None = None
    icon: Text | None = None
    status: Text | None = None

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
