"""The pages' blueprint: the query editor at ``/``, and the rendering of an entity page.

Entity pages live at the paths of the graph's IRIs, which :mod:`server.linked_data` routes and
negotiates; for a browser it calls :func:`render_entity_page`.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from flask import Blueprint, current_app, render_template, request, url_for

from kg.constants import BASE_IRI
from kg.vocabulary import PREFIXES
from server.downloads import read_manifest, release_dir
from server.pages.browse import home_overview
from server.pages.entity_view import build_entity_page
from server.pages.network_drawing import draw_network
from server.pages.terms import HrefOf, Labeller

bp = Blueprint(
    "web",
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)

#: Prefixes declared in the query the editor starts with; others are added when used
STARTING_PREFIXES = ("rdf", "rdfs", "skos", "prov", "rko", "gene", "protein", "disease", "drug")
STARTING_QUERY_BODY = """
# Which cancers express RANK (TNFRSF11A) or RANKL (TNFSF11), in the reviews' own words?
SELECT ?cancer ?gene ?quote ?section WHERE {
  ?statement a rko:Assertion ;
             rdf:subject ?cancer ;
             rdf:predicate rko:expresses ;
             rdf:object ?gene ;
             rko:quote ?quote ;
             rko:section ?section .
}
ORDER BY ?gene ?cancer
LIMIT 100
"""


def starting_query() -> str:
    """The query shown on a first visit: the common prefixes filled in, then a real question."""
    declarations = "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in STARTING_PREFIXES)
    return declarations + STARTING_QUERY_BODY


#: The vendored YASGUI (scripts/vendor-yasgui.sh writes it, with its version)
YASGUI_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "yasgui"


def yasgui_version() -> str:
    """The version of the vendored YASGUI (its ``VERSION`` file)."""
    return (YASGUI_DIR / "VERSION").read_text(encoding="utf-8").strip()


@bp.get("/")
def index() -> str:
    """The query editor (YASGUI); ``?query=`` (a shared link) fills it in."""
    root = url_for("web.index")
    query = request.args.get("query") or starting_query()
    config = {
        "query": query,
        "prefixes": PREFIXES,
        "namespace": BASE_IRI,
        "root": root,
        "endpoint": f"{root}sparql",
        "void": f"{root}.well-known/void",
        "examples": f"{root}.well-known/sparql-examples",
    }
    downloads = sorted(
        read_manifest(release_dir(current_app)).values(), key=lambda entry: str(entry["name"])
    )
    return render_template(
        "index.html",
        config=config,
        downloads=downloads,
        yasgui_version=yasgui_version(),
        overview=home_overview(),
    )


def render_entity_page(store: pyoxigraph.Store, node: pyoxigraph.NamedNode, href_of: HrefOf) -> str:
    """The HTML page of ``node`` from its neighbourhood in ``store``, IRIs linked by ``href_of``."""
    labeller = Labeller(store, href_of)
    page = build_entity_page(store, node, labeller)
    network = draw_network(store, page, labeller)
    return render_template("entity.html", page=page, network=network)
