"""Malformed content fails loudly: an error naming file, row and field; nothing is written."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.build.graph import build_data_graph
from kg.checks.anchoring import verify_quotes
from kg.cli import main
from kg.errors import ContentError, InvalidContentError


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
    result = CliRunner().invoke(
        main, ["build", "--content-dir", str(content_dir), "--dist-dir", str(dist)]
    )
    assert result.exit_code == 1
    assert "trials.yaml, row 1, field 'nct'" in result.output
    assert not dist.exists() or not any(dist.iterdir())


# --- the catalogue: one case per kind of malformed content (content/README.md, "Errors") ------


def replace_text(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a table's text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def replace_bytes(path: Path, old: bytes, new: bytes) -> None:
    """Replace the first ``old`` in a table's bytes (to write what is not UTF-8)."""
    content = path.read_bytes()
    assert old in content, f"{old!r} not in {path.name}"
    path.write_bytes(content.replace(old, new, 1))


def edit_yaml(path: Path, index: int, **changes: object) -> None:
    """Change fields of one record (0-based) of a YAML table."""
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[index].update(changes)
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")


def mutate_regimen_dose(content_dir: Path, dose: dict[str, object]) -> None:
    path = content_dir / "trials.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["regimens"][0]["dose"] = dose
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")


def drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[name for name in rows[0] if name != column])
        writer.writeheader()
        writer.writerows(
            {key: value for key, value in row.items() if key != column} for row in rows
        )


def add_column(path: Path, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], column])
        writer.writeheader()
        writer.writerows({**row, column: value} for row in rows)


def first_error(content_dir: Path) -> ContentError:
    """Build and return the first error reported (errors keep file and row order)."""
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    return caught.value.errors[0]


