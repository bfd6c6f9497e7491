"""The benchmark: the scale generator is deterministic and keeps the real graph as copy 0;
the report judges targets both ways; the competency queries it runs load and fail clearly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench import report
from bench.run import snapshot_queries
from bench.scale import ScaleError, write_scaled
from kg.checks.competency import CompetencyQueryError, load_competency_queries

SMALL_GRAPH = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rko: <https://w3id.org/rankl-kg/ontology/> .
@prefix gene: <https://w3id.org/rankl-kg/gene/> .
@prefix trial: <https://w3id.org/rankl-kg/trial/> .
@prefix assertion: <https://w3id.org/rankl-kg/assertion/> .

rko:Gene a <http://www.w3.org/2002/07/owl#Class> ; rdfs:label "gene"@en .
gene:TNFSF11 a rko:Gene ; rdfs:label "TNFSF11" ; rko:symbol "TNFSF11" .
trial:NCT00321464 a rko:ClinicalTrial ; rko:nctId "NCT00321464" ;
    rko:studies gene:TNFSF11 ;
    rko:hasDoseRegimen <https://w3id.org/rankl-kg/trial/NCT00321464/regimen/1> .
assertion:0123456789abcdef a rdf:Statement ; rdf:subject trial:NCT00321464 ;
    rdf:predicate rko:studies ; rdf:object gene:TNFSF11 ; rko:quote "a verbatim quote" ;
    rko:quoteStart "10"^^xsd:integer ; rko:quoteEnd "26"^^xsd:integer .
"""


@pytest.fixture
def small_graph(tmp_path: Path) -> Path:
    path = tmp_path / "small.ttl"
    path.write_text(SMALL_GRAPH, encoding="utf-8")
    return path


def triples_of(path: Path) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)}


