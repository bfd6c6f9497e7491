"""Blueprint ``search``: ``GET /search?q=&kind=&limit=`` over labels, synonyms, identifiers, quotes.

Answers JSON (``application/json``) or an HTML page, by ``?format=json|html`` or the Accept
header (HTML first, as the entity pages do). Bad input (an empty or overlong query, FTS query
syntax, an unknown kind, a bad limit, a parameter that is not UTF-8) is a 400 whose message is
one line, in the negotiated format (an over-long URL too, which the app's request-size check
refuses before any view); a search runs within the client's budgets of
:mod:`server.throttle`, like a SPARQL query.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from flask import Blueprint, Response, render_template, request

from kg.search_index import MAX_LIMIT, MAX_QUERY_CHARS, SearchHit, SearchQueryError
from server.errors import EndpointError
from server.limits import UriTooLongError
from server.linked_data import path_of_iri
from server.pages.catalogue import get_catalogue, searchable_kinds
from server.state import get_state

bp = Blueprint("search", __name__)

JSON_MIMETYPE = "application/json"
HTML_MIMETYPE = "text/html"
#: Results of a search that names no limit
DEFAULT_LIMIT = 10


class SearchParameterError(EndpointError):
    """A search parameter is missing, malformed or out of range (400)."""


def wants_json() -> bool:
    """Whether the client asked for JSON (``?format=json`` or Accept), else HTML."""
    requested = (request.args.get("format") or "").strip().lower()
    if requested in ("json", "html"):
        return requested == "json"
    if not request.headers.get("Accept"):
        return False
    return request.accept_mimetypes.best_match([HTML_MIMETYPE, JSON_MIMETYPE]) == JSON_MIMETYPE


def check_utf8() -> None:
    """Refuse a query string whose percent-decoded parameters are not UTF-8."""
    for part in request.query_string.split(b"&"):
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise SearchParameterError("the query string is not valid UTF-8") from None


def parameters() -> tuple[str, str | None, int]:
    """The query text, the kind (None for all) and the limit, checked.

    :raises SearchParameterError: a parameter is not usable
    """
    check_utf8()
    text = request.args.get("q", "")
    kind = request.args.get("kind", "").strip() or None
    if kind is not None and kind not in searchable_kinds():
        raise SearchParameterError(
            f"unknown kind {kind[:40]!r}; kinds: {', '.join(searchable_kinds())}"
        )
    raw_limit = request.args.get("limit", "").strip()
    if not raw_limit:
        return text, kind, DEFAULT_LIMIT
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise SearchParameterError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return text, kind, int(raw_limit)


def hit_json(hit: SearchHit) -> dict[str, str]:
    """A hit as the JSON answer gives it."""
    return {
        "iri": hit.iri,
        "label": hit.label,
        "kind": hit.kind,
        "field": hit.field,
        "snippet": hit.snippet,
        "match": hit.match,
        "href": path_of_iri(hit.iri) or hit.iri,
    }


def answer(
    status: int,
    text: str,
    kind: str | None,
    hits: list[SearchHit],
    error: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """The search page or JSON for ``hits``, or for the one-line ``error``."""
    error = " ".join(error.split())
    if wants_json():
        body: dict[str, object] = (
            {"error": error}
            if error
            else {"query": text, "kind": kind, "results": [hit_json(hit) for hit in hits]}
        )
        response = Response(
            json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n",
            status=status,
            mimetype=JSON_MIMETYPE,
        )
    else:
        html = render_template(
            "search.html",
            query=text if len(text) <= 200 else "",
            kind=kind,
            kinds=searchable_kinds(),
            hits=[(hit, path_of_iri(hit.iri) or hit.iri) for hit in hits],
            error=error,
        )
        response = Response(html, status=status, mimetype=HTML_MIMETYPE)
    response.headers["Vary"] = "Accept"
    response.headers.update(headers or {})
    return response


@bp.errorhandler(UriTooLongError)
def uri_too_long(error: UriTooLongError) -> Response:
    """An overlong request target (checked before any view) is an overlong query here: a 400
    in the negotiated format, like every other bad search."""
    return answer(400, "", None, [], f"query too long (at most {MAX_QUERY_CHARS} characters)")


@bp.get("/search")
def search() -> Response:
    """Search the graph's labels, synonyms, identifiers and quotes."""
    text, kind = "", None
    try:
        text, kind, limit = parameters()
        if not text.strip() and not wants_json() and "q" not in request.args:
            return answer(200, "", None, [])  # the empty search page
        state = get_state()
        client = request.remote_addr or "unknown"
        state.throttle.check(client)
        index = get_catalogue().index
        with state.throttle.admit(client):
            hits = index.search(text, kind, limit)
    except SearchQueryError as error:
        return answer(400, text, kind, [], str(error))
    except EndpointError as error:
        return answer(error.status, text, kind, [], error.message, error.headers)
    return answer(200, text, kind, hits)
