"""The one table of RDF syntaxes: every name, suffix and media type finds its syntax."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg.rdf_formats import (
    JSONLD,
    NQUADS,
    NTRIPLES,
    RDF_SYNTAXES,
    RDFXML,
    TRIG,
    TURTLE,
    RdfSyntax,
    known_suffixes,
    syntax_named,
    syntax_of_suffix,
)


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("ttl", TURTLE), ("turtle", TURTLE), ("text/turtle", TURTLE), ("TTL", TURTLE),
        ("nt", NTRIPLES), ("ntriples", NTRIPLES), ("n-triples", NTRIPLES),
        ("jsonld", JSONLD), ("json-ld", JSONLD), ("application/ld+json", JSONLD),
        ("rdfxml", RDFXML), ("xml", RDFXML), ("rdf", RDFXML), ("owl", RDFXML),
    ],
)  # fmt: skip
def test_every_name_of_a_syntax_finds_it(name: str, syntax: RdfSyntax) -> None:
    assert syntax_named(name) is syntax


def test_names_outside_the_offer_find_nothing() -> None:
    assert syntax_named("trig", (TURTLE, NTRIPLES)) is None
    assert syntax_named("yaml") is None


@pytest.mark.parametrize(
    ("suffix", "syntax"), [(".ttl", TURTLE), (".OWL", RDFXML), (".jsonld", JSONLD)]
)
def test_suffixes_find_their_syntax(suffix: str, syntax: RdfSyntax) -> None:
    assert syntax_of_suffix(suffix) is syntax
    assert suffix.lower() in known_suffixes()


def test_no_name_designates_two_syntaxes() -> None:
    names = [name for syntax in RDF_SYNTAXES for name in syntax.names]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("syntax", RDF_SYNTAXES, ids=lambda syntax: syntax.name)
def test_rdflib_and_pyoxigraph_names_are_the_same_syntax(syntax: RdfSyntax) -> None:
    graph = Dataset() if syntax in (NQUADS, TRIG) else Graph()  # quad syntaxes need a dataset
    graph.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("o")))
    data = graph.serialize(format=syntax.rdflib, encoding="utf-8")
    assert len(list(pyoxigraph.parse(data, format=syntax.oxigraph))) == 1
    assert pyoxigraph.RdfFormat.from_media_type(syntax.media_type) == syntax.oxigraph
