"""Which servers a channel may contact.

office.yml is written by each office's own team, so an address in it is
untrusted: it could point the publisher, and the token it sends, at a
machine inside the runner's network. A channel's server must be https, a
name (not a bare private address), and must not resolve to a private,
loopback, link-local or otherwise non-public address.

``make check`` sees the address only as written (it runs offline);
``make publish`` resolves the name just before the first request.

The one exception is an origin the operator names in INFOHUB_LOCAL_API
(an address on this machine: the tests' fake server, a local relay). It is
read from the process environment, which office.yml cannot reach.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

LOCAL_API_ENV = "INFOHUB_LOCAL_API"
# names that never lead to the public internet
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def local_api_origins() -> set[str]:
    """The origins the operator allows on this machine (comma-separated in INFOHUB_LOCAL_API)."""
    return {_origin(item.strip()) for item in os.environ.get(LOCAL_API_ENV, "").split(",") if item.strip()}


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refusal(url: str) -> str | None:
    """Why ``url`` may not be a channel's server, as a form name (locales 'form.*'), or None.

    Looks at the address as written only: no name is resolved here.
    """
    if _origin(url) in local_api_origins():
        return None
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "api_url"
    if parts.username is not None or parts.password is not None:
        return "api_url_credentials"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "api_url"
    try:
        if not is_public_address(host):
            return "api_url_private"
        return None  # a public address written as digits
    except ValueError:
        pass  # a name, not an address
    if host == "localhost" or host.endswith(_PRIVATE_SUFFIXES) or "." not in host:
        return "api_url_private"
    return None


class PrivateAddress(Exception):
    """The server's name resolves to an address that is not public."""


def check_resolves_public(url: str) -> None:
    """Resolve the server's name; raise PrivateAddress if any of its addresses is not public.

    Done just before the first request to that server, so a name that was public
    when office.yml was reviewed and now points inside the network is refused.
    """
    if _origin(url) in local_api_origins():
        return
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return  # not resolvable: the request itself will fail with a network error
    for info in infos:
        if not is_public_address(info[4][0]):
            raise PrivateAddress(parts.hostname)
