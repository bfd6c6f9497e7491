"""The build: curated tables -> validated rows -> RDF graph (ontology kept separate)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.build.content import EvidenceColumns, Row
from kg.build.quotes import ANCHORS_FILENAME, Anchor, read_anchors
from kg.builders import BuildContext, Builder, context_kinds, get_builders
from kg.constants import CONTENT_DIR, ONTOLOGY_PATH
from kg.errors import ContentError, InvalidContentError
from kg.safe_rdf import load_rdf
from kg.vocabulary import new_graph


def load_ontology(path: Path = ONTOLOGY_PATH) -> Graph:
    """Parse the hand-edited ontology; its owl:imports, if any, are dropped with a warning."""
    return load_rdf(path, new_graph())


def build_data_graph(content_dir: Path = CONTENT_DIR) -> Graph:
    """Build the instance data from every table in ``content_dir``.

    All tables are validated and cross-checked before the graph is returned; any problem in any
    row raises :class:`InvalidContentError` listing every error with its file, row and field.
    """
    graph = new_graph()
    build_into(content_dir, lambda _builder: graph)
    return graph


def build_graphs_by_builder(content_dir: Path = CONTENT_DIR) -> dict[str, Graph]:
    """Build ``content_dir`` as :func:`build_data_graph` does, each builder's triples in a graph
    of its own (builder name -> graph): what one table adds, with every other table defined."""
    graphs: dict[str, Graph] = {}
    build_into(content_dir, lambda builder: graphs.setdefault(builder.name, new_graph()))
    return graphs


def build_into(content_dir: Path, graph_for: Callable[[Builder[Any]], Graph]) -> None:
    """Load, check and build every table, each builder's rows into ``graph_for(builder)``.

    :raises InvalidContentError: listing every problem found in any table
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
    try:
        anchors = read_anchors(content_dir / ANCHORS_FILENAME)
    except ContentError as exc:  # a generated file; without it no quote can be checked
        raise InvalidContentError([*errors, exc]) from exc
    for _, rows in loaded:
        for row in rows:
            if isinstance(row.record, EvidenceColumns):
                errors.extend(check_evidence(row, index, anchors))
    ctx = BuildContext(graph=new_graph(), index=index, anchors=anchors, errors=errors)
    for builder, rows in loaded:
        ctx.graph = graph_for(builder)
        for row in rows:
            builder.add_row(ctx, row)
    if ctx.errors:
        raise InvalidContentError(ctx.errors)


def build_index(
    loaded: list[tuple[Builder[Any], list[Row[Any]]]], errors: list[ContentError]
) -> dict[str, set[str]]:
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


def check_evidence(
    row: Row[EvidenceColumns], index: dict[str, set[str]], anchors: dict[tuple[str, str], Anchor]
) -> list[ContentError]:
    """Check a row's evidence: a known source, an anchored quote, known context entities."""
    evidence = row.record
    publications = index.get("publication", set())
    if evidence.source not in publications:
        known = ", ".join(sorted(publications)) or "none"
        return [
            row.error(
                "source",
                f"unknown publication {evidence.source!r}; "
                f"content/publications.yaml defines: {known}",
            )
        ]
    errors = []
    if (evidence.source, evidence.quote) not in anchors:
        errors.append(
            row.error(
                "quote",
                f"quote has no anchor in {ANCHORS_FILENAME}; "
                "run 'rankl-kg anchor-quotes --source <the review texts>'",
            )
        )
    allowed = context_kinds()  # the kinds whose builder names a qualifier (``context``)
    for position, reference in enumerate(evidence.context):
        kind, local_id = reference.split(":", 1)
        if kind not in allowed:
            errors.append(
                row.error(
                    f"context.{position}",
                    f"{reference!r} is a {kind}; a context is one of: {', '.join(sorted(allowed))}",
                )
            )
        elif local_id not in index.get(kind, set()):
            errors.append(
                row.error(
                    f"context.{position}", f"unknown {kind} {local_id!r} in context {reference!r}"
                )
            )
    return errors


def merge(*graphs: Graph) -> Graph:
    """Return one graph holding the triples of all ``graphs``, with the project's prefixes."""
    merged = new_graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged
