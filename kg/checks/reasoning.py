"""Reasoning: a DL consistency check with HermiT and an OWL RL materialisation of useful inferences.

**Consistency.** HermiT (through owlready2, in a fresh ``World``) reads the ontology plus the
instance data's types and object-property assertions, written as N-Triples to a temporary file.
The reified ``rdf:Statement`` vocabulary (``rdf:subject``, ``rdf:predicate``, ``rdf:object``) is
left out: it is reserved RDF vocabulary, not OWL, and would make the input OWL Full. Literals are
left out too (SHACL checks them), and so are the evidence nodes and quantities, except for the
typed context qualifiers of evidence nodes (see :func:`instance_triples`). HermiT runs in a
child process with a time limit, so a hung Java never hangs the build; ``owl:imports`` are left
out of its input, because owlready2 would fetch them. On inconsistency the offending entities
are found by looking, in the materialised graph, for entities typed with two disjoint classes.

**Materialisation.** owlrl computes the OWL 2 RL closure of the schema axioms and the same
instance triples. Only the inferences a query needs are kept: ``rdf:type`` to named classes of
the ontology (so asking for every ``rko:Cancer`` returns the carcinomas and sarcomas), and
object-property triples between entities obtained from ``owl:inverseOf``, transitive properties
(the closure of ``rko:subtypeOf``) and ``rdfs:subPropertyOf``, and ``rko:inContext`` on the
evidence nodes from their typed qualifiers (``rko:inDisease``...), so a query for any context
still finds them. Everything else owlrl derives (``owl:sameAs`` reflexivity, types such
as ``owl:Thing``, inferences about the schema itself) is dropped, so the export stays small and
byte-identical between builds. owlrl cannot be interrupted either, so it too runs in a child
process under the same deadline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import owlrl
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.checks.links import entity_kind
from kg.checks.quality import Finding, run_qc_queries
from kg.checks.quality import qc_queries as all_qc_queries
from kg.errors import KGError
from kg.namespaces import RKO
from kg.safe_rdf import without_owl_imports
from kg.vocabulary import new_graph

#: Name of the export holding the merged graph and the materialised inferences
INFERRED_FILENAME = "rankl-kg-inferred.ttl"
#: Seconds HermiT, and separately owlrl, may take before the build gives up on them
REASONER_TIMEOUT_SECONDS = 120
#: Schema axioms the materialisation reasons with
SCHEMA_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.inverseOf,
        OWL.equivalentClass,
        OWL.equivalentProperty,
    }
)
SCHEMA_TYPES = frozenset({OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.ObjectProperty})
#: Kinds of node the reasoners do not see (evidence nodes and quantities), and non-IRIs
UNREASONED_KINDS = frozenset({"assertion", "quantity", None})
#: Classes too general to be worth a materialised type
UNINFORMATIVE_TYPES = frozenset({OWL.Thing, OWL.NamedIndividual, RDFS.Resource, OWL.Nothing})


class InconsistentOntologyError(KGError):
    """The reasoner found the ontology and data inconsistent, or a class unsatisfiable."""

    def __init__(self, message: str, clashes: list[Finding]) -> None:
        self.clashes = clashes
        lines = "\n".join(f"  - {clash.subject} is typed {clash.value}" for clash in clashes)
        super().__init__(f"{message}\n{lines}" if lines else message)


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT says about the ontology and data."""

    consistent: bool
    unsatisfiable: tuple[str, ...]


def object_properties(ontology: Graph) -> set[URIRef]:
    """Return the object properties the ontology declares."""
    return {
        prop for prop in ontology.subjects(RDF.type, OWL.ObjectProperty) if isinstance(prop, URIRef)
    }


def context_qualifiers(ontology: Graph) -> set[URIRef]:
    """Return ``rko:inContext`` and its sub-properties, the typed qualifiers of evidence nodes."""
    return {
        prop
        for prop in ontology.transitive_subjects(RDFS.subPropertyOf, RKO.inContext)
        if isinstance(prop, URIRef)
    }


