"""The ``rankl-kg`` command line: build, validate, stats, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Graph

from kg.constants import CONTENT_DIR, DIST_DIR, GRAPH_FILENAME
from kg.errors import KGError
from kg.stats import count_by_class, count_by_property
from kg.validate import validate_graph

CONTENT_OPTION = click.option(
    "--content-dir", type=click.Path(file_okay=False, path_type=Path), default=CONTENT_DIR,
    show_default=True, help="Folder of curated tables.",
)
DIST_OPTION = click.option(
    "--dist-dir", type=click.Path(file_okay=False, path_type=Path), default=DIST_DIR,
    show_default=True, help="Folder the exports are written to.",
)
GRAPH_ARGUMENT = click.argument(
    "graph_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path),
)


@click.group()
@click.version_option(package_name="rankl-kg")
def main() -> None:
    """Build, check and serve the RANKL-KG knowledge graph."""


@main.command()
@CONTENT_OPTION
@DIST_OPTION
def build(content_dir: Path, dist_dir: Path) -> None:
    """Build the graph from the curated tables, validate it, and export it into dist/."""
    from kg.release import build_release

    try:
        result = build_release(content_dir=content_dir, dist_dir=dist_dir)
    except KGError as exc:
        click.echo(f"build failed, {dist_dir} left as it was.\n{exc}", err=True)
        sys.exit(1)
    for path in result.files:
        click.echo(f"wrote {path}")
    click.echo(f"{result.triples} triples in {result.seconds:.2f} s")


@main.command()
@GRAPH_ARGUMENT
def validate(graph_file: Path | None) -> None:
    """Validate a built graph (default: dist/rankl-kg.ttl) against the SHACL shapes."""
    graph = load_graph(graph_file)
    report = validate_graph(graph)
    if report.conforms:
        click.echo(f"{len(graph)} triples conform to the shapes.")
        return
    click.echo(report.text)
    click.echo(f"{report.violations} violation(s).", err=True)
    sys.exit(1)


@main.command()
@GRAPH_ARGUMENT
def stats(graph_file: Path | None) -> None:
    """Print counts by class and by property of a built graph."""
    graph = load_graph(graph_file)
    click.echo(f"triples\t{len(graph)}")
    for title, counts in (("class", count_by_class(graph)), ("property", count_by_property(graph))):
        click.echo(f"\n{title}\tcount")
        for term, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"{graph.namespace_manager.normalizeUri(term)}\t{count}")


def load_graph(graph_file: Path | None) -> Graph:
    """Parse ``graph_file``, or the last build's export."""
    path = graph_file or DIST_DIR / GRAPH_FILENAME
    if not path.is_file():
        raise click.UsageError(f"{path} does not exist; run 'rankl-kg build' first")
    return Graph().parse(path, format="turtle")
