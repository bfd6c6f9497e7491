"""The endpoint's settings: one typed :class:`Settings`, read once when the app is created.

Every setting has a default here and can be overridden by the environment variable
``RANKL_KG_<NAME>`` (e.g. ``RANKL_KG_QUERY_TIMEOUT_S=5``), then by the mapping of UPPER_CASE
keys given to :func:`server.create_app` (the tests' way). A value of the wrong type or out of
range stops the start with a one-line :class:`ConfigError` naming the variable and the values
it allows.

Limits follow docs/security.md §4: the query guard limits, a hard per-query deadline enforced
by killing the worker process, and row and byte caps on results (over either the query is
refused with 422 asking for LIMIT/OFFSET, never answered with a truncated 200).
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.constants import CURRENT_RELEASE_DIR, INFERRED_GRAPH_FILENAME, QUERIES_DIR

#: Prefix of the environment variables that set :class:`Settings`
ENV_PREFIX = "RANKL_KG_"
#: Values of ``STORE_BACKEND`` (the keys of :data:`server.backends.BACKENDS`)
StoreBackendName = Literal["oxigraph", "rdflib", "remote"]
STORE_BACKENDS: tuple[str, ...] = get_args(StoreBackendName)
#: Flask's own configuration keys that mirror a setting (``app.config`` gets them)
FLASK_KEYS = ("MAX_CONTENT_LENGTH",)
#: Query workers of each web process when ``QUERY_WORKERS`` is unset: a query waits for a
#: worker of the process that took its connection, so with one each a busy process queues
#: while another's worker idles (the join of bench/results/cold-path.md, 2026-12-05: 0.62x the
#: bare app with one each, 0.98x with two)
WORKERS_PER_WEB_PROCESS = 2


class ConfigError(ValueError):
    """A configuration value is missing, of the wrong type or out of range (one line)."""


class Settings(BaseSettings):
    """Every setting the endpoint reads; field ``name`` is ``RANKL_KG_NAME`` in the environment."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, case_sensitive=False, extra="forbid", frozen=True
    )

    #: The built graph, served as the default graph
    graph_path: Path = CURRENT_RELEASE_DIR / INFERRED_GRAPH_FILENAME
    #: Serve a release only if every file matches its manifest (see server/verified_release.py)
    verify_release: bool = True
    #: Extra graph IRI -> RDF file loaded as named graphs (test datasets such as the W3C ones)
    extra_named_graphs: dict[str, Path] = Field(
        default_factory=dict,
        description="a mapping of graph IRIs to RDF file paths (JSON in the environment)",
    )
    #: Competency queries (SIB sparql-examples style Turtle) served at /.well-known/sparql-examples
    queries_dir: Path = QUERIES_DIR
    #: Public URL of the endpoint for the service description; ``None`` = the request URL
    public_endpoint_url: str | None = None
    #: Where queries run: "oxigraph" (pyoxigraph workers), "rdflib" (the reference engine in
    #: workers) or "remote" (the SPARQL 1.1 endpoint at REMOTE_ENDPOINT_URL)
    store_backend: StoreBackendName = "oxigraph"
    #: oxigraph only: directory of a persistent on-disk store built from GRAPH_PATH (rebuilt when
    #: the graph file changes); ``None`` = each worker holds an in-memory copy
    store_path: Path | None = None
    #: remote only: the SPARQL endpoint URL, its default graph (sent as default-graph-uri;
    #: ``None`` = the endpoint's own default) and the graph version reported for caches and
    #: ETags (``None`` = derived from the URL; set it to the SHA-256 of the loaded file)
    remote_endpoint_url: str | None = None
    remote_default_graph_uri: str | None = None
    remote_graph_version: str | None = None

    #: Largest request body Flask accepts (413 above)
    max_content_length: int = Field(64 * 1024, gt=0)
    #: Largest decoded query text (413 above); also catches chunked bodies
    max_query_chars: int = Field(20_000, gt=0)
    #: Deepest lexical nesting of ``{ ( [`` (400 above); protects the parser's stack
    max_nesting: int = Field(16, gt=0)
    #: Hard deadline of one query; the worker process is killed at it (503)
    query_timeout_s: float = Field(20.0, gt=0)
    #: Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned at most (422 above)
    max_result_rows: int = Field(100_000, gt=0)
    #: Largest serialized result (422 above)
    max_result_bytes: int = Field(20 * 1024 * 1024, gt=0)
    #: Worker processes executing queries, i.e. queries running at the same time, in the whole
    #: server: with several WEB_PROCESSES each gets its share, rounded up (at least one).
    #: Unset: two in each web process (WORKERS_PER_WEB_PROCESS)
    query_workers: int | None = Field(None, gt=0)
    #: How long a request waits for a free worker before 503 "Server busy"
    queue_timeout_s: float = Field(10.0, gt=0)
    #: Memory a query worker may allocate (``RLIMIT_AS``); a worker forked over the shared
    #: in-memory store may allocate this much beyond the store it inherits; 0 disables it
    worker_memory_bytes: int = Field(2 * 1024**3, ge=0)
    #: Longest request target (path and query string) in characters (414 above)
    max_url_chars: int = Field(8190, gt=0)
    #: Largest sum of header names and values in bytes (431 above)
    max_header_bytes: int = Field(16 * 1024, gt=0)
    #: Per client (remote address; see TRUSTED_PROXIES): queries at once, query seconds and
    #: expensive failures (422/500/503) per sliding minute; over any of them 429 + Retry-After
    client_max_concurrent: int = Field(2, gt=0)
    client_query_seconds_per_minute: float = Field(60.0, gt=0)
    client_errors_per_minute: int = Field(30, gt=0)
    #: Reverse proxies (addresses or CIDR networks) whose ``X-Forwarded-For`` names the client
    #: for the per-client budgets (the right-most untrusted address; see server/clients.py);
    #: empty = the direct peer is the client and the header is ignored. In the environment a
    #: comma-separated list (``RANKL_KG_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8``) or JSON.
    trusted_proxies: Annotated[
        tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...], NoDecode
    ] = Field(
        default=(),
        description="a comma-separated list of IP addresses or CIDR networks "
        "(e.g. 127.0.0.1,10.0.0.0/8)",
    )
    #: Seconds a client may cache a GET result (``Cache-Control: public, max-age``)
    cache_max_age_s: int = Field(300, gt=0)
    #: Bytes of serialized results kept for repeated queries (0 disables the result cache)
    result_cache_bytes: int = Field(64 * 1024**2, ge=0)
    #: A result larger than this fraction of ``RESULT_CACHE_BYTES`` is not cached
    result_cache_max_entry_fraction: float = Field(0.1, gt=0, le=1)
    #: Bytes of guard analyses kept for repeated query texts (0 disables the guard cache)
    guard_cache_bytes: int = Field(4 * 1024**2, ge=0)

    #: Web processes serving the port (``rankl-kg serve``), each with its own waitress threads
    #: and query workers, under one supervising process; unset = the usable cores; 1 = one
    #: process, no supervisor (see docs/server/processes.md)
    web_processes: int | None = Field(
        None, ge=1, le=64, description="an integer from 1 to 64, or unset (the usable cores)"
    )
    #: waitress: worker threads, open connections, idle-connection timeout (per web process)
    server_threads: int = Field(4, gt=0)
    server_connection_limit: int = Field(100, gt=0)
    server_channel_timeout_s: int = Field(30, gt=0)

    @field_validator("*", mode="before")
    @classmethod
    def refuse_booleans_as_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """``True`` is no worker count: only boolean settings take booleans."""
        name = info.field_name or ""
        if isinstance(value, bool) and cls.model_fields[name].annotation is not bool:
            raise ValueError(f"{name} takes no boolean")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def split_proxy_list(cls, value: Any) -> Any:
        """Read a comma-separated (or JSON) list of networks from the environment."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def check_backend(self) -> Settings:
        """Refuse settings the chosen backend cannot use, and a missing local graph file."""
        check_backend_settings(self)
        return self

    @property
    def cache_control(self) -> str:
        """``Cache-Control`` of GET and HEAD results."""
        return f"public, max-age={self.cache_max_age_s}"

    @property
    def web_process_count(self) -> int:
        """How many web processes ``rankl-kg serve`` starts (``WEB_PROCESSES``, else the cores)."""
        return self.web_processes or usable_cores()

    @property
    def pool_workers(self) -> int:
        """The query workers of one web process (of the only one, without prefork)."""
        return self.query_workers or WORKERS_PER_WEB_PROCESS

    @property
    def workers_per_web_process(self) -> int:
        """Each web process's share of ``QUERY_WORKERS``, rounded up; unset, two each."""
        if self.query_workers is None:
            return WORKERS_PER_WEB_PROCESS
        return math.ceil(self.query_workers / self.web_process_count)

    def flask_config(self) -> dict[str, Any]:
        """The settings Flask itself reads, under Flask's names (for ``app.config``)."""
        return {key: getattr(self, key.lower()) for key in FLASK_KEYS}


