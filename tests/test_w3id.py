"""The w3id.org redirects (w3id/.htaccess) on a real Apache httpd in front of a live server.

The integration tests start ``rankl-kg serve`` on the fixture content and a private Apache 2.4
(Debian apache2-bin) on two free ports of 127.0.0.1. Apache maps ``/rankl-kg/`` to the project's
``w3id/`` folder with ``AllowOverride All``, so it reads the real ``.htaccess`` unchanged, as
w3id.org does; its config sets ``RANKL_KG_HOST`` to the live server (``SetEnvIf``), the way the
``.htaccess`` lets a server choose the host. ``/default-host/`` maps to the same folder without
it, to check the host written in the file.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, VOID

from kg.constants import BASE_IRI
from kg.exports.jsonld import CONTEXT_FILENAME, CONTEXT_IRI
from kg.namespaces import RKO
from kg.vocabulary import ENTITY_KINDS
from tests.conftest import FIXTURE_CONTENT_DIR
from tests.live_processes import free_port, serve_command, stop

W3ID_DIR = Path(__file__).parents[1] / "w3id"
HTACCESS = W3ID_DIR / ".htaccess"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
#: The w3id path, as https://w3id.org/rankl-kg/ has it
W3ID_PATH = "/rankl-kg/"
GENE_PATH = "gene/TNFSF11"
GENE = URIRef(f"{BASE_IRI}{GENE_PATH}")
START_TIMEOUT_S = 180
RDF_TYPES = [
    ("text/turtle", "turtle", "ttl"),
    ("application/ld+json", "json-ld", "jsonld"),
    ("application/rdf+xml", "xml", "rdf"),
    ("application/n-triples", "nt", "nt"),
]
#: What a browser sends
BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)


def default_host() -> str:
    """The host written in the .htaccess (the one value to edit)."""
    found = re.findall(r"\[E=RANKL_KG_HOST:([^\]]+)\]", HTACCESS.read_text(encoding="utf-8"))
    assert len(found) == 1, "the .htaccess must set RANKL_KG_HOST in exactly one place"
    return str(found[0])


# --- the file itself (no Apache) --------------------------------------------------------------


def test_htaccess_names_its_host_in_one_place() -> None:
    text = HTACCESS.read_text(encoding="utf-8")
    assert re.fullmatch(r"https://[a-z0-9.-]+(:[0-9]+)?(/[^/\s]+)*", default_host())
    targets = re.findall(r"^RewriteRule\s+\S+\s+(\S+)", text, flags=re.MULTILINE)
    redirects = [target for target in targets if target != "-"]
    assert redirects and all(target.startswith("%{ENV:RANKL_KG_HOST}/") for target in redirects)
    assert "RewriteEngine on" in text
    assert (W3ID_DIR / "README.md").is_file()


# --- Apache in front of a live server ---------------------------------------------------------


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until ``url`` answers (any status), failing with the log if the process ends."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"{process.args!r} ended with {process.returncode}:\n"
                f"{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            requests.get(url, timeout=5, allow_redirects=False)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    pytest.fail(
        f"{url} did not answer within {START_TIMEOUT_S} s:\n"
        f"{log.read_text(errors='replace')[-3000:]}"
    )


def apache_config(root: Path, port: int, host: str) -> str:
    """A private httpd.conf: own ServerRoot, PidFile and logs; the w3id folder with
    AllowOverride All."""
    modules = ["mpm_event", "authz_core", "alias", "rewrite", "headers", "setenvif"]
    lines = [
        f'ServerRoot "{root}"',
        f'DefaultRuntimeDir "{root}"',
        f'PidFile "{root}/httpd.pid"',
        f'ErrorLog "{root}/error.log"',
        "LogLevel warn rewrite:trace1",
        f"Listen 127.0.0.1:{port}",
        "ServerName 127.0.0.1",
        *(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so" for name in modules),
        f'DocumentRoot "{root}/htdocs"',
        "<Directory />\n  AllowOverride None\n  Require all denied\n</Directory>",
        f'Alias /rankl-kg "{W3ID_DIR}"',
        f'Alias /default-host/rankl-kg "{W3ID_DIR}"',
        f'<Directory "{W3ID_DIR}">\n  AllowOverride All\n  Require all granted\n</Directory>',
        f'SetEnvIf Request_URI "^/rankl-kg/" RANKL_KG_HOST={host}',
    ]
    if os.geteuid() == 0:  # the children leave root; the w3id folder is world-readable
        nobody = pwd.getpwnam("nobody")
        lines += ["User nobody", f"Group {grp.getgrgid(nobody.pw_gid).gr_name}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Deployment:
    """The live server and Apache in front of it."""

    server: str  # http://127.0.0.1:port of rankl-kg serve
    apache: str  # http://127.0.0.1:port of Apache
    release: Path  # the served release's folder

    def w3id(self, path: str) -> str:
        """The Apache URL of ``https://w3id.org/rankl-kg/<path>``."""
        return f"{self.apache}{W3ID_PATH}{path}"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not Path(APACHE).is_file():
        pytest.fail(
            "Apache httpd is not installed; run scripts/install-system-deps.sh (Debian apache2-bin)"
        )
    root = tmp_path_factory.mktemp("w3id")
    (root / "htdocs").mkdir()
    server_port, apache_port = free_port(), free_port()
    server = f"http://127.0.0.1:{server_port}"
    serve_log = root / "serve.log"
    command = serve_command(server_port, FIXTURE_CONTENT_DIR, root / "dist")
    with serve_log.open("wb") as log:
        serving = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"{server}/health", serving, serve_log)
        config = root / "httpd.conf"
        config.write_text(apache_config(root, apache_port, server), encoding="utf-8")
        check = subprocess.run(
            [APACHE, "-t", "-f", str(config)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr
        apache_log = root / "apache.log"
        with apache_log.open("wb") as log:
            apache = subprocess.Popen(
                [APACHE, "-f", str(config), "-DFOREGROUND"], stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_for(f"http://127.0.0.1:{apache_port}/", apache, apache_log)
            yield Deployment(
                server, f"http://127.0.0.1:{apache_port}", (root / "dist" / "current").resolve()
            )
        finally:
            stop(apache)
    finally:
        stop(serving)


def get(url: str, accept: str | None = None, follow: bool = True) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(url, headers=headers, allow_redirects=follow, timeout=60)


def redirected(response: requests.Response, status: int, location: str) -> None:
    """Assert the first hop of ``response`` was a ``status`` redirect to ``location``."""
    assert response.history, f"{response.url} was not redirected"
    first = response.history[0]
    assert (first.status_code, first.headers["Location"]) == (status, location)


def turtle_of(deployment: Deployment, path: str) -> Graph:
    """The server's own Turtle for ``path`` (without Apache)."""
    return Graph().parse(data=get(f"{deployment.server}/{path}?format=ttl").text, format="turtle")


@pytest.mark.integration
@pytest.mark.parametrize("accept", ["text/html", BROWSER_ACCEPT])
def test_html_clients_are_sent_to_the_entity_page(deployment: Deployment, accept: str) -> None:
    response = get(deployment.w3id(GENE_PATH), accept)
    redirected(response, 303, f"{deployment.server}/{GENE_PATH}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "TNFSF11" in response.text


@pytest.mark.integration
@pytest.mark.parametrize(("accept", "rdflib_format", "name"), RDF_TYPES)
def test_rdf_clients_are_sent_to_the_data(
    deployment: Deployment, accept: str, rdflib_format: str, name: str
) -> None:
    response = get(deployment.w3id(GENE_PATH), accept)
    redirected(response, 303, f"{deployment.server}/{GENE_PATH}?format={name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (GENE, RDFS.label, Literal("TNFSF11")) in graph
    assert len(graph) == len(turtle_of(deployment, GENE_PATH))


@pytest.mark.integration
def test_every_kind_of_entity_iri_resolves(deployment: Deployment) -> None:
    """One IRI of each kind in the served graph (ids with slashes too) reaches its data."""
    graph = pyoxigraph.Store()
    graph.load(path=deployment.release / "rankl-kg.ttl", format=pyoxigraph.RdfFormat.TURTLE)
    chosen: dict[str, str] = {}
    for quad in graph.quads_for_pattern(None, None, None):
        iri = quad.subject.value if isinstance(quad.subject, pyoxigraph.NamedNode) else ""
        kind = iri.removeprefix(BASE_IRI).split("/", 1)[0]
        if iri.startswith(BASE_IRI) and kind in ENTITY_KINDS:
            chosen[kind] = min(
                chosen.get(kind, iri), iri, key=lambda value: (-value.count("/"), value)
            )
    assert len(chosen) >= 8, f"the fixture graph has too few kinds: {sorted(chosen)}"
    for iri in chosen.values():
        response = get(deployment.w3id(iri.removeprefix(BASE_IRI)), "text/turtle")
        assert response.status_code == 200, iri
        subjects = set(Graph().parse(data=response.text, format="turtle").subjects())
        assert URIRef(iri) in subjects, iri


@pytest.mark.integration
@pytest.mark.parametrize(
    ("accept", "rdflib_format", "filename"),
    [
        ("text/turtle", "turtle", "rankl-kg-ontology.ttl"),
        ("application/rdf+xml", "xml", "rankl-kg-ontology.owl"),
    ],
)
def test_ontology_terms_lead_rdf_clients_to_the_ontology(
    deployment: Deployment, accept: str, rdflib_format: str, filename: str
) -> None:
    for path in ("ontology/Cancer", "ontology"):
        response = get(deployment.w3id(path), accept)
        redirected(response, 303, f"{deployment.server}/download/{filename}")
        assert response.status_code == 200
        assert response.content == (deployment.release / filename).read_bytes()
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (RKO.Cancer, RDF.type, OWL.Class) in graph
    assert (URIRef(f"{BASE_IRI}ontology"), RDF.type, OWL.Ontology) in graph


@pytest.mark.integration
def test_ontology_terms_lead_people_and_json_ld_clients_to_the_term(deployment: Deployment) -> None:
    page = get(deployment.w3id("ontology/Cancer"), "text/html")
    redirected(page, 303, f"{deployment.server}/ontology/Cancer")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    data = get(deployment.w3id("ontology/Cancer"), "application/ld+json")
    redirected(data, 303, f"{deployment.server}/ontology/Cancer?format=jsonld")
    assert (RKO.Cancer, RDF.type, OWL.Class) in Graph().parse(data=data.content, format="json-ld")


@pytest.mark.integration
@pytest.mark.parametrize(
    "name",
    [
        "rankl-kg.ttl",
        "rankl-kg.nt.gz",
        "rankl-kg.jsonld",
        CONTEXT_FILENAME,
        "rankl-kg-ontology.owl",
        "CHANGELOG.tsv",
    ],
)
def test_release_files_are_downloads(deployment: Deployment, name: str) -> None:
    for path in (name, f"download/{name}"):
        response = get(deployment.w3id(path))
        redirected(response, 302, f"{deployment.server}/download/{name}")
        assert response.status_code == 200
        assert response.content == (deployment.release / name).read_bytes()


@pytest.mark.integration
def test_the_published_context_iri_resolves_to_the_context(deployment: Deployment) -> None:
    response = get(deployment.w3id(CONTEXT_IRI.removeprefix(BASE_IRI)), "application/ld+json")
    assert response.status_code == 200
    assert response.json()["@context"]["gene"] == f"{BASE_IRI}gene/"


@pytest.mark.integration
def test_every_data_dump_of_the_void_description_resolves(deployment: Deployment) -> None:
    void = Graph().parse(
        data=get(f"{deployment.server}/.well-known/void", "text/turtle").text, format="turtle"
    )
    dumps = sorted(str(dump) for dump in void.objects(None, VOID.dataDump))
    assert dumps and all(dump.startswith(f"{BASE_IRI}download/") for dump in dumps)
    for dump in dumps:
        response = get(deployment.w3id(dump.removeprefix(BASE_IRI)))
        assert response.status_code == 200, dump
        assert response.content == (deployment.release / dump.rsplit("/", 1)[1]).read_bytes()


@pytest.mark.integration
def test_the_namespace_leads_to_the_query_page_or_the_void(deployment: Deployment) -> None:
    page = get(deployment.w3id(""), "text/html")
    redirected(page, 302, f"{deployment.server}/")
    assert page.status_code == 200
    void = get(deployment.w3id(""), "text/turtle")
    redirected(void, 303, f"{deployment.server}/.well-known/void")
    assert list(Graph().parse(data=void.text, format="turtle").subjects(RDF.type, VOID.Dataset))


@pytest.mark.integration
def test_the_sparql_endpoint_keeps_query_and_method(deployment: Deployment) -> None:
    query = f"ASK {{ <{GENE}> ?p ?o }}"
    accept = {"Accept": "application/sparql-results+json"}
    asked = requests.get(
        deployment.w3id("sparql"), params={"query": query}, headers=accept, timeout=60
    )
    assert asked.history[0].status_code == 307
    assert asked.json()["boolean"] is True
    posted = requests.post(
        deployment.w3id("sparql"), data={"query": query}, headers=accept, timeout=60
    )
    assert posted.history[0].status_code == 307
    assert posted.json()["boolean"] is True


@pytest.mark.integration
def test_redirects_allow_cross_origin_reads(deployment: Deployment) -> None:
    response = get(deployment.w3id(GENE_PATH), "text/turtle", follow=False)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.integration
def test_without_a_host_from_the_server_the_file_s_own_host_is_used(deployment: Deployment) -> None:
    response = get(
        f"{deployment.apache}/default-host{W3ID_PATH}{GENE_PATH}", "text/turtle", follow=False
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{default_host()}/{GENE_PATH}?format=ttl"
