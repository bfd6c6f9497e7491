"""``/search`` and the browse pages (kind indexes, the home page's schema) on the web fixture."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack

import pytest
from flask.testing import FlaskClient

from kg.catalogue import browsable_kinds

JSON = {"Accept": "application/json"}


def search_json(client: FlaskClient, query_string: str) -> tuple[int, dict[str, object]]:
    response = client.get(f"/search?{query_string}", headers=JSON)
    assert response.mimetype == "application/json"
    body = response.get_data(as_text=True)
    assert body.count("\n") == 1, "one line of JSON"
    return response.status_code, json.loads(body)


@pytest.mark.parametrize("alias", ["TRANCE", "OPGL", "ODF", "RANKL"])
def test_old_names_find_the_rankl_gene(web_client: FlaskClient, alias: str) -> None:
    status, body = search_json(web_client, f"q={alias}")
    assert status == 200
    results = body["results"]
    assert isinstance(results, list)
    first = results[0]
    assert first["iri"] in (
        "https://w3id.org/rankl-kg/gene/TNFSF11",
        "https://w3id.org/rankl-kg/protein/RANKL",
    )
    assert set(first) == {"iri", "label", "kind", "field", "snippet", "match", "href"}


@pytest.mark.parametrize(
    ("query", "iri", "field"),
    [
        ("hgnc:11926", "https://w3id.org/rankl-kg/gene/TNFSF11", "identifier"),
        ("HGNC:11926", "https://w3id.org/rankl-kg/gene/TNFSF11", "identifier"),
        ("O14788", "https://w3id.org/rankl-kg/protein/RANKL", "identifier"),
        ("NCT00321464", "https://w3id.org/rankl-kg/trial/NCT00321464", "label"),
        ("neutralizes", "https://w3id.org/rankl-kg/assertion/1b2c3d4e5f607182", "quote"),
        ("denosu", "https://w3id.org/rankl-kg/drug/denosumab", "label"),
        ("denosumb", "https://w3id.org/rankl-kg/drug/denosumab", "label"),
    ],
)
def test_identifiers_quotes_prefixes_typos(
    web_client: FlaskClient, query: str, iri: str, field: str
) -> None:
    status, body = search_json(web_client, f"q={query}")
    results = body["results"]
    assert status == 200 and isinstance(results, list)
    assert (results[0]["iri"], results[0]["field"]) == (iri, field)


def test_kind_and_limit(web_client: FlaskClient) -> None:
    _, body = search_json(web_client, "q=denosumab&kind=assertion&limit=1")
    results = body["results"]
    assert isinstance(results, list) and len(results) == 1
    assert results[0]["kind"] == "assertion"


def test_html_results_link_entity_pages(web_client: FlaskClient) -> None:
    response = web_client.get("/search?q=TRANCE", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'href="/gene/TNFSF11"' in response.get_data(as_text=True)
    assert web_client.get("/search?q=TRANCE&format=json").mimetype == "application/json"
    assert web_client.get("/search").status_code == 200  # the empty search form


BAD_QUERIES = [
    "q=",
    "q=" + "x" * 10_000,
    "q=%22",
    "q=%22unbalanced",
    "q=rank*",
    "q=NEAR(rank%20ligand)",
    "q=rank%20AND%20ligand",
    "q=%ff%fe",
    "q=rank&kind=nonsense",
    "q=rank&limit=0",
    "q=rank&limit=many",
    "q=rank&limit=101",
    "kind=gene",
]


@pytest.mark.parametrize("query_string", BAD_QUERIES)
def test_bad_input_is_a_one_line_400_in_json(web_client: FlaskClient, query_string: str) -> None:
    status, body = search_json(web_client, query_string)
    assert status == 400
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]


@pytest.mark.parametrize("query_string", BAD_QUERIES)
def test_bad_input_is_a_400_page_in_html(web_client: FlaskClient, query_string: str) -> None:
    response = web_client.get(f"/search?{query_string}", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    errors = re.findall(r'<p class="error" role="alert">([^<]*)</p>', page)
    assert (response.status_code, response.mimetype) == (400, "text/html") or (
        query_string == "kind=gene" and response.status_code == 200
    )
    if response.status_code == 400:
        assert len(errors) == 1 and "\n" not in errors[0]


def test_search_uses_the_client_budget(web_client: FlaskClient) -> None:
    from server.state import ServerState

    throttle = ServerState.of(web_client.application).throttle
    with ExitStack() as held:  # the client's every concurrent slot taken
        for _ in range(throttle.budget.max_concurrent):
            held.enter_context(throttle.admit("127.0.0.1"))
        status, body = search_json(web_client, "q=rank")
    assert status == 429 and "concurrent" in str(body["error"])


FIXTURE_INDEX = {
    "gene": [("TNFRSF11A", 0), ("TNFSF11", 1)],
    "protein": [("RANK", 0), ("RANKL", 1)],
    "disease": [("breast cancer", 0), ("breast carcinoma", 1)],
    "drug": [("denosumab", 2)],
    "trial": [("NCT00321464", 1)],
}


def rows_of(page: str) -> list[tuple[str, int]]:
    return [
        (label, int(count))
        for label, count in re.findall(
            r'<tr>\s*<td><a href="[^"]+">([^<]+)</a></td>.*?<td class="number">(\d+)</td>',
            page,
            flags=re.DOTALL,
        )
    ]


def test_every_kind_has_an_index_page(web_client: FlaskClient) -> None:
    kinds = browsable_kinds()
    assert "assertion" not in kinds and "quantity" not in kinds
    assert {"gene", "protein", "disease", "drug", "trial", "publication"} <= set(kinds)
    for kind in kinds:
        response = web_client.get(f"/{kind}/")
        assert response.status_code == 200, kind
    assert web_client.get("/assertion/").status_code == 404
    assert web_client.get("/gene").status_code == 308


@pytest.mark.parametrize(("kind", "expected"), FIXTURE_INDEX.items())
def test_index_lists_labels_and_statement_counts(
    web_client: FlaskClient, kind: str, expected: list[tuple[str, int]]
) -> None:
    assert rows_of(web_client.get(f"/{kind}/").get_data(as_text=True)) == expected


def test_index_shows_external_links(web_client: FlaskClient) -> None:
    page = web_client.get("/gene/").get_data(as_text=True)
    assert '<a class="xref" href="https://identifiers.org/hgnc:11926">HGNC:11926</a>' in page
    assert '<a href="/gene/TNFSF11">TNFSF11</a>' in page


def test_home_page_links_every_index_and_draws_the_schema(web_client: FlaskClient) -> None:
    page = web_client.get("/").get_data(as_text=True)
    for kind in browsable_kinds():
        assert f'href="/{kind}/"' in page
    svg = page[page.index('<svg id="schema"') : page.index("</svg>", page.index('id="schema"'))]
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    assert "gene (2)" in svg and "protein (2)" in svg  # VoID class partitions
    assert "gene → protein: encodes 2" in svg  # a class-to-class relation count
    assert "curated assertion" not in svg  # evidence nodes are left out


def test_search_box_on_every_page(web_client: FlaskClient) -> None:
    for path in ("/", "/gene/", "/gene/TNFSF11", "/search?q=rank"):
        page = web_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'id="site-search-input"' in page and "search-box.js" in page, path
