"""The diseases' hierarchy (``content/disease_hierarchy.csv``), aligned to MONDO.

Each row says that a disease the reviews name is a kind of another (``rko:subtypeOf``, which is
transitive: the served graph holds its closure). The link is MONDO's, not the reviews': the
child's MONDO class is a subclass (is_a) of the parent's, directly or through the classes the
row's ``mondo_path`` lists. Both diseases must link to MONDO in ``content/diseases.csv``, and the
path must run from the child's MONDO id to the parent's, so anyone can check a link against
MONDO. Being no finding of the reviews, a link has no evidence node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field

from kg.build.content import Identifier, Record, Row, split_list
from kg.builders.base import BuildContext, Builder
from kg.builders.diseases import DiseaseBuilder
from kg.errors import ContentError
from kg.namespaces import RKO

MondoId = Annotated[str, Field(pattern=r"^MONDO:\d{7}$")]


class DiseaseLinkRecord(Record):
    """A disease, the more general disease it is a kind of, and MONDO's is_a path between them."""

    disease: Identifier
    subtype_of: Identifier
    #: The MONDO ids from the disease's class up its is_a parents to the parent disease's class
    mondo_path: Annotated[list[MondoId], BeforeValidator(split_list), Field(min_length=2)]


class DiseaseHierarchyBuilder(Builder[DiseaseLinkRecord]):
    """``disease:child rko:subtypeOf disease:parent``, each link following MONDO's is_a."""

    name = "disease_hierarchy"
    model = DiseaseLinkRecord
    shapes_file = "diseases.shapes.ttl"

    def __init__(self) -> None:
        #: disease id -> the MONDO ids its row links to (read with the table)
        self.mondo: dict[str, list[str]] = {}

    def load(self, content_dir: Path) -> tuple[list[Row[DiseaseLinkRecord]], list[ContentError]]:
        """Validate the rows, and read the diseases' MONDO links to check the paths against."""
        diseases, _ = DiseaseBuilder().load(content_dir)  # its errors are reported by its builder
        self.mondo = {
            row.record.id: [curie for curie in row.record.xrefs if curie.startswith("MONDO:")]
            for row in diseases
        }
        return super().load(content_dir)

    def add_row(self, ctx: BuildContext, row: Row[DiseaseLinkRecord]) -> None:
        """Add the link if both diseases exist and the MONDO path joins their MONDO ids."""
        record = row.record
        child = ctx.entity("disease", record.disease, row, "disease")
        parent = ctx.entity("disease", record.subtype_of, row, "subtype_of")
        if child is None or parent is None:
            return
        if child == parent:
            ctx.errors.append(row.error("subtype_of", "a disease cannot be a subtype of itself"))
            return
        ends = (
            ("disease", record.disease, record.mondo_path[0], "starts"),
            ("subtype_of", record.subtype_of, record.mondo_path[-1], "ends"),
        )
        problems = [
            row.error(
                "mondo_path",
                f"the path {verb} at {curie}, but disease {local_id!r} links to "
                f"{' | '.join(self.mondo.get(local_id, [])) or 'no MONDO class'} "
                f"(field {field!r}); a link must join two diseases linked to MONDO",
            )
            for field, local_id, curie, verb in ends
            if curie not in self.mondo.get(local_id, [])
        ]
        if problems:
            ctx.errors.extend(problems)
            return
        ctx.graph.add((child, RKO.subtypeOf, parent))
