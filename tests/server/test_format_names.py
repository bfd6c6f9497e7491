"""Every name of an RDF format works in ``?format=``, at /sparql and on entity pages alike.

The README documents ``?format=ttl`` and ``?format=nt`` for the endpoint; both names come from
the one format table (:mod:`kg.rdf_formats`).
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from kg.namespaces import RKO

CONSTRUCT_QUERY = f"CONSTRUCT {{ ?p <{RKO}encodedBy> ?g }} WHERE {{ ?g <{RKO}encodes> ?p }}"
SELECT_QUERY = f"SELECT ?gene WHERE {{ ?gene a <{RKO}Gene> }}"
FORMAT_NAMES = [
    ("ttl", "text/turtle"), ("turtle", "text/turtle"), ("TTL", "text/turtle"),
    ("nt", "application/n-triples"), ("ntriples", "application/n-triples"),
    ("n-triples", "application/n-triples"),
    ("jsonld", "application/ld+json"), ("json-ld", "application/ld+json"),
    ("rdfxml", "application/rdf+xml"), ("xml", "application/rdf+xml"),
    ("rdf", "application/rdf+xml"), ("text/turtle", "text/turtle"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "mimetype"), FORMAT_NAMES)
def test_construct_answers_every_name_of_its_format(
    client: FlaskClient, name: str, mimetype: str
) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT_QUERY, "format": name})
    assert response.status_code == 200
    assert response.mimetype == mimetype


@pytest.mark.parametrize(("name", "mimetype"), FORMAT_NAMES)
def test_entity_pages_answer_every_name_of_a_format(
    web_client: FlaskClient, name: str, mimetype: str
) -> None:
    response = web_client.get("/drug/denosumab", query_string={"format": name})
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_xml_means_results_xml_for_a_select(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT_QUERY, "format": "xml"})
    assert response.mimetype == "application/sparql-results+xml"


def test_an_rdf_name_for_a_select_is_406(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT_QUERY, "format": "ttl"})
    assert response.status_code == 406
