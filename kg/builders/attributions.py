"""Who the reviews' texts say wrote a cited work (``content/attributions.csv``).

"Lu et al. [10] described ...", "in 2012, Papanastasiou et al. [91] identified ...": the text
names the first author (both, for a two-author work) and sometimes the year of a numbered
reference. Each row adds them to the node the assertions cite
(``publication/<review>/ref/<number>``) as ``rko:attributedAuthor`` and ``rko:attributedYear``
statements with their quote. They record the review's attribution, kept apart from the printed
reference list (``cited_works.yaml``) because the two can disagree; ``note`` says so where
they do.
"""

from __future__ import annotations

from pydantic import Field
from rdflib import Literal
from rdflib.namespace import RDFS, XSD

from kg.build.content import EvidenceColumns, NonEmpty, Row, StrList
from kg.build.provenance import add_cited_reference
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO


class AttributionRecord(EvidenceColumns):
    """The authors (surnames, in the text's order) and year the text gives for reference
    ``number`` of the row's review."""

    number: int = Field(ge=1)
    authors: StrList = Field(min_length=1)
    year: int | None = Field(default=None, ge=1800, le=2100)
    #: Where the attribution departs from the printed reference list
    note: NonEmpty | None = None


class AttributionBuilder(Builder[AttributionRecord]):
    """``publication/<review>/ref/<n> rko:attributedAuthor|rko:attributedYear`` with evidence."""

    name = "attributions"
    model = AttributionRecord

    def add_row(self, ctx: BuildContext, row: Row[AttributionRecord]) -> None:
        """Add the attributed authors and year to the cited work."""
        record = row.record
        work = add_cited_reference(ctx.graph, record.source, record.number)
        for author in record.authors:
            ctx.assert_(work, RKO.attributedAuthor, Literal(author), row)
        if record.year is not None:
            year = Literal(str(record.year), datatype=XSD.gYear)
            ctx.assert_(work, RKO.attributedYear, year, row)
        if record.note:
            ctx.graph.add((work, RDFS.comment, Literal(record.note)))
