"""The pages for people: the query editor at / and the entity pages with their network."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg.namespaces import RKO
from kg.vocabulary import PREFIXES
from server.pages.network_drawing import (
    MAX_NEIGHBOURS,
    Spoke,
    arrow,
    chords,
    clear_of_centre,
    clip,
    pick_spokes,
    ring_position,
)
from server.pages.routes import YASGUI_DIR, starting_query
from server.pages.terms import Labeller, TermView

YASGUI_PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "yasgui"
YASGUI_PIN = "4.6.2"


class TagCollector(HTMLParser):
    """Collects (tag, attributes) of every start tag, and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        """Attributes of every ``tag`` whose attributes include ``wanted``."""
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k) == v for k, v in wanted.items())
        ]


def collect(html: str) -> TagCollector:
    """Parse a page."""
    collector = TagCollector()
    collector.feed(html)
    return collector


def page_config(html: str) -> dict[str, object]:
    """The JSON configuration the query page embeds for its script."""
    match = re.search(
        r'<script type="application/json" id="kg-config">(.*?)</script>', html, re.DOTALL
    )
    assert match, "the query page embeds no configuration"
    config: dict[str, object] = json.loads(match.group(1))
    return config


# ---- the query page -------------------------------------------------------------------------


def test_query_page_has_yasgui_started_on_the_prefixed_query(web_client: FlaskClient) -> None:
    response = web_client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = collect(html)
    assert page.find("div", id="yasgui")
    assert page.find("script", src="/static/web/vendor/yasgui/yasgui.min.js")
    assert page.find("link", href="/static/web/vendor/yasgui/yasgui.min.css")
    assert f"PREFIX rko: <{PREFIXES['rko']}>" in str(page_config(html)["query"])
    assert f"YASGUI</a>\n      {YASGUI_PIN}" in html


def test_vendored_yasgui_is_the_pinned_version_with_its_licences() -> None:
    pin = json.loads((YASGUI_PACKAGE / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((YASGUI_PACKAGE / "package-lock.json").read_text(encoding="utf-8"))
    assert pin["dependencies"]["@zazuko/yasgui"] == YASGUI_PIN  # exact, not a range
    assert lock["packages"]["node_modules/@zazuko/yasgui"]["version"] == YASGUI_PIN
    assert (YASGUI_DIR / "VERSION").read_text(encoding="utf-8").strip() == YASGUI_PIN
    assert "MIT License" in (YASGUI_DIR / "LICENSE").read_text(encoding="utf-8")
    notices = (YASGUI_DIR / "THIRD-PARTY-NOTICES").read_text(encoding="utf-8")
    assert "==== @zazuko/yasqe" in notices
    assert "sourceMappingURL" not in (YASGUI_DIR / "yasgui.min.js").read_text(encoding="utf-8")


def test_query_page_tells_its_script_where_everything_is(web_client: FlaskClient) -> None:
    config = page_config(web_client.get("/").get_data(as_text=True))
    assert config["prefixes"] == PREFIXES
    assert config["endpoint"] == "/sparql"
    assert config["void"] == "/.well-known/void"
    assert config["examples"] == "/.well-known/sparql-examples"


def test_query_page_loads_nothing_from_other_hosts(web_client: FlaskClient) -> None:
    page = collect(web_client.get("/").get_data(as_text=True))
    sources = [attrs.get("src") for attrs in page.find("script") if attrs.get("src")]
    styles = [attrs.get("href") for attrs in page.find("link", rel="stylesheet")]
    assert sources
    assert styles
    assert all(str(url).startswith("/static/") for url in sources + styles)


@pytest.mark.parametrize(
    "name",
    [
        "query-page.js",
        "web.css",
        "questions.js",
        "questions.css",
        "vendor/yasgui/yasgui.min.js",
        "vendor/yasgui/yasgui.min.css",
    ],
)
def test_static_files_are_served(web_client: FlaskClient, name: str) -> None:
    response = web_client.get(f"/static/web/{name}")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript", "text/css")


def test_shared_link_fills_the_editor(web_client: FlaskClient) -> None:
    response = web_client.get("/", query_string={"query": "ASK { ?s <x> '<b>' }"})
    html = response.get_data(as_text=True)
    assert page_config(html)["query"] == "ASK { ?s <x> '<b>' }"
    assert "<b>" not in html  # escaped inside the JSON


def test_starting_query_declares_every_prefix_it_uses() -> None:
    query = starting_query()
    declared = set(re.findall(r"^PREFIX (\w+):", query, re.MULTILINE))
    used = set(re.findall(r"\b([a-z]+):[A-Za-z]", query.split("SELECT", 1)[1]))
    assert used <= declared


# ---- the entity page ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gene_page(web_app: Flask) -> str:
    """The HTML page of gene TNFSF11."""
    return web_app.test_client().get("/gene/TNFSF11").get_data(as_text=True)


def test_entity_page_shows_label_synonyms_definition_and_type(gene_page: str) -> None:
    page = collect(gene_page)
    text = " ".join(page.text)
    assert "<h1>TNFSF11</h1>" in gene_page
    for synonym in ("RANKL", "TRANCE", "OPGL", "ODF"):
        assert f'<span class="synonym">{synonym}</span>' in gene_page
    assert "TNF superfamily member 11, the gene of the ligand RANKL." in text
    assert page.find("a", href="/ontology/Gene")


def test_external_identifiers_are_curies_linking_to_their_iris(gene_page: str) -> None:
    page = collect(gene_page)
    links = {attrs["href"] for attrs in page.find("a") if attrs.get("class") == "xref"}
    assert links == {"https://identifiers.org/hgnc:11926", "https://identifiers.org/ncbigene:8600"}
    assert ">HGNC:11926</a>" in gene_page
    assert ">NCBIGene:8600</a>" in gene_page


def test_relations_in_both_directions_link_to_their_pages(gene_page: str) -> None:
    page = collect(gene_page)
    assert page.find("a", href="/protein/RANKL")  # gene encodes protein (outgoing)
    assert page.find("a", href="/disease/breast-carcinoma")  # cancer expresses gene (incoming)


def test_each_relation_shows_its_evidence(gene_page: str) -> None:
    text = " ".join(collect(gene_page).text)
    assert "“Breast carcinoma [51–56] [57–60]”" in text
    assert "Table 1" in text
    assert "Renema et al. 2016, RANK–RANKL signalling in cancer" in text
    assert "ref. 51" in text
    page = collect(gene_page)
    assert page.find("a", href="/publication/renema-2016/ref/51")
    assert page.find("a", href="/assertion/0a1b2c3d4e5f6071")


def test_network_draws_the_entity_and_each_neighbour(gene_page: str) -> None:
    svg = re.search(r'<svg id="network".*?</svg>', gene_page, re.DOTALL)
    assert svg, "the entity page has no network picture"
    drawing = collect(svg.group(0))
    assert len(drawing.find("circle")) == 3  # the gene, the protein it encodes, the cancer
    assert {attrs["href"] for attrs in drawing.find("a")} == {
        "/gene/TNFSF11",
        "/protein/RANKL",
        "/disease/breast-carcinoma",
    }
    assert len(drawing.find("line", **{"marker-end": "url(#arrowhead)"})) == 2
    labels = " ".join(drawing.text)
    assert "encodes" in labels
    assert "expresses" in labels


def test_network_joins_two_neighbours_that_relate() -> None:
    gene, protein, cancer = (
        f"https://w3id.org/rankl-kg/{path}"
        for path in ("gene/TNFSF11", "protein/RANKL", "disease/breast-carcinoma")
    )
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(gene),
            pyoxigraph.NamedNode(RKO.encodes),
            pyoxigraph.NamedNode(protein),
        )
    )
    positions = {gene: (0.0, -100.0), protein: (100.0, 0.0), cancer: (0.0, 100.0)}
    edges = chords(store, set(positions), positions, (0.0, 0.0), Labeller(store, lambda _: None))
    assert len(edges) == 1
    assert edges[0].between_neighbours
    assert edges[0].label == "rko:encodes"  # the store has no label for the predicate


