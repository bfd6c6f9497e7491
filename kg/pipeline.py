"""The build: curated tables -> validated rows -> RDF graph (ontology kept separate)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.builders import BuildContext, Builder, get_builders
from kg.constants import CONTENT_DIR, ONTOLOGY_PATH
from kg.content import Evidence, Row
from kg.errors import ContentError, ContentErrors
from kg.namespaces import new_graph


def load_ontology(path: Path = ONTOLOGY_PATH) -> Graph:
    """Parse the hand-edited ontology."""
    graph = new_graph()
    graph.parse(path, format="turtle")
    return graph


def build_data_graph(content_dir: Path = CONTENT_DIR) -> Graph:
    """Build the instance data from every table in ``content_dir``.

    All tables are validated and cross-checked before the graph is returned; any problem in any
    row raises :class:`ContentErrors` listing every error with its file, row and field.
    """
    errors: list[ContentError] = []
    loaded: list[tuple[Builder[Any], list[Row[Any]]]] = []
    for builder in get_builders():
        try:
            rows, row_errors = builder.load(content_dir)
        except ContentError as exc:
            rows, row_errors = [], [exc]
        errors.extend(row_errors)
        loaded.append((builder, rows))
    index = build_index(loaded, errors)
    check_sources(loaded, index.get("publication", set()), errors)
    ctx = BuildContext(graph=new_graph(), index=index, errors=errors)
    for builder, rows in loaded:
        for row in rows:
            builder.add_row(ctx, row)
    if ctx.errors:
        raise ContentErrors(ctx.errors)
    return ctx.graph


def build_index(loaded: list[tuple[Builder[Any], list[Row[Any]]]], errors: list[ContentError]) -> dict[str, set[str]]:
    """Collect the ids each entity table defines; a duplicate id is an error."""
    index: dict[str, set[str]] = defaultdict(set)
    for builder, rows in loaded:
        if builder.kind is None:
            continue
        for local_id, row in builder.defined_ids(rows):
            if local_id in index[builder.kind]:
                errors.append(row.error("id", f"duplicate {builder.kind} id {local_id!r}"))
            index[builder.kind].add(local_id)
    return dict(index)


def check_sources(loaded: list[tuple[Builder[Any], list[Row[Any]]]], publications: set[str], errors: list[ContentError]) -> None:
    """Every evidence-bearing row must name a publication of ``publications.yaml``."""
    for _, rows in loaded:
        for row in rows:
            if isinstance(row.record, Evidence) and row.record.source not in publications:
                known = ", ".join(sorted(publications)) or "none"
                errors.append(row.error("source", f"unknown publication {row.record.source!r}; content/publications.yaml defines: {known}"))


def merge(*graphs: Graph) -> Graph:
    """Return one graph holding the triples of all ``graphs``, with the project's prefixes."""
    merged = new_graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged
