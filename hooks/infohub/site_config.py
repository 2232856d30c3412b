"""What MkDocs is told to build for one site: the maintainers' base and validated data, nothing else.

An office's folder is untrusted input (see the threat model in the README). MkDocs reads its
configuration with a YAML loader that builds Python objects (``!!python/object/apply:os.system``
runs a command), and ``INHERIT`` lets a file replace whole lists: the hooks (the sanitiser
among them), the plugins, the Markdown extensions, or move ``docs_dir`` outside the checked
folder. So no office has a MkDocs configuration. Each site's is made here from

- the base ``mkdocs.yml`` (owned by the maintainers), read with a safe loader;
- for an office, its name and domain from the validated ``office.yml``;
- for the hub, the public address and the web editor's settings from ``offices/_hub/mkdocs.yml``
  (also the maintainers', also read with a safe loader, only the keys in ``HUB_SETTINGS``);

and written, with every path made absolute, to the build cache (``site/.cache/mkdocs/``), where
MkDocs reads it. ``docs_dir``, hooks, plugins, theme and extensions come from the base alone.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import paths
from .files import replace_file
from .yamlsource import YamlSyntaxError, load_yaml_file

BASE = "mkdocs.yml"
# What offices/_hub/mkdocs.yml may set; checks/editor_settings.py refuses anything else.
HUB_SETTINGS = ("site_url", "extra")
# The keys of the generated config that tell the hooks which site and repository they build.
SLUG_KEY, ROOT_KEY = "infohub_slug", "infohub_root"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _base(root: Path) -> dict:
    """The base configuration: the maintainers' file, with numbers and booleans as MkDocs
    expects them, so read with PyYAML's safe loader (no Python tags)."""
    data = yaml.load((root / BASE).read_text(encoding="utf-8"), Loader=_LOADER)
    return data if isinstance(data, dict) else {}


def read_hub_settings(root: Path) -> tuple[dict[str, Any] | None, Any]:
    """(the hub's settings file as written, its line map): ({}, None) without a file, (None, None)
    when it cannot be read. Read like every file an editor writes (yamlsource: values as
    strings, nothing constructed); a malformed file is `make check`'s to report
    (checks/editor_settings.py). The one reader of the file: hub_settings and hub_address use it."""
    file = paths.hub_settings_file(root)
    try:
        data, lines, _ = load_yaml_file(file, paths.rel(file))
    except OSError:
        return {}, None
    except YamlSyntaxError:
        return None, None
    return (data, lines) if isinstance(data, dict) else (None, None)


def hub_settings(root: Path) -> dict[str, Any]:
    """The hub's settings as written (only the keys in HUB_SETTINGS), {} without a readable file."""
    data = read_hub_settings(root)[0] or {}
    return {key: data[key] for key in HUB_SETTINGS if key in data}


def hub_url(root: Path) -> str | None:
    """The hub's public address (its settings' site_url), or None."""
    url = hub_settings(root).get("site_url")
    return url if isinstance(url, str) and url.strip() else None


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def config_data(slug: str, root: Path, site_name: str, site_url: str | None) -> dict[str, Any]:
    """The complete MkDocs configuration of one site, every path absolute."""
    root = root.resolve()
    config = _base(root)
    config["site_name"] = site_name
    if site_url:
        config["site_url"] = site_url
    config["docs_dir"] = str(root / "docs" if slug == paths.HUB_SLUG else root / "offices" / slug / "docs")
    config["hooks"] = [str(root / hook) for hook in config.get("hooks", [])]
    theme = config.setdefault("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(root / theme["custom_dir"])
    extra = config.setdefault("extra", {})
    if slug == paths.HUB_SLUG:
        hub_extra = hub_settings(root).get("extra")
        if isinstance(hub_extra, dict):
            extra = config["extra"] = _merge(extra, hub_extra)
    extra[SLUG_KEY], extra[ROOT_KEY] = slug, str(root)
    return config


def identity(site, root: Path) -> tuple[str, str | None]:
    """A site's name and address from its validated data (a sitedata.SiteData): an office's
    name and domain from office.yml, the hub's address from its settings."""
    if site.office is None:
        return site.name("id"), hub_url(root)
    return site.name("id"), f"https://{site.office.domain}/"


def write_config(slug: str, root: Path, name: str, url: str | None) -> Path:
    """Write the site's configuration to the build cache and return its path."""
    text = "# Made by infohub (hooks/infohub/site_config.py) for one build; not read again.\n" + \
        yaml.dump(config_data(slug, root, name, url), Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    target = paths.cache_dir("mkdocs") / f"{slug}.yml"
    replace_file(target, text.encode("utf-8"))
    return target


def load(slug: str, root: Path, name: str, url: str | None, **options):
    """The site's configuration, loaded and validated by the engine (``options`` as for
    its load_config, e.g. site_dir)."""
    from . import engine

    return engine.load_config(write_config(slug, root, name, url), **options)
