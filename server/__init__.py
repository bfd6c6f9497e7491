"""The RANKL-KG web service: a read-only SPARQL 1.1 endpoint plus the human pages.

Layout, from the bottom up: :mod:`server.config` (the settings), :mod:`server.errors`,
:mod:`server.backends` (where queries run), :mod:`server.state` (what one app holds), the
request checks (:mod:`server.limits`, :mod:`server.headers`), then the blueprints
(:mod:`server.sparql`, :mod:`server.meta`, :mod:`server.pages`, :mod:`server.downloads`,
:mod:`server.linked_data`). :mod:`server.wsgi` serves the app and :mod:`server.cli` is the
``rankl-kg serve`` command.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from flask import Flask

from server import (
    downloads,
    errors,
    headers,
    limits,
    linked_data,
    meta,
    pages,
    questions,
    search,
    sparql,
)
from server.backends import open_backend
from server.clients import TrustedProxies
from server.config import load_settings
from server.describe import count_examples, load_examples
from server.metrics import EndpointMetrics
from server.pages import browse, catalogue
from server.state import Lazy, QueryCaches, ServerState, ServiceInfo
from server.verified_release import verify_served_release

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then ``RANKL_KG_*`` environment variables, then ``config``.

    ``config`` has UPPER_CASE keys: settings of :class:`server.config.Settings`, and any other
    Flask key (``TESTING``) for ``app.config``. The store backend (``STORE_BACKEND``) is
    opened once here; a missing or unparsable graph file fails at start with a message naming
    the file and the fix. Its workers start on the first query, or all at once when a server
    calls ``backend.start()`` (:func:`server.wsgi.build_app`).

    :raises server.config.ConfigError: a setting is of the wrong type or out of range
    :raises server.backends.oxigraph_store.GraphLoadError: the graph cannot be served
    """
    # 1. Settings, then the release they name (verified before anything is loaded from it)
    settings, flask_overrides = load_settings(config)
    settings, release_dir = verify_served_release(settings)
    # 2. The app, with Flask's own settings
    app = Flask(__name__)
    app.config.update(settings.flask_config())
    app.config.update(flask_overrides)
    # 3. The backend (loads or checks the graph), then everything requests share
    backend = open_backend(settings)
    metrics = EndpointMetrics()
    examples = load_examples(settings.queries_dir)
    ServerState(
        settings=settings,
        release_dir=release_dir,
        backend=backend,
        metrics=metrics,
        caches=QueryCaches.create(settings, metrics),
        throttle=ServerState.throttle_for(settings),
        guard_limits=ServerState.guard_limits_for(settings),
        service=ServiceInfo(examples, count_examples(examples), partial(meta.build_void_of, app)),
        proxies=TrustedProxies(settings.trusted_proxies),
        catalogue=Lazy(catalogue.build_catalogue),
    ).attach(app)
    metrics.triples.set(backend.triple_count())
    # 4. Hooks (before_request in this order; after_request in reverse), then the blueprints
    meta.init_app(app)
    limits.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(meta.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(questions.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(browse.bp)
    return app
