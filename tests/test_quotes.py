"""Quotes pinned to the review texts: normalisation, anchoring, and verification against the seeds.

The curated quotes themselves are checked in tests/content/test_quotes.py (slow).

These tests read the reviews from ``$RANKL_KG_SEEDS_DIR`` (default ``sources/``, in the
repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build.graph import build_data_graph
from kg.build.quotes import ANCHORS_FILENAME, find_quote, normalise, quote_at
from kg.checks.anchoring import anchor_quotes, default_source_files
from kg.errors import InvalidContentError
from tests.conftest import FIXTURE_CONTENT_DIR

SOURCES = default_source_files(FIXTURE_CONTENT_DIR)
needs_sources = pytest.mark.skipif(
    len(SOURCES) < 2,
    reason="the two review texts are not in $RANKL_KG_SEEDS_DIR or sources/",
)


def test_normalise_joins_line_break_hyphens_and_collapses_whitespace() -> None:
    assert (
        normalise("inter-\n  cellular   signal-\nling\n\nand  more ")
        == "inter-cellular signal-ling and more"
    )


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("intercellular signalling", (0, 25)),
        ("inter-cellular signalling", (0, 25)),
        ("signalling", (15, 25)),
    ],
)
def test_find_quote_accepts_either_form_of_a_broken_word(
    quote: str, expected: tuple[int, int]
) -> None:
    text = normalise("inter-\ncellular signalling")
    assert find_quote(text, quote) == expected
    assert quote_at(text, quote, *expected)


def test_find_quote_does_not_match_other_words() -> None:
    assert find_quote(normalise("RANK and RANKL"), "RANKL and RANK") is None


@needs_sources
def test_a_quote_missing_from_the_source_cannot_be_anchored(content_dir: Path) -> None:
    path = content_dir / "genes.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("its receptor RANK", "its famous receptor RANK"),
        encoding="utf-8",
    )
    _, missing = anchor_quotes(content_dir, SOURCES)
    assert [(e.path.name, e.field) for e in missing] == [("genes.csv", "quote")]


def test_build_refuses_an_unanchored_quote(content_dir: Path) -> None:
    path = content_dir / "genes.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("its receptor RANK", "its receptor RANK (new)"),
        encoding="utf-8",
    )
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    assert {(e.path.name, e.field) for e in caught.value.errors} == {("genes.csv", "quote")}
    assert "anchor-quotes" in str(caught.value)


def test_fixture_content_is_anchored() -> None:
    assert (FIXTURE_CONTENT_DIR / ANCHORS_FILENAME).is_file()
