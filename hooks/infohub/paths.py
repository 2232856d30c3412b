"""Where things are in an infohub repository, and which sites it holds."""
from __future__ import annotations

import contextlib
import fnmatch
import functools
import os
import re
import tempfile
from pathlib import Path, PurePath
from typing import Callable, Iterator

HUB_SLUG = "hub"
ROOT_ENV = "INFOHUB_ROOT"


class NotARepository(Exception):
    """A command run outside any infohub repository (and INFOHUB_ROOT not naming one)."""

    def __init__(self, folder: Path, from_env: bool):
        self.folder, self.from_env = folder, from_env
        super().__init__(str(folder))

    def __str__(self) -> str:
        from .messages import t

        key = "cli.root_env_not_a_repository" if self.from_env else "cli.not_a_repository"
        return t(key, None, folder=str(self.folder), env=ROOT_ENV)


def root() -> Path:
    """The repository this process works on: INFOHUB_ROOT if set, else the nearest folder,
    from the working directory up, holding offices/ and national/ (as git finds .git).

    Never where the package is installed: a copied checkout, or a venv or install made
    from another checkout, must work on the content of the folder the command runs in.
    MkDocs hooks use the repository of the config file instead (mkdocs_context.repo_root)."""
    return _current_root()


def _current_root() -> Path:  # for this module's functions, whose parameter `root` hides root()
    return _root(os.environ.get(ROOT_ENV) or None, os.getcwd())


@functools.lru_cache(maxsize=None)  # per process, per (INFOHUB_ROOT, working directory)
def _root(override: str | None, cwd: str) -> Path:
    if override:
        folder = Path(cwd, override)  # as given (absolute, or from the working directory)
        if not _is_repo(folder):
            raise NotARepository(folder, from_env=True)
        return folder
    found = _repo_of_folder(Path(cwd).resolve())
    if found is None:
        raise NotARepository(Path(cwd), from_env=False)
    return found


def _is_repo(folder: Path) -> bool:
    return (folder / "offices").is_dir() and (folder / "national").is_dir()


def repo_of(path: Path) -> Path | None:
    """The repository a file belongs to: the nearest folder holding offices/ and national/."""
    return _repo_of_folder(resolved(path).parent)


def resolved(path: Path) -> Path:
    """``Path(path).resolve()``, with each folder resolved once per process: the check names every
    page it reads by its repository path (rel), and resolving each whole path again, one system
    call per folder above it, cost 5 % of an office's build. A file that is itself a link, and a
    relative path (the working directory may change), are resolved in full."""
    path = Path(path)
    if not path.is_absolute() or path.name in ("", ".", "..") or os.path.islink(path):
        return path.resolve()
    return _resolved_folder(path.parent) / path.name


@functools.lru_cache(maxsize=4096)  # as _repo_of_folder: the folders of one repository
def _resolved_folder(folder: Path) -> Path:
    return folder.resolve()


