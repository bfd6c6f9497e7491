"""Every curated quote stands at its anchor in the review texts, and the anchors file is current.

These tests read the reviews from ``$RANKL_KG_SEEDS_DIR`` (default ``sources/``, in the
repository, with their licences).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.quotes import ANCHORS_FILENAME
from kg.checks.anchoring import anchor_quotes, default_source_files, verify_quotes
from kg.cli import main
from kg.constants import CONTENT_DIR

SOURCES = default_source_files(CONTENT_DIR)
needs_sources = pytest.mark.skipif(
    len(SOURCES) < 2,
    reason="the two review texts are not in $RANKL_KG_SEEDS_DIR or sources/",
)


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
    current = (CONTENT_DIR / ANCHORS_FILENAME).read_bytes()
    assert (content / ANCHORS_FILENAME).read_bytes() == current, (
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
        writer = csv.DictWriter(
            handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    sources = [f"--source={p}" for p in SOURCES]
    result = CliRunner().invoke(main, ["verify-quotes", "--content-dir", str(content), *sources])
    assert result.exit_code == 1
    assert "quote not found at" in result.output
    assert "1 problem(s)" in result.output
