"""Competency queries run on the real build, their answers pinned in ``queries/answers/``.

Each query runs on the real build's served graph (asserted + inferred triples, as the endpoint
serves it) through pyoxigraph, the serving engine; its result, written
as sorted TSV, must equal ``queries/answers/<name>.tsv``. When content changes an answer on
purpose, rerun with ``--update-answers`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.checks.quality import QCQuery, qc_queries
from kg.constants import INFERRED_GRAPH_FILENAME
from kg.release.assemble import BuildResult
from kg.vocabulary import PREFIXES as GRAPH_PREFIXES
from tests.test_competency import ANSWERS_DIR, QUERY_FILES, read_query

#: The graph's prefixes, which the example queries of the model rules use undeclared
PREFIXES = "\n".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in GRAPH_PREFIXES.items())


@pytest.fixture(scope="session")
def store(real_build: BuildResult) -> pyoxigraph.Store:
    """The served graph: the asserted and the inferred triples in one default graph."""
    store = pyoxigraph.Store()
    graph_file = next(p for p in real_build.files if p.name == INFERRED_GRAPH_FILENAME)
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


@pytest.mark.parametrize(
    "check", [q for q in qc_queries() if q.is_model_rule], ids=lambda check: check.rule
)
def test_each_model_rule_example_answers(store: pyoxigraph.Store, check: QCQuery) -> None:
    """The example query of each rule of docs/model.md runs and finds facts of its kind."""
    sparql = f"{PREFIXES}\n{check.example}"
    solutions = store.query(sparql)
    assert isinstance(solutions, pyoxigraph.QuerySolutions), f"{check.rule}: not a SELECT"
    assert list(solutions), f"{check.rule}: its example query finds nothing: {check.example}"
