"""Where things are in an infohub repository, and which sites it holds."""
from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

ROOT = Path(os.environ.get("INFOHUB_ROOT", Path(__file__).resolve().parents[2]))
OFFICES = ROOT / "offices"
NATIONAL = ROOT / "national"
HUB_DOCS = ROOT / "docs"
HUB_SLUG = "hub"
SITE = ROOT / "site"


def repo_of(path: Path) -> Path | None:
    """The repository a file belongs to: the nearest folder holding offices/ and national/."""
    return _repo_of_folder(Path(path).resolve().parent)


@functools.lru_cache(maxsize=4096)  # asked for every problem and page: one look per folder
def _repo_of_folder(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / "offices").is_dir() and (candidate / "national").is_dir():
            return candidate
    return None


def rel(path: Path) -> str:
    """A path as an editor sees it: relative to its repository, with '/'."""
    root = repo_of(path)
    return Path(path).resolve().relative_to(root).as_posix() if root else Path(path).as_posix()


def office_slugs(root: Path | None = None) -> list[str]:
    """Every office folder: offices/<slug>/ holding an office.yml, sorted."""
    offices = (root or ROOT) / "offices"
    return sorted(p.name for p in offices.iterdir()
                  if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "office.yml").exists())


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
    root = root or ROOT
    return [root / "national" / "pages", root / "offices" / slug / "docs"]


def site_config(slug: str, root: Path | None = None) -> Path:
    """offices/<slug>/mkdocs.yml; the hub's is offices/_hub/mkdocs.yml, two levels down like
    every office's, so the relative paths in the base mkdocs.yml (hooks, overrides) resolve alike."""
    offices = (root or ROOT) / "offices"
    return offices / ("_hub" if slug == HUB_SLUG else slug) / "mkdocs.yml"


def slug_of_config(config_file: str | Path) -> str:
    folder = Path(config_file).resolve().parent.name
    return HUB_SLUG if folder == "_hub" else folder


def cache_dir(name: str) -> Path:
    """A cache folder kept between builds, never in the source tree: the build
    driver points INFOHUB_CACHE_DIR at site/.cache/; a plain `mkdocs build`
    uses the system's temporary folder."""
    base = os.environ.get("INFOHUB_CACHE_DIR") or os.path.join(tempfile.gettempdir(), "infohub-cache")
    folder = Path(base) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
