"""The works the reviews cite, as curated: their bibliographic data in the real graph and the
reference lists of content/cited_works.yaml against the review texts.

Expected values are typed from the reference lists of the review texts (Renema et al. 2016,
references 22-44; Saxena et al. 2025, references 1-17), not read from content/.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef

from kg.build.quotes import find_quote
from kg.builders.cited_works import CitedWorkBuilder
from kg.checks.anchoring import default_source_files, read_sources
from kg.constants import CONTENT_DIR
from tests.sparql_helpers import rows
from tests.test_cited_works import work

SOURCES = default_source_files(CONTENT_DIR)
needs_sources = pytest.mark.skipif(
    len(SOURCES) < 2, reason="the two review texts are not in $RANKL_KG_SEEDS_DIR or sources/"
)
RENEMA_PRINTED = set(range(22, 45))
SAXENA_PRINTED = set(range(1, 18))


def titled_numbers(graph: Graph, review: str) -> set[int]:
    found = rows(
        graph,
        f"""
        SELECT ?number WHERE {{ publication:{review} cito:cites ?work .
            ?work rko:referenceNumber ?number ; dcterms:title ?title }}""",
    )
    return {number for (number,) in found}


def test_trance_receptor_sentence_cites_wong_1998_in_j_biol_chem(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT DISTINCT ?number ?title ?year ?citation WHERE {
            ?assertion rko:quote ?quote ; rko:citedReference ?work .
            FILTER(CONTAINS(?quote, "RANK, also known as TRANCE receptor [43]"))
            ?work rko:referenceNumber ?number ; dcterms:title ?title ; dcterms:issued ?issued ;
                  dcterms:creator "Wong, B.R." ; dcterms:bibliographicCitation ?citation .
            BIND(STR(?issued) AS ?year) }""",
    )
    assert len(found) == 1
    number, title, year, citation = found[0]
    assert (number, year) == (43, "1998")
    assert title == (
        "The TRAF family of signal transducers mediates NF-kappaB Activation by the TRANCE receptor"
    )
    assert citation.startswith(
        "Wong, B.R.; Josien, R.; Lee, S.Y.; Vologodskaia, M.; Steinman, R.M.; Choi, Y. (1998)"
    )
    assert "J. Biol. Chem. 273, 28355–28359." in citation


def test_stopeck_2010_has_its_doi_and_links_it(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        f"""
        SELECT ?doi ?link ?year WHERE {{
            {work("saxena-2025", 4)} bibo:doi ?doi ; skos:exactMatch ?link ;
                dcterms:issued ?issued ;
                dcterms:creator "Stopeck AT" , "Lipton A" , "Body JJ" .
            BIND(STR(?issued) AS ?year) }}""",
    )
    assert found == [
        (
            "10.1200/JCO.2010.29.7101",
            URIRef("https://identifiers.org/doi:10.1200/JCO.2010.29.7101"),
            "2010",
        )
    ]


def test_printed_year_1011_is_recorded_as_2011_with_a_note(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        f"""
        SELECT ?year ?note WHERE {{ {work("saxena-2025", 3)} dcterms:issued ?issued ;
            rdfs:comment ?note .
            BIND(STR(?issued) AS ?year) }}""",
    )
    assert len(found) == 1
    assert found[0][0] == "2011"
    assert "1011" in found[0][1]


def test_unnumbered_entries_are_numbered_by_position(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        f"""
        SELECT ?title ?note WHERE {{ {work("saxena-2025", 14)} dcterms:title ?title ;
            rdfs:comment ?note }}""",
    )
    assert found == [
        (
            "Role of RANK/RANKL/OPG signaling in bone metastasis of breast cancer",
            (
                "The review prints this entry without its number; it is number 14 by its position "
                "in the list."
            ),
        )
    ]


def test_every_printed_reference_has_a_title(real_graph: Graph) -> None:
    assert titled_numbers(real_graph, "renema-2016") == RENEMA_PRINTED
    assert titled_numbers(real_graph, "saxena-2025") == SAXENA_PRINTED


