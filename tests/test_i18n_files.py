"""infohub.i18n_files makes the File mkdocs-static-i18n's own create_i18n_file makes."""
from __future__ import annotations

import logging
import random
from types import SimpleNamespace

import pytest
from mkdocs.structure.files import File, InclusionLevel
from mkdocs_static_i18n import suffix

from infohub import i18n_files

LANGUAGES = ["id", "en"]
i18n_files.install()  # as build.py's workers do: the plugin's own function is then kept here
PLUGIN_S = i18n_files._original["function"]


def _config(use_directory_urls: bool) -> SimpleNamespace:
    return SimpleNamespace(docs_dir="/repo/offices/x/docs", site_dir="/repo/site/.staging-x",
                           use_directory_urls=use_directory_urls)


def _source(src_uri: str, config: SimpleNamespace, inclusion=InclusionLevel.UNDEFINED) -> File:
    return File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls, inclusion=inclusion)


def _described(file: File) -> dict:
    """Everything the File holds; its alternates by language, each naming the file itself."""
    described = {k: v for k, v in vars(file).items() if k != "alternates"}
    described["alternates"] = {lang: alt is file for lang, alt in file.alternates.items()}
    for name in ("src_uri", "dest_uri", "url", "abs_dest_path", "abs_src_path", "name", "dest_path"):
        described[name] = getattr(file, name)
    return described


def _same(src_uri: str, current: str, use_directory_urls: bool, dest_uri: str | None = None) -> dict:
    config = _config(use_directory_urls)
    given = _source(src_uri, config, InclusionLevel.INCLUDED)
    if dest_uri is not None:
        given.dest_uri = dest_uri
    theirs = PLUGIN_S(given, current, "id", LANGUAGES, config)
    ours = i18n_files.create_i18n_file(given, current, "id", LANGUAGES, config)
    assert type(ours) is type(theirs)
    assert _described(ours) == _described(theirs)
    return _described(ours)


CASES = ["index.md", "index.en.md", "README.md", "README.en.md", "faq.md", "faq.en.md", "berita/index.md",
         "berita/index.en.md", "berita/2025/a.md", "berita/2025/a.en.md", "berita/2025/jadwal-libur_2.en.md",
         "assets/logo.png", "assets/logo.en.png", "assets/logo.fr.png", "assets/logo.xx.png", "a.b.en.md",
         "a.b.md", "x/README.md", "x/README.en.md", "x/index.fr.md", "LICENSE", "LICENSE.en", "a.zz-Latn-ID.md",
         "a.pt_BR.md", "v1.2/a.en.md", "v1.2/index.en.md", "index/a.en.md", "README/index.en.md",
         "fooREADME.md", "fooREADME.en.md", "dir.en/a.md", "dir.en/a.en.md",
         # not plain: the plugin's own function answers
         "berita/.a.en.md", "a..en.md", "a.en.", "ber ita/a.en.md", "berita/a b.en.md", "ünï/a.en.md"]


@pytest.mark.parametrize("use_directory_urls", [True, False])
@pytest.mark.parametrize("current", ["id", "en"])
@pytest.mark.parametrize("src_uri", CASES)
def test_the_same_file_as_the_plugin_s_function(src_uri, current, use_directory_urls):
    _same(src_uri, current, use_directory_urls)


def test_an_english_post_moves_out_of_its_suffixed_folder():
    made = _same("berita/2025/a.en.md", "en", True)
    assert (made["dest_uri"], made["url"], made["locale"], made["norm_src_uri"]) == \
        ("en/berita/2025/a/index.html", "en/berita/2025/a/", "en", "berita/2025/a.md")


@pytest.mark.parametrize("dest_uri", ["elsewhere/page.html", "x.en/y.en/index.html", "en/a.en.png", "a/../b.html",
                                      "a//b.html", "./a.html"])
def test_a_destination_another_plugin_chose(dest_uri):
    for current in LANGUAGES:
        _same("berita/a.en.md", current, True, dest_uri)


@pytest.mark.parametrize("seed", range(400))
def test_random_names(seed):
    rng = random.Random(seed)
    pieces = ["a", "b", "index", "README", "en", "id", "fr", "x_y", "1-2", "pt_BR", "zz-Latn-ID", "", ".", " "]

    def segment() -> str:
        return ".".join(rng.choice(pieces) for _ in range(rng.randint(1, 3)))

    folders = [segment() for _ in range(rng.randint(0, 3))]
    name = segment() + rng.choice([".md", ".png", ".html", ""])
    src_uri = "/".join([*folders, name])
    if not src_uri.strip("/.") or src_uri.startswith("/"):
        return
    try:
        config = _config(True)
        _source(src_uri, config).dest_uri  # noqa: B018 - a name MkDocs itself cannot take
    except Exception:  # noqa: BLE001
        return
    for current in LANGUAGES:
        for use_directory_urls in (True, False):
            try:
                PLUGIN_S(_source(src_uri, _config(use_directory_urls)), current, "id", LANGUAGES,
                         _config(use_directory_urls))
            except ValueError:  # pathlib refuses an empty name: ours must refuse it too
                with pytest.raises(ValueError):
                    i18n_files.create_i18n_file(_source(src_uri, _config(use_directory_urls)), current, "id",
                                                LANGUAGES, _config(use_directory_urls))
                continue
            _same(src_uri, current, use_directory_urls)


