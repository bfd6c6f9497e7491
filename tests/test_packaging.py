"""Versions, the release archive, the command line's input errors, ``kg.load_graph`` and the CI
skip rule."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

import kg
from kg.cli import main
from kg.constants import CONTENT_DIR, CURRENT_RELEASE_LINK, ROOT_DIR
from kg.exports import ExportFile
from kg.exports.manifest import build_manifest
from kg.release.archive import SUMS_FILENAME, archive_name, source_date_epoch, write_archive
from kg.release.assemble import BuildResult
from kg.release.publish import write_files
from tests import conftest
from tests.ci_skips import pytest_runtest_makereport
from tests.conftest import FIXTURE_CONTENT_DIR

TRIPLE = (
    b"<https://w3id.org/rankl-kg/gene/TNFSF11> <http://www.w3.org/2000/01/rdf-schema#label> "
    b'"TNFSF11" .\n'
)


def small_release(directory: Path) -> Path:
    """A release of one small file and its manifest, as a build writes it."""
    files = [ExportFile("rankl-kg.nt", TRIPLE, "application/n-triples", "one triple", triples=1)]
    directory.mkdir(parents=True)
    write_files([*files, build_manifest(files)], directory)
    return directory


# --- one version, one date, everywhere ------------------------------------------------------


def test_citation_ontology_and_manifest_carry_the_version_and_date() -> None:
    citation = yaml.safe_load((ROOT_DIR / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert (citation["version"], citation["date-released"]) == (kg.__version__, kg.__release_date__)
    assert {reference["doi"] for reference in citation["references"]} == {
        "10.1042/BSR20160150",
        "10.55522/jhpo.V2I5.0047",
    }
    ontology = Graph().parse(ROOT_DIR / "ontology" / "rankl-kg.ttl", format="turtle")
    ontology_iri = URIRef("https://w3id.org/rankl-kg/ontology")
    assert ontology.value(ontology_iri, OWL.versionIRI) == URIRef(
        f"https://w3id.org/rankl-kg/releases/{kg.__version__}/ontology"
    )
    assert ontology.value(ontology_iri, OWL.versionInfo) == Literal(kg.__version__)
    manifest = json.loads(build_manifest([]).content)
    assert (manifest["version"], manifest["date"]) == (kg.__version__, kg.__release_date__)


# --- the release archive --------------------------------------------------------------------


def test_archive_is_reproducible_and_lists_its_checksums(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    release = small_release(tmp_path / "release")
    first, sums = write_archive(release, tmp_path / "a")
    second, _ = write_archive(release, tmp_path / "b")
    assert first.name == archive_name() == f"rankl-kg-{kg.__version__}.tar.gz"
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[4:8] == b"\0\0\0\0"  # gzip header mtime
    with tarfile.open(first) as tar:
        members = tar.getmembers()
        folder = f"rankl-kg-{kg.__version__}"
        assert [member.name for member in members] == [
            folder,
            *(
                f"{folder}/{name}"
                for name in ("CITATION.cff", SUMS_FILENAME, "manifest.json", "rankl-kg.nt")
            ),
        ]
        assert {
            (member.mtime, member.uid, member.gid, member.uname, member.gname) for member in members
        } == {(source_date_epoch(), 0, 0, "", "")}
        inner = tar.extractfile(f"{folder}/{SUMS_FILENAME}")
        assert inner is not None
        listed = inner.read().decode()
    assert "  rankl-kg.nt\n" in listed and "  CITATION.cff\n" in listed
    assert sums.read_text(encoding="utf-8").endswith(f"  {first.name}\n")


def test_source_date_epoch_overrides_the_release_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    archive, _ = write_archive(small_release(tmp_path / "release"), tmp_path / "out")
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(archive.read_bytes()))) as tar:
        assert {member.mtime for member in tar.getmembers()} == {1700000000}


def test_archive_refuses_a_changed_release(tmp_path: Path) -> None:
    release = small_release(tmp_path / "release")
    (release / "rankl-kg.nt").write_bytes(TRIPLE + TRIPLE)
    result = CliRunner().invoke(
        main, ["archive", "--release", str(release), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "rankl-kg.nt" in result.output
    assert not (tmp_path / "out").exists()


# --- the command line -------------------------------------------------------------------------


def test_version_names_version_and_date() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"rankl-kg {kg.__version__} ({kg.__release_date__})\n"


@pytest.mark.parametrize("option", ["--content", "--content-dir"])
def test_missing_content_is_one_line_and_exit_2(option: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-content"
    result = CliRunner().invoke(
        main, ["build", option, str(missing), "--out", str(tmp_path / "dist")]
    )
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert str(missing) in result.output and "init-content" in result.output
    assert "Traceback" not in result.output


def test_missing_table_names_the_table(content_dir: Path, tmp_path: Path) -> None:
    (content_dir / "genes.csv").unlink()
    result = CliRunner().invoke(
        main, ["build", "--content", str(content_dir), "--dist-dir", str(tmp_path / "dist")]
    )
    assert result.exit_code == 2
    assert f"{content_dir / 'genes.csv'}" in result.output
    assert result.output.count("\n") == 1


def test_unreadable_table_is_one_line_and_exit_2(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreadable = content_dir / "genes.csv"
    real_open = Path.open

    def refusing_open(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == unreadable:  # as chmod 0 would, for a user other than root
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    result = CliRunner().invoke(
        main, ["build", "--content", str(content_dir), "--out", str(tmp_path / "dist")]
    )
    assert result.exit_code == 2
    assert (
        str(unreadable) in result.output and "cannot read it (Permission denied)" in result.output
    )
    assert result.output.count("\n") == 1


def test_init_content_copies_the_tables_and_keeps_a_folder_in_use(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    result = CliRunner().invoke(main, ["init-content", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in target.iterdir()) == sorted(
        path.name for path in CONTENT_DIR.iterdir()
    )
    again = CliRunner().invoke(main, ["init-content", str(target)])
    assert again.exit_code == 2
    assert "not an empty folder" in again.output


def test_build_log_names_asserted_and_inferred_counts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", "--content", str(FIXTURE_CONTENT_DIR), "--out", str(tmp_path / "dist")]
    )
    assert result.exit_code == 0, result.output
    built = Graph().parse(
        tmp_path / "dist" / CURRENT_RELEASE_LINK / "rankl-kg.ttl", format="turtle"
    )
    served = Graph().parse(
        tmp_path / "dist" / CURRENT_RELEASE_LINK / "rankl-kg-inferred.ttl", format="turtle"
    )
    inferred = len(served) - len(built)
    assert inferred > 0
    assert (
        f"{len(built)} asserted triples and {inferred} inferred triples ({len(served)} served) in "
        in result.output
    )


# --- kg.load_graph and kg.load_store ------------------------------------------------------------


def test_load_graph_and_store_return_the_released_graph(fixture_release: BuildResult) -> None:
    graph = kg.load_graph(release_dir=fixture_release.release_dir)
    asserted = kg.load_graph(inferred=False, release_dir=fixture_release.release_dir)
    store = kg.load_store(release_dir=fixture_release.release_dir)
    assert len(asserted) == fixture_release.triples
    assert len(graph) == len(store) == fixture_release.triples + fixture_release.inferred_triples
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    assert int(next(iter(solutions))[0].value) == len(graph)


def test_load_graph_refuses_a_changed_release(fixture_release: BuildResult, tmp_path: Path) -> None:
    from kg.release.verify import ReleaseCheckError

    copy = tmp_path / "release"
    copy.mkdir()
    for path in fixture_release.release_dir.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    with (copy / "rankl-kg-inferred.ttl").open("ab") as handle:
        handle.write(b"# changed after the build\n")
    with pytest.raises(ReleaseCheckError, match=r"rankl-kg-inferred\.ttl"):
        kg.load_graph(release_dir=copy)


def test_load_graph_without_a_release_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="run 'rankl-kg build' first"):
        kg.load_graph(release_dir=tmp_path)


# --- skips fail in CI -----------------------------------------------------------------------------


def test_a_skip_fails_when_ci_is_true(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.ci_skips import pytest_runtest_makereport  # noqa: F401\n", encoding="utf-8"
    )
    (tmp_path / "test_probe.py").write_text(
        "import pytest\n\n\ndef test_skipped() -> None:\n    pytest.skip('input missing')\n",
        encoding="utf-8",
    )
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(tmp_path),
        str(tmp_path),
    ]
    base = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    in_ci = subprocess.run(
        command,
        env={**base, "CI": "true"},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )
    locally = subprocess.run(
        command,
        env={**base, "CI": ""},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )
    assert in_ci.returncode == 1, in_ci.stdout
    assert "skipped in CI" in in_ci.stdout and "input missing" in in_ci.stdout
    assert locally.returncode == 0, locally.stdout
    assert conftest.pytest_runtest_makereport is pytest_runtest_makereport
