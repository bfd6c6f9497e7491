"""``rankl-kg serve``: registered from server/ through an entry point, its options, its errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.constants import CURRENT_RELEASE_LINK, INFERRED_GRAPH_FILENAME
from tests.server.conftest import MINI_KG_PATH

SERVE_OPTIONS = (
    "--host",
    "--port",
    "--rebuild",
    "--backend",
    "--store-path",
    "--remote-url",
    "--remote-default-graph",
    "--content-dir",
    "--dist-dir",
)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A dist/ whose current release is the mini graph (an ad-hoc graph, no manifest)."""
    current = tmp_path / CURRENT_RELEASE_LINK
    current.mkdir()
    shutil.copy(MINI_KG_PATH, current / INFERRED_GRAPH_FILENAME)
    return tmp_path


def test_serve_is_a_command_of_rankl_kg() -> None:
    listing = CliRunner().invoke(main, ["--help"])
    assert listing.exit_code == 0
    assert "serve" in listing.output


def test_serve_help_lists_every_option() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    for option in SERVE_OPTIONS:
        assert option in result.output
    assert "[oxigraph|rdflib|remote]" in result.output


def test_a_bad_setting_is_one_line_without_traceback(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RANKL_KG_QUERY_TIMEOUT_S", "0")
    result = CliRunner().invoke(main, ["serve", "--dist-dir", str(dist)])
    assert result.exit_code == 1
    assert (
        "Error: cannot serve: setting QUERY_TIMEOUT_S must be a positive number, got '0' "
        "(set RANKL_KG_QUERY_TIMEOUT_S to e.g. 20.0)"
    ) in result.output
    assert "Traceback" not in result.output


def test_remote_without_url_names_the_fix(dist: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--dist-dir", str(dist), "--backend", "remote"])
    assert result.exit_code == 1
    assert "STORE_BACKEND=remote needs REMOTE_ENDPOINT_URL" in result.output
