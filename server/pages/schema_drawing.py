"""The home page's drawing of the graph's schema: its classes and the relations between them.

Node sizes are the entity counts of the VoID class partitions (:mod:`server.describe`); edges
are the class-to-class relation counts the catalogue reads once from the store
(:class:`server.pages.catalogue.ClassRelation`). The classes sit on a ring, their labels turned
outwards along the radius; an edge bends towards the centre so that edges between neighbours
stay apart from the long ones (the layout ideas of :mod:`server.pages.network_drawing`). The
template draws it as inline SVG, so it needs no script and no network.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import VOID

from kg.vocabulary import PREFIXES
from server.describe import DATASET_IRI
from server.pages.catalogue import ClassRelation

#: Size of the drawing and radius of the ring of classes
SIZE, RING = 1000, 270.0
#: Classes not drawn: the evidence nodes are on every relation, not a relation of the domain
HIDDEN_CLASSES = frozenset({f"{PREFIXES['rko']}Assertion"})


@dataclass(frozen=True)
class SchemaNode:
    """A drawn class: position, size, count, and its label turned along the radius."""

    iri: str
    label: str
    count: int
    href: str
    x: float
    y: float
    radius: float
    label_x: float
    label_y: float
    angle: float
    anchor: str


@dataclass(frozen=True)
class SchemaEdge:
    """A drawn relation between two classes: an SVG path, its width and its tooltip."""

    source: str
    target: str
    count: int
    path: str
    width: float
    title: str


@dataclass(frozen=True)
class Schema:
    """The drawing, and every relation between drawn classes as labelled rows (for a table)."""

    size: int
    nodes: tuple[SchemaNode, ...]
    edges: tuple[SchemaEdge, ...]
    #: (class, relation, class, count), by label
    relations: tuple[tuple[str, str, str, int], ...]


def class_counts(void: Graph) -> dict[str, int]:
    """Entities per class of the ``rko:`` namespace, from the VoID class partitions."""
    counts: dict[str, int] = {}
    for partition in void.objects(DATASET_IRI, VOID.classPartition):
        cls, entities = void.value(partition, VOID["class"]), void.value(partition, VOID.entities)
        if (
            isinstance(cls, URIRef)
            and isinstance(entities, Literal)
            and str(cls).startswith(PREFIXES["rko"])
            and str(cls) not in HIDDEN_CLASSES
        ):
            counts[str(cls)] = int(entities.toPython())
    return counts


def node_radius(count: int) -> float:
    """A class's circle grows with the log of its entities."""
    return 4.0 + 1.6 * math.log2(1 + count)


def draw_schema(
    void: Graph,
    relations: tuple[ClassRelation, ...],
    labels: dict[str, str],
    href_of: Callable[[str], str | None],
) -> Schema:
    """Lay the classes out on a ring and bundle their relations into one edge per class pair;
    ``href_of`` gives the page of a class."""
    counts = class_counts(void)
    order = sorted(counts, key=lambda iri: ((labels.get(iri) or iri).casefold(), iri))
    centre = SIZE / 2
    nodes: dict[str, SchemaNode] = {}
    for index, iri in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(order), 1)
        ux, uy = math.cos(angle), math.sin(angle)
        radius = node_radius(counts[iri])
        degrees = math.degrees(angle)
        flipped = ux < 0
        nodes[iri] = SchemaNode(
            iri,
            labels.get(iri, iri.rsplit("/", 1)[-1]),
            counts[iri],
            href_of(iri) or iri,
            centre + RING * ux,
            centre + RING * uy,
            radius,
            centre + (RING + radius + 6) * ux,
            centre + (RING + radius + 6) * uy,
            round(degrees + 180 if flipped else degrees, 2),
            "end" if flipped else "start",
        )
    drawn = tuple(r for r in relations if r.source in nodes and r.target in nodes)
    by_pair: dict[tuple[str, str], list[ClassRelation]] = defaultdict(list)
    for relation in drawn:
        by_pair[(relation.source, relation.target)].append(relation)
    edges = [
        edge_between(nodes[source], nodes[target], found, labels, centre)
        for (source, target), found in sorted(by_pair.items())
    ]
    rows = sorted(
        (nodes[r.source].label, name_of(r.predicate, labels), nodes[r.target].label, r.count)
        for r in drawn
    )
    return Schema(SIZE, tuple(nodes.values()), tuple(edges), tuple(rows))


def name_of(iri: str, labels: dict[str, str]) -> str:
    """The label of a predicate, else its local name."""
    return labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def edge_between(
    source: SchemaNode,
    target: SchemaNode,
    relations: list[ClassRelation],
    labels: dict[str, str],
    centre: float,
) -> SchemaEdge:
    """One edge for every relation from ``source``'s class to ``target``'s, with their counts."""
    total = sum(relation.count for relation in relations)
    named = sorted(relations, key=lambda r: (-r.count, r.predicate))
    listed = ", ".join(f"{name_of(r.predicate, labels)} {r.count}" for r in named)
    title = f"{source.label} → {target.label}: {listed}"
    width = round(0.8 + 0.6 * math.log2(1 + total), 2)
    if source.iri == target.iri:
        return SchemaEdge(source.iri, target.iri, total, self_loop(source, centre), width, title)
    # trim the ends to the circles' rims, and bend the curve towards the centre
    x1, y1, x2, y2 = source.x, source.y, target.x, target.y
    cx, cy = centre + ((x1 + x2) / 2 - centre) * 0.2, centre + ((y1 + y2) / 2 - centre) * 0.2
    sx, sy = towards(x1, y1, cx, cy, source.radius)
    ex, ey = towards(x2, y2, cx, cy, target.radius + 3)
    path = f"M {sx:.1f} {sy:.1f} Q {cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}"
    return SchemaEdge(source.iri, target.iri, total, path, width, title)


def towards(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    """The point ``distance`` from (x, y) in the direction of (tx, ty)."""
    length = math.hypot(tx - x, ty - y) or 1.0
    return x + (tx - x) / length * distance, y + (ty - y) / length * distance


def self_loop(node: SchemaNode, centre: float) -> str:
    """A loop on the inner side of the ring for relations of a class with itself."""
    dx, dy = centre - node.x, centre - node.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    px, py = -uy, ux
    reach = node.radius + 26
    start = (node.x + (ux + px * 0.5) * node.radius, node.y + (uy + py * 0.5) * node.radius)
    end = (node.x + (ux - px * 0.5) * node.radius, node.y + (uy - py * 0.5) * node.radius)
    c1 = (node.x + (ux + px) * reach, node.y + (uy + py) * reach)
    c2 = (node.x + (ux - px) * reach, node.y + (uy - py) * reach)
    return (
        f"M {start[0]:.1f} {start[1]:.1f} C {c1[0]:.1f} {c1[1]:.1f} "
        f"{c2[0]:.1f} {c2[1]:.1f} {end[0]:.1f} {end[1]:.1f}"
    )
