"""The facts of docs/curation/quote-only-facts.yaml are structured in the real graph, except those
the list says why it leaves (their check must then still fail, so the list stays true)."""

from __future__ import annotations

import pyoxigraph
import pytest

from kg.release.assemble import BuildResult
from scripts.quote_only_facts import PROLOGUE
from tests.test_quote_only_facts import facts


@pytest.fixture(scope="module")
def real_store(real_build: BuildResult) -> pyoxigraph.Store:
    """The real asserted graph in Oxigraph (the checks compare typed integers as it does)."""
    store = pyoxigraph.Store()
    path = real_build.release_dir / "rankl-kg.ttl"
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def test_every_listed_fact_is_structured_unless_left_with_a_reason(
    real_store: pyoxigraph.Store,
) -> None:
    wrong = [
        fact["id"]
        for fact in facts()
        if bool(real_store.query(PROLOGUE + fact["ask"])) == bool(fact.get("remains"))
    ]
    assert not wrong, f"structured but listed as left, or left without a reason: {wrong}"
