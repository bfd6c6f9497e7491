"""Links: label agreement with the reference table, link coverage, and CURIE handling."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.build.graph import build_data_graph
from kg.build.labels import label_problem, normalise_label
from kg.build.xrefs import curie_to_iri, iri_to_curie, load_reference
from kg.checks.links import check_links, entity_links, link_counts
from kg.checks.quality import Level
from kg.errors import InvalidContentError
from kg.namespaces import BIBO, RKO, mint
from kg.vocabulary import new_graph


def copy_graph(graph: Graph) -> Graph:
    copy = new_graph()
    for triple in graph:
        copy.add(triple)
    return copy


def set_xrefs(path: Path, row_id: str, xrefs: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        if row["id"] == row_id:
            row["xrefs"] = xrefs
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NF-κB signalling", "nf kappab signaling"),
        ("Giant cell tumour of bone", "giant cell tumor of bone"),
        ("TGF-β1", "tgf beta1"),
        ("oesophageal  cancer", "esophageal cancer"),
        ("CD4-positive, CD25-positive", "cd4 positive cd25 positive"),
    ],
)
def test_normalise_label(text: str, expected: str) -> None:
    assert normalise_label(text) == expected


def test_uniprot_entry_name_is_compared_with_the_gene_symbol() -> None:
    term = load_reference()["uniprot:O14788"]
    assert term.label == "TNF11_HUMAN"
    assert label_problem("protein:TNFSF11", term.curie, term, ["TNFSF11", "RANKL"]) is None
    assert label_problem("protein:TNFRSF11A", term.curie, term, ["TNFRSF11A", "RANK"]) is not None


def test_label_mismatch_names_entity_curie_and_both_labels() -> None:
    term = load_reference()["MONDO:0004989"]
    problem = label_problem("disease:bone-metastasis", term.curie, term, ["bone metastasis"])
    assert problem is not None
    for part in ("disease:bone-metastasis", "MONDO:0004989", term.label, "bone metastasis"):
        assert part in problem


def test_wrong_xref_in_content_fails_the_build_naming_the_row(content_dir: Path) -> None:
    rank_hgnc = next(
        curie
        for curie, term in load_reference().items()
        if term.prefix == "HGNC" and term.label == "TNFRSF11A"
    )
    set_xrefs(content_dir / "genes.csv", "TNFSF11", f"{rank_hgnc} | NCBIGene:8600")
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    message = str(caught.value)
    assert (
        "genes.csv" in message
        and "gene:TNFSF11" in message
        and rank_hgnc in message
        and "'TNFRSF11A'" in message
    )


def test_unverified_identifier_fails_the_build(content_dir: Path) -> None:
    unverified = "GO:0071847"
    assert unverified not in load_reference()
    set_xrefs(content_dir / "processes.csv", iter_ids(content_dir / "processes.csv")[0], unverified)
    with pytest.raises(InvalidContentError, match=unverified):
        build_data_graph(content_dir)


def iter_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def test_graph_level_check_catches_unknown_unverified_and_mislabelled_links(
    fixture_graph: Graph,
) -> None:
    graph = copy_graph(fixture_graph)
    gene = mint("gene", "TNFSF11")
    graph.add((gene, SKOS.exactMatch, URIRef("https://example.org/gene/1")))
    graph.add((gene, SKOS.exactMatch, curie_to_iri("GO:0071847")))
    graph.add((gene, SKOS.exactMatch, curie_to_iri("CL:0000092")))
    rules = {
        finding.rule
        for finding in check_links(graph)
        if finding.subject == str(gene) and finding.level is Level.ERROR
    }
    assert rules == {"unknown_link", "unverified_link", "label_mismatch"}


def test_a_cited_work_may_link_the_doi_it_prints_and_no_other(fixture_graph: Graph) -> None:
    graph = copy_graph(fixture_graph)
    work = mint("publication", "saxena-2025/ref/1")
    graph.add((work, BIBO.doi, Literal("10.1038/s41413-020-00105-1")))
    graph.add((work, SKOS.exactMatch, curie_to_iri("doi:10.1038/s41413-020-00105-1")))
    graph.add((work, SKOS.exactMatch, curie_to_iri("doi:10.1000/not-printed")))
    unverified = [
        f.value
        for f in check_links(graph)
        if f.subject == str(work) and f.rule == "unverified_link"
    ]
    assert len(unverified) == 1 and "10.1000/not-printed" in unverified[0]


def test_a_missing_link_the_reference_offers_is_an_error(fixture_graph: Graph) -> None:
    graph = copy_graph(fixture_graph)
    gene = mint("gene", "TNFSF11")
    ncbi = next(
        link.iri
        for link in entity_links(graph)
        if link.subject == gene and (link.curie or "").startswith("NCBIGene:")
    )
    graph.remove((gene, SKOS.exactMatch, ncbi))
    missing = [f for f in check_links(graph) if f.rule == "missing_link" and f.subject == str(gene)]
    curie = iri_to_curie(str(ncbi))
    assert curie is not None and len(missing) == 1 and curie in missing[0].value


def test_entities_without_any_link_are_warnings(fixture_graph: Graph) -> None:
    graph = copy_graph(fixture_graph)
    gene = mint("gene", "TNFSF11")
    graph.remove((gene, SKOS.exactMatch, None))
    findings = [f for f in check_links(graph) if f.subject == str(gene)]
    assert [(f.level, f.rule) for f in findings] == [(Level.WARN, "no_verified_link")]


def test_every_link_of_the_fixture_is_verified_and_agrees(fixture_graph: Graph) -> None:
    rules = {f.rule for f in check_links(fixture_graph) if f.level is Level.ERROR}
    assert not rules & {"unknown_link", "unverified_link", "label_mismatch"}


def test_link_counts_cover_every_link(fixture_graph: Graph) -> None:
    counts = link_counts(fixture_graph)
    assert sum(counts.values()) == len(entity_links(fixture_graph)) > 0
    assert counts["clinicaltrials"] == len(set(fixture_graph.subjects(RDF.type, RKO.ClinicalTrial)))


def test_every_reference_curie_round_trips_through_the_converter() -> None:
    for curie in load_reference():
        assert iri_to_curie(str(curie_to_iri(curie))) == curie


def test_links_are_iris_never_literals(fixture_graph: Graph) -> None:
    assert not [
        o for o in fixture_graph.objects(predicate=SKOS.exactMatch) if isinstance(o, Literal)
    ]
