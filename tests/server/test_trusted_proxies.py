"""TRUSTED_PROXIES: the client of a request, for the per-client budgets, behind reverse proxies.

Unit tests of :class:`server.clients.TrustedProxies` and the setting, and through the app: one
client's budget does not throttle another behind the same proxy. The test through a real nginx
is ``tests/server/test_nginx_proxy.py``.
"""

from __future__ import annotations

import ipaddress

import pytest

from server.clients import TrustedProxies
from server.config import ConfigError
from server.state import ServerState
from tests.server.conftest import MINI_KG_PATH, close_workers, make_app

QUERY = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


def proxies(*networks: str) -> TrustedProxies:
    return TrustedProxies(ipaddress.ip_network(network) for network in networks)


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert proxies().client_of("10.0.0.5", ["6.6.6.6"]) == "10.0.0.5"


def test_an_untrusted_peer_cannot_name_another_client() -> None:
    assert proxies("127.0.0.1").client_of("10.0.0.5", ["6.6.6.6, 7.7.7.7"]) == "10.0.0.5"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() -> None:
    trusted = proxies("127.0.0.1", "10.0.0.0/8")
    # the client forged 1.1.1.1; the outer proxy 10.0.0.7 appended the client's real address
    assert trusted.client_of("127.0.0.1", ["1.1.1.1, 203.0.113.9, 10.0.0.7"]) == "203.0.113.9"
    assert trusted.client_of("127.0.0.1", ["203.0.113.9"]) == "203.0.113.9"


def test_several_header_lines_are_one_list_in_order() -> None:
    trusted = proxies("127.0.0.1", "10.0.0.0/8")
    assert trusted.client_of("127.0.0.1", ["203.0.113.9", "10.0.0.7"]) == "203.0.113.9"
    assert trusted.client_of("127.0.0.1", ["1.1.1.1", "203.0.113.9"]) == "203.0.113.9"


def test_when_every_address_is_trusted_the_left_most_is_the_client() -> None:
    trusted = proxies("10.0.0.0/8", "127.0.0.1")
    assert trusted.client_of("127.0.0.1", ["10.0.0.3, 10.0.0.7"]) == "10.0.0.3"


def test_a_trusted_peer_without_the_header_is_the_client() -> None:
    assert proxies("127.0.0.1").client_of("127.0.0.1", []) == "127.0.0.1"
    assert proxies("127.0.0.1").client_of("127.0.0.1", [" , "]) == "127.0.0.1"


def test_an_entry_that_is_no_address_ends_the_walk_at_the_last_trusted_hop() -> None:
    trusted = proxies("127.0.0.1", "10.0.0.0/8")
    assert trusted.client_of("127.0.0.1", ["203.0.113.9, unknown, 10.0.0.7"]) == "10.0.0.7"
    assert trusted.client_of("127.0.0.1", ["_hidden"]) == "127.0.0.1"


def test_ipv6_and_ipv4_mapped_addresses() -> None:
    trusted = proxies("::1", "fd00::/8")
    assert trusted.client_of("::1", ["2001:db8::1, fd00::2"]) == "2001:db8::1"
    assert trusted.client_of("::1", ["::ffff:203.0.113.9"]) == "203.0.113.9"
    assert proxies("127.0.0.1").client_of("::ffff:127.0.0.1", ["203.0.113.9"]) == "203.0.113.9"


def test_a_peer_that_is_no_address_is_its_own_key() -> None:
    assert proxies("127.0.0.1").client_of("unix-socket", ["203.0.113.9"]) == "unix-socket"
    assert proxies("127.0.0.1").client_of(None, ["203.0.113.9"]) == "unknown"


def test_the_setting_defaults_to_no_proxy() -> None:
    app = make_app()
    try:
        assert ServerState.of(app).settings.trusted_proxies == ()
    finally:
        close_workers(app)


def test_the_setting_reads_a_comma_separated_list_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RANKL_KG_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")
    app = make_app()
    try:
        assert [str(n) for n in ServerState.of(app).settings.trusted_proxies] == [
            "127.0.0.1/32",
            "10.0.0.0/8",
            "::1/128",
        ]
    finally:
        close_workers(app)


@pytest.mark.parametrize("bad", ["10.0.0.1/8", "proxy.example.org", "10.0.0.0/40"])
def test_a_bad_network_stops_the_start_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv("RANKL_KG_TRUSTED_PROXIES", bad)
    monkeypatch.setenv("RANKL_KG_GRAPH_PATH", str(MINI_KG_PATH))
    with pytest.raises(ConfigError, match="setting TRUSTED_PROXIES must be a comma-separated"):
        make_app()


def test_budgets_follow_the_forwarded_client_behind_a_trusted_proxy() -> None:
    """Two users behind one proxy: one over its budget gets 429, the other is served."""
    app = make_app({"TRUSTED_PROXIES": ["127.0.0.1"], "CLIENT_MAX_CONCURRENT": 1})
    client = app.test_client()
    throttle = ServerState.of(app).throttle

    def ask(forwarded_for: str) -> int:
        response = client.get(
            "/sparql",
            query_string={"query": QUERY + f" # {forwarded_for}"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        return response.status_code

    try:
        with throttle.admit("203.0.113.1"):  # a query of this user is running
            assert ask("203.0.113.1") == 429
            assert ask("203.0.113.2") == 200
            assert ask("1.1.1.1, 203.0.113.2") == 200  # a forged left part changes nothing
    finally:
        close_workers(app)


def test_without_trusted_proxies_users_behind_a_proxy_share_its_budget() -> None:
    app = make_app({"CLIENT_MAX_CONCURRENT": 1})
    client = app.test_client()
    try:
        with ServerState.of(app).throttle.admit("127.0.0.1"):
            response = client.get(
                "/sparql",
                query_string={"query": QUERY},
                headers={"X-Forwarded-For": "203.0.113.2"},
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            )
        assert response.status_code == 429
    finally:
        close_workers(app)
