"""Create a new office (its folder, a valid office.yml and its docs/)
or a new news post (an Indonesian draft and a twin in every other language
the office declares).

Only what the caller states is written. Address, phone numbers and hours
stay empty until an editor fills them in from a verified source; the site
renders without them and `make check` lists them as missing.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from . import paths
from .cms_forms import office_fields
from .cms_yaml import data_text
from .content import load_national
from .schema import TIMEZONES

def office_data(name_id: str, name_en: str, city: str, province: str, domain: str, timezone: str,
                hashtag: str) -> dict:
    """A new office.yml's data: what the caller states, nothing else. It is written as the web
    editor writes it (cms_yaml), so the editor's first save changes only what it changes; what
    to fill in, and from which source, is in the handbook (docs/panduan/data-kantor.md)."""
    return {"name": {"id": name_id, "en": name_en}, "city": city, "province": province, "domain": domain,
            "timezone": timezone, "hashtags": [hashtag], "languages": ["id", "en"]}


DOCS_README = """\
Halaman kantor ini. Halaman standar (beranda, layanan, biaya, jam layanan,
tanya jawab, berita) diambil dari national/pages/ kecuali ada berkas dengan
nama yang sama di sini. Berita baru: docs/berita/<tahun>/<judul>.md dan
<judul>.en.md. Selain halaman (.md), folder ini hanya menerbitkan gambar
(.jpg, .jpeg, .png, .webp, .gif) dan dokumen PDF; berkas lain ditolak
pemeriksaan.

This office's pages. The standard pages come from national/pages/ unless a
file of the same name is here. News: docs/berita/<year>/<title>.md and
<title>.en.md. Besides pages (.md), this folder publishes only pictures
(.jpg, .jpeg, .png, .webp, .gif) and PDF documents; the check refuses any
other file.
"""


class ScaffoldError(ValueError):
    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


def hashtag_for(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name.title())


def create_office(slug: str, name_id: str, city: str, province: str, timezone: str,
                  name_en: str | None = None, root: Path | None = None) -> Path:
    """Write offices/<slug>/ and return its folder. Refuses to overwrite."""
    root = root or paths.root()
    if not paths.is_office_slug(slug):
        raise ScaffoldError("scaffold.bad_slug", slug=slug)
    if timezone not in TIMEZONES:
        raise ScaffoldError("scaffold.bad_timezone", timezone=timezone, choices=", ".join(TIMEZONES))
    folder = root / "offices" / slug
    if folder.exists():
        raise ScaffoldError("scaffold.exists", path=paths.rel(folder))
    values = dict(name_id=name_id, name_en=name_en or name_id, city=city, province=province,
                  domain=f"{slug}.id", timezone=timezone,
                  hashtag=hashtag_for(name_id.replace("Kantor Imigrasi", "Imigrasi")))
    (folder / "docs").mkdir(parents=True)
    fields = office_fields({"languages": ["id", "en"]}, load_national(root)[0])
    (folder / "office.yml").write_text(data_text(office_data(**values), fields), encoding="utf-8")
    (folder / "docs" / "README.txt").write_text(DOCS_README, encoding="utf-8")
    return folder


# --- a news post ---------------------------------------------------------------

POST = """\
---
{title_line}# {description_comment}
description:
date: {date}
category: pengumuman
# {draft_comment}
draft: true
---

{body}
"""
# The Indonesian file speaks Indonesian; every other language's file is written in
# English, the language its translator reads the handbook in.
POST_TEXTS = {
    "id": {
        "description_comment": "Ringkasan satu kalimat untuk daftar berita, feed dan media sosial.",
        "draft_comment": "Draf: tidak terbit sampai baris ini dihapus atau diubah menjadi 'draft: false'.",
        "body": "Tulis isi berita di sini.",
    },
    "en": {
        "description_comment": "A one-sentence summary for the news list, the feeds and social posts.",
        "draft_comment": "Draft: not published until this line is deleted or changed to 'draft: false'.",
        "body": "Write the English text of the post here (translate the title above too).",
    },
}
POST_BODY_ID = POST_TEXTS["id"]["body"]
POST_BODY_EN = POST_TEXTS["en"]["body"]


def slugify_title(title: str) -> str:
    """'Layanan Paspor: Sabtu, 1 Maret!' -> 'layanan-paspor-sabtu-1-maret' (at most 60 characters)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug


def _office_data(office_dir: Path) -> dict:
    try:
        data = yaml.load((office_dir / "office.yml").read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError):
        data = None
    return data if isinstance(data, dict) else {}


def office_timezone(office_dir: Path) -> str:
    """The office's time zone as office.yml states it (Asia/Jakarta when it does not say a valid one)."""
    timezone = _office_data(office_dir).get("timezone")
    return timezone if timezone in TIMEZONES else "Asia/Jakarta"


def office_languages(office_dir: Path) -> list[str]:
    """The languages office.yml declares, Indonesian first ([id, en] when it does not say)."""
    declared = _office_data(office_dir).get("languages")
    if not isinstance(declared, list) or not all(isinstance(lang, str) for lang in declared):
        declared = ["id", "en"]
    return ["id", *dict.fromkeys(lang.strip() for lang in declared if lang.strip() and lang.strip() != "id")]


def create_post(office: str, title: str, root: Path | None = None,
                now: dt.datetime | None = None) -> list[Path]:
    """Write docs/berita/<year>/<slug>.md and a twin for each other language the office
    declares (<slug>.en.md, …) as drafts dated today in the office's zone; Indonesian first."""
    root = root or paths.root()
    choices = paths.office_slugs(root)
    if office not in choices:
        raise ScaffoldError("scaffold.no_office", slug=office, choices=", ".join(choices))
    slug = slugify_title(title or "")
    if not slug:
        raise ScaffoldError("scaffold.bad_title")
    office_dir = root / "offices" / office
    today = (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(office_timezone(office_dir))).date()
    folder = office_dir / "docs" / "berita" / str(today.year)
    files = {lang: folder / (f"{slug}.md" if lang == "id" else f"{slug}.{lang}.md")
             for lang in office_languages(office_dir)}
    for file in files.values():
        if file.exists():
            raise ScaffoldError("scaffold.post_exists", path=paths.rel(file))
    title_line = yaml.safe_dump({"title": title.strip()}, allow_unicode=True, width=1000)
    folder.mkdir(parents=True, exist_ok=True)
    for lang, file in files.items():
        texts = POST_TEXTS.get(lang, POST_TEXTS["en"])
        file.write_text(POST.format(title_line=title_line, date=today.isoformat(), **texts), encoding="utf-8")
    return list(files.values())
