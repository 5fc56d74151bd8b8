"""The client address: REMOTE_ADDR unless the connection comes from a trusted proxy."""

import pytest
from django.test import RequestFactory

from cchc.common.client_address import client_address, parse_networks, resolve

PROXIES = parse_networks(["10.9.0.0/24", "192.0.2.1", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # No forwarded header, or a peer that is not a trusted proxy: the peer.
        ("203.0.113.5", None, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1, 10.9.0.2", "203.0.113.5"),
        # A trusted proxy names the client.
        ("10.9.0.2", "198.51.100.1", "198.51.100.1"),
        ("fd00::1", "198.51.100.1", "198.51.100.1"),
        # Two trusted proxies in a row: the first hop that is not one is the client.
        ("10.9.0.2", "198.51.100.1, 192.0.2.1", "198.51.100.1"),
        # What the client wrote in front of the proxy's hop is never read.
        ("10.9.0.2", "1.1.1.1, 8.8.8.8, 198.51.100.1", "198.51.100.1"),
        ("10.9.0.2", "10.9.0.77, 198.51.100.1", "198.51.100.1"),
        # Only proxies on the way: the left-most of them.
        ("10.9.0.2", "10.9.0.3", "10.9.0.3"),
        # Ports, brackets and IPv4-mapped IPv6 are understood.
        ("10.9.0.2", "198.51.100.1:5123", "198.51.100.1"),
        ("10.9.0.2", "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:10.9.0.2", "198.51.100.1", "198.51.100.1"),
        # Garbage where a proxy should have written an address: stop at the proxy.
        ("10.9.0.2", "unknown", "10.9.0.2"),
        ("10.9.0.2", "", "10.9.0.2"),
    ],
)
def test_resolve(remote, forwarded, expected):
    assert resolve(remote, forwarded, PROXIES) == expected


def test_nothing_trusted_by_default_means_the_peer():
    assert resolve("10.9.0.2", "198.51.100.1", ()) == "10.9.0.2"


def test_bad_entries_are_named():
    with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
        parse_networks(["10.0.0.0/8", "10.0.0.300"])
    assert parse_networks(["", " 10.0.0.5 "]) == parse_networks(["10.0.0.5/32"])


def test_client_address_reads_the_settings(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    settings.CCHC_TRUSTED_PROXIES = []
    assert client_address(request) == "10.9.0.2"
    settings.CCHC_TRUSTED_PROXIES = ["10.9.0.0/24"]
    assert client_address(request) == "198.51.100.1"
    assert client_address(None) == ""