def test_same_seed_gives_byte_identical_output(small_graph: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.nt.gz", tmp_path / "b.nt.gz"
    write_scaled(small_graph, 5, 7, first)
    write_scaled(small_graph, 5, 7, second)
    assert first.read_bytes() == second.read_bytes()


def test_other_seed_gives_other_output(small_graph: Path, tmp_path: Path) -> None:
    write_scaled(small_graph, 5, 7, tmp_path / "a.nt")
    write_scaled(small_graph, 5, 8, tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() != (tmp_path / "b.nt").read_bytes()


def test_copy_zero_is_the_real_graph_and_copies_grow_it(small_graph: Path, tmp_path: Path) -> None:
    base = {q.triple for q in ox.parse(path=small_graph, format=ox.RdfFormat.TURTLE)}
    count = write_scaled(small_graph, 4, 1, tmp_path / "x4.nt")
    scaled = triples_of(tmp_path / "x4.nt")
    assert base <= scaled
    assert len(scaled) > 3 * (len(base) - 2)  # ontology triples (rko:Gene) are written once
    assert count >= len(scaled)


def test_copies_keep_quote_length_and_consistent_ids(small_graph: Path, tmp_path: Path) -> None:
    write_scaled(small_graph, 3, 1, tmp_path / "x3.nt")
    store = ox.Store()
    store.bulk_load(path=tmp_path / "x3.nt", format=ox.RdfFormat.N_TRIPLES)
    rows = store.query(
        "PREFIX rko: <https://w3id.org/rankl-kg/ontology/> "
        "SELECT ?start ?end WHERE { ?a rko:quoteStart ?start ; rko:quoteEnd ?end }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    lengths = {int(row["end"].value) - int(row["start"].value) for row in rows}
    assert lengths == {16}
    mismatched = store.query(
        "PREFIX rko: <https://w3id.org/rankl-kg/ontology/> SELECT ?t WHERE { ?t rko:nctId ?n "
        'FILTER(STR(?t) != CONCAT("https://w3id.org/rankl-kg/trial/", ?n)) }'
    )
    assert isinstance(mismatched, ox.QuerySolutions)
    assert list(mismatched) == []


def test_gzip_output_decompresses_to_plain_output(small_graph: Path, tmp_path: Path) -> None:
    write_scaled(small_graph, 2, 3, tmp_path / "x.nt")
    write_scaled(small_graph, 2, 3, tmp_path / "x.nt.gz")
    assert gzip.decompress((tmp_path / "x.nt.gz").read_bytes()) == (tmp_path / "x.nt").read_bytes()


def test_bad_factor_and_unknown_suffix_are_named(small_graph: Path, tmp_path: Path) -> None:
    with pytest.raises(ScaleError, match="--factor"):
        write_scaled(small_graph, 0, 1, tmp_path / "x.nt")
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(ScaleError, match=r"graph\.xyz"):
        write_scaled(odd, 2, 1, tmp_path / "y.nt")


def test_report_verdict_gives_margin_both_ways() -> None:
    assert report.verdict("load", 5.0, 10, below=True, unit=" s")[3:] == ["met", "2× inside"]
    assert report.verdict("rps", 0.5, 1.0, below=False, unit="×")[3:] == ["missed", "missed by 2×"]
    assert report.verdict("memory", None, 1024, below=True, unit=" MB")[3] == "not measured"


def test_a_server_that_ended_mid_run_is_reported_not_fatal() -> None:
    """A reference server without a memory cap may be OOM-killed at x1000: its mix failed."""
    ended = {
        "name": "flask-oxigraph",
        "mix": {"error": "wrk failed (1): unable to connect to 127.0.0.1:1 Connection refused"},
        "ended": "the server ended during the measurement (exit status -9)",
    }
    results = {"scales": [{"scale": 1000, "http": [ended]}]}
    assert "wrk failed (1): unable to connect" in report.mix_table(results)
    (line,) = report.servers_that_ended(results)
    assert "x1000, flask-oxigraph: the server ended during the measurement" in line


def test_competency_loader_reads_every_query_and_names_a_bad_file(tmp_path: Path) -> None:
    queries = load_competency_queries()
    assert len(queries) >= 30
    assert all(query.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") for query in queries)
    bad = tmp_path / "099-no-question.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        '<urn:q> a sh:SPARQLExecutable ; sh:select "SELECT * {}" .\n',
        encoding="utf-8",
    )
    with pytest.raises(CompetencyQueryError, match=r"099-no-question\.ttl: needs an rdfs:comment"):
        load_competency_queries(tmp_path)


def test_parts_of_an_entity_never_merge(tmp_path: Path) -> None:
    """A merged drug gains its copies' recommendations as new nodes; the real recommendation
    keeps its single agent instead of collecting one from every copy merged into the drug."""
    graph = tmp_path / "drug.ttl"
    graph.write_text(
        "@prefix rko: <https://w3id.org/rankl-kg/ontology/> .\n"
        "@prefix drug: <https://w3id.org/rankl-kg/drug/> .\n"
        "@prefix rec: <https://w3id.org/rankl-kg/drug/denosumab/recommendation/> .\n"
        "drug:denosumab rko:hasRecommendation rec:calcium .\n"
        "rec:calcium rko:recommendedAgent drug:calcium .\n",
        encoding="utf-8",
    )
    write_scaled(graph, 60, 1, tmp_path / "x60.nt")
    store = ox.Store()
    store.bulk_load(path=tmp_path / "x60.nt", format=ox.RdfFormat.N_TRIPLES)
    prefix = (
        "PREFIX rko: <https://w3id.org/rankl-kg/ontology/> "
        "PREFIX drug: <https://w3id.org/rankl-kg/drug/> "
    )
    recommendations = store.query(
        prefix + "SELECT ?r WHERE { drug:denosumab rko:hasRecommendation ?r }"
    )
    agents = store.query(
        prefix + "SELECT ?r (COUNT(?a) AS ?n) WHERE { ?r rko:recommendedAgent ?a } GROUP BY ?r"
    )
    assert isinstance(recommendations, ox.QuerySolutions) and isinstance(agents, ox.QuerySolutions)
    assert len(list(recommendations)) > 1  # some copies of denosumab merged into the real one
    assert {int(row["n"].value) for row in agents} == {1}


def test_run_reads_the_queries_it_started_with(tmp_path: Path) -> None:
    """The in-process runs read a copy made at the start, not the files someone edits later."""
    source = tmp_path / "queries"
    source.mkdir()
    (source / "001-q.ttl").write_text("first", encoding="utf-8")
    snapshot = snapshot_queries(source, tmp_path / "data" / "queries")
    (source / "001-q.ttl").write_text("edited", encoding="utf-8")
    assert (snapshot / "001-q.ttl").read_text(encoding="utf-8") == "first"


def test_memory_slope_is_least_squares_and_minima_drop_the_spikes() -> None:
    from bench.soak_probe import minute_minima, slope_per_minute

    flat = [(float(t), 200.0) for t in range(0, 600, 5)]
    assert slope_per_minute(flat) == 0.0
    assert slope_per_minute([(0.0, 100.0), (60.0, 110.0), (120.0, 120.0)]) == 10.0
    spiky = [(t, 2000.0 if t % 60 == 30 else mb) for t, mb in flat]
    assert slope_per_minute(minute_minima(spiky)) == 0.0
    assert slope_per_minute([(0.0, 1.0)]) is None


def test_soak_counts_only_the_surprising_responses_as_unexpected() -> None:
    from bench.soak import Outcome, classify

    kills = [10.0]
    assert classify(Outcome("simple", 200, 0, 1), kills) == "200"
    assert classify(Outcome("memory", 503, 0, 1, "Query exceeded the memory limit"), kills) == (
        "503 memory cap"
    )
    assert classify(Outcome("deadline", 503, 0, 21, "Query timed out after 20 s"), kills) == (
        "503 deadline"
    )
    stopped = "Query execution failed (the worker stopped)"
    assert classify(Outcome("heavy", 500, 9, 11, stopped), kills) == "500 in the killed worker"
    assert classify(Outcome("heavy", 500, 12, 13, stopped), kills) == "unexpected"
    assert classify(Outcome("simple", 0, 0, 1, "transport: reset"), kills) == "unexpected"


def test_bench_serves_from_memory_when_the_store_fits() -> None:
    from bench.run import serves_from_disk, web_settings

    assert serves_from_disk(100, 2_000_000, 100) is True
    assert serves_from_disk(10, 200_000, 100) is False
    assert serves_from_disk(1, 21_797, 0) is False
    assert serves_from_disk(10**6, 10**12, 0) is True
    assert web_settings({"web_processes": 2}) == {"RANKL_KG_WEB_PROCESSES": "2"}
    assert web_settings({"web_processes": None}) == {}
