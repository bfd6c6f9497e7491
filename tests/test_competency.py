"""Competency queries (``queries/*.ttl``, SIB sparql-examples form) and where their answers are.

The answers are pinned on the real build in tests/content/test_competency.py (slow);
tests/content/test_backends_answers.py asks every backend the same questions.
"""

from __future__ import annotations

from pathlib import Path

from kg.checks.competency import COMPETENCY_QUERIES_DIR, read_competency_query

QUERIES_DIR = COMPETENCY_QUERIES_DIR
ANSWERS_DIR = QUERIES_DIR / "answers"
QUERY_FILES = sorted(QUERIES_DIR.glob("*.ttl"))


def read_query(path: Path) -> tuple[str, str]:
    """Return (question, SPARQL text) of a query file."""
    query = read_competency_query(path)
    return query.question, query.text


def test_there_are_at_least_30_questions() -> None:
    assert len(QUERY_FILES) >= 30


def test_every_question_has_a_pinned_answer() -> None:
    missing = [
        path.name for path in QUERY_FILES if not (ANSWERS_DIR / f"{path.stem}.tsv").is_file()
    ]
    assert missing == [], "run pytest tests/content --update-answers and review the new answers"
