"""The web editor's config (infohub/cms_config.py) covers the whole content model.

Every field of every model an editor writes (office.yml, news front matter, national
data) has a CMS field with its key, a label from the string tables in Indonesian and
English, or is listed in NOT_EDITED with a reason; the config is valid for the pinned
Sveltia CMS (its JSON schema, when tools/cms is installed).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import typing

import pytest
import yaml

from conftest import ROOT
from infohub import cms_config, schema
from infohub.messages import table

MODELS = {"office": schema.Office, "news": schema.FrontMatter, **cms_config.NATIONAL_FILES}


def _models_of(tp, found):
    tp, _ = cms_config._unwrap(tp)
    if cms_config._is_model(tp) and tp is not schema.Localized:
        yield tp
    for arg in typing.get_args(tp):
        if arg is not type(None):
            yield from _models_of(arg, found)


def _missing(model, fields, path, problems):
    by_name = {f["name"]: f for f in fields}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if (model.__name__, name) in cms_config.NOT_EDITED:
            assert key not in by_name
            continue
        field = by_name.get(key)
        if field is None:
            problems.append(f"{path}{key}: {model.__name__}.{name} has no CMS field")
            continue
        sub = [m for m in _models_of(cms_config.field_type(info), set()) if m is not schema.Localized]
        for submodel in sub:
            inner = field.get("fields") or []
            if field.get("widget") == "object" and inner and all(f.get("widget") == "object" for f in inner) \
                    and not {f["name"] for f in inner} & set(submodel.model_fields):
                for keyed in inner:  # a mapping keyed by national ids: each value is the model
                    _missing(submodel, keyed["fields"], f"{path}{key}.{keyed['name']}.", problems)
            else:
                _missing(submodel, inner, f"{path}{key}.", problems)


def _config(lang="id"):
    return cms_config.cms_config(ROOT, lang)


def _collection_fields(config):
    office = next(c for c in config["collections"] if c.get("name") == "kantor")["files"][0]["fields"]
    news = next(c for c in config["collections"] if c.get("name", "").startswith("berita-"))["fields"]
    national = {f["name"]: f["fields"] for f in next(c for c in config["collections"]
                                                      if c.get("name") == "nasional")["files"]}
    return {"office": office, "news": news, **national}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_model_field_has_a_cms_field(lang):
    problems = []
    fields = _collection_fields(_config(lang))
    for name, model in MODELS.items():
        _missing(model, fields[name], f"{name}: ", problems)
    assert problems == []


def test_every_label_is_in_both_string_tables():
    """No label falls back to another language: each field has cms.field.<name> in id and en."""
    missing = []
    for model in {m for top in MODELS.values() for m in [top, *[
            s for i in top.model_fields.values() for s in _models_of(cms_config.field_type(i), set())]]}:
        for name in model.model_fields:
            if (model.__name__, name) in cms_config.NOT_EDITED:
                continue
            for lang in ("id", "en"):
                if not any(k in table(lang) for k in (f"cms.field.{name}.{model.__name__}.label",
                                                      f"cms.field.{name}.label")):
                    missing.append(f"{lang}: cms.field.{name}.label ({model.__name__})")
    assert missing == []


def test_news_posts_are_written_as_the_site_reads_them():
    config = _config()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["name"] == "github"
    assert config["i18n"]["structure"] == "multiple_files"
    assert config["i18n"]["omit_default_locale_from_file_path"] is True  # page.md + page.en.md
    news = next(c for c in _office_editor()["collections"] if c.get("name") == "berita")
    assert news["folder"] == "offices/imigrasiblitar/docs/berita"
    fields = {f["name"]: f for f in news["fields"]}
    assert [o["value"] for o in fields["category"]["options"]] == list(schema.CATEGORIES)
    assert fields["title"]["i18n"] is True and fields["date"]["i18n"] == "duplicate"
    assert fields["image"]["widget"] == "image" and "image_alt" in fields
    # no stock photo services in the picture dialog: the admin's CSP blocks them
    assert config["media_libraries"]["stock_assets"] is False
    # the file picker offers what the check publishes (checks/file_types.py): no SVG, no script
    assert fields["image"]["accept"] == ".gif,.jpeg,.jpg,.png,.webp"


def test_config_is_valid_for_the_pinned_cms():
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = ROOT / "tools/cms/node_modules/@sveltia/cms/schema/sveltia-cms.json"
    if not schema_file.is_file():
        pytest.skip("npm ci --prefix tools/cms not run")
    spec = json.loads(schema_file.read_text(encoding="utf-8"))
    errors = list(jsonschema.validators.validator_for(spec)(spec).iter_errors(_config()))
    assert [e.message for e in errors] == []


def test_the_yaml_is_the_config():
    assert yaml.safe_load(cms_config.config_yaml(ROOT)) == _config()


def test_sign_in_through_a_self_hosted_oauth_helper_is_a_setting_of_the_hub(repo):
    config = repo / "offices" / "_hub" / "mkdocs.yml"
    assert "base_url" not in cms_config.cms_config(repo)["backend"]  # tokens only, by default
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.setdefault("extra", {}).setdefault("infohub", {})["cms"] = {
        "repo": "kantor/infohub", "branch": "utama", "base_url": "https://cms-auth.example.go.id"}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    backend = cms_config.cms_config(repo)["backend"]
    assert (backend["name"], backend["repo"], backend["branch"], backend["base_url"]) == (
        "github", "kantor/infohub", "utama", "https://cms-auth.example.go.id")


def test_cms_config_prints_what_the_build_writes(repo, monkeypatch, capsys):
    from infohub import cli

    monkeypatch.setenv("INFOHUB_ROOT", str(repo))
    assert cli.main(["cms-config", "--lang", "en", "--local"]) == 0
    printed = capsys.readouterr().out
    assert printed == cms_config.config_yaml(repo, "en", local=True)
    assert printed.startswith("# Made by `python -m infohub cms-config` from hooks/infohub/schema.py; do not edit by hand.\n")
    assert yaml.safe_load(printed)["local_backend"] is True


def _hub_settings(repo, settings: dict) -> None:
    config = repo / "offices" / "_hub" / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.setdefault("extra", {}).setdefault("infohub", {})["cms"] = settings
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_bad_editor_settings_are_refused_with_file_and_line_and_left_out(repo):
    from infohub.build import build_sites
    from infohub.checks import check_report

    _hub_settings(repo, {"repo": "infohub", "branch": "main branch",
                         "base_url": "https://cms-auth.example.go.id;script-src *", "token": "ghp_x"})
    report = check_report([], True, repo)
    lines = report.format("id").splitlines()
    at = lines.index("KESALAHAN  offices/_hub/mkdocs.yml")
    assert lines[at + 1:at + 5] == [
        "  baris 5  extra.infohub.cms.repo: diharapkan nama repositori GitHub seperti 'pemilik/nama', "
        "tertulis 'infohub'",
        "  baris 6  extra.infohub.cms.branch: diharapkan nama cabang git seperti 'main', tertulis 'main branch'",
        "  baris 7  extra.infohub.cms.base_url: diharapkan alamat https:// sebuah server tanpa spasi, titik koma "
        "atau tanda kutip, seperti 'https://cms-auth.example.go.id', tertulis "
        "'https://cms-auth.example.go.id;script-src *'",
        "  baris 8  extra.infohub.cms.token: kunci tidak dikenal 'token'; kunci yang boleh: base_url, branch, repo",
    ]
    english = report.format("en").splitlines()
    assert "  line 5  extra.infohub.cms.repo: expected a GitHub repository name like 'owner/name', got 'infohub'" \
        in english
    # what the check refuses is not built, and none of it reaches the editor's config
    [hub] = build_sites(["hub"], repo / "site", jobs=1, root=repo, echo=lambda _: None)
    assert not hub.ok and "extra.infohub.cms.repo" in hub.report
    backend = cms_config.cms_config(repo)["backend"]
    assert (backend["repo"], backend["branch"], "base_url" in backend) == (
        cms_config.repository(repo)["repo"], "main", False)


def test_without_a_repo_setting_the_editor_writes_to_the_repository_actions_builds(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_REPOSITORY", "kanim-contoh/infohub")
    assert cms_config.repository(repo)["repo"] == "kanim-contoh/infohub"
    _hub_settings(repo, {"repo": "imigrasi/portal"})
    assert cms_config.repository(repo)["repo"] == "imigrasi/portal"  # the hub's own setting comes first
    monkeypatch.setenv("GITHUB_REPOSITORY", "not a repo")
    _hub_settings(repo, {})
    assert cms_config.repository(repo)["repo"] == cms_config.DEFAULT_REPO["repo"]


# --- one editor per office, one for the national team (issue 22) -----------------------------


def _office_editor(slug="imigrasiblitar", lang="id"):
    return cms_config.cms_config(ROOT, lang, editor=slug)


def test_an_office_editor_edits_that_office_alone():
    config = _office_editor()
    assert [c["name"] for c in config["collections"]] == ["berita", "halaman", "kantor"]
    news, pages, office = config["collections"]
    assert news["folder"] == "offices/imigrasiblitar/docs/berita" and news["label"] == "Berita"
    assert pages["folder"] == "offices/imigrasiblitar/docs"
    assert [f["file"] for f in office["files"]] == ["offices/imigrasiblitar/office.yml"]
    # what an office changes week to week, and the fees it does not serve; name, domain, time zone,
    # channels... are the national team's
    assert [f["name"] for f in office["files"][0]["fields"]] == ["contact", "hours", "fees", "faq", "alert"]
    text = yaml.safe_dump(config)
    assert "national/" not in text and "imigrasiaceh" not in text and "domain" not in text


def test_the_national_editor_has_national_data_and_every_offices_technical_fields():
    config = cms_config.cms_config(ROOT, "id", editor=cms_config.NATIONAL_EDITOR)
    names = [c.get("name") for c in config["collections"]]
    assert names == ["kantor", "berita-nasional", "nasional"]
    offices = config["collections"][0]["files"]
    assert len(offices) == len(__import__("infohub.paths", fromlist=["x"]).office_slugs(ROOT))
    assert {"domain", "timezone", "channels", "social"} <= {f["name"] for f in offices[0]["fields"]}


def test_every_editor_has_its_own_folder_and_all_are_listed():
    editors = cms_config.editors(ROOT)
    assert editors[0] == (cms_config.NATIONAL_EDITOR, "Tim nasional: data nasional dan data teknis kantor")
    assert ("imigrasiblitar", "Kantor Imigrasi Blitar") in editors


def _pattern(fields, *path):
    for name in path:
        field = next(f for f in fields if f["name"] == name)
        fields = field.get("fields", [])
    return field["pattern"]


@pytest.mark.parametrize("value, good", [
    ("+62341123456", True), ("+62 341 123-456", True), ("0341123456", False), ("+6234", False),
    ("+62341123456x", False), ("", False)])
def test_the_form_refuses_a_phone_number_the_check_refuses_with_its_words(value, good):
    from pydantic import TypeAdapter, ValidationError

    fields = _office_editor()["collections"][2]["files"][0]["fields"]
    regex, message = _pattern(fields, "contact", "phone")
    assert message == "Diharapkan nomor internasional seperti '+62341123456'."
    assert bool(re.search(regex, value)) is good
    try:
        TypeAdapter(schema.Phone).validate_python(value)
        checked = True
    except ValidationError:
        checked = False
    assert checked is good


def test_whatsapp_email_and_addresses_have_the_checks_patterns():
    fields = _office_editor()["collections"][2]["files"][0]["fields"]
    assert _pattern(fields, "contact", "whatsapp")[1] == "Diharapkan nomor ponsel internasional seperti '+628123456789'."
    assert re.search(_pattern(fields, "contact", "whatsapp")[0], "+62 812-3456-789")
    assert not re.search(_pattern(fields, "contact", "whatsapp")[0], "+62341123456")  # not a mobile number
    assert _pattern(fields, "contact", "email")[1] == "Diharapkan alamat surel seperti 'info@imigrasi.contoh.id'."
    national = cms_config.cms_config(ROOT, "en", editor=cms_config.NATIONAL_EDITOR)
    social = next(f for f in national["collections"][0]["files"][0]["fields"] if f["name"] == "social")
    assert _pattern(social["fields"], "facebook") == ["^(?:https://[^\\s]+)$",
                                                      "Expected a full address starting with 'https://'."]


# How the pinned CMS reads a field's pattern: '/source/flags' or a bare source (its script's own
# regular expression; a CMS upgrade that reads patterns otherwise fails the test below).
CMS_PATTERN_READER = r"/^\/?(?<pattern>.+?)(?:\/(?<flags>[dgimsuy]*))?$/"


def _cms_accepts(pattern: str, values: list[str]) -> list[bool]:
    """Whether the CMS's form takes each value, judged by Node.js as the CMS's script judges it
    (the pattern read by CMS_PATTERN_READER, the value trimmed)."""
    node = shutil.which("node")
    assert node, "Node.js is needed: the web editor is installed with npm"
    script = (f"const [p, vs] = JSON.parse(process.argv[1]); const {{pattern, flags}} = p.match({CMS_PATTERN_READER}).groups;"
              "const re = new RegExp(pattern, (flags || '').replace(/[gy]/g, ''));"
              "console.log(JSON.stringify(vs.map(v => re.test(v.trim()))));")
    run = subprocess.run([node, "-e", script, json.dumps([pattern, values])], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_forms_length_limits_count_characters_as_the_check_does():
    """A pattern without the u flag counts UTF-16 units: a title of 150 emoji (300 units) was
    refused in the form and accepted by the check, which counts characters."""
    from infohub import limits

    bundle = ROOT / "tools/cms/node_modules/@sveltia/cms/dist/sveltia-cms.js"
    if not bundle.is_file():
        pytest.skip("npm ci --prefix tools/cms not run")
    assert CMS_PATTERN_READER in bundle.read_text(encoding="utf-8")
    news = {f["name"]: f for f in _office_editor()["collections"][0]["fields"]}
    regex = news["title"]["pattern"][0]
    limit = limits.TITLE_CHARS
    assert _cms_accepts(regex, ["a" * limit, "a" * (limit + 1), "🛂" * limit, "🛂" * (limit + 1), "Baris\nkedua"]) \
        == [True, False, True, False, True]


def test_titles_descriptions_and_names_are_held_to_the_checks_limits():
    from infohub import limits

    news = {f["name"]: f for f in _office_editor()["collections"][0]["fields"]}
    regex, message = news["title"]["pattern"]
    assert message == f"Diharapkan teks paling panjang {limits.TITLE_CHARS} karakter."
    assert regex == f"/^[\\s\\S]{{0,{limits.TITLE_CHARS}}}$/u"
    assert news["description"]["pattern"][1] == f"Diharapkan teks paling panjang {limits.TEXT_CHARS} karakter."
    english = {f["name"]: f for f in cms_config.cms_config(ROOT, "en", editor="imigrasiblitar")
               ["collections"][0]["fields"]}
    assert english["title"]["pattern"][1] == f"Expected a text of at most {limits.TITLE_CHARS} characters."
    office = _office_editor()["collections"][2]["files"][0]["fields"]
    question = next(f for f in next(f for f in office if f["name"] == "faq")["fields"] if f["name"] == "question")
    assert question["fields"][0]["pattern"][1] == f"Diharapkan teks paling panjang {limits.TEXT_CHARS} karakter."


def test_a_post_file_name_stays_within_the_checks_limit():
    from infohub import limits

    # the slug is the file name less '.en.md': <slug>.en.md is at most FILE_NAME_CHARS
    assert _office_editor()["slug"]["maxlength"] == limits.FILE_NAME_CHARS - len(".en.md")


def test_english_is_optional_in_a_news_post():
    news = _office_editor()["collections"][0]
    # English starts on and the editor may turn it off: the post is then Indonesian only (berita.md)
    assert news["i18n"] == {"locales": ["id", "en"], "initial_locales": "all"}


def test_no_sign_in_through_a_third_party_unless_the_hub_names_one(repo):
    backend = cms_config.cms_config(repo, editor="kantorcontoh")["backend"]
    assert backend["auth_methods"] == ["token"] and "base_url" not in backend  # no api.netlify.com
    _hub_settings(repo, {"base_url": "https://cms-auth.example.go.id"})
    backend = cms_config.cms_config(repo, editor="kantorcontoh")["backend"]
    assert (backend["base_url"], "auth_methods" in backend) == ("https://cms-auth.example.go.id", False)


@pytest.mark.parametrize("editor", ["imigrasiblitar", "nasional"])
def test_every_editors_config_is_valid_for_the_pinned_cms(editor):
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = ROOT / "tools/cms/node_modules/@sveltia/cms/schema/sveltia-cms.json"
    if not schema_file.is_file():
        pytest.skip("npm ci --prefix tools/cms not run")
    spec = json.loads(schema_file.read_text(encoding="utf-8"))
    config = cms_config.cms_config(ROOT, "id", editor=editor)
    errors = list(jsonschema.validators.validator_for(spec)(spec).iter_errors(config))
    assert [e.message for e in errors] == []


def test_an_office_editors_media_library_is_its_own_docs_folder():
    """The media library's 'Media global' and a picture in an office page's body were saved in the
    repository's docs/: the hub's folder (CODEOWNERS: the national team), not in the office's site."""
    office = _office_editor()
    assert (office["media_folder"], office["public_folder"]) == (
        "offices/imigrasiblitar/docs/assets/gambar", "/assets/gambar")
    national = cms_config.cms_config(ROOT, "id", editor=cms_config.NATIONAL_EDITOR)
    assert (national["media_folder"], national["public_folder"]) == ("docs/assets/gambar", "/assets/gambar")


