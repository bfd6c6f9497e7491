"""No build step and no loaded file reaches the network or reads a file it was not given.

A canary socket on 127.0.0.1 stands in for a remote host: every test that names it asserts that
it accepted zero connections. The whole build also runs in a subprocess under an audit hook
(installed by a ``sitecustomize`` module, so the HermiT and owlrl children carry it too) that
records every socket connect, name lookup and file open.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build.graph import load_ontology
from kg.checks.shapes import validate_graph
from kg.constants import ONTOLOGY_PATH, ROOT_DIR, SHAPES_DIR
from kg.safe_rdf import UnsafeRdfError, load_rdf, read_checked_rdf

LEAK_MARKER = "TOP-SECRET-91c2"


class Canary:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        """Stop listening (once); connections already queued are still counted."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        self.thread.join()
        while True:
            self.socket.setblocking(False)
            try:
                connection, _ = self.socket.accept()
            except BlockingIOError:
                break
            self.connections += 1
            connection.close()
        self.socket.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


def test_the_canary_counts_connections(canary: Canary) -> None:
    with socket.create_connection(("127.0.0.1", canary.socket.getsockname()[1])):
        pass
    canary.close()
    assert canary.connections == 1


def ontology_importing(url: str, directory: Path) -> Path:
    """A copy of the project's ontology with ``owl:imports <url>`` on its ontology node."""
    text = ONTOLOGY_PATH.read_text(encoding="utf-8")
    path = directory / "rankl-kg.ttl"
    path.write_text(
        f"{text}\n<https://w3id.org/rankl-kg/ontology/> "
        f"<http://www.w3.org/2002/07/owl#imports> <{url}/x.owl> .\n",
        encoding="utf-8",
    )
    return path


# --- parsing ----------------------------------------------------------------------------------


def test_remote_jsonld_context_is_refused_without_a_connection(
    tmp_path: Path, canary: Canary
) -> None:
    path = tmp_path / "doc.jsonld"
    path.write_text(
        json.dumps(
            {
                "@context": f"{canary.url}/ctx",
                "@id": "http://example.org/s",
                "http://example.org/p": 1,
            }
        )
    )
    with pytest.raises(UnsafeRdfError, match="JSON-LD context"):
        load_rdf(path)
    with pytest.raises(UnsafeRdfError, match="JSON-LD context"):
        read_checked_rdf(path)
    canary.close()
    assert canary.connections == 0


def test_external_entity_over_http_is_refused_without_a_connection(
    tmp_path: Path, canary: Canary
) -> None:
    path = tmp_path / "xxe.rdf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY x SYSTEM "{canary.url}/e"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n'
    )
    with pytest.raises(UnsafeRdfError, match="line 2"):
        load_rdf(path)
    canary.close()
    assert canary.connections == 0


def test_shacl_with_owl_imports_in_the_shapes_fetches_nothing(
    tmp_path: Path, canary: Canary
) -> None:
    shapes = load_rdf(SHAPES_DIR / "entities.shapes.ttl")
    ontology = load_ontology(ontology_importing(canary.url, tmp_path))
    # put the import back (load_ontology drops it) so pyshacl is the one that must ignore it
    shapes.parse(
        data=f"<https://example.org/shapes> <http://www.w3.org/2002/07/owl#imports> "
        f"<{canary.url}/shapes.ttl> .",
        format="turtle",
    )
    validate_graph(ontology, shapes)
    canary.close()
    assert canary.connections == 0


# --- SPARQL inside the build's process, with no guard in front ----------------------------------


def test_rdflib_never_loads_from_graphs_in_the_build_process(
    tmp_path: Path, canary: Canary
) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text(f'<http://example.org/s> <http://example.org/p> "{LEAK_MARKER}" .\n')
    script = textwrap.dedent("""
        import sys
        import kg.checks.quality, kg.checks.shapes
        import rdflib.plugins.sparql
        from rdflib import Dataset
        print(rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS)
        for iri in sys.argv[1:]:
            query = f"SELECT ?o FROM <{iri}> FROM NAMED <{iri}> WHERE {{ ?s ?p ?o }}"
            for row in Dataset().query(query):
                print(row)
    """)
    command = [sys.executable, "-c", script, secret.as_uri(), f"{canary.url}/g"]
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=ROOT_DIR, timeout=60
    )
    canary.close()
    assert result.stdout.split() == ["False"], result.stdout
    assert canary.connections == 0


