"""Pin the curated quotes to the source texts (``anchor-quotes``), check them (``verify-quotes``).

The project does not redistribute the reviews: the texts are read from files the user names.
Each file is matched to its publication by the ``source_file`` name in ``publications.yaml``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.build.content import EvidenceColumns, Row
from kg.build.quotes import (
    ANCHORS_FILENAME,
    Anchor,
    find_quote,
    normalise,
    quote_at,
    read_anchors,
    text_sha256,
    write_anchors,
)
from kg.builders import get_builders
from kg.builders.publications import PublicationBuilder
from kg.constants import SOURCES_DIR
from kg.errors import ContentError, InvalidContentError

#: Where the review texts are looked for when no ``--source`` is given
SEEDS_DIR_ENV = "RANKL_KG_SEEDS_DIR"


@dataclass(frozen=True)
class SourceText:
    """A review's normalised text and its fingerprint."""

    text: str
    sha256: str


def default_source_files(content_dir: Path) -> list[Path]:
    """Return the review texts found in ``$RANKL_KG_SEEDS_DIR`` (default: packaged ``sources/``)."""
    seeds_dir = Path(os.environ.get(SEEDS_DIR_ENV, SOURCES_DIR))
    names = source_file_names(content_dir)
    return [seeds_dir / name for name in sorted(names) if (seeds_dir / name).is_file()]


def source_file_names(content_dir: Path) -> dict[str, str]:
    """Return ``source_file`` name -> publication id."""
    rows, errors = PublicationBuilder().load(content_dir)
    if errors:
        raise InvalidContentError(errors)
    return {row.record.source_file: row.record.id for row in rows}


def read_sources(content_dir: Path, files: list[Path]) -> dict[str, SourceText]:
    """Read and normalise the given review texts, keyed by publication id."""
    names = source_file_names(content_dir)
    sources = {}
    for path in files:
        if path.name not in names:
            raise ContentError(
                path,
                None,
                None,
                f"not a source of publications.yaml (expected one of {', '.join(sorted(names))})",
            )
        text = normalise(path.read_text(encoding="utf-8"))
        sources[names[path.name]] = SourceText(text, text_sha256(text))
    return sources


def evidence_rows(content_dir: Path) -> list[Row[EvidenceColumns]]:
    """Return every evidence-bearing row of every table."""
    rows: list[Row[Any]] = []
    errors: list[ContentError] = []
    for builder in get_builders():
        loaded, row_errors = builder.load(content_dir)
        rows.extend(loaded)
        errors.extend(row_errors)
    if errors:
        raise InvalidContentError(errors)
    return [row for row in rows if isinstance(row.record, EvidenceColumns)]


def anchor_quotes(content_dir: Path, files: list[Path]) -> tuple[int, list[ContentError]]:
    """Rewrite the anchors file for every quote in use; return (anchors written, quotes not found).

    Quotes whose source was not given keep their existing anchor.
    """
    sources = read_sources(content_dir, files)
    existing = read_anchors(content_dir / ANCHORS_FILENAME)
    anchors: dict[tuple[str, str], Anchor] = {}
    missing: list[ContentError] = []
    for row in evidence_rows(content_dir):
        key = (row.record.source, row.record.quote)
        if key in anchors:
            continue
        source = sources.get(row.record.source)
        if source is None:
            if key in existing:
                anchors[key] = existing[key]
            continue
        offsets = find_quote(source.text, row.record.quote)
        if offsets is None:
            missing.append(row.error("quote", f"not found in the text of {row.record.source}"))
            continue
        anchors[key] = Anchor(
            row.record.source, offsets[0], offsets[1], source.sha256, row.record.quote
        )
    write_anchors(content_dir / ANCHORS_FILENAME, list(anchors.values()))
    return len(anchors), missing


def verify_quotes(content_dir: Path, files: list[Path]) -> tuple[int, list[str]]:
    """Check each quote of the sources at its anchored offsets; return (verified, problems)."""
    sources = read_sources(content_dir, files)
    anchors = read_anchors(content_dir / ANCHORS_FILENAME)
    problems: list[str] = []
    verified = 0
    checked: set[tuple[str, str]] = set()
    for row in evidence_rows(content_dir):
        key = (row.record.source, row.record.quote)
        source = sources.get(row.record.source)
        if source is None or key in checked:
            continue
        checked.add(key)
        anchor = anchors.get(key)
        where = f"{row.path.name}, row {row.number}, field 'quote'"
        if anchor is None:
            problems.append(f"{where}: quote has no anchor: {row.record.quote!r}")
        elif anchor.text_sha256 != source.sha256:
            problems.append(
                f"{where}: anchored in a different text of {row.record.source} "
                f"(SHA-256 {anchor.text_sha256[:12]}..., given {source.sha256[:12]}...)"
            )
        elif not quote_at(source.text, row.record.quote, anchor.start, anchor.end):
            found = source.text[anchor.start : anchor.end]
            problems.append(
                f"{where}: quote not found at {anchor.start}-{anchor.end} "
                f"(the text there reads {found!r})"
            )
        else:
            verified += 1
    return verified, problems
