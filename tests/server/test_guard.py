"""The lexical query guard: refusals, limits, and no false alarms inside strings or IRIs."""

from __future__ import annotations

import pytest

from server.errors import EndpointError, MalformedQueryError, QueryTooLongError, RefusedQueryError
from server.guard import GuardLimits, check_query, measure_nesting
from server.negotiation import QueryForm

LIMITS = GuardLimits(max_chars=2_000, max_nesting=16)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", QueryForm.SELECT),
        ("PREFIX ex: <http://e/> ask { ex:a ?p ?o }", QueryForm.ASK),
        ("CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
        ("DESCRIBE <http://e/a>", QueryForm.DESCRIBE),
        ("ASK { { SELECT ?s WHERE { ?s ?p ?o } } }", QueryForm.ASK),
    ],
)
def test_query_form_is_the_outermost_one(query: str, form: QueryForm) -> None:
    assert check_query(query, LIMITS).form == form


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x> FROM DROP" }',
        "SELECT * WHERE { ?s ?p <http://example.org/SERVICE/FROM> }",
        "SELECT ?service ?from WHERE { ?service ?p ?from } # SERVICE FROM INSERT",
        "PREFIX from: <http://e/> PREFIX service: <http://s/> SELECT * { ?s from:x service:y }",
        "SELECT * WHERE { ?s ?p '''multi\nline SERVICE''' }",
        'SELECT * WHERE { ?s ?p "load"@en }',
    ],
)
def test_keywords_in_strings_iris_comments_and_names_are_not_refused(query: str) -> None:
    assert check_query(query, LIMITS).form == QueryForm.SELECT


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }",
        "SELECT * WHERE { FILTER EXISTS { SERVICE\n# comment\n<http://x/> { ?s ?p ?o } } }",
    ],
)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(RefusedQueryError, match="SERVICE"):
        check_query(query, LIMITS)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:1/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_dataset_clause_is_refused_without_protocol_dataset(query: str) -> None:
    with pytest.raises(RefusedQueryError, match="FROM"):
        check_query(query, LIMITS)


def test_dataset_clause_is_ignored_when_protocol_names_the_dataset() -> None:
    query = "SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }"
    checked = check_query(query, LIMITS, dataset_from_protocol=True)
    assert checked.has_dataset_clause


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:1/x>",
        "CLEAR ALL",
        "CREATE GRAPH <http://e/g>",
        "DROP ALL",
        "COPY DEFAULT TO <http://e/g>",
        "MOVE DEFAULT TO <http://e/g>",
        "ADD DEFAULT TO <http://e/g>",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_update_forms_are_refused_as_malformed_queries(update: str) -> None:
    with pytest.raises(MalformedQueryError, match="read-only"):
        check_query(update, LIMITS)


@pytest.mark.parametrize("opener", ["{", "(", "["])
def test_nesting_over_the_limit_is_refused(opener: str) -> None:
    closer = {"{": "}", "(": ")", "[": "]"}[opener]
    query = "SELECT * WHERE " + opener * 17 + closer * 17
    with pytest.raises(RefusedQueryError, match="depth 17 exceeds limit 16"):
        check_query(query, LIMITS)


def test_nesting_at_the_limit_passes() -> None:
    assert measure_nesting("ASK " + "{" * 16 + "}" * 16) == 16


def test_very_deep_nesting_is_refused_without_parsing() -> None:
    query = "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000
    with pytest.raises(RefusedQueryError):
        check_query(query, GuardLimits(max_chars=1_000_000, max_nesting=16))


def test_long_query_gets_413() -> None:
    with pytest.raises(QueryTooLongError) as raised:
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 2_000, LIMITS)
    assert raised.value.status == 413
    assert "limit 2000" in raised.value.message


def test_text_without_query_form_is_malformed() -> None:
    with pytest.raises(EndpointError, match="expected SELECT"):
        check_query("PREFIX ex: <http://e/>", LIMITS)
