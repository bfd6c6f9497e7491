"""Configuration defaults of the endpoint; every key can be overridden by ``RANKL_KG_<KEY>``.

Limits follow SECURITY-NOTES §4: the query guard limits, a hard per-query deadline enforced
by killing the worker process, and row and byte caps on results (over either the query is
refused with 422 asking for LIMIT/OFFSET, never answered with a truncated 200).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg.constants import CURRENT_RELEASE_DIR, INFERRED_GRAPH_FILENAME
from kg.constants import QUERIES_DIR as COMPETENCY_QUERIES_DIR

#: Values of STORE_BACKEND (the backends of :mod:`server.backends`)
STORE_BACKENDS = ("oxigraph", "rdflib", "remote")


class ConfigError(ValueError):
    """A configuration value is missing, of the wrong type or out of range."""


class Defaults:
    """Defaults of every setting the endpoint reads (Flask ``from_object`` picks UPPER names)."""

    #: The built graph, served as the default graph
    GRAPH_PATH = CURRENT_RELEASE_DIR / INFERRED_GRAPH_FILENAME
    #: Serve a release only if every file matches its manifest (see server/release.py)
    VERIFY_RELEASE = True
    #: Extra graph IRI -> RDF file loaded as named graphs (test datasets such as the W3C ones)
    EXTRA_NAMED_GRAPHS: Mapping[str, str] = {}
    #: Competency queries (SIB sparql-examples style Turtle) served at /.well-known/sparql-examples
    QUERIES_DIR = COMPETENCY_QUERIES_DIR
    #: Public URL of the endpoint for the service description; ``None`` = the request URL
    PUBLIC_ENDPOINT_URL: str | None = None
    #: Where queries run: "oxigraph" (pyoxigraph workers), "rdflib" (the reference engine in
    #: workers) or "remote" (the SPARQL 1.1 endpoint at REMOTE_ENDPOINT_URL)
    STORE_BACKEND = "oxigraph"
    #: oxigraph only: directory of a persistent on-disk store built from GRAPH_PATH (rebuilt when
    #: the graph file changes); ``None`` = each worker holds an in-memory copy
    STORE_PATH: str | None = None
    #: remote only: the SPARQL endpoint URL, its default graph (sent as default-graph-uri;
    #: ``None`` = the endpoint's own default) and the graph version reported for caches and
    #: ETags (``None`` = derived from the URL; set it to the SHA-256 of the loaded file)
    REMOTE_ENDPOINT_URL: str | None = None
    REMOTE_DEFAULT_GRAPH_URI: str | None = None
    REMOTE_GRAPH_VERSION: str | None = None

    #: Largest request body Flask accepts (413 above)
    MAX_CONTENT_LENGTH = 64 * 1024
    #: Largest decoded query text (413 above); also catches chunked bodies
    MAX_QUERY_CHARS = 20_000
    #: Deepest lexical nesting of ``{ ( [`` (400 above); protects the parser's stack
    MAX_NESTING = 16
    #: Hard deadline of one query; the worker process is killed at it (503)
    QUERY_TIMEOUT_S = 20.0
    #: Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned at most (422 above)
    MAX_RESULT_ROWS = 100_000
    #: Largest serialized result (422 above)
    MAX_RESULT_BYTES = 20 * 1024 * 1024
    #: Worker processes executing queries, i.e. queries running at the same time
    QUERY_WORKERS = 2
    #: How long a request waits for a free worker before 503 "Server busy"
    QUEUE_TIMEOUT_S = 10.0
    #: Address-space limit of each worker process (``RLIMIT_AS``); 0 disables it
    WORKER_MEMORY_BYTES = 2 * 1024**3
    #: Longest request target (path and query string) in characters (414 above)
    MAX_URL_CHARS = 8190
    #: Largest sum of header names and values in bytes (431 above)
    MAX_HEADER_BYTES = 16 * 1024
    #: Per client (remote address): queries at once, query seconds and expensive failures
    #: (422/500/503) per sliding minute; over any of them 429 + Retry-After
    CLIENT_MAX_CONCURRENT = 2
    CLIENT_QUERY_SECONDS_PER_MINUTE = 60.0
    CLIENT_ERRORS_PER_MINUTE = 30
    #: Seconds a client may cache a GET result (``Cache-Control: public, max-age``)
    CACHE_MAX_AGE_S = 300
    #: Bytes of serialized results kept for repeated queries (0 disables the result cache)
    RESULT_CACHE_BYTES = 64 * 1024**2
    #: A result larger than this fraction of ``RESULT_CACHE_BYTES`` is not cached
    RESULT_CACHE_MAX_ENTRY_FRACTION = 0.1
    #: Bytes of guard analyses kept for repeated query texts (0 disables the guard cache)
    GUARD_CACHE_BYTES = 4 * 1024**2

    #: waitress: worker threads, open connections, idle-connection timeout
    SERVER_THREADS = 4
    SERVER_CONNECTION_LIMIT = 100
    SERVER_CHANNEL_TIMEOUT_S = 30


_POSITIVE_NUMBERS = (
    "MAX_CONTENT_LENGTH",
    "MAX_QUERY_CHARS",
    "MAX_NESTING",
    "QUERY_TIMEOUT_S",
    "MAX_RESULT_ROWS",
    "MAX_RESULT_BYTES",
    "QUERY_WORKERS",
    "QUEUE_TIMEOUT_S",
    "CACHE_MAX_AGE_S",
    "MAX_URL_CHARS",
    "MAX_HEADER_BYTES",
    "CLIENT_MAX_CONCURRENT",
    "CLIENT_QUERY_SECONDS_PER_MINUTE",
    "CLIENT_ERRORS_PER_MINUTE",
    "SERVER_THREADS",
    "SERVER_CONNECTION_LIMIT",
    "SERVER_CHANNEL_TIMEOUT_S",
)


def check_cache_config(config: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` for a negative cache size or an entry fraction not in (0, 1]."""
    for key in ("RESULT_CACHE_BYTES", "GUARD_CACHE_BYTES"):
        value = config.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(
                f"setting {key} must be a non-negative integer (0 disables the cache), "
                f"got {value!r} (set RANKL_KG_{key} to e.g. {getattr(Defaults, key)!r})"
            )
    fraction = config.get("RESULT_CACHE_MAX_ENTRY_FRACTION")
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not 0 < fraction <= 1:
        raise ConfigError(
            "setting RESULT_CACHE_MAX_ENTRY_FRACTION must be a number in (0, 1], "
            f"got {fraction!r} (set RANKL_KG_RESULT_CACHE_MAX_ENTRY_FRACTION to e.g. 0.1)"
        )


def check_backend_config(config: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` for an unknown backend or settings it cannot use."""
    backend = config.get("STORE_BACKEND")
    if backend not in STORE_BACKENDS:
        raise ConfigError(
            f"setting STORE_BACKEND must be one of {', '.join(STORE_BACKENDS)}, got {backend!r}"
        )
    store_path = config.get("STORE_PATH")
    if store_path is not None:
        if backend != "oxigraph":
            raise ConfigError(
                f"setting STORE_PATH is for STORE_BACKEND=oxigraph only, not {backend!r}; "
                "unset RANKL_KG_STORE_PATH"
            )
        if not isinstance(store_path, str | Path) or Path(store_path).is_file():
            raise ConfigError(
                f"setting STORE_PATH must name a directory (new or built by rankl-kg), "
                f"got {store_path!r}"
            )
    url = config.get("REMOTE_ENDPOINT_URL")
    if backend == "remote" and not (
        isinstance(url, str) and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc
    ):
        raise ConfigError(
            "STORE_BACKEND=remote needs REMOTE_ENDPOINT_URL, the http(s) URL of a SPARQL 1.1 "
            f"endpoint (e.g. http://127.0.0.1:8890/sparql), got {url!r}"
        )
    if backend != "remote" and url is not None:
        raise ConfigError(
            f"setting REMOTE_ENDPOINT_URL is for STORE_BACKEND=remote only, not {backend!r}"
        )


def check_config(config: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` naming the setting and the fix if a value is unusable."""
    for key in _POSITIVE_NUMBERS:
        value = config.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(
                f"setting {key} must be a positive number, got {value!r} "
                f"(set RANKL_KG_{key} to e.g. {getattr(Defaults, key)!r})"
            )
    check_cache_config(config)
    memory = config.get("WORKER_MEMORY_BYTES")
    if not isinstance(memory, int) or memory < 0:
        raise ConfigError(
            f"setting WORKER_MEMORY_BYTES must be a non-negative integer, got {memory!r}"
        )
    extra = config.get("EXTRA_NAMED_GRAPHS")
    if not isinstance(extra, Mapping):
        raise ConfigError(
            "setting EXTRA_NAMED_GRAPHS must map graph IRIs to file paths, "
            f"got {type(extra).__name__}"
        )
    check_backend_config(config)
    if config["STORE_BACKEND"] == "remote":
        return
    graph_path = Path(config["GRAPH_PATH"])
    if not graph_path.is_file():
        raise ConfigError(
            f"GRAPH_PATH {graph_path} does not exist; run 'rankl-kg build' first "
            "or set RANKL_KG_GRAPH_PATH"
        )
