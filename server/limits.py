"""Request limits checked before any view: request-target length (414), header size (431).

The body limit is Flask's ``MAX_CONTENT_LENGTH`` (413) and, in front of it, waitress's
``max_request_body_size``, which also bounds chunked bodies; the decoded query length is the
guard's (413). waitress enforces the header limit itself on the wire; this check gives the
same answer when the app runs under another server.
"""

from __future__ import annotations

import io

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from server.errors import EndpointError
from server.state import get_state


class UriTooLongError(EndpointError):
    """The request target is longer than ``MAX_URL_CHARS``."""

    status = 414


class HeadersTooLargeError(EndpointError):
    """The request headers are larger than ``MAX_HEADER_BYTES``."""

    status = 431


def header_bytes() -> int:
    """Return the size of the request's header names and values."""
    return sum(len(name) + len(value) for name, value in request.headers.items())


def check_request_size() -> None:
    """Refuse an over-long request target or oversized headers (a ``before_request`` hook)."""
    settings = get_state().settings
    max_url = settings.max_url_chars
    length = len(request.path) + 1 + len(request.query_string)
    if length > max_url:
        raise UriTooLongError(f"URI too long: {length} characters (limit {max_url})")
    max_headers = settings.max_header_bytes
    size = header_bytes()
    if size > max_headers:
        raise HeadersTooLargeError(
            f"Request header fields too large: {size} bytes (limit {max_headers})"
        )


def buffer_chunked_body() -> None:
    """Read a body sent without ``Content-Length`` (chunked) up to the limit, 413 beyond.

    Werkzeug silently cuts such a body at ``MAX_CONTENT_LENGTH`` (docs/security.md T11), which
    could turn an oversized request into a different, shorter query.
    """
    environ = request.environ
    if request.content_length is not None or not environ.get("wsgi.input_terminated"):
        return
    limit = get_state().settings.max_content_length
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        raise RequestEntityTooLarge
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    request.__dict__.pop("content_length", None)
    request.__dict__.pop("stream", None)


def init_app(app: Flask) -> None:
    """Register the checks on ``app``."""
    app.before_request(check_request_size)
    app.before_request(buffer_chunked_body)
