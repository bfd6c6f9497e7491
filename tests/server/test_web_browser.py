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
    from playwright.sync_api import Browser, Locator, Page, Route

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


def open_query_page(page: Page, server: LiveServer) -> None:
    """Open the query page and wait for YASGUI's editor."""
    page.goto(root_of(server))
    page.locator("#yasgui .yasqe .CodeMirror").wait_for()


def type_query(page: Page, text: str) -> None:
    """Replace the editor's query by typing ``text``; close any completion pop-up (Escape, which
    also leaves the editor) and come back to the editor."""
    page.locator(".tabPanel.active .yasqe .CodeMirror").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.keyboard.press("Escape")
    page.locator(".tabPanel.active .yasqe .CodeMirror textarea").focus()


def result_rows(page: Page) -> Locator:
    """The rows of YASR's results table in the shown tab (once there is one)."""
    rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
    rows.first.wait_for()
    return rows


def test_type_a_query_run_it_and_see_the_rows(
    page: Page, web_server: LiveServer, tmp_path: Path
) -> None:
    open_query_page(page, web_server)
    type_query(page, TYPED_QUERY)
    page.keyboard.press("Control+Enter")
    rows = result_rows(page)
    assert rows.count() == 2
    header = page.locator(".tabPanel.active .yasr table.dataTable thead th").all_inner_texts()
    assert [name.strip() for name in header][1:] == ["gene", "label"]
    query = page.evaluate(
        "document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()"
    )
    assert "PREFIX rko: <https://w3id.org/rankl-kg/ontology/>" in query  # added as it was typed
    page.screenshot(path=str(tmp_path / "query-page.png"), full_page=True)
    # a result IRI of ours opens its page on this server, not at w3id.org
    rows.locator("a.iri", has_text="gene:TNFSF11").click()
    page.wait_for_url("**/gene/TNFSF11")
    assert page.locator("h1").inner_text() == "TNFSF11"


def test_completion_offers_the_graphs_classes_from_void(page: Page, web_server: LiveServer) -> None:
    open_query_page(page, web_server)
    page.locator("#terms-status").filter(has_text="from the graph's VoID").wait_for()
    type_query(page, "SELECT * WHERE { ?x a rko:Ge")
    page.keyboard.press("End")
    page.keyboard.press("Control+Space")
    hint = page.locator(".CodeMirror-hints .CodeMirror-hint", has_text="rko:Gene")
    hint.wait_for()
    assert page.locator(".CodeMirror-hints .CodeMirror-hint").all_inner_texts() == ["rko:Gene"]


def test_one_click_example_opens_a_tab_runs_and_downloads(
    page: Page, web_server: LiveServer
) -> None:
    open_query_page(page, web_server)
    page.get_by_role("button", name="Which gene encodes RANKL?").click()
    rows = result_rows(page)
    assert "gene:TNFSF11" in rows.first.inner_text()
    assert page.locator(".tabsList .tab.active").inner_text().startswith("genes-encoding-rankl")
    with page.expect_download() as download_info:
        page.locator(".tabPanel.active .yasr_downloadIcon").click()
    saved = Path(download_info.value.path()).read_text(encoding="utf-8")
    # YASR's CSV quotes every value
    assert saved.splitlines() == ['"gene"', '"https://w3id.org/rankl-kg/gene/TNFSF11"']


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
    open_query_page(page, web_server)
    type_query(page, "SELECT ?x WHERE { ?x ")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    error = page.locator(".tabPanel.active .yasr .errorResult")
    error.wait_for()
    assert "Malformed query: error at 1:22" in error.inner_text()  # the server's 400 message


def test_the_starting_query_answers_with_evidence(page: Page, web_server: LiveServer) -> None:
    open_query_page(page, web_server)
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    row = result_rows(page).first.inner_text()
    assert "disease:breast-carcinoma" in row
    assert "Breast carcinoma [51–56] [57–60]" in row


def test_construct_results_show_as_triples(page: Page, web_server: LiveServer) -> None:
    open_query_page(page, web_server)
    type_query(
        page,
        "PREFIX rko: <https://w3id.org/rankl-kg/ontology/>\n"
        "CONSTRUCT { ?drug rko:targets ?protein } WHERE { ?drug rko:targets ?protein }",
    )
    page.keyboard.press("Control+Enter")
    rows = result_rows(page)  # YASR reads the Turtle into subject, predicate, object rows
    assert rows.count() == 1
    assert "denosumab" in rows.first.inner_text()


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
