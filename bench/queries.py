"""The competency queries the benchmark runs: ``queries/*.rq`` of the project, else bench's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BENCH_QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """One query file: its name (file stem), text and form (SELECT, CONSTRUCT, ...)."""

    name: str
    text: str
    form: str

    @property
    def accept(self) -> str:
        """The media type to ask an endpoint for."""
        if self.form in ("SELECT", "ASK"):
            return "application/sparql-results+json"
        return "application/n-triples"


def query_form(text: str) -> str:
    """The query form of ``text``, found after stripping ``#`` comment lines."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = _FORM.search(body)
    if match is None:
        raise ValueError(f"no SELECT/CONSTRUCT/DESCRIBE/ASK in query:\n{text[:200]}")
    return match.group(1).upper()


def load_queries(directory: Path = BENCH_QUERIES_DIR) -> list[Query]:
    """Every ``*.rq`` in ``directory``, sorted by name; raise if there is none."""
    files = sorted(directory.glob("*.rq"))
    if not files:
        raise FileNotFoundError(f"no *.rq query files in {directory}")
    queries = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        queries.append(Query(name=path.stem, text=text, form=query_form(text)))
    return queries
