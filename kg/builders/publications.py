"""Publications (``content/publications.yaml``): the two source reviews and their bibliography."""

from __future__ import annotations

from pydantic import Field
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.build.content import Identifier, NonEmpty, Record, Row, StrList
from kg.build.xrefs import curie_to_iri
from kg.builders._bibliography import add_authors, add_venue
from kg.builders.base import BuildContext, Builder
from kg.namespaces import BIBO, RKO, mint


class PublicationRecord(Record):
    """A source review."""

    id: Identifier
    title: NonEmpty
    authors: StrList
    journal: str | None = None
    year: int = Field(ge=1900, le=2100)
    volume: str | None = None
    issue: str | None = None
    article: str | None = None
    doi: str = Field(pattern=r"^10\.\d{4,9}/\S+$")
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    license: str = Field(pattern=r"^https?://")
    source_file: NonEmpty


class PublicationBuilder(Builder[PublicationRecord]):
    """The reviews the content is read from."""

    name = "publications"
    kind = "publication"
    model = PublicationRecord
    rdf_class = RKO.Publication
    expected_links = {RKO.Publication: ("doi", "pubmed")}

    def defined_ids(
        self, rows: list[Row[PublicationRecord]]
    ) -> list[tuple[str, Row[PublicationRecord]]]:
        """Return the publication ids."""
        return [(row.record.id, row) for row in rows]

    def add_row(self, ctx: BuildContext, row: Row[PublicationRecord]) -> None:
        """Add the review's bibliographic description."""
        record = row.record
        node = mint("publication", record.id)
        graph = ctx.graph
        graph.add((node, RDF.type, RKO.Publication))
        graph.add((node, DCTERMS.title, Literal(record.title)))
        graph.add((node, DCTERMS.bibliographicCitation, Literal(citation(record))))
        add_authors(graph, node, record.authors)
        graph.add((node, DCTERMS.issued, Literal(str(record.year), datatype=XSD.gYear)))
        add_venue(graph, node, record.journal, record.volume, record.issue, record.article)
        graph.add((node, DCTERMS.license, URIRef(record.license)))
        graph.add((node, BIBO.doi, Literal(record.doi)))
        graph.add((node, SKOS.exactMatch, curie_to_iri(f"doi:{record.doi}")))
        if record.pmid:
            graph.add((node, BIBO.pmid, Literal(record.pmid)))
            graph.add((node, SKOS.exactMatch, curie_to_iri(f"pubmed:{record.pmid}")))


def citation(record: PublicationRecord) -> str:
    """Format a short citation: first author et al., title, journal volume(issue):article (year)."""
    first = record.authors[0] if record.authors else "Anonymous"
    authors = f"{first} et al." if len(record.authors) > 1 else first
    where = record.journal or "(journal not named in the source)"
    if record.volume:
        where += f" {record.volume}"
        if record.issue:
            where += f"({record.issue})"
        if record.article:
            where += f":{record.article}"
    return f"{authors} {record.title}. {where} ({record.year}). doi:{record.doi}"
