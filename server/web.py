"""Pages for people: the query editor at ``/`` and the entity pages that linked data renders.

The entity page is built here as plain data (:class:`EntityPage`) from the pyoxigraph store and
drawn by ``templates/entity.html``; its neighbourhood network gets a radial layout computed in
Python, so the page needs no JavaScript library to show it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph
from flask import Blueprint, current_app, render_template, request, url_for

from kg.build.xrefs import iri_to_curie
from kg.constants import BASE_IRI
from kg.namespaces import PREFIXES
from server.downloads import read_manifest, release_dir

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)

RDF_NS = PREFIXES["rdf"]
RDFS_NS = PREFIXES["rdfs"]
SKOS_NS = PREFIXES["skos"]
RKO_NS = PREFIXES["rko"]
PROV_NS = PREFIXES["prov"]
DEFINITION_IRIS = (f"{SKOS_NS}definition", f"{PREFIXES['obo']}IAO_0000115")
LABEL_IRIS = (f"{RDFS_NS}label", f"{SKOS_NS}prefLabel", f"{PREFIXES['dcterms']}title")
SYNONYM_IRI = f"{SKOS_NS}altLabel"
XREF_IRIS = {f"{SKOS_NS}exactMatch": "exact match", f"{SKOS_NS}closeMatch": "close match"}
TYPE_IRI = f"{RDF_NS}type"
#: Predicates shown in the page header rather than as relations
HEADER_IRIS = frozenset({TYPE_IRI, SYNONYM_IRI, *LABEL_IRIS, *DEFINITION_IRIS, *XREF_IRIS})
#: Predicates by which an evidence node points at the entity; they are shown as evidence
EVIDENCE_ROLE_IRIS = frozenset({f"{RDF_NS}subject", f"{RDF_NS}predicate", f"{RDF_NS}object"})
#: Most rows listed under one predicate; the rest are counted
MAX_ROWS_PER_GROUP = 200
#: Most neighbours drawn in the network; the rest are counted
MAX_NEIGHBOURS = 24
#: Longest node label drawn in full
MAX_DRAWN_LABEL = 28

HrefOf = Callable[[str], str | None]
Subject = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple
Term = Subject | pyoxigraph.Literal


def text_of(term: Term) -> str:
    """The IRI, blank-node id or lexical form of a term (a quoted triple as N-Triples)."""
    return str(term) if isinstance(term, pyoxigraph.Triple) else term.value


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


@bp.get("/")
def index() -> str:
    """The query editor; ``?query=`` (a shared link) fills it in."""
    root = url_for("web.index")
    config = {
        "prefixes": PREFIXES,
        "namespace": BASE_IRI,
        "root": root,
        "endpoint": f"{root}sparql",
        "void": f"{root}.well-known/void",
        "examples": f"{root}.well-known/sparql-examples",
    }
    query = request.args.get("query") or starting_query()
    downloads = sorted(read_manifest(release_dir(current_app)).values(), key=lambda entry: str(entry["name"]))
    return render_template("index.html", config=config, query=query, downloads=downloads)


@dataclass(frozen=True)
class TermView:
    """An RDF term as a page shows it: text, link target, and a note (CURIE, language, type)."""

    text: str
    href: str | None = None
    iri: str | None = None
    note: str = ""
    kind: str = "external"


@dataclass(frozen=True)
class Evidence:
    """One curated assertion behind a relation: the quote, where it is, and what it cites."""

    assertion: TermView
    quote: str
    section: str
    source: TermView | None
    references: tuple[TermView, ...]


@dataclass(frozen=True)
class Relation:
    """The other end of one relation, with its evidence."""

    other: TermView
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class RelationGroup:
    """All relations of one predicate in one direction (``outgoing``: the entity is subject)."""

    predicate: TermView
    outgoing: bool
    relations: tuple[Relation, ...]
    hidden: int = 0


@dataclass(frozen=True)
class NetworkNode:
    """A drawn node: position, size and where its label goes."""

    term: TermView
    x: float
    y: float
    radius: float
    label: str
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class NetworkEdge:
    """A drawn arrow from (x1, y1) to (x2, y2) with its label rotated along it."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float
    angle: float
    between_neighbours: bool


