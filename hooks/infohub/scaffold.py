"""Create a new office: the folder, a valid office.yml and its mkdocs.yml.

Only what the caller states is written. Address, phone numbers and hours
stay empty until an editor fills them in from a verified source; the site
renders without them and `make check` lists them as missing.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import paths
from .schema import TIMEZONES

OFFICE_YML = """\
# Data of {name_id}. Keys: see the editor handbook (docs/panduan/).
# Fill in address, contacts and hours only from a verified source.
name:
  id: {name_id}
  en: {name_en}
class:
city: {city}
province: {province}
domain: {domain}
timezone: {timezone}
address:
map_url:
contact:
  phone:
  whatsapp:
  email:
social: {{}}
hashtags: [{hashtag}]
languages: [id, en]
hours: {{}}
"""

MKDOCS_YML = """\
# {name_id}: only what differs from the base configuration (../../mkdocs.yml).
INHERIT: ../../mkdocs.yml
site_name: {name_id}
site_url: https://{domain}/
"""

DOCS_README = """\
Halaman kantor ini. Halaman standar (beranda, layanan, biaya, jam layanan,
tanya jawab, berita) diambil dari national/pages/ kecuali ada berkas dengan
nama yang sama di sini. Berita baru: docs/berita/<tahun>/<judul>.md dan
<judul>.en.md.

This office's pages. The standard pages come from national/pages/ unless a
file of the same name is here. News: docs/berita/<year>/<title>.md and
<title>.en.md.
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
    root = root or paths.ROOT
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
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
    (folder / "office.yml").write_text(OFFICE_YML.format(**values), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(**values), encoding="utf-8")
    (folder / "docs" / "README.txt").write_text(DOCS_README, encoding="utf-8")
    return folder
