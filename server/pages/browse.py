"""Browsing: an index page per entity kind (``/gene/``, ``/drug/``…) and the home page's overview.

An index page lists every entity of its kind, sorted by label, with its number of curated
statements, synonyms and external links; the home page links every index page and draws the
graph's schema (:mod:`server.pages.schema_drawing`). Both read the catalogue
(:mod:`server.pages.catalogue`), made once from the served graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, render_template, request

from kg.build.xrefs import iri_to_curie
from kg.catalogue import Entry, browsable_kinds
from kg.constants import BASE_IRI
from server.pages.catalogue import get_catalogue
from server.pages.schema_drawing import Schema, draw_schema
from server.state import get_state

bp = Blueprint(
    "browse",
    __name__,
    root_path=str(Path(__file__).resolve().parent.parent),
    template_folder="templates",
)


@dataclass(frozen=True)
class KindSummary:
    """A kind as the home page lists it: its index page and how many entities it has."""

    kind: str
    count: int
    href: str


@dataclass(frozen=True)
class Overview:
    """What the home page shows of the graph: the kinds and the schema drawing."""

    kinds: tuple[KindSummary, ...]
    schema: Schema


def path_of_iri(iri: str) -> str | None:
    """The path on this server of an IRI of our namespace, else None (as linked data serves it)."""
    if not iri.startswith(BASE_IRI):
        return None
    return f"{request.script_root}/{iri.removeprefix(BASE_IRI)}"


def index_href(kind: str) -> str:
    """The path of a kind's index page."""
    return path_of_iri(f"{BASE_IRI}{kind}/") or f"/{kind}/"


def home_overview() -> Overview:
    """The kinds with their counts, and the schema drawn from VoID and the catalogue."""
    catalogue = get_catalogue()
    kinds = tuple(
        KindSummary(kind, len(catalogue.entries.get(kind, ())), index_href(kind))
        for kind in browsable_kinds()
    )
    void = get_state().service.void
    return Overview(kinds, draw_schema(void, catalogue.relations, catalogue.labels, path_of_iri))


def xref_links(entry: Entry) -> list[tuple[str, str]]:
    """An entity's external links as (CURIE or IRI, IRI)."""
    return [(iri_to_curie(xref) or xref, xref) for xref in entry.xrefs]


@bp.get(f"/<any({','.join(browsable_kinds())}):kind>/")
def kind_index(kind: str) -> str:
    """Every entity of ``kind``, sorted by label, with its counts and external links."""
    entries = get_catalogue().entries.get(kind, ())
    rows = [(entry, path_of_iri(entry.iri) or entry.iri, xref_links(entry)) for entry in entries]
    return render_template(
        "kind_index.html",
        kind=kind,
        rows=rows,
        statements=sum(entry.statements for entry in entries),
        kinds=browsable_kinds(),
    )