@dataclass(frozen=True)
class Network:
    """The entity's neighbourhood, laid out radially around it."""

    width: int
    height: int
    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]
    kinds: tuple[str, ...]
    hidden: int


@dataclass(frozen=True)
class EntityPage:
    """Everything the entity page shows."""

    iri: str
    title: str
    kind: str
    types: tuple[TermView, ...]
    synonyms: tuple[str, ...]
    definitions: tuple[str, ...]
    xrefs: tuple[TermView, ...]
    attributes: tuple[tuple[TermView, TermView], ...]
    groups: tuple[RelationGroup, ...]
    network: Network
    evidence_count: int = 0


def subject_quads(store: pyoxigraph.Store, node: Subject) -> Iterator[pyoxigraph.Quad]:
    """The default-graph quads with ``node`` as subject."""
    return iter(store.quads_for_pattern(node, None, None, pyoxigraph.DefaultGraph()))


def object_quads(store: pyoxigraph.Store, node: Term) -> Iterator[pyoxigraph.Quad]:
    """The default-graph quads with ``node`` as object."""
    return iter(store.quads_for_pattern(None, None, node, pyoxigraph.DefaultGraph()))


def evidence_nodes(store: pyoxigraph.Store, node: pyoxigraph.NamedNode) -> list[Subject]:
    """The ``rko:Assertion`` nodes with ``node`` as ``rdf:subject`` or ``rdf:object``."""
    default = pyoxigraph.DefaultGraph()
    is_assertion = (pyoxigraph.NamedNode(TYPE_IRI), pyoxigraph.NamedNode(f"{RKO_NS}Assertion"))
    found: list[Subject] = []
    for role in ("subject", "object"):
        role_predicate = pyoxigraph.NamedNode(f"{RDF_NS}{role}")
        for quad in store.quads_for_pattern(None, role_predicate, node, default):
            if (
                quad.subject not in found
                and pyoxigraph.Quad(quad.subject, *is_assertion, default) in store
            ):
                found.append(quad.subject)
    return found


def kind_of(iri: str) -> str:
    """The kind of an IRI of our namespace (``gene``, ``ontology``…), else ``external``."""
    if not iri.startswith(BASE_IRI):
        return "external"
    return iri.removeprefix(BASE_IRI).split("/", 1)[0]


def short_name(iri: str) -> str:
    """``rko:Gene`` for an IRI under a known prefix, else the IRI."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(name for name, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri.removeprefix(best)}"


class Labeller:
    """Turns store terms into :class:`TermView` objects, caching the labels it looks up."""

    def __init__(self, store: pyoxigraph.Store, href_of: HrefOf) -> None:
        self.store = store
        self.href_of = href_of
        self.cache: dict[str, str] = {}

    def label(self, iri: str) -> str:
        """The English or untagged label of an IRI, else its prefixed name."""
        if iri not in self.cache:
            self.cache[iri] = self.lookup_label(iri) or short_name(iri)
        return self.cache[iri]

    def lookup_label(self, iri: str) -> str | None:
        """The first label (or title) in English or without language; a cited reference's number."""
        node = pyoxigraph.NamedNode(iri)
        for label_iri in LABEL_IRIS:
            predicate = pyoxigraph.NamedNode(label_iri)
            for quad in self.store.quads_for_pattern(
                node, predicate, None, pyoxigraph.DefaultGraph()
            ):
                if isinstance(quad.object, pyoxigraph.Literal) and quad.object.language in (
                    None,
                    "en",
                ):
                    return quad.object.value
        number = reference_number(self.store, node)
        return f"reference {number}" if number else None

    def view(self, term: Term) -> TermView:
        """A view of any term: IRIs get labels and links, literals their language or type."""
        if isinstance(term, pyoxigraph.NamedNode):
            iri = term.value
            curie = iri_to_curie(iri)
            href = self.href_of(iri) or iri
            return TermView(curie or self.label(iri), href, iri, curie or "", kind_of(iri))
        if isinstance(term, pyoxigraph.Literal):
            note = term.language or short_name(term.datatype.value)
            if note in ("xsd:string", "rdf:langString"):
                note = ""
            return TermView(term.value, note=note, kind="literal")
        return TermView(str(term), kind="blank")


