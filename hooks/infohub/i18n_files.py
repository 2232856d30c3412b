"""mkdocs-static-i18n's ``create_i18n_file``, on strings instead of pathlib, with the same result.

For each language it builds, the plugin makes a new File of every file of the site
(``suffix.create_i18n_file``): the language suffix taken out of its name and destination
('berita/2025/a.en/index.html' -> 'en/berita/2025/a/index.html'), its address, its locale. It
does this with a dozen pathlib objects per file and two debug messages formatted whether or not
they are shown: at 300 posts (2,219 calls per build) that was a tenth of an edit's CPU.

Here the same steps are taken on strings, for the paths whose pathlib meaning is plain: every
segment of the source and destination paths is made of letters, digits, '_' and '-', with
single dots between such runs (no leading or trailing dot, no empty segment, no '.' or '..'),
so that a name's suffix is what follows its last dot and its stem what precedes it. Any other
path, and a language that is not such a segment, goes to the plugin's own function. The debug
messages are formatted only when debug logging is on. The plugin's ``is_relative_to``, asked of
every file, and its Files' ``get_file_from_path``, asked by the navigation of every page, are
replaced the same way, and its default language and list of languages are looked up once per
``reconfigure_files``.
"""
from __future__ import annotations

import logging
import os
import re
from urllib.parse import quote as urlquote

_PLAIN = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?:/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)*")
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")

_original: dict[str, object] = {}


def _without_suffix(name: str) -> str:
    """``PurePath(name).with_suffix('')`` (or ``.stem``) of a plain segment."""
    return name.rsplit(".", 1)[0]


def _split(path: str) -> tuple[str, str]:
    """(parent, name) of a plain relative path; '' for no parent (pathlib's '.')."""
    parent, _, name = path.rpartition("/")
    return parent, name


def create_i18n_file(file, current_language: str, default_language: str, all_languages: list, config):
    """What ``mkdocs_static_i18n.suffix.create_i18n_file`` returns for the same arguments."""
    from mkdocs_static_i18n.config import RE_LOCALE
    from mkdocs_static_i18n.suffix import File, log  # the engine's File, as the plugin has it

    src_uri, dest_uri = file.src_uri, file.dest_uri
    locale_site_dir = current_language if current_language != default_language else ""
    if not (_PLAIN.fullmatch(src_uri) and _PLAIN.fullmatch(dest_uri)
            and (not locale_site_dir or _SEGMENT.fullmatch(locale_site_dir))):
        return _original["function"](file, current_language, default_language, all_languages, config)
    debug = log.isEnabledFor(logging.DEBUG)
    if debug:
        log.debug(f"reconfigure {file}")

    # the File the plugin makes (a plain path is its own normpath and posix form), its name too
    use_directory_urls = config.use_directory_urls
    file = _new_file(File, src_uri, config.docs_dir, dest_uri, use_directory_urls, file.inclusion)

    file_dest_path = dest_uri
    file_locale = default_language
    file_localization = None
    parts = file.name.split(".")
    if len(parts) > 1:
        file_locale = parts[-1]
        if file_locale in all_languages or RE_LOCALE.match(file_locale):
            parent, name = _split(file_dest_path)
            stem = _without_suffix(_without_suffix(name))
            suffix = name[len(_without_suffix(name)):]
            file_dest_path = (f"{parent}/{stem}" if parent else stem) + suffix
            file.name = _without_suffix(file.name)
            file_localization = file_locale
        else:
            file_locale = default_language

    if use_directory_urls and file_localization:
        parent, name = _split(file_dest_path)
        if parent:
            grandparent, parent_name = _split(parent)
            parent = f"{grandparent}/{_without_suffix(parent_name)}" if grandparent else _without_suffix(parent_name)
            file_dest_path = f"{parent}/{name}"
            # named index.lang.md get transformed to index.lang.md/index.md: that folder goes
            grandparent, parent_name = _split(parent)
            if parent_name in ("index", "README"):
                file_dest_path = f"{grandparent}/{name}" if grandparent else name

    parent, name = _split(file_dest_path)
    if name.endswith("README.html"):
        file_dest_path = f"{parent}/index.html" if parent else "index.html"

    file.dest_uri = f"{locale_site_dir}/{file_dest_path}" if locale_site_dir else file_dest_path
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_path))

    if file.name == "README":
        file.name = "index"

    file.url = _url(file.dest_uri, use_directory_urls)
    if locale_site_dir and file.url in (".", "./"):  # PurePath(url).as_posix() == "." of a plain url
        file.url = urlquote(locale_site_dir + "/")

    file.alternates = {current_language: file}
    file.locale = file_locale
    file.locale_alternate_of = current_language
    file.localization = file_localization

    file.norm_src_uri = file.src_uri
    if file.localization:
        file.norm_src_uri = file.src_uri.replace(f".{file.localization}", "", 1)

    if debug:
        log.debug(f"reconfigure {file} from locale {file_locale}")
    return file


def _url(dest_uri: str, use_directory_urls: bool) -> str:
    """``File._get_url`` of a plain destination: quoting leaves its characters as they are."""
    if use_directory_urls and (dest_uri == "index.html" or dest_uri.endswith("/index.html")):
        return dest_uri[:-len("index.html")] or "./"
    return dest_uri


