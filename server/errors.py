"""Errors the endpoint answers on purpose, and the handlers that turn them into responses.

Every error body is one line of ``text/plain`` without a stack trace (docs/security.md T17); the
status follows the docs/security.md §3 policy table.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask, Response, current_app
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

LOGGER = logging.getLogger(__name__)


class EndpointError(Exception):
    """An error with the HTTP status and one-line message the client should get."""

    status = 400

    def __init__(self, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})


class MalformedQueryError(EndpointError):
    """The query does not parse (400, with the parser's message and position)."""


class RefusedQueryError(EndpointError):
    """The query uses a feature this endpoint refuses (SERVICE, FROM, nesting)."""


class UnsupportedFeatureError(EndpointError):
    """The query parses but uses something the engine does not evaluate (e.g. an unknown
    extension function)."""


class RepeatedQueryError(EndpointError):
    """The request gives the ``query`` parameter more than once (400)."""


class ReadOnlyError(EndpointError):
    """A SPARQL Update was sent to the read-only endpoint."""

    status = 403


class QueryTooLongError(EndpointError):
    """The decoded query text is longer than ``MAX_QUERY_CHARS``."""

    status = 413


class NotAcceptableError(EndpointError):
    """No result format the client accepts can represent this kind of result."""

    status = 406


class UnsupportedMediaTypeError(EndpointError):
    """A POST body in a media type the protocol does not define for queries."""

    status = 415


class ResultTooLargeError(EndpointError):
    """The serialized result is larger than ``MAX_RESULT_BYTES``."""

    status = 422


class QueryTimeoutError(EndpointError):
    """The query ran past its deadline and its worker was killed."""

    status = 503


class ServerBusyError(EndpointError):
    """No query worker became free in time."""

    status = 503


class MemoryLimitError(EndpointError):
    """The query's worker ran out of its address space (``WORKER_MEMORY_BYTES``) and was
    replaced (503 + ``Retry-After``; docs/security.md T7)."""

    status = 503


class QueryExecutionError(EndpointError):
    """The worker failed or died without a result (engine crash, memory limit)."""

    status = 500


def text_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """Return a one-line ``text/plain`` response."""
    one_line = " ".join(message.split())
    response = Response(one_line + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers or {})
    return response


def handle_endpoint_error(error: EndpointError) -> Response:
    """Answer an :class:`EndpointError` with its status, message and headers."""
    return text_response(error.status, error.message, error.headers)


def handle_http_exception(error: HTTPException) -> Response:
    """Answer Werkzeug's HTTP errors (404, 405, 413, …) as one line of text."""
    if isinstance(error, RequestEntityTooLarge):
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        message = f"Request body too large (limit {limit} bytes)"
    else:
        message = f"{error.name}: {error.description}"
    response = error.get_response()
    headers = {key: value for key, value in response.headers.items() if key == "Allow"}
    return text_response(error.code or 500, message, headers)


def handle_unexpected_error(error: Exception) -> Response:
    """Log an unexpected failure and answer 500 without details (no paths, no traceback)."""
    LOGGER.exception("unhandled error", exc_info=error)
    return text_response(500, "Internal server error")


def init_app(app: Flask) -> None:
    """Register the error handlers on ``app``."""
    app.register_error_handler(EndpointError, handle_endpoint_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_error)
