"""The pages in a real headless browser (Debian chromium driven by Playwright).

The browser may reach only the live test server on 127.0.0.1: every other request is aborted
and counted, and the tests fail if there was one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.server.conftest import WEB_FIXTURE, LiveServer, make_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
#: Flags that keep chromium off the network and quiet in a sandbox without a GPU
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TYPED_QUERY = "SELECT ?gene ?label WHERE { ?gene a rko:Gene ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def web_server() -> Iterator[LiveServer]:
    """A live server over the web fixture graph."""
    # one browser runs every query from 127.0.0.1: lift the per-client budget, which a busy
    # machine could otherwise use up mid-module (the throttle has its own tests)
    app = make_app({"GRAPH_PATH": WEB_FIXTURE, "CLIENT_QUERY_SECONDS_PER_MINUTE": 3600.0})
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, with its background networking off."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/install-system-deps.sh "
            "(apt-get install -y chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: it is a test dependency, pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, web_server: LiveServer) -> Iterator[Page]:
    """A fresh page whose requests to any host but the test server are aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", only_loopback)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not outside, f"the page tried to reach other hosts: {outside}"
    assert not errors, f"script errors on the page: {errors}"


def root_of(server: LiveServer) -> str:
    """The URL of the query page."""
    return server.endpoint.removesuffix("sparql")


def test_type_a_query_run_it_and_see_the_rows(
    page: Page, web_server: LiveServer, tmp_path: Path
) -> None:
    page.goto(root_of(web_server))
    editor = page.locator("#query")
    editor.fill("")
    editor.press_sequentially(TYPED_QUERY)
    editor.press("Escape")
    editor.press("Control+Enter")
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert page.locator("#results thead th").all_inner_texts() == ["#", "?gene", "?label"]
    assert page.locator("#results tbody a[href='/gene/TNFSF11']").inner_text() == "gene:TNFSF11"
    assert "2 rows in" in page.locator("#status").inner_text()
    assert "PREFIX rko: <https://w3id.org/rankl-kg/ontology/>" in editor.input_value()
    page.screenshot(path=str(tmp_path / "query-page.png"), full_page=True)


def test_completion_offers_the_graphs_classes_from_void(page: Page, web_server: LiveServer) -> None:
    page.goto(root_of(web_server))
    page.locator("#terms-status").filter(has_text="from the graph's VoID").wait_for()
    editor = page.locator("#query")
    editor.fill("SELECT * WHERE { ?x a ")
    editor.press("End")
    editor.press_sequentially("rko:")
    option = page.locator(".completion li", has_text="rko:Gene")
    option.wait_for()
    assert "class · 2" in option.inner_text()
    assert page.locator(".completion li", has_text="property").count() == 0  # after "a"
    editor.press_sequentially("Ge")
    editor.press("Enter")
    assert editor.input_value().endswith("?x a rko:Gene")


def test_one_click_example_runs_and_downloads(page: Page, web_server: LiveServer) -> None:
    page.goto(root_of(web_server))
    page.get_by_role("button", name="Which gene encodes RANKL?").click()
    page.locator("#results tbody a[href='/gene/TNFSF11']").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="CSV").click()
    saved = Path(download_info.value.path())
    assert saved.read_text(encoding="utf-8").splitlines() == [
        "gene",
        "https://w3id.org/rankl-kg/gene/TNFSF11",
    ]


def test_entity_page_shows_the_network(page: Page, web_server: LiveServer, tmp_path: Path) -> None:
    page.goto(root_of(web_server) + "drug/denosumab")
    assert page.locator("h1").inner_text() == "denosumab"
    network = page.locator("svg#network")
    assert network.is_visible()
    assert network.locator("circle").count() == 3
    box = network.bounding_box()
    assert box is not None
    assert box["width"] > 600
    assert network.locator("text", has_text="targets").count() == 1
    page.screenshot(path=str(tmp_path / "entity-page.png"), full_page=True)
    network.locator("a[href='/protein/RANKL'] circle").click()
    page.wait_for_url("**/protein/RANKL")
    assert page.locator("h1").inner_text() == "RANKL"


def test_a_bad_query_shows_the_servers_message(page: Page, web_server: LiveServer) -> None:
    page.goto(root_of(web_server))
    page.locator("#query").fill("SELECT ?x WHERE { ?x ")
    page.locator("#run").click()
    status = page.locator("#status.error")
    status.wait_for()
    assert "400" in status.inner_text()
    assert page.locator("#results tbody tr").count() == 0


def test_the_starting_query_answers_with_evidence(page: Page, web_server: LiveServer) -> None:
    page.goto(root_of(web_server))
    page.locator("#run").click()
    page.locator("#results tbody tr").first.wait_for()
    row = page.locator("#results tbody tr").first.inner_text()
    assert "disease:breast-carcinoma" in row
    assert "Breast carcinoma [51–56] [57–60]" in row


def test_construct_results_are_triples_with_rdf_downloads(
    page: Page, web_server: LiveServer
) -> None:
    page.goto(root_of(web_server))
    page.locator("#query").fill(
        "CONSTRUCT { ?drug rko:targets ?protein } WHERE { ?drug rko:targets ?protein }"
    )
    page.locator("#run").click()
    page.locator("#results tbody tr").first.wait_for()
    assert page.locator("#results thead th").all_inner_texts() == [
        "#",
        "subject",
        "predicate",
        "object",
    ]
    assert page.locator("#results tbody a[href='/drug/denosumab']").count() == 1
    formats = page.locator("#downloads button").all_inner_texts()
    assert formats == ["Turtle", "N-Triples", "JSON-LD", "RDF/XML"]
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Turtle").click()
    turtle = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "denosumab" in turtle


def test_search_box_suggests_as_you_type_and_opens_the_choice(
    page: Page, web_server: LiveServer, tmp_path: Path
) -> None:
    page.goto(f"{root_of(web_server)}gene/")
    box = page.locator("#site-search-input")
    box.press_sequentially("TRANC")
    options = page.locator("#site-search-list li[role=option]")
    options.first.wait_for()
    assert "TNFSF11" in options.first.inner_text()
    assert page.locator("#site-search-input").get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(tmp_path / "search-box.png"))
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/gene/TNFSF11")
    assert page.locator("h1").first.inner_text().startswith("TNFSF11")


def test_search_box_shows_a_refusal_and_enter_opens_the_search_page(
    page: Page, web_server: LiveServer
) -> None:
    page.goto(root_of(web_server))
    box = page.locator("#site-search-input")
    box.fill('"rank')
    page.locator("#site-search-list .message").filter(has_text="plain words").wait_for()
    box.fill("denosumab")
    box.press("Enter")
    page.wait_for_url("**/search?q=denosumab")
    assert page.locator(".search-results li").count() >= 1


def test_home_page_schema_renders_and_index_pages_link_entities(
    page: Page, web_server: LiveServer, tmp_path: Path
) -> None:
    page.goto(root_of(web_server))
    schema = page.locator("svg#schema")
    schema.scroll_into_view_if_needed()
    box = schema.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    assert page.locator("svg#schema .node circle").count() >= 5
    assert page.locator("svg#schema path.edge").count() >= 3
    page.screenshot(path=str(tmp_path / "home-schema.png"), full_page=True)
    page.locator("#browse .kind-list a", has_text="drug").click()
    page.wait_for_url("**/drug/")
    page.locator("table.entity-index a", has_text="denosumab").click()
    page.wait_for_url("**/drug/denosumab")
    assert "denosumab" in page.locator("h1").first.inner_text()
