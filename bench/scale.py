"""Grow the built graph synthetically (x10, x100, x1000) while keeping its shape.

Copy 0 is the real graph, byte for byte in N-Triples, so every competency query keeps its real
answers at every scale. Copies 1..n-1 repeat every triple whose subject is an entity IRI
(``https://w3id.org/rankl-kg/{kind}/...``) with:

- new local ids (``TNFSF11`` -> ``TNFSF11-x7``; trials get a fresh ``NCT`` number, assertions a
  fresh 16-hex id), and literals equal to the old id (``rko:nctId``, ``rko:symbol``) follow;
- every other string literal (labels, synonyms, quotes, titles) suffixed with a pseudo-word, so
  label scans see as many distinct strings as a real graph would;
- integers (quote offsets, enrollment, reference numbers) shifted by one per-subject amount, so
  ``quoteEnd - quoteStart`` stays the quote's length;
- about 10 % of the shared-vocabulary entities (genes, proteins, cells, anatomy, diseases, drugs,
  processes) of each copy merged into the real entity: their links go there and their own
  labels are dropped; the nodes minted below an entity (its recommendations, regimens) never
  merge, so the real entity gains whole parts, each with its own values. Hubs such as
  denosumab therefore gain trials and evidence as the
  graph grows, as they would in a larger corpus, while the reified assertions stay consistent
  with their direct triples.

Ontology triples (subjects outside the entity namespaces) are written once. Every random choice
is a hash of (seed, copy, term), so the same seed gives byte-identical output.

    .venv/bin/python -m bench.scale dist/rankl-kg.ttl --factor 100 -o bench/data/kg_x100.nt.gz
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import click
import pyoxigraph as ox

from kg.vocabulary import ENTITY_KINDS, PREFIXES

#: The entity IRIs' common start, ``https://w3id.org/rankl-kg/``
BASE_IRI = PREFIXES["gene"].removesuffix("gene/")

#: Kinds whose entities may be shared between copies (the rest are always new nodes)
MERGEABLE_KINDS = frozenset({"gene", "protein", "cell", "anatomy", "disease", "drug", "process"})
#: Share of mergeable entities of a copy that are merged into another copy, in per mille
MERGE_PER_MILLE = 100
#: String-valued predicates whose literals are copied unchanged (hashes, section names)
VERBATIM_PREDICATES = frozenset(
    {
        "https://w3id.org/rankl-kg/ontology/sourceTextSha256",
        "https://w3id.org/rankl-kg/ontology/section",
    }
)
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = frozenset(
    f"{XSD}{name}"
    for name in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long", "gYear")
)
STRING_TYPES = frozenset({f"{XSD}string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "gu", "be", "fi")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class ScaleError(ValueError):
    """The input graph or a scale option cannot be used."""


@dataclass(frozen=True)
class EntityRef:
    """An entity IRI split into its kind and local id (``gene``, ``TNFSF11``)."""

    kind: str
    local_id: str


def entity_ref(term: Term) -> EntityRef | None:
    """Return the kind and local id of an entity IRI, ``None`` for any other term."""
    if not isinstance(term, ox.NamedNode) or not term.value.startswith(BASE_IRI):
        return None
    kind, _, local_id = term.value[len(BASE_IRI) :].partition("/")
    if kind not in ENTITY_KINDS or not local_id:
        return None
    return EntityRef(kind, local_id)


def stable_int(seed: int, *parts: str | int) -> int:
    """A 64-bit integer that depends only on ``seed`` and ``parts`` (no global RNG state)."""
    text = "|".join(str(part) for part in (seed, *parts))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def pseudo_word(number: int) -> str:
    """A pronounceable three-syllable token for ``number`` (``kaneru``)."""
    syllables = []
    for _ in range(3):
        number, index = divmod(number, len(SYLLABLES))
        syllables.append(SYLLABLES[index])
    return "".join(syllables)


#: A base triple whose subject is an entity, with its subject and object split once for all copies
SourceTriple = tuple[ox.Triple, EntityRef, EntityRef | None]


@dataclass(frozen=True)
class Copy:
    """The rules that rename the terms of one synthetic copy (``index`` >= 1)."""

    seed: int
    index: int
    #: IRIs already renamed in this copy (every entity recurs in many triples)
    renamed: dict[EntityRef, ox.NamedNode] = field(default_factory=dict, compare=False, repr=False)

    def owner_copy(self, ref: EntityRef) -> int:
        """The copy whose node stands for ``ref`` in this copy: itself, or the real graph (0).

        Only whole entities merge. A node minted below one (``drug/denosumab/recommendation/…``,
        an n-ary part) stays the copy's own: merged, the parts of many copies would pile onto one
        node and its values multiply in every join (14 agents × 14 doses × 14 outcomes).
        """
        if ref.kind not in MERGEABLE_KINDS or "/" in ref.local_id:
            return self.index
        draw = stable_int(self.seed, "merge", self.index, ref.kind, ref.local_id)
        return 0 if draw % 1000 < MERGE_PER_MILLE else self.index

    def local_id(self, ref: EntityRef, copy_index: int) -> str:
        """The local id of ``ref`` in copy ``copy_index`` (copy 0 keeps the real id)."""
        if copy_index == 0:
            return ref.local_id
        head, slash, rest = ref.local_id.partition("/")
        draw = stable_int(self.seed, "id", copy_index, ref.kind, head)
        if ref.kind == "assertion":
            head = f"{draw:016x}"
        elif ref.kind == "trial":
            head = f"NCT{90_000_000 + draw % 10_000_000:08d}"
        else:
            head = f"{head}-x{copy_index}"
        return f"{head}{slash}{rest}"

    def rename(self, ref: EntityRef) -> ox.NamedNode:
        """The IRI that ``ref`` has in this copy, after merging."""
        node = self.renamed.get(ref)
        if node is None:
            owner = self.owner_copy(ref)
            node = ox.NamedNode(f"{BASE_IRI}{ref.kind}/{self.local_id(ref, owner)}")
            self.renamed[ref] = node
        return node

    def literal(self, subject: EntityRef, predicate: ox.NamedNode, value: ox.Literal) -> ox.Literal:
        """The literal ``value`` of ``subject`` as this copy states it."""
        datatype = value.datatype.value
        if value.value == subject.local_id:
            return ox.Literal(self.local_id(subject, self.index), datatype=value.datatype)
        if datatype in INTEGER_TYPES and value.value.lstrip("-").isdigit():
            shift = stable_int(self.seed, "shift", self.index, subject.local_id) % 1000
            return ox.Literal(str(int(value.value) + shift), datatype=value.datatype)
        if datatype in STRING_TYPES and predicate.value not in VERBATIM_PREDICATES:
            word = pseudo_word(stable_int(self.seed, "word", self.index, value.value))
            text = f"{value.value} {word}"
            if value.language:
                return ox.Literal(text, language=value.language)
            return ox.Literal(text)
        return value

    def triple(self, source: SourceTriple) -> ox.Triple | None:
        """The base triple ``source`` as stated in this copy, ``None`` if a merge drops it."""
        triple, subject_ref, object_ref = source
        merged = self.owner_copy(subject_ref) != self.index
        obj = triple.object
        if object_ref is not None:
            new_object: Term = self.rename(object_ref)
        elif merged:
            return None  # the merge target already carries its own labels and values
        elif isinstance(obj, ox.Literal):
            new_object = self.literal(subject_ref, triple.predicate, obj)
        elif isinstance(obj, ox.BlankNode):
            new_object = ox.BlankNode(f"{obj.value}x{self.index}")
        else:
            new_object = obj
        return ox.Triple(self.rename(subject_ref), triple.predicate, new_object)


def canonical_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """N-Triples lines of ``triples``, sorted, with blank nodes renamed in order of appearance.

    The parser names blank nodes at random; sorting on the text with blank nodes masked and
    then numbering them keeps the output independent of that. Without blank nodes the masked
    text is the line itself, so it is sorted directly.
    """
    triples = list(triples)
    if not any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        return sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    rendered = sorted(((_masked(triple), triple) for triple in triples), key=lambda pair: pair[0])
    names: dict[str, str] = {}
    lines = []
    for _, triple in rendered:
        terms = [
            _renamed(term, names) for term in (triple.subject, triple.predicate, triple.object)
        ]
        lines.append(" ".join(terms) + " .\n")
    return lines


def _masked(triple: ox.Triple) -> str:
    return " ".join(
        "_:" if isinstance(term, ox.BlankNode) else str(term)
        for term in (triple.subject, triple.predicate, triple.object)
    )


def _renamed(term: Term, names: dict[str, str]) -> str:
    if isinstance(term, ox.BlankNode):
        return names.setdefault(term.value, f"_:b{len(names)}")
    return str(term)


def read_graph(path: Path) -> list[ox.Triple]:
    """Parse the graph file (format from its suffix); raise :class:`ScaleError` naming it."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise ScaleError(f"{path}: unknown RDF file suffix {path.suffix!r}")
    try:
        return [quad.triple for quad in ox.parse(path=path, format=rdf_format)]
    except (OSError, SyntaxError) as error:
        raise ScaleError(f"{path}: cannot read the graph: {error}") from error


