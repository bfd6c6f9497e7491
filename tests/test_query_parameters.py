"""Parameterised competency questions: the ``sh:parameter`` declarations and the VALUES blank.

The answers of the forms on the real graph are tested in tests/content/test_question_forms.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.checks.competency import (
    CompetencyQuery,
    CompetencyQueryError,
    load_competency_queries,
    read_competency_query,
)
from kg.query_parameters import QueryParameterError, bind_parameter, check_iri, values_block

PARAMETERISED = [query for query in load_competency_queries() if query.parameters]
PREFIX = re.compile(r"^PREFIX\s+([\w-]*):\s*<([^>]*)>", re.MULTILINE)


def test_at_least_15_questions_take_a_parameter() -> None:
    assert len(PARAMETERISED) >= 15


@pytest.mark.parametrize("query", PARAMETERISED, ids=[query.name for query in PARAMETERISED])
def test_the_values_row_is_the_declared_default(query: CompetencyQuery) -> None:
    prefixes = dict(PREFIX.findall(query.text))
    for parameter in query.parameters:
        (block,) = values_block(parameter.variable).findall(query.text)
        (term,) = block.split("{", 1)[1].rstrip("}").split()
        prefix, _, local = term.partition(":")
        assert prefixes[prefix] + local == parameter.default
        assert parameter.label


def test_bind_parameter_replaces_only_the_values_row() -> None:
    query = "SELECT ?x WHERE {\n  VALUES ?drug { drug:denosumab }\n  ?x ?p ?drug .\n}"
    bound = bind_parameter(query, "drug", "https://w3id.org/rankl-kg/drug/zoledronic-acid")
    assert "VALUES ?drug { <https://w3id.org/rankl-kg/drug/zoledronic-acid> }" in bound
    assert "drug:denosumab" not in bound
    assert bound.endswith("?x ?p ?drug .\n}")


@pytest.mark.parametrize(
    "value",
    ["denosumab", "https://x/a b", "https://x/>} DROP ALL", 'https://x/"', "", "https://x/{"],
)
def test_values_that_are_not_iris_are_refused(value: str) -> None:
    with pytest.raises(QueryParameterError, match="not an IRI"):
        bind_parameter("VALUES ?d { <https://x/> }", "d", value)
    with pytest.raises(QueryParameterError):
        check_iri(value)


def test_a_query_without_its_values_block_cannot_be_bound() -> None:
    with pytest.raises(QueryParameterError, match="no single VALUES"):
        bind_parameter("SELECT * WHERE { ?s ?p ?o }", "drug", "https://x/y")


DECLARED_WITHOUT_BLOCK = """
@prefix ex: <https://w3id.org/rankl-kg/queries/> .
@prefix param: <https://w3id.org/rankl-kg/queries/parameter#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:bad a sh:SPARQLExecutable ;
    rdfs:comment "Which trials test drug X?"@en ;
    sh:parameter [ sh:path param:drug ; sh:defaultValue <https://w3id.org/rankl-kg/drug/x> ] ;
    sh:select "SELECT * WHERE { ?t ?p ?drug }" .
"""


def test_a_declared_parameter_needs_its_values_block(tmp_path: Path) -> None:
    path = tmp_path / "999-bad.ttl"
    path.write_text(DECLARED_WITHOUT_BLOCK, encoding="utf-8")
    with pytest.raises(CompetencyQueryError, match=r"999-bad.ttl: .*VALUES \?drug"):
        read_competency_query(path)


def test_a_parameter_needs_a_default(tmp_path: Path) -> None:
    path = tmp_path / "999-bad.ttl"
    path.write_text(
        DECLARED_WITHOUT_BLOCK.replace(" ; sh:defaultValue <https://w3id.org/rankl-kg/drug/x>", ""),
        encoding="utf-8",
    )
    with pytest.raises(CompetencyQueryError, match="sh:defaultValue"):
        read_competency_query(path)