def build_entity_page(
    store: pyoxigraph.Store, node: pyoxigraph.NamedNode, href_of: HrefOf
) -> EntityPage:
    """Gather the entity's header, relations with evidence, and network."""
    labeller = Labeller(store, href_of)
    outgoing = list(subject_quads(store, node))
    by_predicate: dict[str, list[Term]] = defaultdict(list)
    for quad in outgoing:
        by_predicate[quad.predicate.value].append(quad.object)
    evidence = evidence_index(store, node, labeller)
    groups = relation_groups(store, node, outgoing, evidence, labeller)
    return EntityPage(
        iri=node.value,
        title=labeller.label(node.value),
        kind=kind_of(node.value),
        types=tuple(labeller.view(t) for t in by_predicate[TYPE_IRI]),
        synonyms=tuple(sorted(text_of(t) for t in by_predicate[SYNONYM_IRI])),
        definitions=tuple(text_of(t) for iri in DEFINITION_IRIS for t in by_predicate[iri]),
        xrefs=tuple(xref_views(by_predicate, labeller)),
        attributes=tuple(
            (labeller.view(quad.predicate), labeller.view(quad.object))
            for quad in outgoing
            if isinstance(quad.object, pyoxigraph.Literal)
            and quad.predicate.value not in HEADER_IRIS
        ),
        groups=groups,
        network=layout_network(store, labeller.view(node), groups, labeller),
        evidence_count=len({e.assertion.iri for items in evidence.values() for e in items}),
    )


def xref_views(by_predicate: dict[str, list[Term]], labeller: Labeller) -> Iterator[TermView]:
    """External identifiers, shown as CURIEs linking to their IRIs (close matches marked)."""
    for xref_iri, relation in XREF_IRIS.items():
        for term in by_predicate[xref_iri]:
            view = labeller.view(term)
            note = "" if relation == "exact match" else relation
            yield TermView(view.text, view.href, view.iri, note, view.kind)


def evidence_index(
    store: pyoxigraph.Store, node: pyoxigraph.NamedNode, labeller: Labeller
) -> dict[tuple[str, str, str], list[Evidence]]:
    """The evidence of every relation the entity takes part in, by (subject, predicate, object)."""
    index: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for assertion in evidence_nodes(store, node):
        values: dict[str, list[Term]] = defaultdict(list)
        for quad in subject_quads(store, assertion):
            values[quad.predicate.value].append(quad.object)
        roles = tuple(values[f"{RDF_NS}{role}"] for role in ("subject", "predicate", "object"))
        if not all(len(terms) == 1 for terms in roles):
            continue
        key = (text_of(roles[0][0]), text_of(roles[1][0]), text_of(roles[2][0]))
        index[key].append(evidence_of(store, assertion, values, labeller))
    return index


def evidence_of(
    store: pyoxigraph.Store, assertion: Subject, values: dict[str, list[Term]], labeller: Labeller
) -> Evidence:
    """One evidence record from the properties of its assertion node."""
    sources = values[f"{PROV_NS}wasDerivedFrom"]
    references = sorted(
        values[f"{RKO_NS}citedReference"], key=lambda ref: reference_number(store, ref)
    )
    return Evidence(
        assertion=labeller.view(assertion),
        quote=" ".join(text_of(t) for t in values[f"{RKO_NS}quote"]),
        section=", ".join(text_of(t) for t in values[f"{RKO_NS}section"]),
        source=labeller.view(sources[0]) if sources else None,
        references=tuple(
            TermView(
                f"ref. {reference_number(store, ref)}",
                labeller.href_of(text_of(ref)) or text_of(ref),
                text_of(ref),
                kind="publication",
            )
            for ref in references
        ),
    )


def reference_number(store: pyoxigraph.Store, reference: Term) -> int:
    """The ``rko:referenceNumber`` of a cited reference (0 if it has none)."""
    if isinstance(reference, pyoxigraph.Literal):
        return 0
    predicate = pyoxigraph.NamedNode(f"{RKO_NS}referenceNumber")
    for quad in store.quads_for_pattern(reference, predicate, None, pyoxigraph.DefaultGraph()):
        return int(text_of(quad.object))
    return 0


