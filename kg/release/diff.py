"""Release diffs: the IRIs replaced and the curated assertions added, removed or changed between
two builds.

An IRI the new build deprecates (``owl:deprecated true``, ``dcterms:isReplacedBy`` its new IRI)
is *replaced*: one line ``replaced <old> dcterms:isReplacedBy <new>``. The old build's assertions
are read with the new IRIs in place of the replaced ones, so an assertion that only changed IRI is
not also listed as removed and added.

An assertion is identified by its triple (subject, relation, object); its evidence is the set of
(review, section, cited references, quote, evidence type, polarity) of its ``rdf:Statement``
nodes. A triple present in both builds whose evidence differs is *changed*, and the changelog
lists the evidence that went and the evidence that came.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import DCTERMS, OWL, Graph, Literal, URIRef
from rdflib.term import Node

from kg.build.provenance_reader import StatementEvidence, read_evidence
from kg.constants import GRAPH_FILENAME
from kg.exports import ExportFile
from kg.exports._curies import curie
from kg.exports._tabular import to_tsv
from kg.release.publish import current_release

CHANGELOG_FILENAME = "CHANGELOG.tsv"
CHANGELOG_COLUMNS = (
    "change",
    "subject",
    "predicate",
    "object",
    "evidence_removed",
    "evidence_added",
)
#: Separator of several pieces of evidence in one changelog cell
EVIDENCE_SEPARATOR = " || "


@dataclass(frozen=True, order=True)
class EvidenceSummary:
    """What one review says for one assertion, as the changelog compares and prints it."""

    source: str
    section: str
    references: tuple[int, ...]
    quote: str
    evidence_type: str
    polarity: str

    def __str__(self) -> str:
        """Render as ``source; section; refs 1, 2; type; polarity; "quote"``."""
        refs = ", ".join(str(number) for number in self.references) or "none"
        return (
            f"{self.source}; {self.section}; refs {refs}; {self.evidence_type}; "
            f'{self.polarity}; "{self.quote}"'
        )


@dataclass(frozen=True, order=True)
class Change:
    """One line of the changelog."""

    subject: str
    predicate: str
    object: str
    change: str
    evidence_removed: tuple[EvidenceSummary, ...] = ()
    evidence_added: tuple[EvidenceSummary, ...] = ()


Triple = tuple[str, str, str]


def load_release(path: Path) -> Graph:
    """Parse a build: a Turtle file, a release folder holding ``rankl-kg.ttl``, or a ``dist/``
    folder (its current release).

    :raises FileNotFoundError: naming the file that is missing
    """
    graph_file = (current_release(path) or path) / GRAPH_FILENAME if path.is_dir() else path
    if not graph_file.is_file():
        raise FileNotFoundError(
            f"{graph_file}: no such build (expected a Turtle file, a release folder holding "
            f"{GRAPH_FILENAME}, or a dist/ folder with a current release)"
        )
    return Graph().parse(graph_file, format="turtle")


def curated_assertions(graph: Graph) -> dict[Triple, frozenset[EvidenceSummary]]:
    """Return every curated triple of ``graph`` with the evidence recorded for it.

    :raises ValueError: an assertion lacks its subject, predicate or object
    """
    found: dict[Triple, set[EvidenceSummary]] = defaultdict(set)
    for evidence in read_evidence(graph):
        triple = (
            term_text(evidence.subject),
            term_text(evidence.predicate),
            term_text(evidence.object),
        )
        found[triple].add(summarise(evidence))
    return {triple: frozenset(evidence) for triple, evidence in found.items()}


def summarise(evidence: StatementEvidence) -> EvidenceSummary:
    """Return the changelog's summary of the evidence of one statement."""
    return EvidenceSummary(
        source=", ".join(sorted(curie(source) for source in evidence.sources)),
        section=" | ".join(evidence.sections),
        references=tuple(
            sorted(ref.number for ref in evidence.references if ref.number is not None)
        ),
        quote=" | ".join(evidence.quotes),
        evidence_type=", ".join(sorted(curie(kind) for kind in evidence.evidence_types)),
        polarity=", ".join(sorted(curie(polarity) for polarity in evidence.polarities)),
    )


