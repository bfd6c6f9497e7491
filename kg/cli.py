"""The ``rankl-kg`` command line: build, validate, stats, export, ... and serve.

Commands of other packages join through the ``rankl_kg.commands`` entry-point group (``serve``
comes from :mod:`server.cli`), so this module imports nothing of theirs: each is loaded only
when run or listed. A missing or unreadable input ends any command with one line naming the
path and the fix, and exit status 2 (never a traceback); content errors and failed checks exit
with 1.
"""

from __future__ import annotations

import shutil
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click
from rdflib import Graph

from kg import __release_date__, __version__
from kg.checks.shapes import validate_graph
from kg.checks.stats import count_by_class, count_by_property
from kg.constants import (
    CONTENT_DIR,
    CURRENT_RELEASE_DIR,
    CURRENT_RELEASE_LINK,
    DIST_DIR,
    EXPORT_DIR,
    GRAPH_FILENAME,
    INFERRED_GRAPH_FILENAME,
    ONTOLOGY_PATH,
    REFERENCE_XREFS_PATH,
    SHAPES_DIR,
    MissingInputError,
    packaged_input_fix,
    require_input,
)
from kg.errors import KGError
from kg.exports import REGISTRY as EXPORT_FORMATS

#: How to get a content folder back, named in every "content folder missing" message
CONTENT_FIX = (
    "pass --content DIR with the curated tables "
    "('rankl-kg init-content DIR' copies the packaged ones)"
)

CONTENT_OPTION = click.option(
    "--content",
    "--content-dir",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=CONTENT_DIR,
    show_default=True,
    help="Folder of curated tables (--content-dir is the old name).",
)
DIST_OPTION = click.option(
    "--out",
    "--dist-dir",
    "dist_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DIST_DIR,
    show_default=True,
    help="Folder of the releases (releases/<id>/) and of the current-release link (current); "
    "--dist-dir is the old name.",
)
GRAPH_ARGUMENT = click.argument(
    "graph_file",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)


class InputError(click.ClickException):
    """A missing or unreadable input: one line naming the path and the fix, exit status 2."""

    exit_code = 2


#: Entry-point group of the commands other packages add to ``rankl-kg``
COMMANDS_GROUP = "rankl_kg.commands"


