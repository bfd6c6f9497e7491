"""External identifiers: CURIE to IRI conversion and the check against the reference table.

OBO ontologies are written as OBO PURLs (``http://purl.obolibrary.org/obo/CL_0000092``); the
other resources as ``https://identifiers.org/{prefix}:{id}`` with the lowercase prefix that
identifiers.org and bioregistry use (``HGNC:11926`` -> ``https://identifiers.org/hgnc:11926``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import curies
from rdflib import URIRef

from kg.constants import REFERENCE_XREFS_PATH

#: Prefixes of OBO Foundry ontologies, written as OBO PURLs
OBO_PREFIXES = ("CL", "MONDO", "DOID", "NCIT", "HP", "GO", "UBERON", "CHEBI", "ECO", "SO", "PR")
#: CURIE prefix as written in the content -> identifiers.org prefix
IDENTIFIERS_ORG_PREFIXES = {
    "HGNC": "hgnc",
    "NCBIGene": "ncbigene",
    "uniprot": "uniprot",
    "drugbank": "drugbank",
    "chembl.compound": "chembl.compound",
    "clinicaltrials": "clinicaltrials",
    "pubmed": "pubmed",
    "doi": "doi",
    "pmc": "pmc",
}


@dataclass(frozen=True)
class ReferenceTerm:
    """One verified row of the reference table."""

    curie: str
    label: str
    kind: str
    #: the name the reviews use for the entity, as the reference table records it
    entity: str
    synonyms: tuple[str, ...] = ()
    #: the file (and version) the row was checked in
    source_file: str = ""

    @property
    def prefix(self) -> str:
        """Return the CURIE prefix (``MONDO`` for ``MONDO:0004989``)."""
        return self.curie.split(":", 1)[0]


@cache
def get_converter() -> curies.Converter:
    """Return the converter between the project's CURIEs and IRIs."""
    prefix_map = {prefix: f"http://purl.obolibrary.org/obo/{prefix}_" for prefix in OBO_PREFIXES}
    prefix_map.update(
        {
            prefix: f"https://identifiers.org/{target}:"
            for prefix, target in IDENTIFIERS_ORG_PREFIXES.items()
        }
    )
    return curies.Converter.from_prefix_map(prefix_map)


def curie_to_iri(curie: str) -> URIRef:
    """Expand a CURIE such as ``CL:0000092`` into the IRI the graph uses.

    :raises ValueError: if the prefix is not one the project links to
    """
    iri = get_converter().expand(curie)
    if iri is None:
        known = ", ".join(sorted(get_converter().get_prefixes()))
        raise ValueError(f"unknown CURIE prefix in {curie!r}; known prefixes: {known}")
    return URIRef(iri)


def iri_to_curie(iri: str) -> str | None:
    """Compress an IRI back into the project's CURIE, or None if it is not an external link."""
    return get_converter().compress(iri)


@cache
def load_reference(path: Path = REFERENCE_XREFS_PATH) -> dict[str, ReferenceTerm]:
    """Return the verified reference terms by CURIE."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {
            row["curie"]: ReferenceTerm(
                curie=row["curie"],
                label=row["label"],
                kind=row["kind"],
                entity=row["entity"],
                synonyms=split_list(row["synonyms"]),
                source_file=row["source_file"],
            )
            for row in rows
            if row["verified"] == "yes"
        }


def split_list(cell: str) -> tuple[str, ...]:
    """Split a ``" | "``-separated cell of the reference table into its items."""
    return tuple(item.strip() for item in cell.split("|") if item.strip())
