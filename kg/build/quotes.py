"""Quotes pinned to their source text: normalisation, search, and the anchors file.

A review's text is normalised before offsets are counted: a word broken by a hyphen at the end
of a line is joined (the hyphen kept), and every run of whitespace becomes one space. A curated
quote matches the normalised text where it differs only in such a hyphen: ``intercellular``
matches ``inter-cellular`` (printed ``inter-`` at a line end), and ``no-treatment`` matches
itself. Offsets are Python string indices into the normalised text.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ContentError

#: Generated file that pins each quote to its offsets in the normalised source text
ANCHORS_FILENAME = "quote_anchors.tsv"
ANCHOR_COLUMNS = ("source", "start", "end", "text_sha256", "quote")
_LINE_BREAK_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Join line-break hyphenation and collapse whitespace."""
    return _WHITESPACE.sub(" ", _LINE_BREAK_HYPHEN.sub("-", text)).strip()


def text_sha256(normalised_text: str) -> str:
    """Return the SHA-256 (hex) of a normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def quote_pattern(quote: str) -> re.Pattern[str]:
    """Return a regex matching ``quote`` with an optional hyphen between any two word characters."""
    text = normalise(quote)
    parts = []
    for index, char in enumerate(text):
        parts.append(re.escape(char))
        if index + 1 < len(text) and char.isalnum() and text[index + 1].isalnum():
            parts.append("-?")
    return re.compile("".join(parts))


def find_quote(normalised_text: str, quote: str) -> tuple[int, int] | None:
    """Return the offsets of the first match of ``quote`` in ``normalised_text``."""
    match = quote_pattern(quote).search(normalised_text)
    return (match.start(), match.end()) if match else None


def quote_at(normalised_text: str, quote: str, start: int, end: int) -> bool:
    """Tell whether ``quote`` is found exactly at ``start:end``."""
    return quote_pattern(quote).fullmatch(normalised_text, start, end) is not None


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in its source."""

    source: str
    start: int
    end: int
    text_sha256: str
    quote: str


ANCHOR_COLUMNS = ("source", "start", "end", "text_sha256", "quote")


def parse_anchor(path: Path, line: int, row: dict[str, str | None]) -> Anchor:
    """Read one anchors row; an empty cell or a non-numeric offset names its column."""
    advice = "regenerate the file with 'rankl-kg anchor-quotes'"
    for column in ANCHOR_COLUMNS:
        if not row.get(column):
            raise ContentError(
                path,
                line,
                column,
                f"malformed anchor row: {column!r} is empty or missing; {advice}",
            )
    for column in ("start", "end"):
        if not str(row[column]).isdigit():
            raise ContentError(
                path,
                line,
                column,
                f"malformed anchor row: {column!r} must be a character offset, "
                f"got {row[column]!r}; {advice}",
            )
    return Anchor(
        str(row["source"]),
        int(str(row["start"])),
        int(str(row["end"])),
        str(row["text_sha256"]),
        str(row["quote"]),
    )


def read_anchors(path: Path) -> dict[tuple[str, str], Anchor]:
    """Read the anchors file; a missing file means no anchors yet."""
    if not path.is_file():
        return {}
    anchors = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            anchor = parse_anchor(path, line, row)
            anchors[anchor.source, anchor.quote] = anchor
    return anchors


def write_anchors(path: Path, anchors: list[Anchor]) -> None:
    """Write the anchors file sorted by source and offset, so it diffs well."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(ANCHOR_COLUMNS)
        for anchor in sorted(anchors, key=lambda a: (a.source, a.start, a.end, a.quote)):
            writer.writerow(
                [anchor.source, anchor.start, anchor.end, anchor.text_sha256, anchor.quote]
            )
