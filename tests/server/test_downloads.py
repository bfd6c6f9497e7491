"""Release files offered for download and linked from VoID as data dumps."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from kg.constants import CURRENT_RELEASE_LINK, INFERRED_GRAPH_FILENAME
from kg.release.assemble import BuildResult
from server import create_app


@pytest.fixture(scope="module")
def release_client(fixture_release: BuildResult) -> FlaskClient:
    """A client of an app serving the fixture release (read-only)."""
    dist = fixture_release.release_dir.parent.parent
    app = create_app(
        {
            "TESTING": True,
            "GRAPH_PATH": dist / CURRENT_RELEASE_LINK / INFERRED_GRAPH_FILENAME,
            "QUERY_WORKERS": 1,
        }
    )
    return app.test_client()


def test_download_list_names_every_release_file(release_client: FlaskClient) -> None:
    names = {entry["name"] for entry in release_client.get("/download/").get_json()}
    assert {"rankl-kg.ttl", "rankl-kg.nt.gz", "rankl-kg.jsonld", "rankl-kg.sssom.tsv"} <= names


def test_download_serves_the_file_with_its_media_type(release_client: FlaskClient) -> None:
    response = release_client.get("/download/rankl-kg.ttl")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert len(Graph().parse(data=response.data, format="turtle")) > 100


@pytest.mark.parametrize("name", ["secret.txt", "..%2F..%2Fpyproject.toml", "quote_anchors.tsv"])
def test_only_manifest_files_are_served(release_client: FlaskClient, name: str) -> None:
    assert release_client.get(f"/download/{name}").status_code == 404


def test_void_links_the_dumps(release_client: FlaskClient) -> None:
    void = Graph().parse(
        data=release_client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
        format="turtle",
    )
    dumps = {str(dump) for dump in void.objects(None, VOID.dataDump)}
    assert "https://w3id.org/rankl-kg/download/rankl-kg.ttl" in dumps
    assert all(isinstance(dump, URIRef) for dump in void.objects(None, VOID.dataDump))


def test_query_page_lists_the_downloads(release_client: FlaskClient) -> None:
    page = release_client.get("/").get_data(as_text=True)
    assert 'href="/download/rankl-kg.nt.gz"' in page
    assert 'href="/download/rankl-kg-ontology.owl"' in page
