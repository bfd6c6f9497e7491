"""Faults during a build never touch the served release; the server serves only a checked release.

Every test starts from a good release of the fixture content in a temporary ``dist/``, injects a
fault (unparsable export, SHACL violation, inconsistency, build killed mid-publish, file changed
after the build) and then checks that ``dist/current`` still names the old release, that every
file of it still matches its manifest, and that a server app over ``dist/current`` still loads
it and answers a count query with the old number.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml
from flask import Flask
from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD

from kg.build import graph as pipeline
from kg.checks.reasoning import InconsistentOntologyError
from kg.constants import (
    CURRENT_RELEASE_LINK,
    INFERRED_GRAPH_FILENAME,
    ONTOLOGY_PATH,
    RELEASES_DIRNAME,
    ROOT_DIR,
)
from kg.errors import ShapeViolationError
from kg.exports import REGISTRY, ExportFile, ExportSource
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.exports.turtle import DATA_FILENAME, TurtleExporter
from kg.namespaces import RKO
from kg.release.assemble import BuildResult, build_release
from kg.release.verify import ReleaseCheckError, read_manifest, verify_release
from server import create_app
from server.verified_release import UnverifiedReleaseError
from tests.conftest import FIXTURE_CONTENT_DIR
from tests.server.conftest import close_workers

COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

#: Runs ``rankl-kg`` with one function of kg.release.publish wrapped to SIGKILL the process
#: on call N+1
KILLING_BUILD = """
import os, signal, sys
import kg.release.publish
from kg.cli import main

name, calls = sys.argv[1], int(sys.argv[2])
original = getattr(kg.release.publish, name)
made = 0

def killing(*args, **kwargs):
    global made
    made += 1
    if made > calls:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)

