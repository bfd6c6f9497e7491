"""Malformed content fails loudly: an error naming file, row and field; nothing is written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InvalidContentError
from kg.pipeline import build_data_graph


def edit_trial(content_dir: Path, **changes: object) -> None:
    """Change fields of the first trial record of the fixture content."""
    path = content_dir / "trials.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0].update(changes)
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")


def edit_csv(path: Path, row_index: int, **changes: str) -> None:
    """Change cells of one data row (0-based) of a CSV table."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row_index].update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def build_error(content_dir: Path) -> tuple[str, int | None, str | None, str]:
    """Build and return (file name, row, field, message) of the single error raised."""
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    assert len(caught.value.errors) == 1, caught.value
    error = caught.value.errors[0]
    return error.path.name, error.row, error.field, error.message


def test_bad_nct_number(content_dir: Path) -> None:
    edit_trial(content_dir, nct="NCT0032146")
    name, row, field, message = build_error(content_dir)
    assert (name, row, field) == ("trials.yaml", 1, "nct")
    assert "NCT" in message


def test_non_integer_enrollment(content_dir: Path) -> None:
    edit_trial(content_dir, enrollment="about 2000")
    assert build_error(content_dir)[:3] == ("trials.yaml", 1, "enrollment")


def test_non_positive_enrollment(content_dir: Path) -> None:
    edit_trial(content_dir, enrollment=0)
    assert build_error(content_dir)[:3] == ("trials.yaml", 1, "enrollment")


def test_phase_outside_closed_list(content_dir: Path) -> None:
    edit_trial(content_dir, phase="IV")
    assert build_error(content_dir)[:3] == ("trials.yaml", 1, "phase")


def test_missing_quote(content_dir: Path) -> None:
    edit_csv(content_dir / "cancer_expression.csv", 1, quote="")
    name, row, field, message = build_error(content_dir)
    assert (name, row, field) == ("cancer_expression.csv", 3, "quote")
    assert "required" in message.lower()


def test_unknown_entity_reference(content_dir: Path) -> None:
    edit_csv(content_dir / "cancer_expression.csv", 0, cancer="lung-cancer")
    name, row, field, message = build_error(content_dir)
    assert (name, row, field) == ("cancer_expression.csv", 2, "cancer")
    assert "unknown disease 'lung-cancer'" in message


def test_unknown_drug_in_trial(content_dir: Path) -> None:
    edit_trial(content_dir, drugs=["denosumab", "zoledronic-acid", "aspirin"])
    assert build_error(content_dir)[:3] == ("trials.yaml", 1, "drugs.2")


def test_unknown_publication(content_dir: Path) -> None:
    edit_csv(content_dir / "genes.csv", 0, source="smith-2020")
    name, row, field, message = build_error(content_dir)
    assert (name, row, field) == ("genes.csv", 2, "source")
    assert "publications.yaml" in message


def test_unverified_xref(content_dir: Path) -> None:
    edit_csv(content_dir / "genes.csv", 0, xrefs="HGNC:99999 | NCBIGene:8600")
    name, row, field, message = build_error(content_dir)
    assert (name, row, field) == ("genes.csv", 2, "xrefs")
    assert "HGNC:99999" in message


def test_malformed_reference_numbers(content_dir: Path) -> None:
    edit_csv(content_dir / "cancer_expression.csv", 0, refs="51-")
    assert build_error(content_dir)[:3] == ("cancer_expression.csv", 2, "refs")


def test_duplicate_entity_id(content_dir: Path) -> None:
    edit_csv(content_dir / "diseases.csv", 1, id="breast-carcinoma")
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    first = caught.value.errors[0]
    assert (first.path.name, first.row, first.field) == ("diseases.csv", 3, "id")
    assert "duplicate disease id 'breast-carcinoma'" in first.message


def test_quantity_range_backwards(content_dir: Path) -> None:
    path = content_dir / "trials.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["regimens"][1]["dose"] = {"min": 180, "max": 30, "unit": "mg"}
    path.write_text(yaml.safe_dump(records), encoding="utf-8")
    assert build_error(content_dir)[:3] == ("trials.yaml", 1, "regimens.1.dose")


def test_all_errors_are_reported_together(content_dir: Path) -> None:
    edit_trial(content_dir, nct="bad", enrollment=-3)
    edit_csv(content_dir / "cancer_expression.csv", 0, gene="NOPE")
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    assert {(e.path.name, e.field) for e in caught.value.errors} == {
        ("trials.yaml", "nct"),
        ("trials.yaml", "enrollment"),
        ("cancer_expression.csv", "gene"),
    }


def test_cli_build_fails_without_writing(content_dir: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    edit_trial(content_dir, nct="NCT123")
    result = CliRunner().invoke(main, ["build", "--content-dir", str(content_dir), "--dist-dir", str(dist)])
    assert result.exit_code == 1
    assert "trials.yaml, row 1, field 'nct'" in result.output
    assert not dist.exists() or not any(dist.iterdir())