class Commands(click.Group):
    """The command group: our commands and the ones registered in :data:`COMMANDS_GROUP`; a
    missing or unreadable input becomes an :class:`InputError`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Our commands and the registered ones, sorted."""
        plugins = {entry.name for entry in entry_points(group=COMMANDS_GROUP)}
        return sorted(set(super().list_commands(ctx)) | plugins)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Our command ``cmd_name``, or the registered one, loaded now."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        for entry in entry_points(group=COMMANDS_GROUP, name=cmd_name):
            loaded = entry.load()
            if not isinstance(loaded, click.Command):
                raise TypeError(f"entry point {entry.value} is not a click command")
            return loaded
        return None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report an input that cannot be read in one line, exit status 2."""
        try:
            return super().invoke(ctx)
        except MissingInputError as exc:
            raise InputError(str(exc)) from exc
        except OSError as exc:
            if exc.filename is None:
                raise
            raise InputError(
                f"cannot use {exc.filename}: {exc.strerror or exc}; "
                "check that it exists and that you may read (or write) it"
            ) from exc


@click.group(cls=Commands)
@click.version_option(
    version=__version__, prog_name="rankl-kg", message=f"%(prog)s %(version)s ({__release_date__})"
)
def main() -> None:
    """Build, check and serve the RANKL-KG knowledge graph."""


def require_build_inputs(content_dir: Path) -> None:
    """Check every input of a build is there and readable, before anything is built.

    :raises MissingInputError: naming the first missing input and the fix
    """
    from kg.builders import get_builders

    require_input(content_dir, "content folder", CONTENT_FIX, directory=True)
    for builder in get_builders():
        tables = [content_dir / f"{builder.name}{suffix}" for suffix in (".csv", ".yaml")]
        if not any(table.is_file() for table in tables):
            raise MissingInputError(
                f"content table {tables[0]} (or .yaml): not found; "
                f"copy it from 'rankl-kg init-content DIR' into {content_dir}"
            )
        for table in tables:
            if table.is_file():
                require_input(table, "content table", "make it readable (chmod u+r)")
    require_input(ONTOLOGY_PATH, "ontology", packaged_input_fix())
    require_input(REFERENCE_XREFS_PATH, "reference xrefs table", packaged_input_fix())
    require_input(SHAPES_DIR, "SHACL shapes folder", packaged_input_fix(), directory=True)


def counts_line(result: Any) -> str:
    """Name both counts of a build: asserted triples, and the inferred ones the server adds."""
    served = result.triples + result.inferred_triples
    return (
        f"{result.triples} asserted triples and {result.inferred_triples} inferred triples "
        f"({served} served) in {result.seconds:.2f} s"
    )


@main.command()
@CONTENT_OPTION
@DIST_OPTION
def build(content_dir: Path, dist_dir: Path) -> None:
    """Build the graph from the curated tables, check it, and publish it as DIST/current."""
    from kg.release.assemble import build_release

    require_build_inputs(content_dir)
    try:
        result = build_release(content_dir=content_dir, dist_dir=dist_dir)
    except KGError as exc:
        click.echo(
            f"build failed, {dist_dir / CURRENT_RELEASE_LINK} left as it was.\n{exc}", err=True
        )
        sys.exit(1)
    for path in result.files:
        click.echo(f"wrote {path}")
    click.echo(f"{dist_dir / CURRENT_RELEASE_LINK} -> {result.release_dir}")
    if result.warnings:
        from kg.checks.quality import format_report

        click.echo(format_report(result.warnings), err=True)
    click.echo(counts_line(result))


@main.command("init-content")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init_content(directory: Path) -> None:
    """Copy the packaged curated tables into DIRECTORY, to edit and build with --content."""
    source = require_input(
        CONTENT_DIR, "packaged content folder", packaged_input_fix(), directory=True
    )
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError(
            f"{directory}: already exists and is not an empty folder; name a new folder"
        )
    shutil.copytree(source, directory, dirs_exist_ok=True)
    count = sum(1 for path in directory.iterdir() if path.is_file())
    click.echo(
        f"copied {count} files to {directory}; "
        f"build them with 'rankl-kg build --content {directory} --out DIR'"
    )


@main.command()
@GRAPH_ARGUMENT
def validate(graph_file: Path | None) -> None:
    """Validate a built graph (default: dist/current/rankl-kg.ttl) against the SHACL shapes."""
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
    """Parse ``graph_file``, or the current release's merged graph."""
    path = graph_file or CURRENT_RELEASE_DIR / GRAPH_FILENAME
    require_input(path, "graph", "run 'rankl-kg build' first, or name a graph file")
    return Graph().parse(path, format="turtle")


SOURCE_OPTION = click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A review text file (repeatable); default: the files named in publications.yaml "
    "found in $RANKL_KG_SEEDS_DIR or the packaged sources/.",
)


def resolve_sources(content_dir: Path, sources: tuple[Path, ...]) -> list[Path]:
    """Return the given source files, or the default ones; fail if there are none."""
    from kg.checks.anchoring import SEEDS_DIR_ENV, default_source_files

    require_input(content_dir, "content folder", CONTENT_FIX, directory=True)
    files = list(sources) or default_source_files(content_dir)
    if not files:
        raise InputError(
            f"no review texts found in ${SEEDS_DIR_ENV} or the packaged sources/; "
            f"pass --source FILE or set {SEEDS_DIR_ENV}"
        )
    return files


@main.command("anchor-quotes")
@CONTENT_OPTION
@SOURCE_OPTION
def anchor_quotes_command(content_dir: Path, sources: tuple[Path, ...]) -> None:
    """Find every curated quote in the review texts and record its offsets in quote_anchors.tsv."""
    from kg.checks.anchoring import anchor_quotes

    try:
        written, missing = anchor_quotes(content_dir, resolve_sources(content_dir, sources))
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{written} quotes anchored.")
    for error in missing:
        click.echo(f"  - {error}", err=True)
    if missing:
        click.echo(f"{len(missing)} quote(s) not found in their source.", err=True)
        sys.exit(1)