def usable_cores() -> int:
    """The CPUs this process may run on (``taskset`` and cgroup cpusets narrow them)."""
    return len(os.sched_getaffinity(0))


def check_backend_settings(settings: Settings) -> None:
    """Raise :class:`ConfigError` for settings the backend cannot use or a missing graph."""
    backend = settings.store_backend
    store_path = settings.store_path
    if store_path is not None:
        if backend != "oxigraph":
            raise ConfigError(
                f"setting STORE_PATH is for STORE_BACKEND=oxigraph only, not {backend!r}; "
                "unset RANKL_KG_STORE_PATH"
            )
        if store_path.is_file():
            raise ConfigError(
                f"setting STORE_PATH must name a directory (new or built by rankl-kg), "
                f"got {str(store_path)!r}"
            )
    url = settings.remote_endpoint_url
    if backend == "remote" and not (
        url is not None and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc
    ):
        raise ConfigError(
            "STORE_BACKEND=remote needs REMOTE_ENDPOINT_URL, the http(s) URL of a SPARQL 1.1 "
            f"endpoint (e.g. http://127.0.0.1:8890/sparql), got {url!r}"
        )
    if backend != "remote" and url is not None:
        raise ConfigError(
            f"setting REMOTE_ENDPOINT_URL is for STORE_BACKEND=remote only, not {backend!r}"
        )
    if backend != "remote" and not settings.graph_path.is_file():
        raise ConfigError(
            f"GRAPH_PATH {settings.graph_path} does not exist; run 'rankl-kg build' first "
            "or set RANKL_KG_GRAPH_PATH"
        )


