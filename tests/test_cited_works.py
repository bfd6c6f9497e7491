"""The works the reviews cite: bibliographic data on the nodes the assertions cite, on the
fixture content (the real reference lists are pinned in tests/content/test_cited_works.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.build.graph import build_data_graph, merge
from kg.checks.shapes import validate_graph
from kg.errors import InvalidContentError
from kg.vocabulary import PREFIXES


def work(review: str, number: int) -> str:
    """Return the SPARQL IRI of entry ``number`` of a review's reference list."""
    return f"<https://w3id.org/rankl-kg/publication/{review}-ref-{number}>"


#: The title of entry 2 of Saxena 2025, which no assertion cites
UNCITED_TITLE = (
    "Understanding the Progression of Bone Metastases to Identify Novel Therapeutic Targets"
)


def test_review_cites_a_work_no_assertion_cites(fixture_graph: Graph) -> None:
    entry = work("saxena-2025", 2)
    result = fixture_graph.query(
        f"""
        ASK {{ publication:saxena-2025 cito:cites {entry} .
            {entry} a rko:Publication ; rko:referenceNumber ?number ;
                dcterms:title "{UNCITED_TITLE}" .
            FILTER(?number = 2 && NOT EXISTS {{ ?assertion rko:citedReference {entry} }}) }}""",
        initNs=PREFIXES,
    )
    assert result.askAnswer is True


def test_cited_work_without_creator_violates_the_shapes(fixture_graph: Graph) -> None:
    broken = merge(fixture_graph)
    broken.remove((URIRef(work("saxena-2025", 1)[1:-1]), DCTERMS.creator, None))
    report = validate_graph(broken)
    assert not report.conforms
    assert (
        "a cited work with bibliographic data needs http://purl.org/dc/terms/creator" in report.text
    )


def edit_cited_works(content_dir: Path, index: int, **changes: object) -> None:
    """Change fields of one record (0-based) of the fixture cited-works table."""
    path = content_dir / "cited_works.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[index].update(changes)
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")


def build_errors(content_dir: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    return [(e.path.name, e.row, e.field, e.message) for e in caught.value.errors]


def test_duplicate_reference_number_names_both_rows(content_dir: Path) -> None:
    edit_cited_works(content_dir, 1, number=25)
    errors = build_errors(content_dir)
    assert [(name, row, field) for name, row, field, _ in errors] == [
        ("cited_works.yaml", 1, "number"),
        ("cited_works.yaml", 2, "number"),
    ]
    assert all(
        "duplicate cited work" in message and "reference 25 of renema-2016" in message
        for *_, message in errors
    )


def test_unknown_review_is_a_content_error(content_dir: Path) -> None:
    edit_cited_works(content_dir, 0, review="renema-2061")
    [(name, row, field, message)] = build_errors(content_dir)
    assert (name, row, field) == ("cited_works.yaml", 1, "review")
    assert "unknown review 'renema-2061'" in message and "renema-2016" in message


def test_malformed_doi_is_a_content_error(content_dir: Path) -> None:
    edit_cited_works(content_dir, 2, doi="https://doi.org/10.1038/s41413-020-00105-1")
    [(name, row, field, _)] = build_errors(content_dir)
    assert (name, row, field) == ("cited_works.yaml", 3, "doi")
