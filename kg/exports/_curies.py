"""CURIEs for the tabular exports: the project's prefixes, then the external ones."""

from __future__ import annotations

from functools import cache

import curies
from rdflib.term import Node

from kg.build.xrefs import get_converter
from kg.vocabulary import PREFIXES


@cache
def converter() -> curies.Converter:
    """Return one converter for the project's namespaces and the external identifiers it links."""
    own = curies.Converter.from_prefix_map(PREFIXES)
    return curies.chain([own, get_converter()])


def curie(node: Node) -> str:
    """Compress an IRI into a CURIE, or return the IRI itself if no prefix covers it."""
    return converter().compress(str(node), passthrough=True)
