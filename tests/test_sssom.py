"""The SSSOM export of every entity link reads back with the sssom package."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from sssom.parsers import parse_sssom_table

from kg.build.xrefs import load_reference
from kg.checks.links import entity_links
from kg.exports.sssom import sssom_tsv


@pytest.fixture(scope="module")
def sssom_file(fixture_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sssom") / "rankl-kg.sssom.tsv"
    path.write_bytes(sssom_tsv(fixture_graph))
    return path


def test_sssom_reads_back_with_one_row_per_link(sssom_file: Path, fixture_graph: Graph) -> None:
    mapping_set = parse_sssom_table(sssom_file)
    frame = mapping_set.df
    links = [link for link in entity_links(fixture_graph) if link.curie is not None]
    assert len(frame) == len(links)
    assert set(frame["predicate_id"]) == {"skos:exactMatch"}
    assert set(frame["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    assert sorted(frame["object_id"]) == sorted(
        link.curie for link in links if link.curie is not None
    )


def test_sssom_curies_expand_to_the_graphs_iris(sssom_file: Path, fixture_graph: Graph) -> None:
    mapping_set = parse_sssom_table(sssom_file)
    converter = mapping_set.converter
    expanded = {
        (converter.expand(row.subject_id), converter.expand(row.object_id))
        for row in mapping_set.df.itertuples()
    }
    assert expanded == {(str(link.subject), str(link.iri)) for link in entity_links(fixture_graph)}


def test_sssom_object_labels_are_the_reference_labels(sssom_file: Path) -> None:
    reference = load_reference()
    frame = parse_sssom_table(sssom_file).df
    for row in frame.itertuples():
        if row.object_id in reference:
            assert row.object_label == reference[row.object_id].label


def test_sssom_export_is_deterministic(fixture_graph: Graph) -> None:
    assert sssom_tsv(fixture_graph) == sssom_tsv(fixture_graph)