def relation_groups(
    store: pyoxigraph.Store,
    node: pyoxigraph.NamedNode,
    outgoing: list[pyoxigraph.Quad],
    evidence: dict[tuple[str, str, str], list[Evidence]],
    labeller: Labeller,
) -> tuple[RelationGroup, ...]:
    """Relations to other resources in both directions, grouped by predicate."""
    edges: dict[tuple[str, bool], list[tuple[Term, tuple[str, str, str]]]] = defaultdict(list)
    for quad in outgoing:
        if quad.predicate.value not in HEADER_IRIS and not isinstance(
            quad.object, pyoxigraph.Literal
        ):
            key = (node.value, quad.predicate.value, text_of(quad.object))
            edges[(quad.predicate.value, True)].append((quad.object, key))
    for quad in object_quads(store, node):
        if quad.predicate.value not in EVIDENCE_ROLE_IRIS:
            key = (text_of(quad.subject), quad.predicate.value, node.value)
            edges[(quad.predicate.value, False)].append((quad.subject, key))
    groups = []
    for (predicate, is_outgoing), others in sorted(
        edges.items(), key=lambda item: (not item[0][1], item[0][0])
    ):
        relations = sorted(
            (Relation(labeller.view(other), tuple(evidence.get(key, ()))) for other, key in others),
            key=lambda relation: relation.other.text.lower(),
        )
        groups.append(
            RelationGroup(
                labeller.view(pyoxigraph.NamedNode(predicate)),
                is_outgoing,
                tuple(relations[:MAX_ROWS_PER_GROUP]),
                max(0, len(relations) - MAX_ROWS_PER_GROUP),
            )
        )
    return tuple(groups)


@dataclass
class Spoke:
    """One neighbour and the predicates that tie it to the centre in one direction."""

    other: TermView
    outgoing: bool
    labels: list[str]


def spokes_of(groups: tuple[RelationGroup, ...]) -> list[Spoke]:
    """One spoke per neighbour of our namespace; outgoing predicates win over incoming ones.

    Inverse pairs (``encodes``/``encodedBy``) would otherwise draw two arrows on one line.
    """
    spokes: dict[str, Spoke] = {}
    for group in sorted(groups, key=lambda g: not g.outgoing):
        for relation in group.relations:
            other = relation.other
            if other.iri is None or other.kind in ("external", "assertion"):
                continue
            spoke = spokes.setdefault(other.iri, Spoke(other, group.outgoing, []))
            if spoke.outgoing == group.outgoing and group.predicate.text not in spoke.labels:
                spoke.labels.append(group.predicate.text)
    return list(spokes.values())


def pick_spokes(spokes: list[Spoke]) -> list[Spoke]:
    """At most :data:`MAX_NEIGHBOURS`, taken from each relation in turn, then kept together.

    Taking turns keeps a rare relation visible next to one with hundreds of neighbours.
    """
    by_relation: dict[tuple[bool, str], list[Spoke]] = defaultdict(list)
    for spoke in spokes:
        by_relation[(not spoke.outgoing, spoke.labels[0])].append(spoke)
    queues = [by_relation[key] for key in sorted(by_relation)]
    picked: list[Spoke] = []
    while len(picked) < MAX_NEIGHBOURS and any(queues):
        for queue in queues:
            if queue and len(picked) < MAX_NEIGHBOURS:
                picked.append(queue.pop(0))
    order = {id(spoke): index for index, spoke in enumerate(spokes)}
    return sorted(
        picked, key=lambda spoke: ((not spoke.outgoing, spoke.labels[0]), order[id(spoke)])
    )


def layout_network(
    store: pyoxigraph.Store, centre: TermView, groups: tuple[RelationGroup, ...], labeller: Labeller
) -> Network:
    """A radial layout: the entity in the middle, its neighbours on a circle, grouped by relation.

    Arrows point from subject to object; edges between two neighbours are drawn as chords.
    """
    spokes = spokes_of(groups)
    drawn = pick_spokes(spokes)
    width, height, ring = 920, 560, 210.0
    cx, cy = width / 2, height / 2
    positions = {
        spoke.other.iri or "": ring_position(i, len(drawn), ring, cx, cy)
        for i, spoke in enumerate(drawn)
    }
    nodes = [NetworkNode(centre, cx, cy, 16.0, clip(centre.text), cx, cy + 40, "middle")]
    nodes.extend(
        neighbour_node(spoke.other, positions[spoke.other.iri or ""], cx, cy) for spoke in drawn
    )
    edges = [
        arrow(
            (cx, cy, 16.0),
            (*positions[spoke.other.iri or ""], 9.0),
            ", ".join(spoke.labels),
            spoke.outgoing,
            False,
        )
        for spoke in drawn
    ]
    edges.extend(
        chords(store, {spoke.other.iri or "" for spoke in drawn}, positions, (cx, cy), labeller)
    )
    kinds = tuple(sorted({node.term.kind for node in nodes}))
    return Network(width, height, tuple(nodes), tuple(edges), kinds, len(spokes) - len(drawn))


