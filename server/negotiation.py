"""Content negotiation: pick the result format from ``format=`` or the ``Accept`` q-values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from werkzeug.datastructures import MIMEAccept

from kg.rdf_formats import JSONLD, NTRIPLES, RDFXML, TURTLE, RdfSyntax
from server.errors import EndpointError, NotAcceptableError


class QueryForm(StrEnum):
    """The four SPARQL query forms."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


@dataclass(frozen=True)
class ResultFormat:
    """A serialization a result can be sent in; ``name`` is the value of ``format=``.

    ``aliases`` are other values of ``format=`` that mean it (``ttl`` for Turtle).
    """

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()

    def is_named(self, value: str) -> bool:
        """True if ``value`` (lower case) is this format's name, an alias or its media type."""
        return value in (self.name, self.media_type, *self.aliases)


def graph_format(syntax: RdfSyntax) -> ResultFormat:
    """The result format of an RDF syntax of :mod:`kg.rdf_formats`, under all its names."""
    aliases = tuple(name for name in syntax.names if name not in (syntax.name, syntax.media_type))
    return ResultFormat(syntax.name, syntax.media_type, aliases)


#: Formats of SELECT and ASK results; the first is the default for ``*/*``
RESULTS_FORMATS = (
    ResultFormat("json", "application/sparql-results+json"),
    ResultFormat("xml", "application/sparql-results+xml"),
    ResultFormat("csv", "text/csv"),
    ResultFormat("tsv", "text/tab-separated-values"),
)
#: Formats of CONSTRUCT and DESCRIBE results (and of RDF documents such as VoID)
GRAPH_FORMATS = tuple(graph_format(syntax) for syntax in (TURTLE, NTRIPLES, JSONLD, RDFXML))
#: Generic media types browsers and scripts send, mapped to our closest format
_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
}


class UnknownFormatError(EndpointError):
    """The ``format`` parameter names no format this endpoint knows."""


def formats_for(form: QueryForm) -> tuple[ResultFormat, ...]:
    """Return the formats a result of ``form`` can be serialized in, default first."""
    if form in (QueryForm.SELECT, QueryForm.ASK):
        return RESULTS_FORMATS
    return GRAPH_FORMATS


def find_format(value: str, preferred: tuple[ResultFormat, ...] = ()) -> ResultFormat:
    """Return the format named by a ``format=`` value (name, alias or media type).

    A name of two formats (``xml``: SPARQL results or RDF/XML) means the one of ``preferred``.

    >>> find_format("ttl").media_type
    'text/turtle'
    >>> find_format("application/json").name
    'json'
    >>> find_format("xml", GRAPH_FORMATS).name
    'rdfxml'
    """
    wanted = _ALIASES.get(value.strip().lower(), value.strip().lower())
    for candidate in preferred + RESULTS_FORMATS + GRAPH_FORMATS:
        if candidate.is_named(wanted):
            return candidate
    names = ", ".join(f.name for f in RESULTS_FORMATS + GRAPH_FORMATS)
    raise UnknownFormatError(f"Unknown format {value!r}; use one of {names}")


def pick_format(
    offered: tuple[ResultFormat, ...], accept: MIMEAccept, format_param: str | None = None
) -> ResultFormat:
    """Choose among ``offered`` by ``format=`` (if given) or by the Accept header's q-values.

    :raises UnknownFormatError: if ``format_param`` names no known format (400)
    :raises NotAcceptableError: if nothing offered is acceptable (406)
    """
    offered_types = ", ".join(f.media_type for f in offered)
    if format_param:
        chosen = find_format(format_param, offered)
        if chosen not in offered:
            raise NotAcceptableError(
                f"format {chosen.name!r} cannot represent this result; use one of {offered_types}"
            )
        return chosen
    if not accept:
        return offered[0]
    by_media_type = {f.media_type: f for f in offered}
    by_media_type.update(
        {alias: by_media_type[real] for alias, real in _ALIASES.items() if real in by_media_type}
    )
    best = accept.best_match(list(by_media_type))
    if best is None:
        raise NotAcceptableError(
            f"Not acceptable: {accept}; this result is available as {offered_types}"
        )
    return by_media_type[best]
