"""Plain tab-separated values (IANA ``text/tab-separated-values``): no quoting, one line a row.

Every cell has its whitespace runs (tabs and line breaks included) collapsed to one space, so no
cell ever needs quoting and any TSV reader splits the lines the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def to_tsv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Write a header line and ``rows`` as tab-separated values."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, quotechar=None
    )
    writer.writerow(columns)
    writer.writerows([" ".join(cell.split()) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
