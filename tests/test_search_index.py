"""The search index alone: folding, query checks, ranking, prefixes and spelling."""

from __future__ import annotations

import pytest

from kg.search_index import (
    MAX_QUERY_CHARS,
    SearchDocument,
    SearchIndex,
    SearchQueryError,
    fold,
    query_words,
)

GENE = "https://w3id.org/rankl-kg/gene/TNFSF11"
PROTEIN = "https://w3id.org/rankl-kg/protein/TNFSF11"
RANK = "https://w3id.org/rankl-kg/protein/TNFRSF11A"
EVENT = "https://w3id.org/rankl-kg/disease/hypocalcaemia"
STATEMENT = "https://w3id.org/rankl-kg/assertion/fc37bfb6ef51d932"
PAPER = "https://w3id.org/rankl-kg/publication/p1"


def doc(iri: str, kind: str, label: str, field: str, text: str) -> SearchDocument:
    return SearchDocument(iri, kind, label, field, text)


DOCUMENTS = [
    doc(GENE, "gene", "TNFSF11", "label", "TNFSF11"),
    *(doc(GENE, "gene", "TNFSF11", "synonym", s) for s in ("TRANCE", "OPGL", "ODF", "RANKL")),
    doc(GENE, "gene", "TNFSF11", "identifier", "HGNC:11926"),
    doc(PROTEIN, "protein", "RANKL", "label", "RANKL"),
    *(doc(PROTEIN, "protein", "RANKL", "synonym", s) for s in ("TRANCE", "OPGL", "ODF")),
    doc(PROTEIN, "protein", "RANKL", "synonym", "receptor activator nuclear factor-κB ligand"),
    doc(PROTEIN, "protein", "RANKL", "identifier", "uniprot:O14788"),
    doc(RANK, "protein", "RANK", "label", "RANK"),
    doc(RANK, "protein", "RANK", "synonym", "TRANCE receptor"),
    doc(EVENT, "disease", "hypocalcaemia", "label", "hypocalcaemia"),
    doc(
        STATEMENT,
        "assertion",
        "denosumab has adverse event hypocalcaemia",
        "quote",
        "Reported incidences of hypocalcemia in cancer patients treated with Denosumab range "
        "from 8% to 14% in the trials that the review summarises for the reader",
    ),
    doc(
        PAPER,
        "publication",
        "Osteoclast differentiation factor (ODF) induces",
        "label",
        "Osteoclast differentiation factor (ODF) induces osteoclast-like cell formation",
    ),
    doc(PAPER, "publication", "Tumour paper", "synonym", "a tumour in bone"),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.of_documents(DOCUMENTS)


def iris(index: SearchIndex, text: str, **options: object) -> list[str]:
    return [hit.iri for hit in index.search(text, **options)]  # type: ignore[arg-type]


def test_fold_spells_greek_and_american() -> None:
    assert fold("NF-κB") == fold("nf kappaB") == "nf kappab"
    assert fold("tumour signalling") == fold("Tumor signaling")
    assert fold("hypocalcaemia") == fold("hypocalcemia")
    assert fold("HGNC:11926") == fold("hgnc:11926") == "hgnc 11926"


@pytest.mark.parametrize("alias", ["TRANCE", "OPGL", "ODF", "trance", "odf"])
def test_old_names_find_rankl_first(index: SearchIndex, alias: str) -> None:
    assert set(iris(index, alias)[:2]) == {GENE, PROTEIN}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("HGNC:11926", GENE), ("hgnc:11926", GENE), ("11926", GENE), ("O14788", PROTEIN)],
)
def test_identifiers_in_any_form(index: SearchIndex, text: str, expected: str) -> None:
    hit = index.search(text)[0]
    assert (hit.iri, hit.field) == (expected, "identifier")


def test_hypocalcaemia_finds_the_event_then_the_quoting_statement(index: SearchIndex) -> None:
    hits = index.search("hypocalcaemia")
    assert [(hit.iri, hit.field) for hit in hits] == [(EVENT, "label"), (STATEMENT, "quote")]
    assert "hypocalcemia" in hits[1].snippet
    assert ("hypocalcemia", True) in hits[1].parts


def test_greek_and_british_spellings_match_both_ways(index: SearchIndex) -> None:
    assert iris(index, "kappaB") == iris(index, "κB") == [PROTEIN]
    assert iris(index, "tumor") == [PAPER]


def test_label_outranks_synonym_outranks_quote(index: SearchIndex) -> None:
    hits = index.search("RANKL")
    assert (hits[0].iri, hits[0].field) == (PROTEIN, "label")
    assert (hits[1].iri, hits[1].field) == (GENE, "synonym")


def test_prefix_and_spelling_tiers(index: SearchIndex) -> None:
    prefix = index.search("hypoc")
    assert [hit.iri for hit in prefix][:1] == [EVENT] and prefix[0].match == "prefix"
    typo = index.search("hypocalcemai")
    assert typo and typo[0].iri == EVENT and typo[0].match == "spelling"
    assert index.search("zzzzqqq") == []


def test_kind_and_limit(index: SearchIndex) -> None:
    assert iris(index, "TRANCE", kind="gene") == [GENE]
    assert len(index.search("TRANCE", limit=1)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * (MAX_QUERY_CHARS + 1),
        '"',
        '"unbalanced',
        "rank*",
        "NEAR(rank ligand)",
        "rank AND ligand",
        "rank OR x",
        "NOT rank",
        "^rank",
        "???",
        "bad \ufffd byte",
    ],
)
def test_bad_queries_are_refused_with_one_line(index: SearchIndex, text: str) -> None:
    with pytest.raises(SearchQueryError) as refused:
        index.search(text)
    assert "\n" not in str(refused.value)


def test_lowercase_operator_words_are_plain_words() -> None:
    assert query_words("rank and ligand") == ["rank", "and", "ligand"]


def test_same_documents_same_answers() -> None:
    first, second = (
        SearchIndex.of_documents(DOCUMENTS),
        SearchIndex.of_documents(reversed(DOCUMENTS)),
    )
    for text in ("TRANCE", "rank", "hypoc", "11926"):
        assert first.search(text) == second.search(text)


def test_same_documents_same_bytes_and_the_bytes_answer_alike(index: SearchIndex) -> None:
    data = index.to_bytes()
    assert SearchIndex.of_documents(reversed(DOCUMENTS)).to_bytes() == data
    reopened = SearchIndex.from_bytes(data)
    assert (reopened.size, reopened.vocabulary) == (index.size, index.vocabulary)
    for text in ("TRANCE", "hypoc", "hypocalsemia", "tumor"):
        assert reopened.search(text) == index.search(text)