def instance_triples(ontology: Graph, data: Graph) -> Graph:
    """Return the entities' class assertions and the object-property assertions between them,
    and the typed context qualifiers of the evidence nodes.

    Evidence nodes and quantities are otherwise left out: SHACL already checks their shape, and
    reasoning over a thousand of them would triple HermiT's time without a useful inference. Their
    qualifiers are kept so that ``rko:inContext`` is inferred from them, and so that HermiT sees
    a qualifier naming an entity of the wrong kind (``rko:inDisease cell:osteoblast``).
    """
    properties = object_properties(ontology)
    qualifiers = context_qualifiers(ontology)
    graph = new_graph()
    for subject, predicate, obj in data:
        if not isinstance(obj, URIRef):
            continue
        subject_kind = entity_kind(subject)
        if subject_kind in UNREASONED_KINDS:
            if (
                subject_kind == "assertion"
                and predicate in qualifiers
                and entity_kind(obj) not in UNREASONED_KINDS
            ):
                graph.add((subject, predicate, obj))
            continue
        if predicate == RDF.type or (
            predicate in properties and entity_kind(obj) not in UNREASONED_KINDS
        ):
            graph.add((subject, predicate, obj))
    return graph


def start_child(task: str, *paths: Path) -> subprocess.Popen[str]:
    """Run ``python -m kg.checks.reasoning <task> <paths>`` in its own process group.

    The group lets :func:`child_output` kill the child and everything it started (HermiT's JVM)
    at the deadline.
    """
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
        [sys.executable, "-m", "kg.checks.reasoning", task, *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def child_output(process: subprocess.Popen[str], what: str, timeout: float) -> str:
    """Wait for a child of :func:`start_child` and return what it printed.

    :raises KGError: the child failed, or ran out of time (it is killed with its process group)
    """
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise KGError(f"{what} did not finish within {timeout:.0f} s") from None
    if process.returncode != 0:
        raise KGError(f"{what} failed (exit {process.returncode})\n{stderr.strip()}")
    return stdout


def start_hermit(ontology: Graph, data: Graph, workdir: Path) -> subprocess.Popen[str]:
    """Start HermiT on ontology and data in a child process; :func:`hermit_result` collects it."""
    path = workdir / "dl-input.nt"
    dl_input(ontology, data).serialize(path, format="nt", encoding="utf-8")
    return start_child("hermit", path)


def hermit_result(
    process: subprocess.Popen[str], timeout: float = REASONER_TIMEOUT_SECONDS
) -> ReasonerResult:
    """Wait for HermiT and return its verdict.

    :raises KGError: HermiT failed (is Java installed? scripts/install-system-deps.sh), printed
        nothing usable, or ran out of time
    """
    verdict = json.loads(child_output(process, "HermiT", timeout))
    return ReasonerResult(
        consistent=verdict["consistent"], unsatisfiable=tuple(verdict["unsatisfiable"])
    )


def run_hermit(
    ontology: Graph, data: Graph, timeout: float = REASONER_TIMEOUT_SECONDS
) -> ReasonerResult:
    """Run HermiT on the ontology and data and return its verdict."""
    with tempfile.TemporaryDirectory(prefix="rankl-kg-hermit-") as workdir:
        return hermit_result(start_hermit(ontology, data, Path(workdir)), timeout)


def start_materialise(ontology: Graph, data: Graph, workdir: Path) -> subprocess.Popen[str]:
    """Start :func:`materialise` in a child process (owlrl cannot be interrupted in-process)."""
    paths = (workdir / "ontology.nt", workdir / "data.nt")
    for graph, path in zip((ontology, data), paths, strict=True):
        graph.serialize(path, format="nt", encoding="utf-8")
    return start_child("owlrl", *paths)


def materialise_result(
    process: subprocess.Popen[str], timeout: float = REASONER_TIMEOUT_SECONDS
) -> Graph:
    """Wait for the materialisation and return the inferences.

    :raises KGError: owlrl failed or ran out of time
    """
    inferred = new_graph()
    inferred.parse(data=child_output(process, "The OWL RL materialisation", timeout), format="nt")
    return inferred


def dl_input(ontology: Graph, data: Graph) -> Graph:
    """Return what HermiT reads: the ontology without owl:imports (owlready2 would fetch them)
    and the data's instance triples."""
    graph = new_graph()
    for triple in without_owl_imports(ontology):
        graph.add(triple)
    for triple in instance_triples(ontology, data):
        graph.add(triple)
    return graph


def materialise(ontology: Graph, data: Graph) -> Graph:
    """Return the useful OWL RL inferences of the ontology and data (not the asserted triples)."""
    closure = new_graph()
    for subject, predicate, obj in ontology:
        if (predicate in SCHEMA_PREDICATES and isinstance(obj, URIRef)) or (
            predicate == RDF.type and obj in SCHEMA_TYPES
        ):
            closure.add((subject, predicate, obj))
    instances = instance_triples(ontology, data)
    for triple in instances:
        closure.add(triple)
    asserted = len(closure)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closure)
    if len(closure) == asserted:
        return new_graph()
    classes = {term for term in ontology.subjects(RDF.type, OWL.Class) if isinstance(term, URIRef)}
    properties = object_properties(ontology)
    inferred = new_graph()
    for subject, predicate, obj in closure:
        if (
            entity_kind(subject) is None
            or (subject, predicate, obj) in data
            or (subject, predicate, obj) in instances
        ):
            continue
        useful_type = (
            predicate == RDF.type
            and obj in classes
            and obj not in UNINFORMATIVE_TYPES
            and entity_kind(subject) not in UNREASONED_KINDS
        )
        entity_relation = predicate in properties and entity_kind(obj) is not None
        if useful_type or entity_relation:
            inferred.add((subject, predicate, obj))
    return inferred


