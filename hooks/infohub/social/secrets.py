"""Which secret each channel uses, and what an office's publish process may see.

A channel's credential is never named in office.yml: its name is derived
from the office and the platform, ``<SLUG>_<PLATFORM>_TOKEN``
(imigrasiblitar + mastodon -> IMIGRASIBLITAR_MASTODON_TOKEN; for Bluesky it
holds the app password). An office's team can therefore only ever use its
own secrets: no value it writes can name the deploy key, GITHUB_TOKEN or
another office's token.

Each office is published by a process of its own whose environment holds
the few variables a Python program needs, infohub's own settings, and
that office's channel secrets; nothing else from the job's environment.
"""
from __future__ import annotations

import re
from typing import Mapping

# Platforms whose channel sends through an API with a credential.
CREDENTIAL_PLATFORMS = ("mastodon", "bluesky", "telegram", "facebook", "instagram", "x", "threads", "linkedin")

# What a Python program, TLS and a proxy need; none of these holds a secret.
_PASSED = {
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP",
    "SYSTEMROOT", "SYSTEMDRIVE", "COMSPEC", "PATHEXT", "WINDIR", "APPDATA", "LOCALAPPDATA", "USERPROFILE",
    "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONUTF8", "PYTHONIOENCODING", "PYTHONDONTWRITEBYTECODE",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    "SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING", "CI",
}
_PASSED_PREFIXES = ("LC_",)
# infohub's own settings (language, backoff, root, a local test server): none is a secret,
# and office.yml cannot set them.
_INFOHUB_SETTING = re.compile(r"INFOHUB_(LANG|ROOT|SOCIAL_BACKOFF|SOCIAL_TIMEOUT|LOCAL_API|CACHE_DIR)")


def env_prefix(slug: str) -> str:
    """IMIGRASI_BATAM for imigrasi-batam. One office's alone: an office's folder name is a slug
    (paths.is_office_slug, refused by the check otherwise), which holds no '_' and no capital."""
    return re.sub(r"[^A-Z0-9]", "_", slug.upper())


def secret_name(slug: str, platform: str) -> str:
    """The one variable that holds the credential of ``slug``'s channel on ``platform``."""
    return f"{env_prefix(slug)}_{platform.upper()}_TOKEN"


def office_environment(slug: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of ``slug``'s publish process: the basics and its own secrets only."""
    own = {secret_name(slug, platform) for platform in CREDENTIAL_PLATFORMS}
    return {name: value for name, value in environ.items()
            if name in own or name in _PASSED or name.startswith(_PASSED_PREFIXES)
            or _INFOHUB_SETTING.fullmatch(name)}
