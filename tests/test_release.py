"""The build's outputs: conforming, parseable, deterministic, published as a checked release."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from kg.constants import CURRENT_RELEASE_LINK, RELEASES_DIRNAME
from kg.errors import InvalidContentError, ShapeViolationError
from kg.exports import ExportFile
from kg.exports.jsonld import CONTEXT_FILENAME, CONTEXT_IRI
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.exports.manifest import build_manifest
from kg.release.assemble import BuildResult, build_release
from kg.release.gates import SmokeQuery, check_smoke_count, parse_gate
from kg.release.publish import (
    KEEP_RELEASES,
    STAGING_PREFIX,
    current_release,
    prune_releases,
    remove_leftovers,
    swap_current,
    write_files,
)
from kg.release.verify import ReleaseCheckError, verify_release

TRIPLE = (
    b"<https://w3id.org/rankl-kg/gene/TNFSF11> "
    b'<http://www.w3.org/2000/01/rdf-schema#label> "TNFSF11" .\n'
)


def snapshot(dist: Path) -> dict[str, bytes]:
    """Every file under ``dist``, and where ``dist/current`` points."""
    files = {
        str(p.relative_to(dist)): p.read_bytes()
        for p in sorted(dist.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
    link = dist / CURRENT_RELEASE_LINK
    return {**files, "current ->": os.readlink(link).encode() if link.is_symlink() else b""}


def written_release(directory: Path, files: list[ExportFile]) -> Path:
    """Write ``files`` and their manifest into ``directory``, as a build writes a release."""
    directory.mkdir(parents=True)
    write_files([*files, build_manifest(files)], directory)
    return directory


def test_builds_are_byte_identical(
    content_dir: Path, tmp_path: Path, fixture_release: BuildResult
) -> None:
    """A second build, of a copy of the content in another folder, gives the same bytes."""
    build_release(content_dir, tmp_path / "dist")
    assert snapshot(tmp_path / "dist") == snapshot(dist_of(fixture_release))


def dist_of(result: BuildResult) -> Path:
    """The dist/ folder a build published into."""
    return result.release_dir.parent.parent


@pytest.fixture
def good_dist(fixture_release: BuildResult, tmp_path: Path) -> Path:
    """A private copy of a dist/ holding the fixture content's release (the link is relative)."""
    dist = tmp_path / "dist"
    shutil.copytree(dist_of(fixture_release), dist, symlinks=True)
    return dist


def test_rebuilding_the_same_content_keeps_the_same_release(
    content_dir: Path, good_dist: Path
) -> None:
    before = snapshot(good_dist)
    result = build_release(content_dir, good_dist)
    assert result.release_dir.name == os.readlink(good_dist / CURRENT_RELEASE_LINK).split("/")[-1]
    assert snapshot(good_dist) == before


def test_content_error_leaves_dist_untouched(content_dir: Path, good_dist: Path) -> None:
    before = snapshot(good_dist)
    trials = content_dir / "trials.yaml"
    records = yaml.safe_load(trials.read_text(encoding="utf-8"))
    records[0]["enrollment"] = "many"
    trials.write_text(yaml.safe_dump(records), encoding="utf-8")
    with pytest.raises(InvalidContentError):
        build_release(content_dir, good_dist)
    assert snapshot(good_dist) == before


def test_shape_violation_leaves_dist_untouched(
    content_dir: Path, good_dist: Path, tmp_path: Path
) -> None:
    before = snapshot(good_dist)
    shapes_violating_ontology = tmp_path / "ontology.ttl"
    # an ontology without the phase individuals' labels still parses, but the trial shape's
    # closed list is violated once PhaseIII is renamed in the ontology-free data: simulate by
    # giving the build an ontology in which rko:Drug is not a class of the denosumab row
    shapes_violating_ontology.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/rankl-kg/ontology> a owl:Ontology .\n",
        encoding="utf-8",
    )
    with pytest.raises(ShapeViolationError) as caught:
        build_release(content_dir, good_dist, ontology_path=shapes_violating_ontology)
    assert caught.value.violations > 0
    assert snapshot(good_dist) == before


def test_prune_keeps_the_newest_releases_and_the_current_one(tmp_path: Path) -> None:
    releases = tmp_path / RELEASES_DIRNAME
    names = [f"release{number}" for number in range(KEEP_RELEASES + 3)]
    for age, name in enumerate(names):
        (releases / name).mkdir(parents=True)
        os.utime(releases / name, (1_000_000 - age, 1_000_000 - age))
    swap_current(tmp_path, releases / names[-1])
    os.utime(releases / names[-1], (1, 1))
    prune_releases(tmp_path)
    assert sorted(path.name for path in releases.iterdir()) == sorted(
        [*names[:KEEP_RELEASES], names[-1]]
    )
    assert current_release(tmp_path) == (releases / names[-1]).resolve()


