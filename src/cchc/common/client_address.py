"""The client's address: the one resolver every limit keys on (login lockout, lookups, feedback).

Without configuration the address is ``REMOTE_ADDR``, the peer of the TCP connection: a client
cannot forge it. Behind a reverse proxy every request comes from the proxy, so all clients would
share one address; the proxy then names the real client in ``X-Forwarded-For``. That header is
written by whoever sends the request, so it is believed only when the connection comes from a
proxy listed in ``CCHC_TRUSTED_PROXIES`` (addresses or CIDR networks, comma separated), and only
as far as the proxies go: the header is read from the right, each hop added by a trusted proxy is
stepped over, and the first hop not in the list is the client. What a client wrote to the left of
that is never read, so a forged header gains nothing.

``resolve`` is plain Python (no Django) so the rule can be tested on its own; ``client_address``
applies it to a request with the configured proxies.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from cchc.conf import conf

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """``["10.0.0.5", "172.16.0.0/12", "fd00::/8"]`` as networks; ValueError names a bad entry."""
    networks = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError as error:
            raise ValueError(f"not an IP address or CIDR network: {text!r}") from error
        networks.append(network)
    return tuple(networks)


def parse_address(value: str | None) -> Address | None:
    """An address from a header hop: ``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:443``, …"""
    text = (value or "").strip().strip('"')
    if text.startswith("[") and "]" in text:  # bracketed IPv6, maybe with a port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def resolve(
    remote_addr: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """The client address for a connection from ``remote_addr`` carrying ``forwarded_for``."""
    peer = parse_address(remote_addr)
    if peer is None:
        return (remote_addr or "").strip()
    if not trusted or not forwarded_for or not _trusted(peer, trusted):
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = parse_address(hop)
        if address is None:  # garbage where a trusted proxy should have written an address
            break
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(conf.TRUSTED_PROXIES))


def client_address(request) -> str:
    """The client address of a Django (or DRF) request; ``""`` without a request."""
    if request is None:
        return ""
    meta = request.META
    return resolve(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"), trusted_proxies())
