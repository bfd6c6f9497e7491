"""RDF descriptions of the service: SPARQL Service Description, VoID, and the example queries.

VoID statistics are computed once, through the store backend, when first asked for; the examples
are the competency queries kept as SIB-style ``sh:SPARQLExecutable`` Turtle files in
``queries/``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, VOID

from kg import __release_date__, __version__
from kg.constants import BASE_IRI
from kg.namespaces import RKO
from kg.vocabulary import new_graph
from server.negotiation import GRAPH_FORMATS, RESULTS_FORMATS
from server.page_queries import select

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SH = Namespace("http://www.w3.org/ns/shacl#")
PAV = Namespace("http://purl.org/pav/")
#: The dataset as VoID names it, and the document holding its linksets and targets
DATASET_IRI = URIRef(f"{BASE_IRI}void#dataset")
#: Limits stated in the service description
QUERY_TIMEOUT = RKO.queryTimeoutSeconds
RESULT_ROW_LIMIT = RKO.resultRowLimit

#: W3C format IRIs (http://www.w3.org/ns/formats/) of the formats we serve
_FORMAT_IRIS = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
    "turtle": FORMATS.Turtle,
    "ntriples": FORMATS["N-Triples"],
    "jsonld": FORMATS["JSON-LD"],
    "rdfxml": FORMATS.RDF_XML,
}


@dataclass(frozen=True)
class ServiceLimits:
    """The limits the service description advertises."""

    timeout_s: float
    max_rows: int


def external_namespace(iri: str) -> str:
    """Return the namespace a link target belongs to (its linkset target's URI space).

    >>> external_namespace("https://identifiers.org/hgnc:11926")
    'https://identifiers.org/hgnc:'
    >>> external_namespace("http://purl.obolibrary.org/obo/MONDO_0005070")
    'http://purl.obolibrary.org/obo/MONDO_'
    """
    if iri.startswith("https://identifiers.org/"):
        return iri[: iri.index(":", len("https://")) + 1]
    if iri.startswith("http://purl.obolibrary.org/obo/") and "_" in iri:
        return iri[: iri.rindex("_") + 1]
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def count_by(query: str) -> Counter[str]:
    """Run a two-column ``SELECT ?key (COUNT(…) AS ?n)`` and return key IRI -> count."""
    counts: Counter[str] = Counter()
    for row in select(query):
        key, number = row[0], row[1]
        if isinstance(key, pyoxigraph.NamedNode) and isinstance(number, pyoxigraph.Literal):
            counts[key.value] = int(number.value)
    return counts


def count_links() -> Counter[tuple[str, str]]:
    """Count (predicate, external namespace) pairs of triples pointing outside the graph."""
    links: Counter[tuple[str, str]] = Counter()
    query = (
        "SELECT ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && ?p != <" + str(RDF.type) + "> "
        f'&& !STRSTARTS(STR(?o), "{BASE_IRI}")) }}'
    )
    for row in select(query):
        predicate, target = row["p"], row["o"]
        if isinstance(predicate, pyoxigraph.NamedNode) and isinstance(target, pyoxigraph.NamedNode):
            links[(predicate.value, external_namespace(target.value))] += 1
    return links


def build_void(version: str) -> Graph:
    """Describe the default graph of the backend in VoID: size, classes, properties, linksets.

    The counts are queries through the backend (needs an app context), so they hold for every
    backend, including a remote endpoint.
    """
    graph = new_graph()
    graph.bind("void", VOID)
    dataset = DATASET_IRI
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDFS.label, Literal("RANKL-KG", lang="en")))
    graph.add((dataset, VOID.uriSpace, Literal(BASE_IRI)))
    graph.add(
        (dataset, URIRef("http://purl.org/dc/terms/identifier"), Literal(f"sha256:{version}"))
    )
    graph.bind("pav", PAV)
    graph.add((dataset, PAV.version, Literal(__version__)))
    graph.add((dataset, DCTERMS.hasVersion, URIRef(f"{BASE_IRI}releases/{__version__}")))
    graph.add((dataset, DCTERMS.issued, Literal(__release_date__, datatype=XSD.date)))
    triples = count_by(
        "SELECT ?d (COUNT(*) AS ?n) WHERE { ?s ?p ?o BIND(<urn:x-default> AS ?d) } GROUP BY ?d",
    )
    graph.add((dataset, VOID.triples, Literal(triples["urn:x-default"])))
    add_partitions(graph, dataset)
    add_linksets(graph, dataset, count_links())
    return graph


def add_partitions(graph: Graph, dataset: URIRef) -> None:
    """Add ``void:classPartition`` and ``void:propertyPartition`` with their counts."""
    classes = count_by("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    properties = count_by("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    graph.add((dataset, VOID.classes, Literal(len(classes))))
    graph.add((dataset, VOID.properties, Literal(len(properties))))
    for iri, count in sorted(classes.items()):
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(iri)))
        graph.add((partition, VOID.entities, Literal(count)))
    for iri, count in sorted(properties.items()):
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(iri)))
        graph.add((partition, VOID.triples, Literal(count)))


def add_linksets(graph: Graph, dataset: URIRef, links: Counter[tuple[str, str]]) -> None:
    """Add one ``void:Linkset`` per (link predicate, external namespace)."""
    for number, ((predicate, namespace), count) in enumerate(sorted(links.items()), start=1):
        linkset = URIRef(f"{BASE_IRI}void#linkset-{number}")
        target = URIRef(f"{BASE_IRI}void#target-{number}")
        graph.add((dataset, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, VOID.subjectsTarget, dataset))
        graph.add((linkset, VOID.objectsTarget, target))
        graph.add((linkset, VOID.linkPredicate, URIRef(predicate)))
        graph.add((linkset, VOID.triples, Literal(count)))
        graph.add((target, RDF.type, VOID.Dataset))
        graph.add((target, VOID.uriSpace, Literal(namespace)))


def build_service_description(
    endpoint: str, void: Graph, limits: ServiceLimits, named_graphs: list[str]
) -> Graph:
    """Describe the endpoint in the SPARQL 1.1 Service Description vocabulary."""
    graph = new_graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.EmptyGraphs))
    for result_format in RESULTS_FORMATS + GRAPH_FORMATS:
        graph.add((service, SD.resultFormat, _FORMAT_IRIS[result_format.name]))
    graph.add((service, QUERY_TIMEOUT, Literal(limits.timeout_s, datatype=XSD.decimal)))
    graph.add((service, RESULT_ROW_LIMIT, Literal(limits.max_rows)))
    graph.add(
        (
            service,
            RDFS.comment,
            Literal(
                "Read-only SPARQL 1.1 query endpoint. "
                f"Each query stops after {limits.timeout_s:g} s (503); "
                f"a result over {limits.max_rows} rows is refused with 422 (add LIMIT/OFFSET). "
                "SPARQL Update, SERVICE and FROM/FROM NAMED are refused.",
                lang="en",
            ),
        )
    )
    add_default_dataset(graph, service, void, named_graphs)
    return graph


def add_default_dataset(
    graph: Graph, service: URIRef, void: Graph, named_graphs: list[str]
) -> None:
    """Add ``sd:defaultDataset``: the default graph (with its VoID size) and named graphs."""
    dataset = BNode()
    default_graph = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, RDFS.seeAlso, DATASET_IRI))
    for triples in void.objects(DATASET_IRI, VOID.triples):
        graph.add((default_graph, VOID.triples, triples))
    for name in named_graphs:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))


def load_examples(queries_dir: Path) -> Graph:
    """Merge every ``queries/*.ttl`` (SIB sparql-examples style) into one graph.

    A missing folder gives an empty graph: the competency queries are written separately.
    """
    graph = new_graph()
    graph.bind("sh", SH)
    for path in sorted(queries_dir.glob("*.ttl")) if queries_dir.is_dir() else []:
        graph.parse(path, format="turtle")
    return graph


def count_examples(examples: Graph) -> int:
    """Return how many ``sh:SPARQLExecutable`` queries ``examples`` holds."""
    executables = set(examples.subjects(RDF.type, SH.SPARQLExecutable))
    for kind in (SH.SPARQLSelectExecutable, SH.SPARQLAskExecutable, SH.SPARQLConstructExecutable):
        executables.update(examples.subjects(RDF.type, kind))
    return len(executables)