def test_each_editor_page_refuses_at_upload_what_a_docs_folder_does_not_publish(tmp_path):
    """/admin/uploads.js, loaded before the CMS's script, lets through the pictures and PDF documents
    checks/file_types.py publishes, and tells the editor why not in the page's language."""
    if cms_config.cms_script(ROOT) is None:
        pytest.skip("npm ci --prefix tools/cms not run")
    assert cms_config.write_admin(tmp_path / "site", ROOT) is None
    admin = tmp_path / "site/admin"
    assert (admin / "uploads.js").read_bytes() == (ROOT / "hooks/infohub/data/cms-uploads.js").read_bytes()
    indonesian = (admin / "imigrasiblitar/index.html").read_text(encoding="utf-8")
    assert (
        '<script src="../uploads.js" data-accept=".gif,.jpeg,.jpg,.pdf,.png,.webp" '
        'data-title="Berkas ini tidak bisa diunggah:" data-help="Di sini hanya bisa diunggah gambar (.gif, .jpeg, '
        '.jpg, .png, .webp) dan dokumen PDF (.pdf); berkas lain, seperti SVG, skrip, halaman HTML atau dokumen '
        'Word, tidak bisa diterbitkan di situs. Simpan gambarnya sebagai JPG atau PNG, atau dokumennya sebagai '
        'PDF, lalu pilih lagi. Tidak ada berkas dari pilihan ini yang diunggah." data-close="Tutup"></script>\n'
        '<script src="../sveltia-cms.js"></script>') in indonesian
    english = (admin / "nasional/en/index.html").read_text(encoding="utf-8")
    assert (
        '<script src="../../uploads.js" data-accept=".gif,.jpeg,.jpg,.pdf,.png,.webp" '
        'data-title="These files cannot be uploaded:" data-help="Only pictures (.gif, .jpeg, .jpg, .png, .webp) '
        'and PDF documents (.pdf) can be uploaded here; any other file, such as an SVG, a script, an HTML page or '
        'a Word document, cannot be published on the site. Save the picture as JPG or PNG, or the document as '
        'PDF, and pick it again. Nothing from this selection was uploaded." data-close="Close"></script>\n'
        '<script src="../../sveltia-cms.js"></script>') in english
