"""The RDF syntaxes the project reads and writes, named once.

Every place that maps a format name, a file suffix or a media type to a parser or serializer
looks it up here: the build's reader (:mod:`kg.safe_rdf`), the release gates, the SPARQL
endpoint's ``format=`` and ``Accept`` negotiation, and the linked-data pages. Each syntax has
one canonical name (what the endpoint's service description and error messages use), the other
names people type for it (``ttl``, ``nt``, ``xml``…), its file suffixes, its media type, and
the names rdflib and pyoxigraph give it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF syntax and every name it goes by."""

    name: str
    #: Other names accepted for it (``format=ttl``); its file extension is accepted too
    aliases: tuple[str, ...]
    #: File suffixes, the usual one first
    suffixes: tuple[str, ...]
    media_type: str
    #: rdflib's parser and serializer name
    rdflib: str
    oxigraph: pyoxigraph.RdfFormat

    @property
    def extension(self) -> str:
        """The usual file suffix without its dot (``ttl``), the linked-data pages' name for it."""
        return self.suffixes[0].removeprefix(".")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that designates this syntax: its name, aliases, suffixes and media type."""
        extensions = (suffix.removeprefix(".") for suffix in self.suffixes)
        return tuple(dict.fromkeys((self.name, *self.aliases, *extensions, self.media_type)))


TURTLE = RdfSyntax("turtle", (), (".ttl",), "text/turtle", "turtle", pyoxigraph.RdfFormat.TURTLE)
NTRIPLES = RdfSyntax(
    "ntriples",
    ("n-triples",),
    (".nt",),
    "application/n-triples",
    "nt",
    pyoxigraph.RdfFormat.N_TRIPLES,
)
NQUADS = RdfSyntax(
    "nquads", ("n-quads",), (".nq",), "application/n-quads", "nquads", pyoxigraph.RdfFormat.N_QUADS
)
TRIG = RdfSyntax("trig", (), (".trig",), "application/trig", "trig", pyoxigraph.RdfFormat.TRIG)
RDFXML = RdfSyntax(
    "rdfxml", ("rdf/xml",), (".rdf", ".owl", ".xml"), "application/rdf+xml", "xml",
    pyoxigraph.RdfFormat.RDF_XML,
)  # fmt: skip
JSONLD = RdfSyntax(
    "jsonld",
    ("json-ld",),
    (".jsonld",),
    "application/ld+json",
    "json-ld",
    pyoxigraph.RdfFormat.JSON_LD,
)
#: Every syntax the project knows
RDF_SYNTAXES = (TURTLE, NTRIPLES, NQUADS, TRIG, RDFXML, JSONLD)


def syntax_named(value: str, among: tuple[RdfSyntax, ...] = RDF_SYNTAXES) -> RdfSyntax | None:
    """The syntax of ``among`` that ``value`` names (any of its :attr:`~RdfSyntax.names`, any case).

    >>> syntax_named("TTL") is TURTLE
    True
    >>> syntax_named("xml") is RDFXML
    True
    """
    wanted = value.strip().lower()
    return next((syntax for syntax in among if wanted in syntax.names), None)


def syntax_of_suffix(suffix: str) -> RdfSyntax | None:
    """The syntax of a file suffix such as ``.ttl`` (any case), else None."""
    wanted = suffix.lower()
    return next((syntax for syntax in RDF_SYNTAXES if wanted in syntax.suffixes), None)


def known_suffixes() -> list[str]:
    """Every file suffix of an RDF syntax, sorted (for messages naming the choices)."""
    return sorted(suffix for syntax in RDF_SYNTAXES for suffix in syntax.suffixes)
