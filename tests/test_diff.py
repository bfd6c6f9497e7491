"""Release diffs: assertions added, removed and changed (by evidence) between two builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.cli import main
from kg.constants import GRAPH_FILENAME, RELEASES_DIRNAME
from kg.exports.canonical import to_turtle
from kg.namespaces import RKO, add_replacement, mint, mint_hashed
from kg.release.diff import CHANGELOG_FILENAME, diff_graphs, load_release, release_changelog
from kg.release.publish import swap_current

EXPRESSES = (mint("disease", "breast-carcinoma"), RKO.expresses, mint("gene", "TNFSF11"))


def with_assertion(
    graph: Graph, triple: tuple[URIRef, URIRef, URIRef], quote: str, section: str = "Table 1"
) -> Graph:
    """Add ``triple`` and one evidence node for it (named by its quote) to ``graph``."""
    node = mint_hashed("assertion", *triple, quote)
    graph.add(triple)
    for predicate, value in (
        (RDF.subject, triple[0]),
        (RDF.predicate, triple[1]),
        (RDF.object, triple[2]),
    ):
        graph.add((node, predicate, value))
    graph.add((node, RDF.type, RKO.Assertion))
    graph.add((node, RKO.quote, Literal(quote)))
    graph.add((node, RKO.section, Literal(section)))
    return graph


def test_identical_builds_have_no_changes(fixture_graph: Graph) -> None:
    assert diff_graphs(fixture_graph, fixture_graph) == []


def test_added_and_removed_assertions() -> None:
    old = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")
    other = (mint("disease", "breast-carcinoma"), RKO.expresses, mint("gene", "TNFRSF11A"))
    new = with_assertion(Graph(), other, "Breast carcinoma [57–60]")
    changes = diff_graphs(old, new)
    assert [(c.change, c.object) for c in changes] == [
        ("added", "gene:TNFRSF11A"),
        ("removed", "gene:TNFSF11"),
    ]
    assert changes[0].evidence_added[0].quote == "Breast carcinoma [57–60]"


def test_changed_evidence_lists_what_went_and_what_came() -> None:
    old = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")
    new = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]", section="Table 2")
    [change] = diff_graphs(old, new)
    assert change.change == "changed"
    assert [e.section for e in change.evidence_removed] == ["Table 1"]
    assert [e.section for e in change.evidence_added] == ["Table 2"]


def test_fixture_graph_against_an_empty_release_adds_every_assertion(fixture_graph: Graph) -> None:
    changes = diff_graphs(Graph(), fixture_graph)
    triples = {
        (s, p, o)
        for a in fixture_graph.subjects(RDF.type, RKO.Assertion)
        for s, p, o in [
            (
                fixture_graph.value(a, RDF.subject),
                fixture_graph.value(a, RDF.predicate),
                fixture_graph.value(a, RDF.object),
            )
        ]
    }
    added = [change for change in changes if change.change == "added"]
    assert len(added) == len(triples) > 0
    assert {change.change for change in changes} == {"added", "replaced"}


def published(dist: Path, graph: Graph, changelog: bytes) -> Path:
    """Make ``graph`` and its changelog the current release of ``dist``."""
    release = dist / RELEASES_DIRNAME / "r1"
    release.mkdir(parents=True)
    (release / GRAPH_FILENAME).write_bytes(to_turtle(graph))
    (release / CHANGELOG_FILENAME).write_bytes(changelog)
    swap_current(dist, release)
    return release


def test_release_changelog_is_carried_over_when_nothing_changed(tmp_path: Path) -> None:
    old = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")
    first = release_changelog(old, tmp_path)
    published(tmp_path, old, first.content)
    assert release_changelog(old, tmp_path).content == first.content
    assert b"added\tdisease:breast-carcinoma\trko:expresses\tgene:TNFSF11" in first.content


def test_release_changelog_is_against_the_current_release(tmp_path: Path) -> None:
    old = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")
    published(tmp_path, old, release_changelog(old, tmp_path).content)
    new = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]", section="Table 2")
    assert release_changelog(new, tmp_path).content.splitlines()[1].startswith(b"changed\t")


def test_load_release_of_a_dist_folder_reads_its_current_release(tmp_path: Path) -> None:
    graph = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")
    published(tmp_path, graph, b"")
    assert len(load_release(tmp_path)) == len(graph)


def test_load_release_names_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=GRAPH_FILENAME):
        load_release(tmp_path)


def test_cli_diff_prints_the_changelog(tmp_path: Path) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_bytes(to_turtle(Graph()))
    new.write_bytes(to_turtle(with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")))
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "added\tdisease:breast-carcinoma\trko:expresses\tgene:TNFSF11" in result.stdout
    assert "1 added, 0 removed, 0 changed" in result.stderr


def test_a_replaced_iri_is_listed_once_and_its_assertions_are_not_readded() -> None:
    old_iri = URIRef("https://w3id.org/rankl-kg/trial/NCT00321464/regimen/1")
    new_iri = mint("trial", "NCT00321464-regimen-1")
    trial = mint("trial", "NCT00321464")
    old = with_assertion(Graph(), (trial, RKO.hasDoseRegimen, old_iri), "NCT00321464 III")
    new = with_assertion(Graph(), (trial, RKO.hasDoseRegimen, new_iri), "NCT00321464 III")
    add_replacement(new, old_iri, new_iri)
    [change] = diff_graphs(old, new)
    assert (change.change, change.subject, change.predicate, change.object) == (
        "replaced",
        "trial:NCT00321464/regimen/1",
        "dcterms:isReplacedBy",
        "trial:NCT00321464-regimen-1",
    )
    assert diff_graphs(new, new) == []


def test_diff_command_counts_replaced_iris(tmp_path: Path) -> None:
    old_iri = URIRef("https://w3id.org/rankl-kg/drug/denosumab/comparison/x")
    new = with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]")
    add_replacement(new, old_iri, mint("drug", "denosumab-comparison-x"))
    old_file, new_file = tmp_path / "old.ttl", tmp_path / "new.ttl"
    with_assertion(Graph(), EXPRESSES, "Breast carcinoma [51–56]").serialize(old_file)
    new.serialize(new_file)
    result = CliRunner().invoke(main, ["diff", str(old_file), str(new_file)])
    assert result.exit_code == 0, result.output
    assert "replaced\tdrug:denosumab/comparison/x\tdcterms:isReplacedBy" in result.output
    assert "0 added, 0 removed, 0 changed, 1 replaced" in result.output
