"""Competency queries run on the real build, their answers pinned in ``queries/answers/``.

Each query runs on the real build through pyoxigraph, the serving engine; its result, written
as sorted TSV, must equal ``queries/answers/<name>.tsv``. When content changes an answer on
purpose, rerun with ``--update-answers`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.constants import GRAPH_FILENAME
from kg.release.assemble import BuildResult
from tests.test_competency import ANSWERS_DIR, QUERY_FILES, read_query


@pytest.fixture(scope="session")
def store(real_build: BuildResult) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    graph_file = next(p for p in real_build.files if p.name == GRAPH_FILENAME)
    store.bulk_load(path=str(graph_file), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def answer_tsv(store: pyoxigraph.Store, sparql: str) -> str:
    """Run ``sparql`` and write its answer as TSV with sorted rows (triples for CONSTRUCT)."""
    result = store.query(sparql)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return f"{str(bool(result)).lower()}\n"
    if isinstance(result, pyoxigraph.QuerySolutions):
        tsv = result.serialize(format=pyoxigraph.QueryResultsFormat.TSV) or b""
        lines = bytes(tsv).decode("utf-8").splitlines()
        return "\n".join([lines[0], *sorted(lines[1:])]) + "\n"
    triples = sorted(str(triple) for triple in result)
    return "".join(f"{triple}\n" for triple in triples)


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_competency_answer_is_pinned(
    path: Path, store: pyoxigraph.Store, request: pytest.FixtureRequest
) -> None:
    _, sparql = read_query(path)
    actual = answer_tsv(store, sparql)
    answer_file = ANSWERS_DIR / f"{path.stem}.tsv"
    if request.config.getoption("--update-answers"):
        answer_file.write_text(actual, encoding="utf-8")
    assert answer_file.is_file(), (
        f"no pinned answer; run pytest --update-answers and review {answer_file.name}"
    )
    assert actual == answer_file.read_text(encoding="utf-8")
    assert actual.count("\n") > 1 or actual.strip() == "true", (
        f"{path.name}: the question has no answer"
    )