# --- the whole build --------------------------------------------------------------------------


@pytest.mark.integration
def test_build_with_an_owl_import_of_the_canary_makes_no_connection(
    content_dir: Path, tmp_path: Path, canary: Canary
) -> None:
    from kg.release.assemble import build_release

    result = build_release(
        content_dir=content_dir,
        dist_dir=tmp_path / "dist",
        ontology_path=ontology_importing(canary.url, tmp_path),
    )
    canary.close()
    assert result.triples > 0
    assert canary.connections == 0


AUDIT_HOOK = '''
"""Installed through PYTHONPATH by test_no_outbound.py: log connects, lookups and opens."""
import json, os, sys

_log = open(os.environ["RANKL_KG_AUDIT_LOG"], "a", encoding="utf-8")

def _record(event, args):
    if event in ("socket.connect", "socket.getaddrinfo"):
        _log.write(json.dumps([event, repr(args)]) + "\\n")
        _log.flush()
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _log.write(json.dumps([event, os.path.abspath(os.fsdecode(args[0]))]) + "\\n")
        _log.flush()

sys.addaudithook(_record)
'''


def allowed_prefixes(content_dir: Path, work_dir: Path) -> tuple[str, ...]:
    """Where the build may read: its inputs, its output, temporary files, Python and packages."""
    directories = {
        content_dir,
        work_dir,
        ROOT_DIR / "kg",
        ROOT_DIR / "ontology",
        SHAPES_DIR,
        Path(tempfile.gettempdir()),
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sysconfig.get_paths()["purelib"]),
        Path(sysconfig.get_paths()["stdlib"]),
    }
    # the JVM HermiT runs in, and the few device and process files subprocesses use
    java = shutil.which("java")
    if java:
        directories.add(Path(java).resolve().parent.parent)
    # the project's own distribution metadata (entry points are read at import)
    directories.update(ROOT_DIR.glob("*.egg-info"))
    files = (
        str(Path(tempfile.gettempdir()).resolve()),
        "/dev/null",
        "/proc/self/",
        "/etc/localtime",
    )
    return (*(f"{directory.resolve()}{os.sep}" for directory in directories), *files)


def audited_build(content_dir: Path, work_dir: Path, ontology_path: Path) -> list[list[str]]:
    """Run the build in a subprocess under the audit hook; return the recorded events."""
    hook_dir = work_dir / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    log = work_dir / "audit.log"
    script = (
        "from pathlib import Path; from kg.release.assemble import build_release; "
        f"build_release(content_dir=Path({str(content_dir)!r}), "
        f"dist_dir=Path({str(work_dir / 'dist')!r}), "
        f"ontology_path=Path({str(ontology_path)!r}))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook_dir), str(ROOT_DIR)]),
        "RANKL_KG_AUDIT_LOG": str(log),
    }
    subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=work_dir, check=True, capture_output=True
    )
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.integration
def test_the_build_connects_nowhere_and_reads_only_its_inputs(
    content_dir: Path, tmp_path: Path, canary: Canary
) -> None:
    work_dir = tmp_path / "work"
    work_dir.mkdir()
    events = audited_build(content_dir, work_dir, ontology_importing(canary.url, tmp_path))
    canary.close()
    network = [event for event in events if event[0] != "open"]
    allowed = (*allowed_prefixes(content_dir, work_dir), str(tmp_path.resolve() / "rankl-kg.ttl"))
    unexpected = sorted(
        {path for event, path in events if event == "open" and not path.startswith(allowed)}
    )
    assert any(event == "open" for event, _ in events), "the audit hook recorded nothing"
    assert network == [], network
    assert unexpected == [], "files read outside the allow-list:\n" + "\n".join(unexpected)
    assert canary.connections == 0
