"""Protein features on the fixture content: what the shapes and the builder refuse (the real
features are pinned in tests/content/test_protein_features.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.build.graph import build_data_graph
from kg.errors import InvalidContentError
from kg.namespaces import RKO, mint
from tests._hedged import violations_at


def test_domain_without_protein_fails(fixture_graph: Graph) -> None:
    domain = mint("protein", "TNFRSF11B/domain/heparin-binding-domain")
    cut = Graph()
    for triple in fixture_graph:
        if triple[1] != RKO.hasDomain:
            cut.add(triple)
    assert "MinCountConstraintComponent" in violations_at(cut, domain)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "  oligomer: homotrimer\n",
            (
                "give exactly one of topology, oligomer, signal_peptide, domain; got topology, "
                "oligomer"
            ),
        ),
        ("  repeats: 4\n", "give 'domain' too"),
    ],
)
def test_row_with_two_features_or_a_stray_domain_field_is_refused(
    content_dir: Path, extra: str, message: str
) -> None:
    table = content_dir / "protein_features.yaml"
    text = table.read_text(encoding="utf-8")
    table.write_text(
        text.replace("  topology: type-ii-membrane\n", "  topology: type-ii-membrane\n" + extra, 1),
        encoding="utf-8",
    )
    with pytest.raises(InvalidContentError) as raised:
        build_data_graph(content_dir)
    assert "protein_features.yaml, row 1" in str(raised.value)
    assert message in str(raised.value)