#: id -> (how to break the fixture content, (file, row, field) of the first error, message
#: fragment)
CATALOGUE: dict[str, tuple[Callable[[Path], object], tuple[str, int | None, str | None], str]] = {
    "file-missing": (
        lambda d: (d / "genes.csv").unlink(),
        ("genes", None, None),
        "expected exactly one of genes.csv or genes.yaml, found 0",
    ),
    "file-twice": (lambda d: (d / "genes.yaml").write_text("[]"), ("genes", None, None), "found 2"),
    "not-utf8": (
        lambda d: replace_bytes(d / "anatomy.csv", b"bone", b"b\xf6ne"),
        ("anatomy.csv", None, None),
        "not UTF-8: byte 0xf6 on line 2",
    ),
    "csv-missing-required-column": (
        lambda d: drop_column(d / "genes.csv", "label"),
        ("genes.csv", 2, "label"),
        "Field required",
    ),
    "csv-unknown-column": (
        lambda d: add_column(d / "genes.csv", "colour", "red"),
        ("genes.csv", 2, "colour"),
        "Extra inputs are not permitted",
    ),
    "csv-too-many-cells": (
        lambda d: replace_text(
            d / "genes.csv",
            "receptor activator nuclear factor-κB ligand",
            "receptor activator nuclear factor-κB ligand,extra",
        ),
        ("genes.csv", 2, None),
        "more cells than header columns",
    ),
    "csv-too-few-cells": (
        lambda d: replace_text(d / "cell_expression.csv", ",,,,anatomy:bone-tissue\n", ",,\n"),
        ("cell_expression.csv", 2, None),
        "fewer cells than header columns",
    ),
    "yaml-syntax": (
        lambda d: (d / "trials.yaml").write_text("- nct: NCT00321464\n  phase: [III\n"),
        ("trials.yaml", None, None),
        "line 3",
    ),
    "yaml-not-a-list": (
        lambda d: (d / "trials.yaml").write_text("nct: NCT00321464\n"),
        ("trials.yaml", None, None),
        "expected a YAML list of records",
    ),
    "yaml-record-not-a-mapping": (
        lambda d: (d / "trials.yaml").write_text("- NCT00321464\n"),
        ("trials.yaml", 1, None),
        "expected a mapping of field: value",
    ),
    "required-field-empty": (
        lambda d: edit_trial(d, title=""),
        ("trials.yaml", 1, "title"),
        "at least 1 character",
    ),
    "required-field-null": (
        lambda d: edit_trial(d, title=None),
        ("trials.yaml", 1, "title"),
        "valid string",
    ),
    "wrong-type": (
        lambda d: edit_yaml(d / "publications.yaml", 0, year="twenty sixteen"),
        ("publications.yaml", 1, "year"),
        "valid integer",
    ),
    "closed-list-polarity": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, polarity="maybe"),
        ("cell_expression.csv", 2, "polarity"),
        "'supports' or 'refutes'",
    ),
    "closed-list-species": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, species="dog"),
        ("cell_expression.csv", 2, "species"),
        "'human', 'mouse' or 'rat'",
    ),
    "closed-list-model": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, model="in-silico"),
        ("cell_expression.csv", 2, "model"),
        "'patients'",
    ),
    "eco-pattern": (lambda d: edit_trial(d, eco="ECO:33"), ("trials.yaml", 1, "eco"), "ECO:"),
    "gene-symbol-pattern": (
        lambda d: edit_csv(d / "genes.csv", 0, id="TNF SF11"),
        ("genes.csv", 2, "id"),
        "should match pattern",
    ),
    "doi-pattern": (
        lambda d: edit_yaml(d / "publications.yaml", 0, doi="doi:10.1042/BSR20160150"),
        ("publications.yaml", 1, "doi"),
        "should match pattern",
    ),
    "pmid-pattern": (
        lambda d: edit_yaml(d / "publications.yaml", 0, pmid="PMID27279652"),
        ("publications.yaml", 1, "pmid"),
        "should match pattern",
    ),
    "curie-syntax": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, context="bone tissue"),
        ("cell_expression.csv", 2, "context.0"),
        "'bone tissue' is not a context reference: write kind:id",
    ),
    "reference-of-wrong-kind": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, subject="gene:TNFSF11"),
        ("cell_expression.csv", 2, "subject"),
        "is a gene",
    ),
    "context-of-wrong-kind": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, context="publication:renema-2016"),
        ("cell_expression.csv", 2, "context.0"),
        "is a publication; a context is",
    ),
    "unknown-context-entity": (
        lambda d: edit_csv(d / "cell_expression.csv", 0, context="anatomy:skull"),
        ("cell_expression.csv", 2, "context.0"),
        "unknown anatomy 'skull'",
    ),
    "xref-of-wrong-resource": (
        lambda d: edit_csv(d / "genes.csv", 0, xrefs="MONDO:0004989"),
        ("genes.csv", 2, "xrefs"),
        "MONDO:0004989",
    ),
    "xref-curie-syntax": (
        lambda d: edit_csv(d / "genes.csv", 0, xrefs="HGNC 11926"),
        ("genes.csv", 2, "xrefs"),
        "HGNC 11926",
    ),
    "reference-range-backwards": (
        lambda d: edit_csv(d / "cancer_expression.csv", 0, refs="56-51"),
        ("cancer_expression.csv", 2, "refs"),
        "runs backwards",
    ),
    "quantity-value-and-range": (
        lambda d: mutate_regimen_dose(d, {"value": 120, "min": 30, "unit": "mg"}),
        ("trials.yaml", 1, "regimens.0.dose"),
        "either value, or min and/or max",
    ),
    "quantity-unknown-unit": (
        lambda d: mutate_regimen_dose(d, {"value": 120, "unit": "grain"}),
        ("trials.yaml", 1, "regimens.0.dose.unit"),
        "Input should be",
    ),
    "quantity-comparator-without-its-bound": (
        lambda d: mutate_regimen_dose(d, {"value": 500, "unit": "mg", "comparator": "more-than"}),
        ("trials.yaml", 1, "regimens.0.dose"),
        "'more-than' goes with a min",
    ),
    "quote-without-anchor": (
        lambda d: edit_csv(d / "genes.csv", 0, quote="RANKL, said nobody"),
        ("genes.csv", 2, "quote"),
        "quote has no anchor",
    ),
    "anchors-file-malformed": (
        lambda d: replace_text(d / "quote_anchors.tsv", "\t801\t", "\tearly\t"),
        ("quote_anchors.tsv", 2, "start"),
        "malformed anchor row",
    ),
}


@pytest.mark.parametrize("kind", sorted(CATALOGUE))
def test_each_kind_of_malformed_content_names_file_row_and_field(
    content_dir: Path, kind: str
) -> None:
    breaks, (name, row, field), fragment = CATALOGUE[kind]
    breaks(content_dir)
    error = first_error(content_dir)
    assert (error.path.name, error.row, error.field) == (name, row, field), error
    assert fragment in error.message, error
    assert str(error).startswith(f"{error.path}{f', row {row}' if row else ''}")


def test_anchor_in_another_text_names_file_and_row(content_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "000_28d31b0c3fed9ae1.txt"
    source.write_text(
        "an edited copy of the review: receptor activator nuclear factor-κB ligand\n",
        encoding="utf-8",
    )
    _, problems = verify_quotes(content_dir, [source])
    assert any(
        problem.startswith(
            "genes.csv, row 2, field 'quote': anchored in a different text of renema-2016"
        )
        for problem in problems
    ), problems
