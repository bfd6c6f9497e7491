"""The entity page's network: its neighbourhood laid out radially, as SVG geometry.

The layout is computed here, so ``templates/_network.html`` only draws circles, lines and text
and the page needs no JavaScript library to show it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph

from server.pages.entity_view import EntityPage, RelationGroup
from server.pages.terms import HEADER_IRIS, Labeller, TermView, subject_quads

#: Most neighbours drawn in the network; the rest are counted
MAX_NEIGHBOURS = 24
#: Longest node label drawn in full
MAX_DRAWN_LABEL = 28
#: Size of the drawing, and radius of the ring of neighbours
WIDTH, HEIGHT, RING = 920, 560, 210.0
CENTRE_RADIUS, NEIGHBOUR_RADIUS = 16.0, 9.0


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


def draw_network(store: pyoxigraph.Store, page: EntityPage, labeller: Labeller) -> Network:
    """A radial layout: the entity in the middle, its neighbours on a circle, grouped by relation.

    Arrows point from subject to object; edges between two neighbours are drawn as chords.
    """
    centre = labeller.view(pyoxigraph.NamedNode(page.iri))
    spokes = spokes_of(page.groups)
    drawn = pick_spokes(spokes)
    cx, cy = WIDTH / 2, HEIGHT / 2
    positions = {
        spoke.other.iri or "": ring_position(i, len(drawn), RING, cx, cy)
        for i, spoke in enumerate(drawn)
    }
    nodes = [NetworkNode(centre, cx, cy, CENTRE_RADIUS, clip(centre.text), cx, cy + 40, "middle")]
    nodes.extend(
        neighbour_node(spoke.other, positions[spoke.other.iri or ""], cx, cy) for spoke in drawn
    )
    edges = [
        arrow(
            (cx, cy, CENTRE_RADIUS),
            (*positions[spoke.other.iri or ""], NEIGHBOUR_RADIUS),
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
    return Network(WIDTH, HEIGHT, tuple(nodes), tuple(edges), kinds, len(spokes) - len(drawn))


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
    return NetworkNode(view, x, y, NEIGHBOUR_RADIUS, clip(view.text), x + ux * 14, label_y, anchor)


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
                        (*positions[iri], NEIGHBOUR_RADIUS),
                        (*positions[target], NEIGHBOUR_RADIUS),
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