def test_every_cited_work_an_assertion_cites_in_the_printed_ranges_has_a_title(
    real_graph: Graph,
) -> None:
    cited = rows(
        real_graph,
        """
        SELECT DISTINCT ?review ?number ?title WHERE {
            ?assertion rko:citedReference ?work ; prov:wasDerivedFrom ?source .
            ?source cito:cites ?work . ?work rko:referenceNumber ?number .
            BIND(STRAFTER(STR(?source), "/publication/") AS ?review)
            OPTIONAL { ?work dcterms:title ?title } }""",
    )
    printed = {"renema-2016": RENEMA_PRINTED, "saxena-2025": SAXENA_PRINTED}
    in_range = [
        (review, number, title) for review, number, title in cited if number in printed[review]
    ]
    assert {review for review, _, _ in in_range} == {"renema-2016", "saxena-2025"}
    assert [(review, number) for review, number, title in in_range if title is None] == []


def test_author_list_keeps_the_printed_order(real_graph: Graph) -> None:
    """Reference 30 of the 2016 review, as printed: "Yasuda, H., Shima, N., Nakagawa, N., ...";
    the reviews' own authors too (Renema N. first)."""
    found = rows(
        real_graph,
        f"""
        SELECT ?position ?author WHERE {{
            {work("renema-2016", 30)} bibo:authorList ?list . ?list ?member ?author .
            FILTER (STRSTARTS(STR(?member), STR(rdf:_)))
            BIND (xsd:integer(STRAFTER(STR(?member), "#_")) AS ?position) FILTER (?position <= 3) }}
        ORDER BY ?position""",
    )
    assert found == [(1, "Yasuda, H."), (2, "Shima, N."), (3, "Nakagawa, N.")]
    first = rows(
        real_graph,
        "SELECT ?author WHERE { publication:renema-2016 bibo:authorList/rdf:_1 ?author }",
    )
    assert [author for (author,) in first] and first[0][0].startswith("Renema")


def test_every_author_list_matches_the_creators(real_graph: Graph) -> None:
    """Each work numbers its authors from 1 without a gap and names exactly its creators (a name
    printed twice, as in reference 29 of the 2016 review, keeps both places)."""
    found = rows(
        real_graph,
        """
        SELECT ?work (COUNT(DISTINCT ?member) AS ?places) (MAX(?position) AS ?last)
               (COUNT(DISTINCT ?author) AS ?names) (COUNT(DISTINCT ?creator) AS ?creators) WHERE {
            ?work bibo:authorList ?list . ?list ?member ?author . ?work dcterms:creator ?creator .
            FILTER (STRSTARTS(STR(?member), STR(rdf:_)))
            BIND (xsd:integer(STRAFTER(STR(?member), "#_")) AS ?position) }
        GROUP BY ?work""",
    )
    assert len(found) == len(RENEMA_PRINTED) + len(SAXENA_PRINTED) + 2
    assert [row for row in found if row[1] != row[2] or row[3] != row[4]] == []
    assert [row[1:] for row in found if str(row[0]).endswith("renema-2016-ref-29")] == [
        (8, 8, 7, 7)
    ]


@needs_sources
def test_every_record_stands_in_its_review_reference_list_in_order() -> None:
    """Each title is found in its review's text, the titles follow the numbering, and a printed
    number precedes its first author."""
    texts = {review: source.text for review, source in read_sources(CONTENT_DIR, SOURCES).items()}
    records, errors = CitedWorkBuilder().load(CONTENT_DIR)
    assert errors == []
    previous_end: dict[str, int] = {}
    for row in sorted(records, key=lambda row: (row.record.review, row.record.number)):
        record = row.record
        start = previous_end.get(record.review, 0)
        found = find_quote(texts[record.review][start:], record.title)
        assert found is not None, (
            f"{record.review} ref {record.number}: title not found after the previous entry"
        )
        previous_end[record.review] = start + found[1]
        text = texts[record.review]
        entry = re.compile(rf"(?:^|\s){record.number}\.? {re.escape(record.authors[0])}")
        assert (entry.search(text) is not None) == record.number_printed, (
            f"{record.review} ref {record.number}: printed number"
        )
