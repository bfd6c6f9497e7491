"""The RANKL-KG web service: a read-only SPARQL 1.1 endpoint plus the human pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from server import backends, downloads, errors, headers, limits, linked_data, meta, sparql, web
from server.config import Defaults, check_config
from server.release import init_app as init_release

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then ``RANKL_KG_*`` environment variables, then ``config``.

    The store backend (``STORE_BACKEND``) is opened once here; a missing or unparsable graph
    file fails at start with a message naming the file and the fix.
    """
    app = Flask(__name__)
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("RANKL_KG")
    if config is not None:
        app.config.update(config)
    check_config(app.config)
    init_release(app)
    backends.init_app(app)
    meta.init_app(app)
    sparql.init_app(app)
    limits.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(meta.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(linked_data.bp)
    return app
