"""Cited works (``content/cited_works.yaml``): the bibliographic data of the reviews' references.

Each record describes entry ``number`` of a review's printed reference list. It is added to the
node the assertions already cite (``publication:<review>-ref-<number>``), so the works a row's
``refs`` names carry their authors, year, title, journal, volume, issue and pages. The graph keeps
one ``dcterms:creator`` per author, their printed order as a ``bibo:authorList`` sequence, and a
``dcterms:bibliographicCitation`` with the authors in that order. A printed DOI becomes
``bibo:doi`` and an ``skos:exactMatch`` to its doi.org IRI (the link check accepts a DOI equal to
the work's own printed ``bibo:doi``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import Field
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from kg.build.content import Identifier, NonEmpty, Record, Row
from kg.build.provenance import add_cited_reference
from kg.build.xrefs import curie_to_iri
from kg.builders._bibliography import add_authors, add_venue
from kg.builders.base import BuildContext, Builder
from kg.errors import ContentError
from kg.namespaces import BIBO


class CitedWorkRecord(Record):
    """One entry of a review's reference list, as printed."""

    review: Identifier
    number: int = Field(ge=1)
    #: False when the list prints the entry without its number (then numbered by position)
    number_printed: bool = True
    authors: list[NonEmpty] = Field(min_length=1)
    #: True when the printed author list ends with "et al."
    et_al: bool = False
    year: int = Field(ge=1800, le=2100)
    title: NonEmpty
    journal: NonEmpty
    volume: NonEmpty | None = None
    issue: NonEmpty | None = None
    pages: NonEmpty | None = None
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    #: An editorial note: where the record departs from, or interprets, the printed entry
    note: NonEmpty | None = None


class CitedWorkBuilder(Builder[CitedWorkRecord]):
    """Bibliographic data of the works the reviews cite."""

    name = "cited_works"
    model = CitedWorkRecord

    def load(self, content_dir: Path) -> tuple[list[Row[CitedWorkRecord]], list[ContentError]]:
        """Validate the rows; a second row for the same (review, number) is an error."""
        rows, errors = super().load(content_dir)
        counts = Counter((row.record.review, row.record.number) for row in rows)
        for row in rows:
            key = (row.record.review, row.record.number)
            if counts[key] > 1:
                errors.append(
                    row.error(
                        "number",
                        f"duplicate cited work: {counts[key]} rows describe reference "
                        f"{key[1]} of {key[0]}",
                    )
                )
        return [row for row in rows if counts[row.record.review, row.record.number] == 1], errors

    def add_row(self, ctx: BuildContext, row: Row[CitedWorkRecord]) -> None:
        """Describe the cited work on the node the review's assertions cite."""
        record = row.record
        publications = ctx.index.get("publication", set())
        if record.review not in publications:
            known = ", ".join(sorted(publications)) or "none"
            ctx.errors.append(
                row.error(
                    "review",
                    f"unknown review {record.review!r}; content/publications.yaml defines: {known}",
                )
            )
            return
        node = add_cited_reference(ctx.graph, record.review, record.number)
        add_bibliographic_data(ctx, node, record)


def add_bibliographic_data(ctx: BuildContext, node: URIRef, record: CitedWorkRecord) -> None:
    """Add title, authors, year, citation, DOI and editorial notes of a cited work."""
    graph = ctx.graph
    graph.add((node, DCTERMS.title, Literal(record.title)))
    add_authors(graph, node, record.authors)
    graph.add((node, DCTERMS.issued, Literal(str(record.year), datatype=XSD.gYear)))
    graph.add((node, DCTERMS.bibliographicCitation, Literal(citation(record))))
    add_venue(graph, node, record.journal, record.volume, record.issue, record.pages)
    if record.doi:
        graph.add((node, BIBO.doi, Literal(record.doi)))
        graph.add((node, SKOS.exactMatch, curie_to_iri(f"doi:{record.doi}")))
    for note in editorial_notes(record):
        graph.add((node, RDFS.comment, Literal(note)))


def citation(record: CitedWorkRecord) -> str:
    """Format the entry with every author in printed order: ``A; B et al. (year) Title. Journal
    volume(issue), pages. doi:...``; the first author is the text before the first ``;``,
    `` et al.`` or `` (``.

    >>> citation(CitedWorkRecord(review="r", number=1, authors=["Lipton A"], year=2013,
    ...     title="Denosumab in breast cancer", journal="CurrOncol Rep.", volume="15", issue="1"))
    'Lipton A (2013) Denosumab in breast cancer. CurrOncol Rep. 15(1).'
    """
    text = "; ".join(record.authors) + (" et al." if record.et_al else "")
    text += f" ({record.year}) {record.title}. {record.journal}"
    if record.volume:
        text += f" {record.volume}"
    if record.issue:
        text += f"({record.issue})"
    if record.pages:
        text += f", {record.pages}"
    text += "."
    if record.doi:
        text += f" doi:{record.doi}"
    return text


def editorial_notes(record: CitedWorkRecord) -> list[str]:
    """Return the curator's note and, for an unnumbered entry, how its number was found."""
    notes = [record.note] if record.note else []
    if not record.number_printed:
        notes.append(
            "The review prints this entry without its number; "
            f"it is number {record.number} by its position in the list."
        )
    return notes