def term_text(term: Node | None) -> str:
    """Render a term readably: IRIs as CURIEs, literals as their value with their datatype."""
    if isinstance(term, URIRef):
        return curie(term)
    if isinstance(term, Literal) and term.datatype is not None:
        return f"{term}^^{curie(term.datatype)}"
    if isinstance(term, Literal) and term.language:
        return f"{term}@{term.language}"
    return str(term)


def replaced_iris(graph: Graph) -> dict[str, str]:
    """Return each deprecated IRI of ``graph`` with its replacement, both as changelog text."""
    return {
        term_text(old): term_text(new)
        for old in graph.subjects(OWL.deprecated, Literal(True))
        for new in graph.objects(old, DCTERMS.isReplacedBy)
    }


def renamed(
    assertions: dict[Triple, frozenset[EvidenceSummary]], replacements: dict[str, str]
) -> dict[Triple, frozenset[EvidenceSummary]]:
    """Return ``assertions`` with every replaced IRI of their triples written as its new IRI."""
    found: dict[Triple, set[EvidenceSummary]] = defaultdict(set)
    for triple, evidence in assertions.items():
        subject, predicate, obj = (replacements.get(term, term) for term in triple)
        found[(subject, predicate, obj)] |= evidence
    return {triple: frozenset(evidence) for triple, evidence in found.items()}


def diff_graphs(old: Graph, new: Graph) -> list[Change]:
    """Return the IRIs replaced and the assertions added, removed or changed from ``old`` to
    ``new``, sorted."""
    replacements = replaced_iris(new)
    known = replaced_iris(old)
    changes = [
        Change(old_iri, term_text(DCTERMS.isReplacedBy), new_iri, "replaced")
        for old_iri, new_iri in replacements.items()
        if known.get(old_iri) != new_iri
    ]
    before, after = renamed(curated_assertions(old), replacements), curated_assertions(new)
    changes += [
        Change(*triple, "added", (), tuple(sorted(after[triple])))
        for triple in after.keys() - before.keys()
    ]
    changes += [
        Change(*triple, "removed", tuple(sorted(before[triple])), ())
        for triple in before.keys() - after.keys()
    ]
    for triple in before.keys() & after.keys():
        if before[triple] != after[triple]:
            removed, added = (
                sorted(before[triple] - after[triple]),
                sorted(after[triple] - before[triple]),
            )
            changes.append(Change(*triple, "changed", tuple(removed), tuple(added)))
    return sorted(changes)


def changelog_tsv(changes: list[Change]) -> bytes:
    """Write ``changes`` as a tab-separated changelog with a header line."""
    return to_tsv(CHANGELOG_COLUMNS, (change_row(change) for change in changes))


def change_row(change: Change) -> tuple[str, ...]:
    """Return the changelog cells of one change."""
    removed = EVIDENCE_SEPARATOR.join(str(evidence) for evidence in change.evidence_removed)
    added = EVIDENCE_SEPARATOR.join(str(evidence) for evidence in change.evidence_added)
    return (change.change, change.subject, change.predicate, change.object, removed, added)


def summary(changes: list[Change]) -> str:
    """Return ``N added, N removed, N changed, N replaced`` (replaced: IRIs)."""
    counts = {
        kind: sum(change.change == kind for change in changes)
        for kind in ("added", "removed", "changed", "replaced")
    }
    return ", ".join(f"{count} {kind}" for kind, count in counts.items())


def release_changelog(new: Graph, dist_dir: Path) -> ExportFile:
    """Return the changelog of ``new`` against the current release of ``dist_dir`` (or all added).

    Rebuilding unchanged content keeps the changelog of the release that introduced the
    changes, so building twice gives the same files: when the assertions are the same as the
    previous release's, its changelog is carried over.
    """
    previous_release = current_release(dist_dir)
    if previous_release is None:
        return changelog_file(changelog_tsv(diff_graphs(Graph(), new)))
    changes = diff_graphs(load_release(previous_release), new)
    previous_log = previous_release / CHANGELOG_FILENAME
    return changelog_file(
        previous_log.read_bytes()
        if not changes and previous_log.is_file()
        else changelog_tsv(changes)
    )


def changelog_file(content: bytes) -> ExportFile:
    """Return the changelog export holding ``content``."""
    description = "the curated assertions added, removed or changed since the previous release"
    return ExportFile(
        CHANGELOG_FILENAME,
        content,
        "text/tab-separated-values",
        description,
        rows=content.count(b"\n") - 1,
    )
