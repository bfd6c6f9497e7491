"""Real SPARQL clients against a live server: SPARQLWrapper, rdflib's SPARQLStore, roqet."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any, cast

import pytest
from rdflib import Graph, URIRef, Variable
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from tests.server.conftest import LiveServer

pytestmark = pytest.mark.integration

RKO = "https://w3id.org/rankl-kg/ontology/"
RANKL = URIRef("https://w3id.org/rankl-kg/protein/RANKL")
TARGETS_QUERY = f"SELECT ?drug WHERE {{ ?drug <{RKO}targets> ?protein }}"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(live_server: LiveServer, method: str) -> None:
    client = SPARQLWrapper(live_server.endpoint)
    client.setMethod(method)
    client.setQuery(TARGETS_QUERY)
    client.setReturnFormat(JSON)
    result = cast(dict[str, Any], client.queryAndConvert())
    rows = result["results"]["bindings"]
    assert [row["drug"]["value"] for row in rows] == ["https://w3id.org/rankl-kg/drug/denosumab"]


def test_sparqlwrapper_construct(live_server: LiveServer) -> None:
    client = SPARQLWrapper(live_server.endpoint)
    client.setQuery(f"CONSTRUCT WHERE {{ ?drug <{RKO}targets> ?protein }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=cast(bytes, client.queryAndConvert()), format="turtle")
    assert set(graph.objects()) == {RANKL}


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    graph = Graph(SPARQLStore(live_server.endpoint, returnFormat="json"))
    drugs = [row[Variable("drug")] for row in graph.query(TARGETS_QUERY).bindings]
    assert drugs == [URIRef("https://w3id.org/rankl-kg/drug/denosumab")]
    assert graph.query(f"ASK {{ ?drug <{RKO}targets> <{RANKL}> }}").askAnswer is True


@pytest.mark.skipif(shutil.which("roqet") is None, reason="roqet not installed (apt rasqal-utils)")
def test_roqet(live_server: LiveServer) -> None:
    completed = subprocess.run(
        ["roqet", "-p", live_server.endpoint, "-e", TARGETS_QUERY, "-r", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "https://w3id.org/rankl-kg/drug/denosumab" in completed.stdout
