"""Question forms (/questions/) and the entity look-up (/entities) on the real build.

Every parameterised competency question is a form; run with its default it gives the pinned
answer, run with another entity it answers for that one, and a bad entity is a one-line 400.
The Chromium test picks an entity with the autocomplete, submits, and reads the table and the
SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pyoxigraph
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.checks.competency import CompetencyQuery, load_competency_queries
from kg.constants import INFERRED_GRAPH_FILENAME
from kg.query_parameters import bind_parameter
from kg.release.assemble import BuildResult
from server.questions import MAX_ENTITIES
from tests.content.test_competency import answer_tsv
from tests.server.conftest import LiveServer, close_workers, make_app
from tests.server.test_web import collect
from tests.server.test_web_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_competency import ANSWERS_DIR, QUERIES_DIR

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

PARAMETERISED = [query for query in load_competency_queries() if query.parameters]
#: Another entity for every form, and how many rows it answers with (0: none, honestly)
OTHER_ENTITY = {
    "038-cancers-expressing": ("gene", "gene:TNFRSF11A", 23),
    "039-trials-testing-drug": ("drug", "drug:zoledronic-acid", 5),
    "040-what-the-reviews-say-about": ("entity", "drug:denosumab", 125),
    "041-what-binds": ("protein", "protein:TNFRSF11B", 16),
    "042-adverse-events-of-drug": ("drug", "drug:bisphosphonates", 2),
    "043-what-regulates-process": ("process", "process:cell-migration", 25),
    "044-knockout-phenotypes-of-gene": ("gene", "gene:TNFRSF11A", 6),
    "045-cell-types-expressing": ("protein", "protein:TNFRSF11A", 14),
    "046-comparisons-of-drug": ("drug", "drug:zoledronic-acid", 0),
    "047-recommendations-for-drug": ("drug", "drug:zoledronic-acid", 0),
    "048-biomarkers-of": ("target", "process:bone-resorption", 1),
    "049-signalling-steps-of-pathway": ("pathway", "process:lgr4-signalling", 4),
    "050-findings-about-cancer": ("cancer", "disease:breast-cancer", 5),
    "051-publications-cited-for": ("entity", "drug:denosumab", 8),
    "052-synonyms-and-links-of": ("entity", "drug:denosumab", 4),
}


def graph_file(build: BuildResult) -> Path:
    """The served graph of a build (asserted and inferred triples), as the server serves it."""
    return next(path for path in build.files if path.name == INFERRED_GRAPH_FILENAME)


@pytest.fixture(scope="module")
def forms_app(real_build: BuildResult) -> Iterator[Flask]:
    """An app over the real graph with the real competency queries."""
    app = make_app(
        {
            "GRAPH_PATH": graph_file(real_build),
            "QUERIES_DIR": QUERIES_DIR,
            "CLIENT_QUERY_SECONDS_PER_MINUTE": 3600.0,
        }
    )
    yield app
    close_workers(app)


@pytest.fixture
def forms_client(forms_app: Flask) -> FlaskClient:
    return forms_app.test_client()


def answer_rows(html: str) -> int:
    """How many rows the answer table shows."""
    return html.count('<td class="row-number">')


def test_every_other_entity_is_listed() -> None:
    assert sorted(OTHER_ENTITY) == [query.name for query in PARAMETERISED]


@pytest.mark.parametrize("query", PARAMETERISED, ids=[query.name for query in PARAMETERISED])
def test_bound_to_its_default_the_query_gives_the_pinned_answer(
    query: CompetencyQuery, real_build: BuildResult
) -> None:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(graph_file(real_build)), format=pyoxigraph.RdfFormat.TURTLE)
    sparql = query.text
    for parameter in query.parameters:
        sparql = bind_parameter(sparql, parameter.variable, parameter.default)
    pinned = (ANSWERS_DIR / f"{query.name}.tsv").read_text(encoding="utf-8")
    assert answer_tsv(store, sparql) == pinned


def test_the_list_links_every_form(forms_client: FlaskClient) -> None:
    response = forms_client.get("/questions/")
    assert response.status_code == 200
    links = {attrs["href"] for attrs in collect(response.get_data(as_text=True)).find("a")}
    assert {f"/questions/{query.name}" for query in PARAMETERISED} <= links


@pytest.mark.parametrize("name", sorted(OTHER_ENTITY))
def test_every_form_answers_its_default_with_evidence_and_sparql(
    forms_client: FlaskClient, name: str
) -> None:
    response = forms_client.get(f"/questions/{name}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    pinned_rows = len((ANSWERS_DIR / f"{name}.tsv").read_text(encoding="utf-8").splitlines()) - 1
    assert answer_rows(html) == pinned_rows
    page = collect(html)
    (editor,) = page.find("a", id="open-in-editor")
    query = parse_qs(urlsplit(str(editor["href"])).query)["query"][0]
    assert urlsplit(str(editor["href"])).path == "/"
    assert "VALUES ?" in query
    assert page.find("code", id="sparql")
    assert page.find("input", role="combobox")


@pytest.mark.parametrize("name", sorted(OTHER_ENTITY))
def test_every_form_answers_for_another_entity(forms_client: FlaskClient, name: str) -> None:
    variable, curie, rows = OTHER_ENTITY[name]
    response = forms_client.get(f"/questions/{name}", query_string={variable: curie})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert answer_rows(html) == rows
    prefix, local = curie.split(":")
    iri = f"https://w3id.org/rankl-kg/{prefix}/{local}"
    assert f"VALUES ?{variable} {{ &lt;{iri}&gt; }}" in html
    assert f'value="{curie}"' in html
    if rows == 0:
        assert "The graph holds no answer for this entity." in html


def test_a_full_iri_is_taken_too(forms_client: FlaskClient) -> None:
    iri = "https://w3id.org/rankl-kg/drug/zoledronic-acid"
    by_iri = forms_client.get("/questions/039-trials-testing-drug", query_string={"drug": iri})
    assert by_iri.status_code == 200
    assert "test drug zoledronic acid" in by_iri.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("gene:TNFSF11", "gene:TNFSF11 is not a rko:Drug of this graph"),
        ("drug:no-such-drug", "drug:no-such-drug is not a rko:Drug of this graph"),
        ("drug:x> } DROP ALL", "not an IRI"),
        ("denosumab", "not an IRI"),
    ],
)
def test_a_bad_parameter_is_a_one_line_400(
    forms_client: FlaskClient, value: str, message: str
) -> None:
    response = forms_client.get("/questions/039-trials-testing-drug", query_string={"drug": value})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.count("\n") == 1
    assert message in body


def test_an_unknown_form_is_404(forms_client: FlaskClient) -> None:
    response = forms_client.get("/questions/999-nothing")
    assert response.status_code == 404
    assert response.get_data(as_text=True).count("\n") == 1


def test_entities_are_found_by_label_or_synonym_within_their_kind(
    forms_client: FlaskClient,
) -> None:
    drugs = forms_client.get("/entities", query_string={"q": "ZOLED", "kind": "rko:Drug"}).json
    assert drugs is not None
    assert drugs[0] == {
        "iri": "https://w3id.org/rankl-kg/drug/zoledronic-acid",
        "curie": "drug:zoledronic-acid",
        "label": "zoledronic acid",
        "href": "/drug/zoledronic-acid",
    }
    by_synonym = forms_client.get("/entities", query_string={"q": "trance", "kind": "rko:Gene"})
    found = [entity["curie"] for entity in by_synonym.json or []]
    assert "gene:TNFSF11" in found  # TRANCE is a synonym of RANKL's gene
    assert all(curie.startswith("gene:") for curie in found)
    anything = forms_client.get("/entities", query_string={"q": "rank"}).json or []
    assert 1 < len(anything) <= MAX_ENTITIES
    assert anything[0]["label"].lower().startswith("rank")


def test_entities_refuse_a_long_search_or_a_bad_kind(forms_client: FlaskClient) -> None:
    assert forms_client.get("/entities", query_string={"q": "x" * 101}).status_code == 400
    bad_kind = forms_client.get("/entities", query_string={"q": "x", "kind": "a b"})
    assert bad_kind.status_code == 400


@pytest.mark.integration
def test_pick_an_entity_submit_and_read_the_answer(forms_app: Flask, tmp_path: Path) -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with LiveServer(forms_app) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", only_loopback)
        page.on("pageerror", lambda error: errors.append(str(error)))
        root = server.endpoint.removesuffix("sparql")
        page.goto(root)  # the query page links every parameterised example to its form
        page.locator("#examples a.form-link").first.wait_for()
        assert page.locator("#examples a.form-link").count() == len(PARAMETERISED)
        page.get_by_role("link", name="Questions").click()
        page.get_by_role("link", name="Which clinical trials test drug X").click()
        field = page.locator(".entity-picker").get_by_role("combobox")
        assert field.input_value() == "drug:denosumab"
        field.fill("")
        field.press_sequentially("zoled")
        option = page.get_by_role("option", name="zoledronic acid")
        option.click()
        assert field.input_value() == "drug:zoledronic-acid"
        page.get_by_role("button", name="Answer").click()
        page.wait_for_url("**/questions/039-trials-testing-drug?drug=drug*zoledronic-acid")
        assert "test drug zoledronic acid" in page.locator("h1").inner_text()
        assert page.locator("#answer tbody tr").count() == 5
        assert page.locator("#answer thead th").all_inner_texts()[-3:] == [
            "quote",
            "review",
            "references",
        ]
        sparql = page.locator("#sparql").inner_text()
        assert "VALUES ?drug { <https://w3id.org/rankl-kg/drug/zoledronic-acid> }" in sparql
        page.screenshot(path=str(tmp_path / "question-form.png"), full_page=True)
        page.locator("#open-in-editor").click()
        page.locator("#yasgui .yasqe .CodeMirror").wait_for()
        editor_text = page.evaluate(
            "document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()"
        )
        assert "drug/zoledronic-acid" in editor_text
        browser.close()
    assert not outside, f"the page tried to reach other hosts: {outside}"
    assert not errors, f"script errors on the page: {errors}"
