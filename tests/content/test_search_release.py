"""The release's search index (``rankl-kg-search.sqlite``) on the real build, and its use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from kg.constants import INFERRED_GRAPH_FILENAME
from kg.exports.search import FILENAME
from kg.release.assemble import BuildResult
from kg.search_index import SearchIndex
from server import create_app
from server.pages.catalogue import get_catalogue

RANKL_PROTEIN = "https://w3id.org/rankl-kg/protein/TNFSF11"
RANKL_GENE = "https://w3id.org/rankl-kg/gene/TNFSF11"


@pytest.fixture(scope="module")
def index_file(real_build: BuildResult) -> Path:
    return real_build.release_dir / FILENAME


@pytest.fixture(scope="module")
def index(index_file: Path) -> SearchIndex:
    return SearchIndex.from_bytes(index_file.read_bytes())


@pytest.mark.parametrize("alias", ["TRANCE", "OPGL", "ODF", "RANKL"])
def test_old_names_find_rankl_first(index: SearchIndex, alias: str) -> None:
    assert index.search(alias)[0].iri in {RANKL_PROTEIN, RANKL_GENE}


@pytest.mark.parametrize("text", ["HGNC:11926", "hgnc:11926", "O14788", "NCT00321464"])
def test_identifiers_in_any_form(index: SearchIndex, text: str) -> None:
    assert index.search(text), text


def test_hypocalcaemia_finds_the_event_and_statements_quoting_it(index: SearchIndex) -> None:
    hits = index.search("hypocalcaemia", limit=20)
    assert hits[0].kind == "disease" and hits[0].field == "label"
    assert any(hit.kind == "assertion" and hit.field == "quote" for hit in hits)


def test_plain_sqlite_reads_it(index_file: Path) -> None:
    with sqlite3.connect(f"file:{index_file}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT iri FROM docs WHERE docs MATCH 'opgl'").fetchall()
    assert (RANKL_PROTEIN,) in rows


def test_the_server_searches_the_release_index(real_build: BuildResult, index: SearchIndex) -> None:
    graph = real_build.release_dir / INFERRED_GRAPH_FILENAME
    app: Flask = create_app({"GRAPH_PATH": graph})
    with app.app_context():
        served = get_catalogue().index
    assert served.to_bytes() == index.to_bytes()
