"""Reading curated tables: list and reference parsing, and errors that name file, row and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build.content import load_rows, parse_refs, split_list
from kg.builders.genes import GeneRecord
from kg.builders.trials import TrialRecord


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51", [51]),
        ("51–56", [51, 52, 53, 54, 55, 56]),
        ("63,79,80", [63, 79, 80]),
        ("51 - 53, 61; 70", [51, 52, 53, 61, 70]),
        ("", []),
    ],
)
def test_parse_refs(text: str, expected: list[int]) -> None:
    assert parse_refs(text) == expected


@pytest.mark.parametrize("text", ["51-", "a", "56-51"])
def test_parse_refs_rejects_malformed(text: str) -> None:
    with pytest.raises(ValueError, match="reference"):
        parse_refs(text)


def test_split_list_accepts_csv_cells_and_yaml_lists() -> None:
    assert split_list("RANKL | TRANCE |  | ODF") == ["RANKL", "TRANCE", "ODF"]
    assert split_list(["a", " b "]) == ["a", "b"]
    assert split_list(None) == []


def test_yaml_errors_name_record_and_nested_field(tmp_path: Path) -> None:
    path = tmp_path / "trials.yaml"
    path.write_text(
        "- nct: NCT1\n  phase: IV\n  condition: c\n  title: t\n  primary_outcome: o\n"
        "  enrollment: '12'\n  treatment: x\n  drugs: [d]\n  source: s\n  section: Table 2\n"
        "  quote: q\n",
        encoding="utf-8",
    )
    rows, errors = load_rows(path, TrialRecord)
    assert rows == []
    fields = {error.field for error in errors}
    assert fields == {"nct", "phase", "enrollment"}
    assert all(error.row == 1 and error.path == path for error in errors)
    assert str(errors[0]).startswith(f"{path}, row 1, field ")


def test_csv_row_with_too_many_cells_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "genes.csv"
    path.write_text("id,label\nTNFSF11,TNFSF11,extra\n", encoding="utf-8")
    _, errors = load_rows(path, GeneRecord)
    assert [(e.row, e.message) for e in errors] == [(2, "more cells than header columns")]
