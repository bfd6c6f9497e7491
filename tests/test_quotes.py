"""Quotes pinned to the review texts: normalisation, anchoring, and verification against the seeds.

The reviews are not part of the project; these tests read them from ``$RANKL_KG_SEEDS_DIR``
(default ``sources/``, in the repository).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.graph import build_data_graph
from kg.build.quotes import ANCHORS_FILENAME, find_quote, normalise, quote_at
from kg.checks.anchoring import anchor_quotes, default_source_files, verify_quotes
from kg.cli import main
from kg.constants import CONTENT_DIR
from kg.errors import InvalidContentError
from tests.conftest import FIXTURE_CONTENT_DIR

SOURCES = default_source_files(CONTENT_DIR)
needs_sources = pytest.mark.skipif(len(SOURCES) < 2, reason="the two review texts are not in $RANKL_KG_SEEDS_DIR or sources/")


def test_normalise_joins_line_break_hyphens_and_collapses_whitespace() -> None:
    assert normalise("inter-\n  cellular   signal-\nling\n\nand  more ") == "inter-cellular signal-ling and more"


@pytest.mark.parametrize(
    ("quote", "expected"),
    [("intercellular signalling", (0, 25)), ("inter-cellular signalling", (0, 25)), ("signalling", (15, 25))],
)
def test_find_quote_accepts_either_form_of_a_broken_word(quote: str, expected: tuple[int, int]) -> None:
    text = normalise("inter-\ncellular signalling")
    assert find_quote(text, quote) == expected
    assert quote_at(text, quote, *expected)


def test_find_quote_does_not_match_other_words() -> None:
    assert find_quote(normalise("RANK and RANKL"), "RANKL and RANK") is None


@needs_sources
def test_every_curated_quote_stands_at_its_anchor() -> None:
    verified, problems = verify_quotes(CONTENT_DIR, SOURCES)
    assert problems == []
    assert verified > 300


@needs_sources
def test_anchors_file_is_up_to_date(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    written, missing = anchor_quotes(content, SOURCES)
    assert missing == []
    assert (content / ANCHORS_FILENAME).read_bytes() == (CONTENT_DIR / ANCHORS_FILENAME).read_bytes(), (
        "content/quote_anchors.tsv is stale: run 'rankl-kg anchor-quotes'"
    )
    assert written > 300


@needs_sources
def test_a_moved_anchor_is_reported(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    path = content / ANCHORS_FILENAME
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    rows[0]["start"], rows[0]["end"] = str(int(rows[0]["start"]) + 5), str(int(rows[0]["end"]) + 5)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(main, ["verify-quotes", "--content-dir", str(content), *(f"--source={p}" for p in SOURCES)])
    assert result.exit_code == 1
    assert "quote not found at" in result.output
    assert "1 problem(s)" in result.output


@needs_sources
def test_a_quote_missing_from_the_source_cannot_be_anchored(content_dir: Path) -> None:
    path = content_dir / "genes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("its receptor RANK", "its famous receptor RANK"), encoding="utf-8")
    _, missing = anchor_quotes(content_dir, SOURCES)
    assert [(e.path.name, e.field) for e in missing] == [("genes.csv", "quote")]


def test_build_refuses_an_unanchored_quote(content_dir: Path) -> None:
    path = content_dir / "genes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("its receptor RANK", "its receptor RANK (new)"), encoding="utf-8")
    with pytest.raises(InvalidContentError) as caught:
        build_data_graph(content_dir)
    assert {(e.path.name, e.field) for e in caught.value.errors} == {("genes.csv", "quote")}
    assert "anchor-quotes" in str(caught.value)


def test_fixture_content_is_anchored() -> None:
    assert (FIXTURE_CONTENT_DIR / ANCHORS_FILENAME).is_file()