def test_literal_attributes_are_listed(web_client: FlaskClient) -> None:
    html = web_client.get("/trial/NCT00321464").get_data(as_text=True)
    row = re.search(r"<tr><th>.*?rko:enrollment</a></th><td>(.*?)</td></tr>", html)
    assert row, "the trial's enrollment is not listed"
    assert '<span class="literal">2049</span> <span class="note">xsd:' in row.group(1)


def test_a_predicate_used_only_as_a_predicate_has_a_page(web_client: FlaskClient) -> None:
    assert web_client.get("/ontology/enrollment").status_code == 200


# ---- the layout -----------------------------------------------------------------------------


def view(name: str, kind: str = "gene") -> TermView:
    """A neighbour of our namespace."""
    iri = f"https://w3id.org/rankl-kg/{kind}/{name}"
    return TermView(name, f"/{kind}/{name}", iri, kind=kind)


def test_first_of_an_odd_count_sits_straight_above_the_centre() -> None:
    x, y = ring_position(0, 5, 100.0, 0.0, 0.0)
    assert (round(x, 6), round(y, 6)) == (0.0, -100.0)


@pytest.mark.parametrize("count", [2, 4, 6, 24])
def test_no_neighbour_sits_on_the_centres_label(count: int) -> None:
    below = [ring_position(i, count, 100.0, 0.0, 0.0) for i in range(count)]
    assert all(abs(x) > 1 or y < 0 for x, y in below)


def test_neighbours_are_spread_evenly_on_the_ring() -> None:
    points = [ring_position(i, 4, 100.0, 0.0, 0.0) for i in range(4)]
    gaps = {round(math.dist(points[i], points[(i + 1) % 4]), 6) for i in range(4)}
    assert len(gaps) == 1


def test_arrows_stop_at_the_rims_and_point_from_subject_to_object() -> None:
    edge = arrow((0.0, 0.0, 16.0), (100.0, 0.0, 9.0), "encodes", True, False)
    assert (edge.x1, edge.x2) == (16.0, 88.0)  # 3 px are left for the arrowhead
    backwards = arrow((0.0, 0.0, 16.0), (100.0, 0.0, 9.0), "expresses", False, False)
    assert (backwards.x1, backwards.x2) == (91.0, 19.0)
    assert backwards.angle == 0  # labels are never drawn upside down


def test_chords_through_the_centre_are_left_out() -> None:
    top, bottom, right = (0.0, -100.0), (0.0, 100.0), (100.0, 0.0)
    assert not clear_of_centre(top, bottom, (0.0, 0.0))
    assert clear_of_centre(top, right, (0.0, 0.0))


def test_every_relation_keeps_a_place_when_neighbours_are_too_many() -> None:
    many = [Spoke(view(f"T{i}", "trial"), False, ["tested in"]) for i in range(40)]
    rare = [Spoke(view("RANKL", "protein"), True, ["targets"])]
    picked = pick_spokes(many + rare)
    assert len(picked) == MAX_NEIGHBOURS
    assert rare[0] in picked
    assert picked[0] is rare[0]  # outgoing relations come first on the ring


def test_long_labels_are_clipped() -> None:
    assert clip("short") == "short"
    clipped = clip("a" * 60)
    assert len(clipped) == 28
    assert clipped.endswith("…")