def test_swap_replaces_the_link_and_leaves_no_temporary_link(tmp_path: Path) -> None:
    for name in ("old", "new"):
        (tmp_path / RELEASES_DIRNAME / name).mkdir(parents=True)
        swap_current(tmp_path, tmp_path / RELEASES_DIRNAME / name)
    assert os.readlink(tmp_path / CURRENT_RELEASE_LINK) == f"{RELEASES_DIRNAME}/new"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        CURRENT_RELEASE_LINK,
        RELEASES_DIRNAME,
    ]


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    kept = tmp_path / RELEASES_DIRNAME / "abc"
    kept.mkdir(parents=True)
    (tmp_path / RELEASES_DIRNAME / f"{STAGING_PREFIX}x1").mkdir()
    (tmp_path / ".current-123").symlink_to(kept)
    remove_leftovers(tmp_path)
    assert [path.name for path in (tmp_path / RELEASES_DIRNAME).iterdir()] == ["abc"]
    assert not (tmp_path / ".current-123").is_symlink()


def test_verify_names_a_changed_file(tmp_path: Path) -> None:
    release = written_release(
        tmp_path / "r",
        [ExportFile("a.nt", TRIPLE, "application/n-triples", "one triple", triples=1)],
    )
    (release / "a.nt").write_bytes(TRIPLE.replace(b"TNFSF11", b"TNFSF12"))
    with pytest.raises(ReleaseCheckError, match=r"a\.nt: SHA-256 .* changed after the build"):
        verify_release(release)


def test_verify_names_a_missing_file_and_a_missing_manifest(tmp_path: Path) -> None:
    release = written_release(
        tmp_path / "r",
        [ExportFile("a.nt", TRIPLE, "application/n-triples", "one triple", triples=1)],
    )
    (release / "a.nt").unlink()
    with pytest.raises(ReleaseCheckError, match=r"a\.nt: listed in manifest\.json but missing"):
        verify_release(release)
    (release / MANIFEST_FILENAME).unlink()
    with pytest.raises(ReleaseCheckError, match=r"manifest\.json: missing"):
        verify_release(release)


def test_verify_refuses_a_manifest_naming_a_file_outside_the_release(tmp_path: Path) -> None:
    release = tmp_path / "r"
    release.mkdir()
    entry = {"name": "../secret", "bytes": 1, "sha256": "0" * 64}
    (release / MANIFEST_FILENAME).write_text(json.dumps({"files": [entry]}), encoding="utf-8")
    with pytest.raises(ReleaseCheckError, match="outside the release"):
        verify_release(release)


def test_parse_gate_names_the_unparsable_file(tmp_path: Path) -> None:
    files = [
        ExportFile("good.ttl", TRIPLE, "text/turtle", "parses", triples=1),
        ExportFile("bad.ttl", TRIPLE + b"<broken", "text/turtle", "does not", triples=1),
    ]
    release = written_release(tmp_path / "r", files)
    with pytest.raises(
        ReleaseCheckError, match=r"parse check failed for .*bad\.ttl: does not parse"
    ):
        parse_gate(release, verify_release(release))


def test_parse_gate_compares_the_triples_with_the_manifest(tmp_path: Path) -> None:
    release = written_release(
        tmp_path / "r",
        [ExportFile("a.nt", TRIPLE, "application/n-triples", "one triple", triples=2)],
    )
    with pytest.raises(ReleaseCheckError, match=r"parsed 1 triples, manifest\.json says 2"):
        parse_gate(release, verify_release(release))


def test_parse_gate_reads_json_ld_with_its_context_inline(tmp_path: Path) -> None:
    context = {
        "gene": "https://w3id.org/rankl-kg/gene/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    }
    document = {"@context": context, "@id": "gene:TNFSF11", "rdfs:label": "TNFSF11"}
    release = written_release(
        tmp_path / "r",
        [
            ExportFile(
                "g.jsonld", json.dumps(document).encode(), "application/ld+json", "graph", triples=1
            )
        ],
    )
    parse_gate(release, verify_release(release))


def test_parse_gate_refuses_json_ld_whose_context_must_be_fetched(tmp_path: Path) -> None:
    """A context by IRI fails even when the release holds a copy: readers would go to the
    network."""
    document = {"@context": CONTEXT_IRI, "@id": "gene:TNFSF11", "rdfs:label": "TNFSF11"}
    context = {
        "@context": {
            "gene": "https://w3id.org/rankl-kg/gene/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        }
    }
    files = [
        ExportFile(
            "g.jsonld", json.dumps(document).encode(), "application/ld+json", "graph", triples=1
        ),
        ExportFile(
            CONTEXT_FILENAME, json.dumps(context).encode(), "application/ld+json", "context"
        ),
    ]
    release = written_release(tmp_path / "r", files)
    with pytest.raises(
        ReleaseCheckError, match=r"parse check failed for .*g\.jsonld: does not parse"
    ):
        parse_gate(release, verify_release(release))


@pytest.mark.parametrize(
    ("written", "built", "message"),
    [
        (3, 4, "3 trials, the graph built in memory has 4"),
        (0, 0, "0 trials, expected at least 1"),
        (2, None, "2 trials, expected between 1 and 1"),
    ],
)
def test_smoke_counts_must_match_the_built_graph_and_the_bounds(
    written: int, built: int | None, message: str
) -> None:
    query = SmokeQuery("trials", "?x a ?y .", minimum=1, maximum=None if built is not None else 1)
    with pytest.raises(ReleaseCheckError, match=message):
        check_smoke_count(Path("rankl-kg.ttl"), query, written, built)
