"""Who the client is, for the per-client budgets (docs/security.md T13), behind reverse proxies.

Without ``TRUSTED_PROXIES`` the client is the direct peer (``REMOTE_ADDR``) and
``X-Forwarded-For`` is ignored: anyone can write that header. Behind a reverse proxy every
request comes from the proxy's address, so all users would share one budget; list the proxy's
address (or network) in ``TRUSTED_PROXIES`` and the client is read from ``X-Forwarded-For``
the way werkzeug's ``ProxyFix`` and nginx's ``real_ip_recursive`` read it: only when the direct
peer is trusted, walking the addresses from the right (each proxy appends its own peer) past
every trusted one; the right-most untrusted address is the client. Addresses to its left were
written by the client itself and are never believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

#: A network of trusted proxies (an address is a /32 or /128 network)
ProxyNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: The client key of a request without any usable address
UNKNOWN_CLIENT = "unknown"


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address from one ``X-Forwarded-For`` entry, or ``None`` if it is none.

    IPv4-mapped IPv6 addresses (``::ffff:10.0.0.1``) are read as the IPv4 address, so one
    client has one key whichever way a proxy writes it.
    """
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class TrustedProxies:
    """Identifies the client of a request from its peer address and ``X-Forwarded-For``."""

    def __init__(self, networks: Iterable[ProxyNetwork]) -> None:
        self.networks = tuple(networks)

    def trusts(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        """Whether ``address`` is one of the trusted proxies."""
        return any(address in network for network in self.networks)

    def client_of(self, remote_addr: str | None, forwarded_for: Iterable[str] = ()) -> str:
        """The client address of a request from ``remote_addr`` carrying the
        ``X-Forwarded-For`` header values ``forwarded_for`` (in the order received).

        The right-most address that is not a trusted proxy is the client; if every address is
        trusted, the left-most one; an entry that is no IP address ends the walk, and the last
        trusted address before it is the client (the proxy that received the request from
        something it could not name).
        """
        peer = parse_address(remote_addr) if remote_addr else None
        if peer is None:
            return remote_addr or UNKNOWN_CLIENT
        if not self.networks or not self.trusts(peer):
            return str(peer)
        hops = [entry for value in forwarded_for for entry in value.split(",") if entry.strip()]
        client = peer
        for entry in reversed(hops):
            address = parse_address(entry)
            if address is None:
                break
            client = address
            if not self.trusts(address):
                break
        return str(client)
