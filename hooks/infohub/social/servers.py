"""Which servers a channel may contact.

office.yml is written by each office's own team, so an address in it is
untrusted: it could point the publisher, and the token it sends, at a
machine inside the runner's network. A channel's server must be https, a
name (not a bare private address), and must not resolve to a private,
loopback, link-local or otherwise non-public address.

``make check`` sees the address only as written (it runs offline);
``make publish`` resolves the name each time it opens a connection, refuses
it if any address is not public, and connects to exactly the address it
checked: a second lookup (a DNS rebinding) cannot move the request elsewhere.

The one exception is an origin the operator names in INFOHUB_LOCAL_API
(an address on this machine: the tests' fake server, a local relay). It is
read from the process environment, which office.yml cannot reach.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

import requests.adapters
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

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


def _checked_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to; PrivateAddress if any of them is not public."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not all(is_public_address(address) for address in addresses):
        raise PrivateAddress(host)
    return addresses


class _PublicOnly:
    """For urllib3's connections: the name is resolved once per connection, and
    the socket is opened to one of exactly the addresses checked."""

    scheme = "http"

    def _new_conn(self):
        host, port = self._dns_host, self.port
        origins = {f"{self.scheme}://{host}:{port}".lower()}
        if port == self.default_port:
            origins.add(f"{self.scheme}://{host}".lower())
        if origins & local_api_origins():
            return super()._new_conn()
        try:
            addresses = _checked_addresses(host, port)
        except socket.gaierror as error:
            raise urllib3.exceptions.NameResolutionError(self.host, self, error) from error
        try:
            for number, address in enumerate(addresses, 1):
                self._dns_host = address  # the TLS name checked stays self.host
                try:
                    return super()._new_conn()
                except urllib3.exceptions.NewConnectionError:
                    if number == len(addresses):
                        raise
        finally:
            self._dns_host = host
        raise urllib3.exceptions.NameResolutionError(self.host, self, socket.gaierror("no address"))


class _HttpConnection(_PublicOnly, urllib3.connection.HTTPConnection):
    pass


class _HttpsConnection(_PublicOnly, urllib3.connection.HTTPSConnection):
    scheme = "https"


class _HttpPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _HttpConnection


class _HttpsPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _HttpsConnection


class PublicOnlyAdapter(requests.adapters.HTTPAdapter):
    """A requests adapter whose connections reach public addresses only (or the
    operator's INFOHUB_LOCAL_API). A refused name raises PrivateAddress."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HttpPool, "https": _HttpsPool}
