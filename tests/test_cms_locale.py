"""The web editor's interface in Indonesian (cms_locale.py): the translation is complete for the
pinned Sveltia CMS, the patch of its script applies exactly, and an upgraded script that no
longer holds a patched text stops the build with a message."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, make_repo
from infohub import cms_config, cms_locale
from infohub.build import build_sites
from infohub.cms_config import CDN_FONTS, CMS_SCRIPT, write_admin
from infohub.cms_locale import CmsPatchError, patched_script
from infohub.messages import _flatten  # the string tables' own: 'a.b.c' -> text

PACKAGE = ROOT / "tools/cms/node_modules/@sveltia/cms"
PINNED_SCRIPT = PACKAGE / "dist" / CMS_SCRIPT
ENGLISH = PACKAGE / "locales" / "en-US.json"

pytestmark = pytest.mark.skipif(not PINNED_SCRIPT.is_file(), reason="npm ci --prefix tools/cms first")


def _english() -> dict[str, str]:
    return _flatten(json.loads(ENGLISH.read_text(encoding="utf-8")))


def _indonesian() -> dict[str, str]:
    return _flatten(json.loads(cms_locale.LOCALE_FILE.read_text(encoding="utf-8")))


# Texts that read the same in Indonesian: names, units, loanwords ("Media", "Menu", "Video"...).
SAME_IN_BOTH = ["_sui.ok", "_sui.text_editor.url", "audio", "domain", "entry_sidebar.slug.title", "file_size_units.gb",
                "file_size_units.kb", "file_size_units.mb", "file_size_units.tb", "file_type_labels.js",
                "file_type_labels.mid", "file_type_labels.midi", "folder", "global", "menu", "open_authoring.fork",
                "prefs.media.title", "slug", "sort_keys._manual", "sort_keys.slug", "video",
                "workflow.entry_status_value"]
PLACEHOLDER = re.compile(r"(?<!\\)\{\$\w+(?: :\w+)?\}")
MARKUP = re.compile(r"<a(?: \{\$\w+\})?>|</a>")
DECLARATION = re.compile(r"\.input \{\$\w+ :\w+\}")
SELECTOR = re.compile(r"\.match((?: \$\w+)+)")
VARIANT_KEY = re.compile(r"(?:\.match(?: \$\w+)+|\}\})\s+(\S+)\s+\{\{")


def _shape(text: str, indonesian: bool = False) -> dict:
    """What a translation must keep of a MessageFormat 2 text: its placeholders, links,
    declarations, selectors and variant keys. Indonesian has no 'one' plural form (CLDR): the
    English 'one' variant is written for the exact count 1, and matched as such."""
    keys = VARIANT_KEY.findall(text)
    return {"placeholders": sorted(set(PLACEHOLDER.findall(text))), "links": sorted(MARKUP.findall(text)),
            "declarations": DECLARATION.findall(text), "selectors": SELECTOR.findall(text),
            "variants": keys if indonesian else ["1" if k == "one" else k for k in keys]}


# The English texts the translation was made from (Sveltia CMS 0.221.1): a CMS upgrade that changes
# any of them, even one whose key stays, is translated again (docs/panduan/editor-web.md).
TRANSLATED_FROM = "0536dee6cc54f9d90218b100aa6a3c2cacfa78367765488851323fcf8b68c565"


def test_the_english_texts_are_those_translated():
    assert hashlib.sha256(ENGLISH.read_bytes()).hexdigest() == TRANSLATED_FROM, \
        "the CMS's en-US.json changed: translate the new and changed texts, then update TRANSLATED_FROM"


def test_every_english_text_of_the_pinned_cms_has_an_indonesian_one():
    english, indonesian = _english(), _indonesian()
    assert len(english) == 991
    assert list(indonesian) == list(english)  # every key, in the same order: nothing missing, nothing extra
    assert [k for k, v in indonesian.items() if not v.strip()] == []
    # not left in English: the texts that read the same in both languages, one by one
    same = sorted(k for k in english if english[k] == indonesian[k])
    assert same == SAME_IN_BOTH


def test_each_indonesian_text_keeps_the_placeholders_links_and_plural_forms():
    english, indonesian = _english(), _indonesian()
    changed = {key: (_shape(indonesian[key], indonesian=True), _shape(english[key]))
               for key in english if _shape(indonesian[key], indonesian=True) != _shape(english[key])}
    assert changed == {}


def test_the_shape_sees_a_lost_placeholder_link_or_variant():
    english = _english()
    for key, broken in (("select_item", "Pilih"), ("sign_in_using_access_token_link", "Buat token di {$service}."),
                        ("x_entries", ".input {$count :integer} .match $count 0 {{Tidak ada}} * {{{$count} entri}}"),
                        ("entry_saved", ".input {$count :integer} .match $count one {{Entri disimpan.}} * "
                                        "{{{$count} entri disimpan.}}")):
        assert _shape(broken, indonesian=True) != _shape(english[key]), key


def test_the_plural_forms_are_the_exact_count_one_in_indonesian():
    indonesian = _indonesian()
    assert not [k for k, v in indonesian.items() if VARIANT_KEY.search(v) and "one" in VARIANT_KEY.findall(v)]
    assert indonesian["entry_saved"] == ".input {$count :integer} .match $count 1 {{Entri disimpan.}} * " \
                                        "{{{$count} entri disimpan.}}"


def test_the_patch_applies_to_the_pinned_script():
    text = PINNED_SCRIPT.read_text(encoding="utf-8")
    patched = patched_script(text)
    tag = cms_locale.translation_tag()
    assert re.fullmatch(r"[0-9a-f]{12}", tag)
    for patch in cms_locale.patches():
        assert text.count(patch.find) == 1 and patched.count(patch.find) == 0
        assert patched.count(patch.replace) == 1
    assert "`ar,bg,ca,cs,da,de,el,en-CA,en-GB,en-US,es-CO,fa,fi,fr,hr,id,it,ja,ko,nl,pl,pt-BR,pt-PT,ru,sv,tr,uk,vi," \
           "zh-CN,zh-TW`.split(`,`)" in patched
    assert "=`/admin/locales`," in patched and "/locales`" not in patched.replace("=`/admin/locales`,", "")
    assert "MQ=()=>{let e=document.documentElement.lang||pne();" in patched
    assert f"_locale:e,_version:`${{rP}}+{tag}`," in patched and f"n===`${{rP}}+{tag}`&&" in patched
    assert "LSe=async()=>{if(1)return;try{let e=await fetch(NSe);" in patched
    # nothing else changes
    assert len(patched) - len(text) == sum(len(p.replace) - len(p.find) for p in cms_locale.patches())


def test_a_script_without_a_patched_text_is_refused_with_the_message():
    text = PINNED_SCRIPT.read_text(encoding="utf-8")
    upgraded = text.replace("hr,it,ja", "hr,id,it,ja")  # a CMS that ships Indonesian itself
    with pytest.raises(CmsPatchError) as error:
        patched_script(upgraded)
    assert str(error.value) == (
        "editor web (/admin/): teks yang diganti tambalan antarmuka bahasa Indonesia (daftar bahasa yang dikenalnya) "
        "ada 0 kali di skrip Sveltia CMS, seharusnya tepat satu kali: `ar,bg,ca,cs,da,de,el,en-CA,en-GB,en-US,"
        "es-CO,fa,fi,fr,hr,it,ja,ko,nl,pl,pt-BR,pt-PT,ru,sv,tr,uk,vi,zh-CN,zh-TW`.split(`,`); perbarui patches() "
        "di hooks/infohub/cms_locale.py untuk versi CMS ini (docs/panduan/editor-web.md, bagian “Untuk pengelola”)")
    twice = text + "MQ=()=>{let e=pne();"
    with pytest.raises(CmsPatchError, match=re.escape("(bahasa bawaan) ada 2 kali")):
        patched_script(twice)


def test_the_message_in_english(monkeypatch):
    monkeypatch.setenv("INFOHUB_LANG", "en")
    with pytest.raises(CmsPatchError) as error:
        patched_script(PINNED_SCRIPT.read_text(encoding="utf-8").replace("=`${iP}@${rP}/locales`,", ""))
    assert str(error.value) == (
        "web editor (/admin/): the Sveltia CMS script holds the text the Indonesian interface's patch replaces "
        "(where it loads a language from) 0 times instead of once: =`${iP}@${rP}/locales`,; update patches() in "
        "hooks/infohub/cms_locale.py for this CMS version (docs/panduan/editor-web.en.md, “For maintainers”)")


def test_write_admin_serves_the_languages_from_admin_locales(repo, tmp_path):
    assert write_admin(tmp_path / "site", repo) is None
    admin = tmp_path / "site" / "admin"
    served = sorted(p.name for p in (admin / "locales").iterdir())
    package = sorted(p.name for p in (PACKAGE / "locales").glob("*.json") if p.name != "en-US.json")
    assert served == sorted([*package, "id.json"])
    assert (admin / "locales" / "fr.json").read_bytes() == (PACKAGE / "locales" / "fr.json").read_bytes()
    indonesian = (admin / "locales" / "id.json").read_text(encoding="utf-8")
    assert json.loads(indonesian) == json.loads(cms_locale.LOCALE_FILE.read_text(encoding="utf-8"))
    assert "\n" not in indonesian and '"save":"Simpan"' in indonesian
    pinned = cms_config.offline_script(PINNED_SCRIPT.read_text(encoding="utf-8"), PACKAGE.parents[1])[0]
    assert (admin / CMS_SCRIPT).read_text(encoding="utf-8") == patched_script(pinned)
    for editor, lang in (("kantorcontoh", "id"), ("kantorcontoh/en", "en"), ("nasional", "id")):
        assert f'<html lang="{lang}">' in (admin / editor / "index.html").read_text(encoding="utf-8")


def _fake_cms(root: Path, script: str) -> None:
    """tools/cms with this script, the three font files and the package's languages."""
    modules = root / "tools/cms/node_modules"
    (modules / "@sveltia/cms/dist").mkdir(parents=True)
    (modules / "@sveltia/cms/dist" / CMS_SCRIPT).write_text(script, encoding="utf-8")
    (modules / "@sveltia/cms/locales").mkdir()
    for package, file in CDN_FONTS.values():
        (modules / package / file).parent.mkdir(parents=True, exist_ok=True)
        (modules / package / file).write_bytes(b"wOF2")


def test_the_hubs_build_stops_when_the_cms_no_longer_holds_a_patched_text(tmp_path):
    root = make_repo(tmp_path / "repo")
    fonts = "".join(f"src:url({url})" for url in CDN_FONTS)
    _fake_cms(root, fonts + "".join(p.find for p in cms_locale.patches()[1:]))  # no language list
    [result] = build_sites(["hub"], root / "site", jobs=1, root=root, echo=lambda _: None)
    assert not result.ok
    assert result.report.startswith("editor web (/admin/): teks yang diganti tambalan antarmuka bahasa Indonesia "
                                     "(daftar bahasa yang dikenalnya) ada 0 kali di skrip Sveltia CMS")