def scaled_lines(base: list[ox.Triple], factor: int, seed: int) -> Iterator[str]:
    """Yield the N-Triples lines of the graph grown ``factor`` times."""
    if factor < 1:
        raise ScaleError(f"--factor must be at least 1, got {factor}")
    base_lines = canonical_lines(base)
    yield from base_lines
    entity_triples: list[SourceTriple] = []
    for triple in base:
        subject_ref = entity_ref(triple.subject)
        if subject_ref is not None:
            entity_triples.append((triple, subject_ref, entity_ref(triple.object)))
    for index in range(1, factor):
        rules = Copy(seed=seed, index=index)
        copied = (rules.triple(source) for source in entity_triples)
        yield from canonical_lines(triple for triple in copied if triple is not None)


@contextmanager
def open_output(path: Path) -> Iterator[IO[str]]:
    """Open ``path`` for text; ``.gz`` gets gzip without a timestamp (byte-identical reruns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with (
            path.open("wb") as raw,
            io.TextIOWrapper(
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0),
                encoding="utf-8",
                newline="\n",
            ) as text,
        ):
            yield text
    else:
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            yield handle


def write_scaled(source: Path, factor: int, seed: int, out: Path) -> int:
    """Write the graph in ``source`` grown ``factor`` times to ``out``; return the line count.

    A merge can repeat a triple of its target copy; stores ignore the repeat, so the file
    keeps it rather than holding every line in memory to drop it.
    """
    count = 0
    with open_output(out) as handle:
        for line in scaled_lines(read_graph(source), factor, seed):
            handle.write(line)
            count += 1
    return count


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--factor", type=click.IntRange(min=1), required=True, help="Copies of the graph.")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of every choice.")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="N-Triples file to write; a .gz suffix compresses it.",
)
def main(source: Path, factor: int, seed: int, out: Path) -> None:
    """Grow the graph in SOURCE FACTOR times and write it as N-Triples."""
    try:
        count = write_scaled(source, factor, seed, out)
    except ScaleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{out}: {count} triples (x{factor}, seed {seed})")


if __name__ == "__main__":
    main()
