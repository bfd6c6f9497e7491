"""The list of quote-only facts (docs/curation/quote-only-facts.yaml) is sound: each passage
stands in its review (as quotes do, across line-break hyphens), each check is a SPARQL ASK that
parses, ids are unique."""

from __future__ import annotations

from typing import Any

import pyoxigraph
import pytest

from kg.build.quotes import find_quote
from kg.checks.anchoring import default_source_files, read_sources
from kg.constants import CONTENT_DIR
from scripts.quote_only_facts import PROLOGUE, fact_records

KINDS = {
    "attribution",
    "name-refs",
    "mechanism",
    "ligand-class",
    "case-duration",
    "wrong-refs",
    "reason",
}


def facts() -> list[dict[str, Any]]:
    """The records of the list."""
    return fact_records()


def test_ids_are_unique_and_kinds_known() -> None:
    ids = [fact["id"] for fact in facts()]
    assert len(ids) == len(set(ids))
    assert {fact["kind"] for fact in facts()} <= KINDS


def test_every_passage_is_verbatim_in_its_review() -> None:
    sources = read_sources(CONTENT_DIR, default_source_files(CONTENT_DIR))
    if len(sources) < 2:
        pytest.skip("the two review texts are not in $RANKL_KG_SEEDS_DIR or sources/")
    missing = [
        fact["id"]
        for fact in facts()
        if find_quote(sources[fact["source"]].text, fact["text"]) is None
    ]
    assert not missing


def test_every_check_is_an_ask_query() -> None:
    store = pyoxigraph.Store()
    for fact in facts():
        assert fact["ask"].lstrip().startswith("ASK"), fact["id"]
        assert not bool(store.query(PROLOGUE + fact["ask"])), fact["id"]