def _new_file(file_class, src_uri: str, src_dir: str, dest_dir: str, use_directory_urls: bool, inclusion):
    """``File(src_uri, src_dir, dest_dir, use_directory_urls, dest_uri=dest_dir, inclusion=inclusion)``
    with its ``name`` worked out, for plain paths, without the File's constructor, which makes a
    pathlib path of the source's name (``src_path``'s setter) 2,219 times a build at 300 posts.
    The engine's constructor is asked once what it sets (``_fields_set``): if it sets anything
    else, it is called."""
    if not _fields_set(file_class):
        return file_class(src_uri, src_dir, dest_dir, use_directory_urls, dest_uri=dest_dir, inclusion=inclusion)
    file = file_class.__new__(file_class)
    stem = _without_suffix(src_uri.rpartition("/")[2])
    vars(file).update(src_uri=src_uri, src_dir=src_dir, dest_dir=dest_dir, use_directory_urls=use_directory_urls,
                      dest_uri=dest_dir, inclusion=inclusion, name="index" if stem == "README" else stem)
    return file


_FIELDS = ("src_uri", "src_dir", "dest_dir", "use_directory_urls", "dest_uri", "inclusion")
_checked: dict[type, bool] = {}


def _fields_set(file_class) -> bool:
    """Whether ``file_class``'s constructor sets the fields _new_file sets, and nothing else."""
    known = _checked.get(file_class)
    if known is None:
        probe = file_class("a/b.c.md", "/s", "x/y.html", True, dest_uri="x/y.html", inclusion=None)
        known = _checked[file_class] = vars(probe) == {
            "src_uri": "a/b.c.md", "src_dir": "/s", "dest_dir": "x/y.html", "use_directory_urls": True,
            "dest_uri": "x/y.html", "inclusion": None} and probe.name == "b.c"
    return known


def is_relative_to(src_path, dest_path) -> bool:
    """``mkdocs_static_i18n.is_relative_to`` (``PurePath(src_path).is_relative_to(dest_path)``),
    on strings for two absolute normalised paths: the plugin asks it of every file of every
    language build (is the file in docs_dir?)."""
    if _normal_absolute(src_path) and _normal_absolute(dest_path):
        return src_path == dest_path or src_path.startswith(dest_path.rstrip("/") + "/")
    return _original["is_relative_to"](src_path, dest_path)


def get_file_from_path(self, path: str):
    """``mkdocs_static_i18n.suffix.I18nFiles.get_file_from_path`` on strings for a plain path:
    the file of ``path`` in the language being built, else in the default language, else
    ``path`` itself (the navigation asks it of every page, 1,476 times a build at 300 posts)."""
    plugin = self.plugin
    languages = (plugin.current_language, plugin.default_language)
    if path == "." or not _PLAIN.fullmatch(path) or not all(_SEGMENT.fullmatch(lang or "") for lang in languages):
        return _original["get_file_from_path"](self, path)
    parent, name = _split(path)
    stem, dot, extension = name.rpartition(".")
    if not dot:  # no suffix: the language's is added
        stem, extension = name, ""
    suffix = f".{extension}" if dot else ""
    prefix = f"{parent}/{stem}" if parent else stem
    for src_uri in (f"{prefix}.{languages[0]}{suffix}", f"{prefix}.{languages[1]}{suffix}", path):
        file = self.src_uris.get(src_uri)
        if file:
            return file
    return None


def _normal_absolute(path) -> bool:
    return isinstance(path, str) and path.startswith("/") and not path.startswith("//") and os.path.normpath(path) == path


def _reconfigure_files(self, files, mkdocs_config):
    """The plugin's ``reconfigure_files``, with its default language and list of languages
    looked up once for the call (its properties walk the languages' settings, and it asks them of
    every file: 12,000 times a build at 300 posts); the settings do not change during the call."""
    outer = self.__dict__.get(_LANGUAGES)
    self.__dict__[_LANGUAGES] = (_original["default_language"].fget(self), _original["all_languages"].fget(self))
    try:
        return _original["reconfigure_files"](self, files, mkdocs_config)
    finally:
        self.__dict__[_LANGUAGES] = outer


_LANGUAGES = "_infohub_languages"  # (default language, all languages) while reconfigure_files runs


def _default_language(self):
    known = self.__dict__.get(_LANGUAGES)
    return known[0] if known is not None else _original["default_language"].fget(self)


def _all_languages(self):
    known = self.__dict__.get(_LANGUAGES)
    return list(known[1]) if known is not None else _original["all_languages"].fget(self)  # the caller's own


def install() -> None:
    """Replace the plugin's functions, once per process (build.py's workers); the plugin looks
    them up in its modules at each build (reconfigure.py: ``suffix.create_i18n_file``, and
    ``is_relative_to`` it imported)."""
    from mkdocs_static_i18n import reconfigure, suffix

    if "function" not in _original:
        _original["function"] = suffix.create_i18n_file
        suffix.create_i18n_file = create_i18n_file
        _original["is_relative_to"] = reconfigure.is_relative_to
        reconfigure.is_relative_to = is_relative_to
        _original["get_file_from_path"] = suffix.I18nFiles.get_file_from_path
        suffix.I18nFiles.get_file_from_path = get_file_from_path
        plugin = reconfigure.ExtendedPlugin
        _original["reconfigure_files"] = plugin.reconfigure_files
        _original["default_language"] = plugin.default_language
        _original["all_languages"] = plugin.all_languages
        plugin.reconfigure_files = _reconfigure_files
        plugin.default_language = property(_default_language)
        plugin.all_languages = property(_all_languages)