@main.command("verify-quotes")
@CONTENT_OPTION
@SOURCE_OPTION
def verify_quotes_command(content_dir: Path, sources: tuple[Path, ...]) -> None:
    """Re-read the review texts and check that every quote stands at its recorded offsets."""
    from kg.checks.anchoring import verify_quotes

    try:
        verified, problems = verify_quotes(content_dir, resolve_sources(content_dir, sources))
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    click.echo(f"{verified} quotes verified, {len(problems)} problem(s).")
    if problems:
        sys.exit(1)


@main.command()
@GRAPH_ARGUMENT
@click.option(
    "--inferred",
    "inferred_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The served graph (asserted + inferred) of GRAPH_FILE, for the checks of the served "
    "graph; default: the current release's, when no GRAPH_FILE is named.",
)
def report(graph_file: Path | None, inferred_file: Path | None) -> None:
    """Print the link, ontology and model quality report (ROBOT style) of a graph; exit 1 on
    errors. The checks of the served graph (``# graph: served``) run only when its inferences
    are at hand."""
    from kg.checks.quality import errors, format_report
    from kg.release.assemble import quality_findings, served_findings

    graph = load_graph(graph_file)
    release_inferred = CURRENT_RELEASE_DIR / INFERRED_GRAPH_FILENAME
    if inferred_file is None and graph_file is None and release_inferred.is_file():
        inferred_file = release_inferred
    findings = quality_findings(graph)
    if inferred_file is None:
        click.echo("checks of the served graph skipped: give --inferred FILE", err=True)
    else:
        findings = sorted(findings + served_findings(graph, load_graph(inferred_file)))
    click.echo(format_report(findings))
    if errors(findings):
        sys.exit(1)


@main.command("export")
@click.option(
    "--format",
    "formats",
    multiple=True,
    required=True,
    type=click.Choice(sorted(EXPORT_FORMATS)),
    help="An export format (repeatable).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=EXPORT_DIR,
    show_default=True,
    help="Folder the files are written to.",
)
@CONTENT_OPTION
def export_command(formats: tuple[str, ...], output_dir: Path, content_dir: Path) -> None:
    """Build the graph and write it in the given formats (``rankl-kg build`` publishes them all)."""
    from kg.exports import export_all
    from kg.release.assemble import build_source
    from kg.release.publish import write_files

    try:
        source, _ = build_source(content_dir)
    except KGError as exc:
        raise click.ClickException(f"export failed, {output_dir} left as it was.\n{exc}") from exc
    files = export_all(source, list(formats))
    output_dir.mkdir(parents=True, exist_ok=True)
    write_files(files, output_dir)
    for file in files:
        click.echo(f"wrote {output_dir / file.name}")


@main.command("archive")
@click.option(
    "--release",
    "release_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=CURRENT_RELEASE_DIR,
    show_default=True,
    help="The release folder to archive.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DIST_DIR,
    show_default=True,
    help="Folder the archive and SHA256SUMS are written to.",
)
def archive_command(release_dir: Path, out_dir: Path) -> None:
    """Write the release as rankl-kg-<version>.tar.gz (reproducible, for Zenodo) and SHA256SUMS."""
    from kg.release.archive import write_archive
    from kg.release.verify import ReleaseCheckError

    try:
        archive, sums = write_archive(release_dir, out_dir)
    except ReleaseCheckError as exc:
        raise click.ClickException(f"not archived: {exc}") from exc
    click.echo(f"wrote {archive}\nwrote {sums}")


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
def diff_command(old: Path, new: Path) -> None:
    """List the assertions added, removed or changed from build OLD to build NEW, as TSV.

    OLD and NEW are merged Turtle exports (rankl-kg.ttl), release folders holding one, or dist/
    folders (their current release).
    """
    from kg.release.diff import changelog_tsv, diff_graphs, load_release, summary

    try:
        changes = diff_graphs(load_release(old), load_release(new))
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(changelog_tsv(changes).decode("utf-8"), nl=False)
    click.echo(summary(changes), err=True)