def disjoint_type_clashes(graph: Graph) -> list[Finding]:
    """Return the entities of ``graph`` typed with two disjoint classes."""
    query = next(query for query in all_qc_queries() if query.rule == "disjoint_types")
    return run_qc_queries(graph, [query])


def reason(ontology: Graph, data: Graph) -> Graph:
    """Check consistency with HermiT and return the materialised inferences.

    :raises InconsistentOntologyError: the data contradicts the ontology, or a class is
        unsatisfiable
    :raises KGError: a reasoner failed or ran out of time
    """
    with reasoning_started(ontology, data) as reasoning:
        return reasoning.result()


class Reasoning:
    """HermiT and owlrl running in two child processes at once, each killed at the deadline."""

    def __init__(self, ontology: Graph, data: Graph, workdir: Path) -> None:
        self.ontology, self.data = ontology, data
        self.hermit = start_hermit(ontology, data, workdir)
        try:
            self.owlrl = start_materialise(ontology, data, workdir)
        except BaseException:
            os.killpg(self.hermit.pid, signal.SIGKILL)
            self.hermit.communicate()
            raise

    def result(self) -> Graph:
        """Wait for both children; return the inferences.

        :raises InconsistentOntologyError, KGError: as :func:`reason`
        """
        inferred = materialise_result(self.owlrl)
        verdict = hermit_result(self.hermit)
        if not verdict.consistent:
            everything = new_graph()
            for graph in (self.ontology, self.data, inferred):
                for triple in graph:
                    everything.add(triple)
            raise InconsistentOntologyError(
                "HermiT: the ontology and the data are inconsistent.",
                disjoint_type_clashes(everything),
            )
        if verdict.unsatisfiable:
            raise InconsistentOntologyError(
                f"HermiT: unsatisfiable classes: {', '.join(verdict.unsatisfiable)}", []
            )
        return inferred

    def stop(self) -> None:
        """Kill whichever child still runs (the build failed before it needed the result)."""
        for process in (self.hermit, self.owlrl):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()


@contextmanager
def reasoning_started(ontology: Graph, data: Graph) -> Iterator[Reasoning]:
    """Start the reasoners now and collect them with ``.result()`` later: the build validates the
    graph meanwhile (the reasoners read only the ontology and the data, which validation does
    not change). On leaving, children still running are killed and their files removed."""
    with tempfile.TemporaryDirectory(prefix="rankl-kg-reasoning-") as workdir:
        reasoning = Reasoning(ontology, data, Path(workdir))
        try:
            yield reasoning
        finally:
            reasoning.stop()


def hermit_verdict(path: Path) -> dict[str, object]:
    """Load an N-Triples file into a fresh owlready2 World and classify it with HermiT.

    Runs in the child process only, so the build itself never imports owlready2.
    """
    import owlready2

    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples", only_local=True)
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return {"consistent": False, "unsatisfiable": []}
    unsatisfiable = sorted(
        cls.iri for cls in world.inconsistent_classes() if cls.iri != str(OWL.Nothing)
    )
    return {"consistent": True, "unsatisfiable": unsatisfiable}


def materialise_files(ontology_path: Path, data_path: Path) -> str:
    """Return the inferences of two N-Triples files as N-Triples (the owlrl child's work)."""
    ontology, data = Graph(), Graph()
    ontology.parse(ontology_path, format="nt")
    data.parse(data_path, format="nt")
    return materialise(ontology, data).serialize(format="nt")


if __name__ == "__main__":
    if sys.argv[1] == "hermit":
        json.dump(hermit_verdict(Path(sys.argv[2])), sys.stdout)
    else:
        sys.stdout.write(materialise_files(Path(sys.argv[2]), Path(sys.argv[3])))
