"""The ``rankl-kg serve`` command.

It is registered on the ``rankl-kg`` command line through the ``rankl_kg.commands`` entry-point
group (see ``pyproject.toml``), so :mod:`kg.cli` never imports the server.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import counts_line, require_build_inputs
from kg.constants import (
    CONTENT_DIR,
    CURRENT_RELEASE_DIR,
    CURRENT_RELEASE_LINK,
    DIST_DIR,
    FROM_CHECKOUT,
    INFERRED_GRAPH_FILENAME,
    packaged_input_fix,
    require_input,
)
from kg.errors import KGError
from server.backends.oxigraph_store import GraphLoadError
from server.config import STORE_BACKENDS, ConfigError
from server.errors import EndpointError


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="RANKL_KG_HOST",
    help="Interface to listen on.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="RANKL_KG_PORT",
    help="Port to listen on.",
)
@click.option("--rebuild", is_flag=True, help="Rebuild the graph even if dist/ already holds one.")
@click.option(
    "--backend",
    type=click.Choice(STORE_BACKENDS),
    default="oxigraph",
    show_default=True,
    envvar="RANKL_KG_STORE_BACKEND",
    help="Where queries run: pyoxigraph workers, rdflib workers (the reference engine) "
    "or a remote SPARQL endpoint.",
)
@click.option(
    "--store-path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="RANKL_KG_STORE_PATH",
    help="oxigraph: serve from a persistent on-disk store in this directory "
    "(built from the graph once, rebuilt when it changes).",
)
@click.option(
    "--remote-url",
    envvar="RANKL_KG_REMOTE_ENDPOINT_URL",
    help="remote: the SPARQL 1.1 endpoint URL (Virtuoso, Fuseki, QLever, GraphDB).",
)
@click.option(
    "--remote-default-graph",
    envvar="RANKL_KG_REMOTE_DEFAULT_GRAPH_URI",
    help="remote: the graph IRI to query as the default graph.",
)
@click.option(
    "--content",
    "--content-dir",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder of curated tables to build from if needed [default: {CONTENT_DIR}].",
)
@click.option(
    "--out",
    "--dist-dir",
    "dist_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Serve OUT/current, building it first if needed [default: "
    f"{DIST_DIR if FROM_CHECKOUT else 'the release packaged in the wheel'}].",
)
def serve(
    host: str,
    port: int,
    rebuild: bool,
    backend: str,
    store_path: Path | None,
    remote_url: str | None,
    remote_default_graph: str | None,
    content_dir: Path | None,
    dist_dir: Path | None,
) -> None:
    """Serve the graph (with its inferences) over SPARQL 1.1 and web pages, building it if needed.

    From an installed wheel, with no --out, --content or --rebuild, the release packaged in the
    wheel is served as it is (no build, no Java needed).
    """
    if FROM_CHECKOUT or dist_dir is not None or content_dir is not None or rebuild:
        dist_dir = dist_dir or DIST_DIR
        graph_path = dist_dir / CURRENT_RELEASE_LINK / INFERRED_GRAPH_FILENAME
    else:
        graph_path = require_input(
            CURRENT_RELEASE_DIR / INFERRED_GRAPH_FILENAME,
            "packaged release graph",
            packaged_input_fix(),
        )
    if rebuild or not graph_path.is_file():
        from kg.release.assemble import build_release  # only when a build is needed

        content_dir = content_dir or CONTENT_DIR
        require_build_inputs(content_dir)
        try:
            result = build_release(content_dir=content_dir, dist_dir=dist_dir or DIST_DIR)
        except KGError as exc:
            raise click.ClickException(f"cannot serve: the build failed.\n{exc}") from exc
        click.echo(f"built {graph_path}: {counts_line(result)}")
    # imported here: the web stack (Flask, waitress, the blueprints) loads only to serve
    from server.prefork import CrashLoopError
    from server.wsgi import serve as serve_graph

    click.echo(f"serving http://{host}:{port}/ (SPARQL endpoint at /sparql); Ctrl-C stops")
    settings = {
        "STORE_BACKEND": backend,
        "STORE_PATH": str(store_path) if store_path else None,
        "REMOTE_ENDPOINT_URL": remote_url,
        "REMOTE_DEFAULT_GRAPH_URI": remote_default_graph,
    }
    try:
        serve_graph(graph_path, host, port, settings)
    except (ConfigError, GraphLoadError, EndpointError, CrashLoopError, OSError) as exc:
        raise click.ClickException(f"cannot serve: {exc}") from exc