setattr(kg.release.publish, name, killing)
main(sys.argv[3:])
"""


@dataclass(frozen=True)
class Published:
    """A dist/ holding one good release, and the triple count of its served (inferred) graph."""

    dist: Path
    release: Path
    triples: int


@pytest.fixture(scope="module")
def first_release(fixture_release: BuildResult) -> Published:
    """The fixture content built once into a dist/ (copied by each test before it is broken)."""
    release = fixture_release.release_dir
    entry = next(
        entry for entry in read_manifest(release) if entry["name"] == INFERRED_GRAPH_FILENAME
    )
    return Published(release.parent.parent, release, entry["triples"])


@pytest.fixture
def published(first_release: Published, tmp_path: Path) -> Published:
    """A private copy of the good dist/ (the ``current`` link is relative, so it moves along)."""
    dist = tmp_path / "dist"
    shutil.copytree(first_release.dist, dist, symlinks=True)
    return Published(
        dist, dist / RELEASES_DIRNAME / first_release.release.name, first_release.triples
    )


def served_app(dist: Path) -> Flask:
    """An app serving ``dist/current`` as the default configuration does for the real dist/."""
    return create_app(
        {
            "TESTING": True,
            "GRAPH_PATH": dist / CURRENT_RELEASE_LINK / INFERRED_GRAPH_FILENAME,
            "QUERY_WORKERS": 1,
        }
    )


def served_count(app: Flask) -> int:
    """Ask the app how many triples it serves."""
    response = app.test_client().get(
        "/sparql",
        query_string={"query": COUNT_QUERY},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def assert_old_release_served(published: Published) -> None:
    """``current`` names the old release, which matches its manifest and the server serves it."""
    assert (published.dist / CURRENT_RELEASE_LINK).resolve() == published.release.resolve()
    verify_release(published.release)
    app = served_app(published.dist)
    try:
        assert served_count(app) == published.triples
    finally:
        close_workers(app)


def staging_leftovers(dist: Path) -> list[str]:
    return sorted(
        path.name for path in (dist / RELEASES_DIRNAME).iterdir() if path.name.startswith(".")
    )


class CorruptDataTurtle(TurtleExporter):
    """The Turtle exporter with a syntax error appended to the data file (unregistered: no name)."""

    def export(self, source: ExportSource) -> list[ExportFile]:
        return [
            corrupted(file) if file.name == DATA_FILENAME else file
            for file in super().export(source)
        ]


def corrupted(file: ExportFile) -> ExportFile:
    return replace(
        file, content=file.content + b"\n<https://w3id.org/rankl-kg/gene/X> rko:encodes .\n"
    )


def test_unparsable_export_fails_the_parse_gate(
    published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGISTRY, "turtle", CorruptDataTurtle)
    with pytest.raises(ReleaseCheckError) as caught:
        build_release(FIXTURE_CONTENT_DIR, published.dist)
    assert caught.value.check == "parse"
    assert caught.value.path.name == DATA_FILENAME
    assert DATA_FILENAME in str(caught.value)
    assert staging_leftovers(published.dist) == []
    assert_old_release_served(published)


def test_shape_violation_leaves_the_release_served(
    published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    def with_second_enrollment(content_dir: Path) -> Graph:
        """The data with one trial given a second enrollment (the trial shape allows one)."""
        data = pipeline.build_data_graph(content_dir)
        trial = next(data.subjects(RDF.type, RKO.ClinicalTrial))
        data.add((trial, RKO.enrollment, Literal(987654, datatype=XSD.integer)))
        return data

    monkeypatch.setattr("kg.release.assemble.build_data_graph", with_second_enrollment)
    with pytest.raises(ShapeViolationError) as caught:
        build_release(FIXTURE_CONTENT_DIR, published.dist)
    assert caught.value.violations >= 1
    assert "enrollment" in str(caught.value)
    assert_old_release_served(published)


@pytest.mark.integration
def test_inconsistency_found_by_hermit_leaves_the_release_served(
    published: Published, tmp_path: Path
) -> None:
    """Genes encode proteins; an ontology that also makes encoders drugs makes every gene a drug,
    and genes and drugs are disjoint. Only the reasoner sees it (no gene is typed a drug)."""
    ontology = tmp_path / "inconsistent.ttl"
    ontology.write_text(
        ONTOLOGY_PATH.read_text(encoding="utf-8")
        + f"\n<{RKO.encodes}> <http://www.w3.org/2000/01/rdf-schema#domain> <{RKO.Drug}> .\n",
        encoding="utf-8",
    )
    with pytest.raises(InconsistentOntologyError) as caught:
        build_release(FIXTURE_CONTENT_DIR, published.dist, ontology_path=ontology)
    assert "gene/TNFSF11" in str(caught.value)
    assert_old_release_served(published)


@pytest.fixture
def changed_content(content_dir: Path) -> Path:
    """The fixture content with one trial's enrollment changed: a different, valid release."""
    trials = content_dir / "trials.yaml"
    records = yaml.safe_load(trials.read_text(encoding="utf-8"))
    records[0]["enrollment"] += 1
    trials.write_text(
        yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return content_dir


@pytest.mark.integration
@pytest.mark.parametrize(
    ("function", "calls"),
    [
        pytest.param("write_file", 5, id="between-files"),
        pytest.param("swap_current", 0, id="release-complete-pointer-not-swapped"),
    ],
)
def test_build_killed_mid_publish_leaves_the_release_served(
    published: Published, changed_content: Path, function: str, calls: int
) -> None:
    command = [
        sys.executable,
        "-c",
        KILLING_BUILD,
        function,
        str(calls),
        "build",
        "--content-dir",
        str(changed_content),
        "--dist-dir",
        str(published.dist),
    ]
    completed = subprocess.run(command, cwd=ROOT_DIR, capture_output=True, text=True, check=False)
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    assert_old_release_served(published)

    result = build_release(changed_content, published.dist)
    assert result.release_dir != published.release.resolve()
    assert (published.dist / CURRENT_RELEASE_LINK).resolve() == result.release_dir.resolve()
    assert staging_leftovers(published.dist) == []
    verify_release(result.release_dir)


def test_changed_byte_makes_the_server_refuse_naming_the_file(published: Published) -> None:
    target = published.release / "rankl-kg-trials.csv"
    content = bytearray(target.read_bytes())
    content[10] ^= 0x01
    target.write_bytes(bytes(content))
    with pytest.raises(UnverifiedReleaseError, match=re.escape("rankl-kg-trials.csv")):
        served_app(published.dist)


def test_missing_manifest_makes_the_server_refuse(published: Published) -> None:
    (published.release / MANIFEST_FILENAME).unlink()
    with pytest.raises(UnverifiedReleaseError, match=re.escape(MANIFEST_FILENAME)):
        served_app(published.dist)


def test_missing_file_makes_the_server_refuse_naming_it(published: Published) -> None:
    (published.release / DATA_FILENAME).unlink()
    with pytest.raises(UnverifiedReleaseError, match=re.escape(DATA_FILENAME)):
        served_app(published.dist)


def test_verification_can_be_turned_off_for_a_damaged_release(published: Published) -> None:
    (published.release / MANIFEST_FILENAME).unlink()
    app = create_app(
        {
            "TESTING": True,
            "GRAPH_PATH": published.dist / CURRENT_RELEASE_LINK / INFERRED_GRAPH_FILENAME,
            "QUERY_WORKERS": 1,
            "VERIFY_RELEASE": False,
        }
    )
    try:
        assert served_count(app) == published.triples
    finally:
        close_workers(app)
