"""Isoforms and membrane/soluble forms of proteins (``content/protein_forms.csv``).

Each form is a protein of its own (a row of proteins.csv, e.g. ``TNFSF11-RANKL3``); this table
links it to the canonical protein, says whether it is membrane-bound or soluble, and, where the
review says so, the process that makes it and the form it is made from.
"""

from __future__ import annotations

from typing import Literal

from kg.build.content import EvidenceColumns, Identifier, Row
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO

#: Location in the table -> rko:CellularLocation individual
LOCATIONS = {"membrane": RKO.MembraneBound, "soluble": RKO.Soluble}


class ProteinFormRecord(EvidenceColumns):
    """A protein form and what the review says about it."""

    form: Identifier
    of: Identifier
    isoform: bool
    location: Literal["membrane", "soluble"] | None = None
    generated_by: Identifier | None = None
    derived_from: Identifier | None = None


class ProteinFormBuilder(Builder[ProteinFormRecord]):
    """``form rko:formOf|rko:isoformOf protein`` plus location, origin process and parent form."""

    name = "protein_forms"
    model = ProteinFormRecord

    def add_row(self, ctx: BuildContext, row: Row[ProteinFormRecord]) -> None:
        """Add the form's links, each with the row's evidence."""
        record = row.record
        form = ctx.entity("protein", record.form, row, "form")
        canonical = ctx.entity("protein", record.of, row, "of")
        if form is None or canonical is None:
            return
        ctx.assert_(form, RKO.isoformOf if record.isoform else RKO.formOf, canonical, row)
        if record.location is not None:
            ctx.assert_(form, RKO.cellularLocation, LOCATIONS[record.location], row)
        if record.generated_by is not None:
            process = ctx.entity("process", record.generated_by, row, "generated_by")
            if process is not None:
                ctx.assert_(form, RKO.generatedBy, process, row)
        if record.derived_from is not None:
            parent = ctx.entity("protein", record.derived_from, row, "derived_from")
            if parent is not None:
                ctx.assert_(form, RKO.derivedFrom, parent, row)
