"""The command line on the real content: ``verify-quotes`` with no argument checks the curated
quotes against the review texts in sources/ (the command line itself is tested on the fixture
content in tests/test_packaging.py)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.constants import SOURCES_DIR


def test_verify_quotes_needs_no_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RANKL_KG_SEEDS_DIR", raising=False)
    assert sorted(path.name for path in SOURCES_DIR.glob("*.txt")) == [
        "000_28d31b0c3fed9ae1.txt",
        "002_75d7dbf44d9d9847.txt",
    ]
    result = CliRunner().invoke(main, ["verify-quotes"])
    assert result.exit_code == 0, result.output
    assert ", 0 problem(s)." in result.output