#: Every field's defaults, without reading the environment (for documentation and benchmarks)
DEFAULTS = Settings.model_construct()


def allowed_values(name: str) -> str:
    """Describe the values setting ``name`` allows, from its type and range."""
    field = Settings.model_fields[name]
    if field.description:
        return field.description
    bounds: dict[str, Any] = {}
    for rule in field.metadata:
        for bound in ("gt", "ge", "le"):
            if getattr(rule, bound, None) is not None:
                bounds[bound] = getattr(rule, bound)
    if name == "store_backend":
        return f"one of {', '.join(STORE_BACKENDS)}"
    if bounds == {"gt": 0}:
        return "a positive number"
    if bounds == {"ge": 0}:
        return "a non-negative integer (0 disables it)"
    if bounds == {"gt": 0, "le": 1}:
        return "a number in (0, 1]"
    if field.annotation is bool:
        return "true or false"
    return f"a value of type {getattr(field.annotation, '__name__', field.annotation)}"


def describe_error(error: ValidationError) -> str:
    """One line naming the first bad setting, its variable and what it allows."""
    first = error.errors()[0]
    context = first.get("ctx") or {}
    if isinstance(context.get("error"), ConfigError):
        return str(context["error"])
    name = str(first["loc"][0]) if first["loc"] else ""
    if name not in Settings.model_fields:
        return f"unknown setting {name.upper()}: {first['msg']}"
    key = name.upper()
    default = getattr(DEFAULTS, name)
    shown = default is not None and not isinstance(default, Path | dict | tuple)
    example = f" to e.g. {default!r}" if shown else ""
    return (
        f"setting {key} must be {allowed_values(name)}, got {first.get('input')!r} "
        f"(set {ENV_PREFIX}{key}{example})"
    )


def load_settings(overrides: Mapping[str, Any] | None = None) -> tuple[Settings, dict[str, Any]]:
    """Read the settings: defaults, then ``RANKL_KG_*`` variables, then ``overrides``.

    :param overrides: UPPER_CASE keys; those that are no setting (``TESTING``, Flask's own
        keys) are returned unchanged, for ``app.config``
    :returns: the settings and the other overrides
    :raises ConfigError: a value is of the wrong type or out of range
    """
    known: dict[str, Any] = {}
    others: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if key.lower() in Settings.model_fields:
            known[key.lower()] = value
        else:
            others[key] = value
    try:
        return Settings(**known), others
    except ValidationError as error:
        raise ConfigError(describe_error(error)) from None