@functools.lru_cache(maxsize=4096)  # asked for every problem and page: one look per folder
def _repo_of_folder(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if _is_repo(candidate):
            return candidate
    return None


def rel(path: Path) -> str:
    """A path as an editor sees it: relative to its repository, with '/'."""
    # a relative path depends on the working directory, which may change
    return _rel_absolute(path) if os.path.isabs(path) else _rel(path)


@functools.lru_cache(maxsize=65536)  # every page is named again by each check and language build
def _rel_absolute(path: Path) -> str:
    # as _rel, the folder resolved once (_folder_in_repo) and the file's name joined to it as a
    # string: naming each page of the archive the first time took a third of reading it
    text = os.fspath(path if isinstance(path, PurePath) else Path(path))
    folder, name = os.path.split(text)
    if name in ("", ".", "..") or os.path.islink(text):
        return _rel(path)
    place = _folder_in_repo(folder)
    if place is None:
        return text
    return name if place == "." else f"{place}/{name}"


@functools.lru_cache(maxsize=4096)
def _folder_in_repo(folder: str) -> str | None:
    """An absolute folder, resolved, relative to its repository ('.' for the repository itself)."""
    real = _resolved_folder(Path(folder))
    root = _repo_of_folder(real)
    return real.relative_to(root).as_posix() if root else None


def _rel(path: Path) -> str:
    root = repo_of(path)
    return resolved(path).relative_to(root).as_posix() if root else Path(path).as_posix()


# An office's folder name is its slug: the first label of its domain (<slug>.id) and, upper-cased
# with '-' as '_', the prefix of its secrets (<SLUG>_<PLATFORM>_TOKEN, social/secrets.py).
# Lowercase letters and digits with single hyphens between them, as a domain label: no slug
# holds '_', so two slugs never share a prefix; 'hub' is the hub's (site/hub/).
_OFFICE_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
OFFICE_SLUG_LENGTH = 63  # a domain label's longest
# Names no office may take: the hub's, and the hub's /admin/ folders beside the offices' editors
# (/admin/<slug>/, cms_config.write_admin): the English landing page, the fonts, the interface
# languages (cms_locale.py), the national editor.
RESERVED_SLUGS = (HUB_SLUG, "en", "fonts", "locales", "nasional")


def is_office_slug(name: str) -> bool:
    return len(name) <= OFFICE_SLUG_LENGTH and bool(_OFFICE_SLUG.fullmatch(name)) and name not in RESERVED_SLUGS


def office_slugs(root: Path | None = None) -> list[str]:
    """Every office folder: offices/<slug>/ holding an office.yml, sorted (a link is no office).
    A folder whose name is not a slug (is_office_slug) is listed too: the check refuses it
    (content.load_office)."""
    offices = (root or _current_root()) / "offices"
    return sorted(p.name for p in offices.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith(("_", "."))
                  and (p / "office.yml").exists())


ROOT_LANGUAGE = "id"  # every site has Indonesian first (schema) and at its root


def language_root(lang: str) -> str:
    """Where a language's pages are inside a site: '' for Indonesian, 'en/' for English."""
    return "" if lang == ROOT_LANGUAGE else f"{lang}/"


def path_in_language(page_url: str, lang: str) -> str:
    """'en/faq/' built for English -> 'faq/': a page's URL without its language root."""
    prefix = language_root(lang)
    return page_url[len(prefix):] if prefix and page_url.startswith(prefix) else page_url


def page_dirs(slug: str, root: Path | None = None) -> list[Path]:
    """Where an office's pages come from, lowest precedence first: the national page
    shells, then the office's own docs/ (a file there replaces the national one)."""
    root = root or _current_root()
    return [root / "national" / "pages", root / "offices" / slug / "docs"]


# While a check runs (checks.check_report), and while a site is built (build.build_site), the
# repository's files do not change: what it lists and reads is kept until it ends
# (``files_unchanged``), as a dozen checks and the build's hooks read the same folders.
_kept: dict | None = None


@contextlib.contextmanager
def files_unchanged() -> Iterator[None]:
    global _kept
    outer = _kept
    _kept = {} if outer is None else outer
    try:
        yield
    finally:
        _kept = outer


def kept(kind: str, key, make: Callable[[], list]) -> list:
    """``make()``, made once while ``files_unchanged`` holds (a new list each time: the caller's)."""
    return list(kept_value(kind, key, make))


def kept_value(kind: str, key, make: Callable[[], object]):
    """``make()``, made once while ``files_unchanged`` holds, for a value the callers do not change
    (a file's text)."""
    if _kept is None:
        return make()
    if (kind, key) not in _kept:
        _kept[kind, key] = make()
    return _kept[kind, key]


def source_bytes(path: Path | str) -> bytes:
    """A source file's bytes, read once while ``files_unchanged`` holds: the content model's
    loaders and the render cache's keys and front matter read every page, the cache by the
    engine's name of it (a string), the loaders by a Path: one key for both (os.fspath). Four
    reads of each post an edit at 300 posts before, one now."""
    name = os.fspath(path)
    return kept_value("bytes", name, lambda: _read_bytes(name))


def _read_bytes(name: str) -> bytes:
    with open(name, "rb") as source:
        return source.read()


def source_files(folder: Path, pattern: str) -> list[Path]:
    """The files matching ``pattern`` at any depth below ``folder``, never a symbolic link: content
    is read from the repository's own files only (checks/office_folder.py refuses links)."""
    return kept("files", (folder, pattern), lambda: _source_files(folder, pattern))


def _source_files(folder: Path, pattern: str) -> list[Path]:
    found: list[str] = []
    if folder.is_dir():
        _regular_files(os.fspath(folder), pattern, found)
    # sorted as the paths sort (part by part: 'a/b' before 'a-b/c'), compared as strings
    return [_path_of(file) for file in sorted(found, key=lambda file: file.split("/"))]


# A listed file's Path, made once in a process: every check and build lists an office's folders
# again (the files may have changed), and parsing each name into a Path again cost more than the
# listing (9,000 a build at 1,500 posts). A Path never changes, so one may serve every listing.
_path_of = functools.lru_cache(maxsize=1 << 17)(Path)


def _regular_files(folder: str, pattern: str, found: list[str]) -> None:
    """What Path.rglob found, without a system call per file: a folder's entries say what they
    are (a link is neither a file nor a folder here), and a folder that cannot be read is skipped.
    An office's archive is listed many times per check and build (1,500 posts: 2 s with rglob).
    A list of folders to read, not recursion: no depth of folders reaches Python's recursion limit."""
    todo = [folder]
    while todo:
        try:
            with os.scandir(todo.pop()) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                todo.append(entry.path)
            elif entry.is_file(follow_symlinks=False) and fnmatch.fnmatchcase(entry.name, pattern):
                found.append(entry.path)


def relative_posix(path: Path, folder: Path) -> str:
    """``path.relative_to(folder).as_posix()`` for a path listed below ``folder`` (source_files),
    by its text: pathlib parses both paths again on every call (a check and a build list every
    post of an office many times)."""
    text, prefix = os.fspath(path), os.fspath(folder)
    if prefix and not prefix.endswith("/"):  # os.path.join(folder, ""), without its checks
        prefix += "/"
    if os.sep == "/" and text.startswith(prefix):
        return text[len(prefix):]
    return path.relative_to(folder).as_posix()


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system cannot even look up (Path.is_file
    raises for a name longer than the file system allows, as an editor's typo can make)."""
    try:
        return path.is_file()
    except OSError:
        return False


def hub_settings_file(root: Path | None = None) -> Path:
    """The hub's settings (public address, web editor): read by site_config.py, never by MkDocs."""
    return (root or _current_root()) / "offices" / "_hub" / "mkdocs.yml"


CARD_CACHE_ENV = "INFOHUB_CARD_CACHE"


def card_cache_dir() -> Path:
    """Where drawn social cards are kept (cards.py), each named by what it shows: the build driver
    points INFOHUB_CARD_CACHE beside site/, not into it (`make site`: .cache/cards/), so a build
    from an empty site/ draws only cards no earlier build drew, and CI keeps the folder between
    runs (deploy.yml); without it, the build cache's cards/."""
    folder = os.environ.get(CARD_CACHE_ENV)
    return Path(folder) if folder else cache_dir("cards")  # cards.write_card makes its folders


def cache_dir(name: str) -> Path:
    """A cache folder kept between builds, never in the source tree: the build
    driver points INFOHUB_CACHE_DIR at site/.cache/; a plain `mkdocs build`
    uses the system's temporary folder."""
    base = os.environ.get("INFOHUB_CACHE_DIR") or os.path.join(tempfile.gettempdir(), "infohub-cache")
    folder = Path(base) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