def test_debug_messages_as_the_plugin_s(caplog):
    config = _config(True)
    with caplog.at_level(logging.DEBUG, logger=suffix.log.logger.name):
        PLUGIN_S(_source("faq.en.md", config), "en", "id", LANGUAGES, config)
        theirs = [r.getMessage() for r in caplog.records]
        caplog.clear()
        i18n_files.create_i18n_file(_source("faq.en.md", config), "en", "id", LANGUAGES, config)
        assert [r.getMessage() for r in caplog.records] == theirs and len(theirs) == 2


def test_installed_where_the_plugin_looks_it_up():
    assert suffix.create_i18n_file is i18n_files.create_i18n_file


@pytest.mark.parametrize("src, dest", [
    ("/repo/docs/a.md", "/repo/docs"), ("/repo/docs", "/repo/docs"), ("/repo/docs-x/a.md", "/repo/docs"),
    ("/repo/doc", "/repo/docs"), ("/repo/docs/a.md", "/"), ("/a", "/repo"), ("/repo/docs/a.md", "/repo/docs/"),
    ("/repo/./docs/a.md", "/repo/docs"), ("//repo/docs/a.md", "/repo/docs"), ("/repo//docs/a.md", "/repo/docs"),
    ("repo/docs/a.md", "repo/docs"), ("/repo/docs/../a.md", "/repo/docs"), ("blog/x/", "blog/"),
])
def test_is_relative_to_as_the_plugin_s(src, dest):
    from mkdocs_static_i18n import reconfigure

    assert reconfigure.is_relative_to is i18n_files.is_relative_to
    assert i18n_files.is_relative_to(src, dest) == i18n_files._original["is_relative_to"](src, dest)


def test_a_file_class_whose_constructor_sets_more_is_made_by_its_constructor():
    """The Files are made without the engine's constructor only while it sets what
    i18n_files._new_file sets: an engine whose File sets more gets its own constructor's."""
    class Wider(File):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.extra = "set"

    made = i18n_files._new_file(Wider, "a/b.en.md", "/docs", "a/b.en/index.html", True, InclusionLevel.INCLUDED)
    assert made.extra == "set" and made.name == "b.en" and made.dest_uri == "a/b.en/index.html"
    plain = i18n_files._new_file(File, "a/b.en.md", "/docs", "a/b.en/index.html", True, InclusionLevel.INCLUDED)
    assert vars(plain) == {**vars(File("a/b.en.md", "/docs", "a/b.en/index.html", True, dest_uri="a/b.en/index.html",
                                       inclusion=InclusionLevel.INCLUDED)), "name": "b.en"}


FOUND_PATHS = ["index.md", "faq.md", "berita/2025/a.md", "berita/2025/b.md", "x/README.md", "LICENSE", "a.b.md",
               "logo.png", "dir.en/page.md", "v1.2/a.md", ".", "", "./faq.md", "a//faq.md", "berita/../faq.md",
               "ber ita/a.md", "faq.md/", "nowhere.md", "berita", "berita/2025"]


@pytest.mark.parametrize("current", ["id", "en", "fr", None, "e n"])
@pytest.mark.parametrize("path", FOUND_PATHS)
def test_a_file_found_by_its_path_as_the_plugin_finds_it(path, current):
    """The navigation's look-up of a page by its path (I18nFiles.get_file_from_path) gives the
    file the plugin's own gives: the current language's, the default's, the path's itself."""
    config = _config(True)
    sources = ["index.md", "index.en.md", "faq.fr.md", "berita/2025/a.md", "berita/2025/a.en.md", "berita/2025/b.id.md",
               "x/README.en.md", "LICENSE.en", "LICENSE", "a.b.id.md", "logo.en.png", "dir.en/page.en.md",
               "v1.2/a.en.md", "berita/2025.en", "faq.md"]
    files = suffix.I18nFiles(SimpleNamespace(current_language=current, default_language="id"),
                             [_source(src, config) for src in sources])
    assert suffix.I18nFiles.get_file_from_path is i18n_files.get_file_from_path
    assert files.get_file_from_path(path) is i18n_files._original["get_file_from_path"](files, path)


def test_the_plugin_s_languages_are_looked_up_once_per_reconfiguration_and_again_in_the_next():
    """reconfigure_files asks the default language and the list of languages of every file: they
    are looked up once per call (the settings do not change during it); the next call, and any
    ask outside a call, sees the settings as they are then."""
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    walked = []

    class Languages(list):
        def __iter__(self):
            walked.append(1)
            return super().__iter__()

    plugin = ExtendedPlugin.__new__(ExtendedPlugin)
    plugin.config = SimpleNamespace(languages=Languages([SimpleNamespace(locale="id", default=True),
                                                         SimpleNamespace(locale="en", default=False)]))
    seen = []

    def reconfigure(self, files, config):
        for _ in files:
            seen.append((self.default_language, self.all_languages))
            self.all_languages.append("xx")  # the caller's own list
        return "done"

    original = i18n_files._original["reconfigure_files"]
    try:
        i18n_files._original["reconfigure_files"] = reconfigure
        assert plugin.reconfigure_files([1, 2, 3], None) == "done"
        assert seen == [("id", ["id", "en"])] * 3 and len(walked) == 2
        plugin.config.languages[0].default, plugin.config.languages[1].default = False, True
        assert (plugin.default_language, plugin.all_languages) == ("en", ["id", "en"])
        seen.clear()
        plugin.reconfigure_files([1], None)
        assert seen == [("en", ["id", "en"])]
    finally:
        i18n_files._original["reconfigure_files"] = original
    assert "_infohub_languages" not in vars(plugin) or vars(plugin)["_infohub_languages"] is None
