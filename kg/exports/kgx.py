"""KGX TSV: a nodes file and an edges file in the Biolink Model, with Biolink provenance.

Each curated assertion between two entities becomes one edge (its id is the assertion's), with
the review as ``primary_knowledge_source``, the project as ``aggregator_knowledge_source``, the
review's PMID or DOI in ``publications``, the quote as ``supporting_text``, and
``knowledge_level`` / ``agent_type`` saying a curator read it in the literature.

The format is lossy by design: typing assertions (``rdf:type``) become node categories,
assertions with a literal object (trial enrollment) are left out, and so are the quote offsets,
sections and cited references (they stay in the RDF exports).

Categories come from the ontology's ``skos:exactMatch biolink:<Class>`` of a node's classes and
their superclasses, falling back to ``biolink:NamedThing``. Predicates come from a property's
``skos:exactMatch``, then ``skos:closeMatch``, to a Biolink slot, falling back to
``biolink:related_to``; the project's own predicate is kept in ``original_predicate``.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kg.build.provenance_reader import StatementEvidence, read_evidence
from kg.exports._curies import curie
from kg.exports._tabular import to_tsv
from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.namespaces import BIBO, BIOLINK

NODES_FILENAME = "rankl-kg_nodes.tsv"
EDGES_FILENAME = "rankl-kg_edges.tsv"
NODE_COLUMNS = ("id", "category", "name", "synonym", "xref", "provided_by")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
    "publications",
    "supporting_text",
)
#: Information-resource id of the project (the aggregator of both reviews)
INFORES_AGGREGATOR = "infores:rankl-kg"
FALLBACK_CATEGORY = "biolink:NamedThing"
FALLBACK_PREDICATE = "biolink:related_to"
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"
MEDIA_TYPE = "text/tab-separated-values"


def infores(publication: URIRef) -> str:
    """Return the information-resource id of a source review: ``infores:rankl-kg-<review id>``.

    >>> infores(URIRef("https://w3id.org/rankl-kg/publication/renema-2016"))
    'infores:rankl-kg-renema-2016'
    """
    return f"{INFORES_AGGREGATOR}-{curie(publication).split(':', 1)[1]}"


class KgxExporter(Exporter):
    """KGX nodes and edges TSV files."""

    name = "kgx"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the nodes file and the edges file."""
        graph = source.merged
        edges = curated_edges(graph)
        node_ids = {
            node
            for edge in edges
            for node in (edge.subject, edge.object)
            if isinstance(node, URIRef)
        } | categorised_nodes(graph)
        node_rows = [node_row(graph, node) for node in sorted(node_ids)]
        edge_rows = [edge_row(graph, edge) for edge in edges]
        return [
            ExportFile(
                NODES_FILENAME,
                to_tsv(
                    NODE_COLUMNS, [[row[column] for column in NODE_COLUMNS] for row in node_rows]
                ),
                MEDIA_TYPE,
                "KGX nodes with Biolink categories",
                rows=len(node_rows),
            ),
            ExportFile(
                EDGES_FILENAME,
                to_tsv(
                    EDGE_COLUMNS, [[row[column] for column in EDGE_COLUMNS] for row in edge_rows]
                ),
                MEDIA_TYPE,
                "KGX edges with Biolink predicates and provenance",
                rows=len(edge_rows),
            ),
        ]


def curated_edges(graph: Graph) -> list[StatementEvidence]:
    """Return the assertions between two entities (IRIs, not typing), sorted by assertion id."""
    return [
        evidence
        for evidence in read_evidence(graph)
        if all(
            isinstance(term, URIRef)
            for term in (evidence.statement, evidence.subject, evidence.predicate, evidence.object)
        )
        and evidence.predicate != RDF.type
    ]


def categorised_nodes(graph: Graph) -> set[URIRef]:
    """Return the instances of classes that have a Biolink category (besides edge endpoints)."""
    return {
        node
        for node, rdf_class in graph.subject_objects(RDF.type)
        if isinstance(node, URIRef) and biolink_classes(graph, rdf_class)
    }


def biolink_classes(graph: Graph, rdf_class: Node) -> set[str]:
    """Return the Biolink classes ``rdf_class`` or a superclass of it is an exact match of."""
    found = set()
    for ancestor in graph.transitive_objects(rdf_class, RDFS.subClassOf):
        for match in graph.objects(ancestor, SKOS.exactMatch):
            name = str(match).removeprefix(str(BIOLINK))
            if name != str(match) and name[:1].isupper():
                found.add(f"biolink:{name}")
    return found


def categories(graph: Graph, node: URIRef) -> list[str]:
    """Return the most specific Biolink categories of ``node``, or the fallback."""
    found = set().union(
        *(biolink_classes(graph, rdf_class) for rdf_class in graph.objects(node, RDF.type))
    )
    return sorted(found) or [FALLBACK_CATEGORY]


def biolink_predicate(graph: Graph, predicate: Node) -> str:
    """Return the Biolink slot a property is aligned to (exact before close), or the fallback."""
    for mapping in (SKOS.exactMatch, SKOS.closeMatch):
        slots = sorted(
            str(match).removeprefix(str(BIOLINK))
            for match in graph.objects(predicate, mapping)
            if str(match).startswith(str(BIOLINK))
            and str(match).removeprefix(str(BIOLINK))[:1].islower()
        )
        if slots:
            return f"biolink:{slots[0]}"
    return FALLBACK_PREDICATE


def node_row(graph: Graph, node: URIRef) -> dict[str, str]:
    """Return the KGX row of one node."""
    return {
        "id": curie(node),
        "category": "|".join(categories(graph, node)),
        "name": first_text(graph.objects(node, RDFS.label)),
        "synonym": "|".join(sorted(str(label) for label in graph.objects(node, SKOS.altLabel))),
        "xref": "|".join(sorted(curie(match) for match in graph.objects(node, SKOS.exactMatch))),
        "provided_by": INFORES_AGGREGATOR,
    }


def edge_row(graph: Graph, edge: StatementEvidence) -> dict[str, str]:
    """Return the KGX row of one edge, with its Biolink provenance."""
    sources = sorted(source for source in edge.sources if isinstance(source, URIRef))
    return {
        "id": curie(edge.statement),
        "subject": curie(edge.subject),
        "predicate": biolink_predicate(graph, edge.predicate),
        "object": curie(edge.object),
        "original_predicate": curie(edge.predicate),
        "negated": "True" if edge.refuted else "False",
        "knowledge_level": KNOWLEDGE_LEVEL,
        "agent_type": AGENT_TYPE,
        "primary_knowledge_source": "|".join(infores(source) for source in sources),
        "aggregator_knowledge_source": INFORES_AGGREGATOR,
        "publications": "|".join(publication_curie(graph, source) for source in sources),
        "supporting_text": first_text(Literal(quote) for quote in edge.quotes),
    }


def publication_curie(graph: Graph, publication: URIRef) -> str:
    """Return a review's ``PMID:`` CURIE, or its ``doi:`` one if it has no PubMed id."""
    pmid = graph.value(publication, BIBO.pmid)
    if pmid is not None:
        return f"PMID:{pmid}"
    doi = graph.value(publication, BIBO.doi)
    return f"doi:{doi}" if doi is not None else curie(publication)


def first_text(values: Iterable[object]) -> str:
    """Return the smallest of some literals as one line of text (empty if there are none)."""
    texts = sorted(" ".join(str(value).split()) for value in values if isinstance(value, Literal))
    return texts[0] if texts else ""
