"""Reading a SPARQL 1.1 Protocol request: the query, the protocol dataset, ``format=``.

Parameters are read as the protocol defines them (GET ``query=``, POST form, POST
``application/sparql-query``); SPARQL Update in any form is refused (read-only endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from werkzeug.datastructures import MultiDict

from server.errors import (
    MalformedQueryError,
    ReadOnlyError,
    RepeatedQueryError,
    UnsupportedMediaTypeError,
)

#: Methods whose results HTTP caches may store and revalidate
CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
QUERY_MEDIA_TYPE = "application/sparql-query"
UPDATE_MEDIA_TYPE = "application/sparql-update"
READ_ONLY_MESSAGE = "This endpoint is read-only: SPARQL Update is not accepted"


@dataclass(frozen=True)
class ProtocolRequest:
    """The SPARQL Protocol parameters of one request."""

    query: str
    default_graph_uris: tuple[str, ...] | None
    named_graph_uris: tuple[str, ...] | None
    format: str | None


def read_parameters() -> MultiDict[str, str]:
    """Return the protocol parameters; refuse POST bodies the protocol does not define.

    :raises UnsupportedMediaTypeError: POST with a media type other than form or query (415)
    :raises ReadOnlyError: an ``application/sparql-update`` body (403)
    """
    if request.method in CACHEABLE_METHODS:
        return MultiDict(request.args)
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if media_type == UPDATE_MEDIA_TYPE:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    if media_type not in (FORM_MEDIA_TYPE, QUERY_MEDIA_TYPE):
        raise UnsupportedMediaTypeError(
            f"Unsupported Content-Type: {media_type or '(none)'}; "
            f"send {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}"
        )
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"Unsupported charset: {charset}; send UTF-8")
    parameters = MultiDict(request.args)
    if media_type == FORM_MEDIA_TYPE:
        parameters.update(request.form)
    else:
        parameters.add("query", decode_utf8(request.get_data(cache=False)))
    return parameters


def decode_utf8(body: bytes) -> str:
    """Decode a query body strictly as UTF-8 (400 naming the byte offset otherwise)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedQueryError(
            f"Malformed query: the body is not UTF-8 (byte {error.start})"
        ) from error


def protocol_request(parameters: MultiDict[str, str]) -> ProtocolRequest | None:
    """Return the query parameters, or ``None`` if there is no query (service description).

    :raises ReadOnlyError: an ``update`` parameter (403)
    :raises RepeatedQueryError: ``query`` given more than once (400)
    """
    if "update" in parameters:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    queries = parameters.getlist("query")
    if not queries:
        return None
    if len(queries) > 1:
        raise RepeatedQueryError(f"Give exactly one 'query' parameter, got {len(queries)}")
    default_graphs = tuple(parameters.getlist("default-graph-uri"))
    named_graphs = tuple(parameters.getlist("named-graph-uri"))
    protocol_dataset = bool(default_graphs or named_graphs)
    return ProtocolRequest(
        query=queries[0],
        default_graph_uris=default_graphs if protocol_dataset else None,
        named_graph_uris=named_graphs if protocol_dataset else None,
        format=parameters.get("format"),
    )