def ring_position(index: int, count: int, ring: float, cx: float, cy: float) -> tuple[float, float]:
    """Where the ``index``-th of ``count`` neighbours sits, clockwise from the top.

    An even count is turned by half a step so that no neighbour sits straight below the
    centre, where the centre's own label is.
    """
    step = 2 * math.pi / max(count, 1)
    angle = -math.pi / 2 + step * index + (step / 2 if count % 2 == 0 else 0.0)
    return cx + ring * math.cos(angle), cy + ring * math.sin(angle)


def neighbour_node(
    view: TermView, position: tuple[float, float], cx: float, cy: float
) -> NetworkNode:
    """A neighbour with its label placed outside the ring, away from the centre."""
    x, y = position
    dx, dy = x - cx, y - cy
    distance = math.hypot(dx, dy) or 1.0
    ux, uy = dx / distance, dy / distance
    anchor = "start" if ux > 0.05 else "end" if ux < -0.05 else "middle"
    label_y = y + uy * 16 + (5 if abs(uy) < 0.9 else 0) + (12 if uy >= 0.9 else 0)
    return NetworkNode(view, x, y, 9.0, clip(view.text), x + ux * 14, label_y, anchor)


def arrow(
    start: tuple[float, float, float],
    end: tuple[float, float, float],
    label: str,
    forward: bool,
    between_neighbours: bool,
) -> NetworkEdge:
    """An edge between two circles (x, y, radius), trimmed to their rims, pointing as asked."""
    if not forward:
        start, end = end, start
    (x1, y1, r1), (x2, y2, r2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    angle = math.degrees(math.atan2(uy, ux))
    if angle > 90 or angle < -90:
        angle -= math.copysign(180, angle)
    share = 0.5 if between_neighbours else (0.62 if forward else 0.38)
    return NetworkEdge(
        x1 + ux * r1,
        y1 + uy * r1,
        x2 - ux * (r2 + 3),
        y2 - uy * (r2 + 3),
        label,
        x1 + (x2 - x1) * share,
        y1 + (y2 - y1) * share,
        round(angle, 2),
        between_neighbours,
    )


def chords(
    store: pyoxigraph.Store,
    drawn: set[str],
    positions: dict[str, tuple[float, float]],
    centre: tuple[float, float],
    labeller: Labeller,
) -> list[NetworkEdge]:
    """Edges between two drawn neighbours, so the picture shows how they relate to each other.

    A chord that would pass near the centre is left out: it would cross every spoke there.
    """
    found = []
    for iri in drawn:
        for quad in subject_quads(store, pyoxigraph.NamedNode(iri)):
            target = quad.object.value if isinstance(quad.object, pyoxigraph.NamedNode) else None
            if (
                target in drawn
                and target != iri
                and quad.predicate.value not in HEADER_IRIS
                and clear_of_centre(positions[iri], positions[target], centre)
            ):
                found.append(
                    arrow(
                        (*positions[iri], 9.0),
                        (*positions[target], 9.0),
                        labeller.label(quad.predicate.value),
                        True,
                        True,
                    )
                )
    return found


def clear_of_centre(
    start: tuple[float, float], end: tuple[float, float], centre: tuple[float, float]
) -> bool:
    """True if the segment keeps at least half the ring's radius away from the centre."""
    (x1, y1), (x2, y2), (cx, cy) = start, end, centre
    ring = math.hypot(x1 - cx, y1 - cy)
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    distance = abs((x2 - x1) * (y1 - cy) - (x1 - cx) * (y2 - y1)) / length
    return distance >= ring / 2


def clip(text: str) -> str:
    """A label short enough to draw; the full text stays in the node's tooltip."""
    return text if len(text) <= MAX_DRAWN_LABEL else text[: MAX_DRAWN_LABEL - 1] + "…"
