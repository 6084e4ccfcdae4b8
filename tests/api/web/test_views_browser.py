"""The analyst's views in a real browser: the system's headless Chromium driven by Playwright.

The server is ``bri-kg serve`` over the real corpus (``data/``: the 2025 conference with its five
alliances, the three conferences), built once per session by ``corpus_settings``. Every request the
pages make is checked: anything not on this loopback server is refused and fails the test, and so
does any console error. Each view's screenshot goes to ``$BRI_KG_SCREENSHOTS`` (``scripts/screenshots.sh``
sets it to docs/screenshots, which the README shows) or to a temporary folder.

The browser is the session's Debian Chromium (``tests/api/web/conftest.py``); nothing is downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kg.config import Settings
from tests.api.conftest import PROJECT, api_server
from tests.api.web.conftest import needs_chromium

CONFERENCE = "conference/2025-belt-and-road-science-and-technology-exchange-conference"
pytestmark = needs_chromium

# view name -> (path, a selector that says the view has drawn)
VIEWS = {
    "home": ("/", "main h1"),
    "search": ("/search?q=belt+and+road", "nav.facets"),
    "entity": (f"/id/{CONFERENCE}", "dl.keyfacts"),
    "person": ("/id/person/amandeep-gill", "ul.sentences"),
    "document": ("/id/document/chinanews-2025-06-12-chengdu-declaration", ".fulltext a.passage"),
    "documents": ("/documents", "#documents tbody tr"),
    "graph": (f"/graph?focus={CONFERENCE}", "#graph[data-ready=true]"),
    "paths": ("/paths?from=place/chengdu&to=person/amandeep-gill", "#paths[data-ready=true]"),
    "timeline": ("/timeline", "#timeline[data-ready=true] .vis-item"),
    "map": ("/map", "#map[data-ready=true] svg"),
    "statistics": ("/statistics", "#chart-1[data-ready=true] svg"),
    "queries": ("/queries", "ul.gallery li"),
    "query": ("/queries/statistics-by-conference", "#chart-1[data-ready=true] svg"),
    "sparql": ("/yasgui?autorun=1", ".yasr table tbody tr"),
    "docs": ("/docs", ".swagger-ui .opblock"),
    "redoc": ("/redoc", "[role=menuitem], .menu-content"),
}


@dataclass
class Watch:
    """What a page did that it must not: console errors, uncaught exceptions, requests to other hosts."""

    origin: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def corpus_server(corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRI_KG_")}
    env.update({"BRI_KG_ROOT": str(corpus_settings.root), "BRI_KG_VAR_DIR": str(corpus_settings.var_dir),
                "BRI_KG_DIST_DIR": str(corpus_settings.dist_dir), "BRI_KG_QUERIES_DIR": str(PROJECT / "queries"),
                "BRI_KG_QUERY_WORKERS": "2", "NO_COLOR": "1"})
    log = tmp_path_factory.mktemp("corpus-server") / "server.log"
    with api_server([], env, log) as (url, _pid):
        yield url


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ["BRI_KG_SCREENSHOTS"]) if os.environ.get("BRI_KG_SCREENSHOTS") else \
        tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: object, corpus_server: str) -> Iterator[tuple[object, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    watch = Watch(urlsplit(corpus_server).netloc)

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).netloc == watch.origin or url.startswith(("data:", "blob:", "about:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            watch.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    yield tab, watch
    context.close()


def visit(page: object, base: str, path: str, ready: str) -> None:
    response = page.goto(base + path)  # type: ignore[attr-defined]
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.wait_for_selector(ready, timeout=20_000)  # type: ignore[attr-defined]


@pytest.mark.parametrize("view", list(VIEWS))
def test_view_renders_offline_without_errors(view: str, page: tuple[object, Watch], corpus_server: str,
                                              shots: Path) -> None:
    tab, watch = page
    path, ready = VIEWS[view]
    visit(tab, corpus_server, path, ready)
    tab.wait_for_timeout(150)  # type: ignore[attr-defined]  # late requests (fonts, workers) would show here
    tab.screenshot(path=str(shots / f"{view}.png"))  # type: ignore[attr-defined]
    assert watch.outside == [], f"{view} asked another host: {watch.outside}"
    assert watch.errors == [], f"{view} logged errors: {watch.errors}"


def test_graph_around_the_2025_conference_shows_its_five_alliances(page: tuple[object, Watch],
                                                                    corpus_server: str) -> None:
    tab, watch = page
    visit(tab, corpus_server, f"/graph?focus={CONFERENCE}", "#graph[data-ready=true]")
    alliances = tab.evaluate(  # type: ignore[attr-defined]
        "window.briGraph.nodes().filter(n => n.data('kind') === 'alliance').map(n => n.data('label')).sort()")
    assert len(alliances) == 5 and all("Alliance on" in a for a in alliances), alliances
    launched = tab.locator("#edge-list li", has_text="launched at")  # type: ignore[attr-defined]
    assert launched.count() >= 5
    tab.uncheck("#filters input[data-relation$='launchedAt']")  # type: ignore[attr-defined]  # the filter hides them
    shown = "window.briGraph.nodes().filter(n => n.data('kind') === 'alliance' && !n.hasClass('hidden')).length"
    assert tab.evaluate(shown) == 0  # type: ignore[attr-defined]
    assert tab.locator("#edge-list li", has_text="launched at").count() == 0  # type: ignore[attr-defined]
    assert watch.errors == [] and watch.outside == []


def test_timeline_lists_the_three_conferences_in_date_order(page: tuple[object, Watch], corpus_server: str) -> None:
    tab, _ = page
    visit(tab, corpus_server, "/timeline", "#timeline[data-ready=true] .vis-item")
    items = tab.evaluate(  # type: ignore[attr-defined]
        """[...document.querySelectorAll('#timeline .vis-item.vis-point.kind-conference')]
             .map(e => [e.getBoundingClientRect().left, e.textContent.trim()]).sort((a, b) => a[0] - b[0])
             .map(x => x[1])""")
    assert items == [
        "First International Science Forum of National Scientific Organizations on the Belt and Road Initiative",
        "First Belt and Road Science and Technology Exchange Conference",
        "Second Belt and Road Science and Technology Exchange Conference",
    ]
    listed = tab.locator("#event-list li.kind-conference").all_text_contents()  # type: ignore[attr-defined]
    assert [t[:10] for t in listed] == ["2016-11-07", "2023-11-07", "2025-06-10"]


def test_map_shows_chengdu(page: tuple[object, Watch], corpus_server: str) -> None:
    tab, _ = page
    visit(tab, corpus_server, "/map", "#map[data-ready=true] svg")
    labels = tab.locator("#map svg text").all_text_contents()  # type: ignore[attr-defined]
    assert "Chengdu" in labels
    row = tab.locator("#place-table tr", has_text="Chengdu")  # type: ignore[attr-defined]
    assert "Second Belt and Road Science and Technology Exchange Conference" in row.first.text_content()


def test_gallery_runs_a_named_query_with_a_parameter(page: tuple[object, Watch], corpus_server: str) -> None:
    tab, _ = page
    visit(tab, corpus_server, "/queries", "ul.gallery li")
    tab.click("text=Alliances and their fields")  # type: ignore[attr-defined]
    tab.fill("#p-field", "topic/public-health")  # type: ignore[attr-defined]
    tab.click("button:has-text('Run')")  # type: ignore[attr-defined]
    tab.wait_for_selector("#results tbody tr")  # type: ignore[attr-defined]
    rows = tab.locator("#results tbody tr").all_text_contents()  # type: ignore[attr-defined]
    assert len(rows) == 1 and "Alliance on Public Health" in rows[0]
    assert "field=topic%2Fpublic-health" in tab.url  # type: ignore[attr-defined]
    yasgui = tab.get_attribute("a:has-text('Open in YASGUI')", "href")  # type: ignore[attr-defined]
    assert yasgui and "public-health" in yasgui


def test_search_facets_filter(page: tuple[object, Watch], corpus_server: str) -> None:
    tab, _ = page
    visit(tab, corpus_server, "/search?q=alliance", "nav.facets")
    facet = tab.locator("nav.facets a[data-type=Alliance]")  # type: ignore[attr-defined]
    count = int(facet.locator(".count").text_content())
    facet.click()
    tab.wait_for_url("**type=Alliance**")  # type: ignore[attr-defined]
    hits = tab.locator("ol.hits li")  # type: ignore[attr-defined]
    assert hits.count() == count == 5
    assert all("Alliance" in badges for badges in hits.all_text_contents())
    assert tab.locator("nav.facets a[aria-current]").first.get_attribute("data-type") == "Alliance"  # type: ignore[attr-defined]


def test_yasgui_result_iris_open_local_pages(page: tuple[object, Watch], corpus_server: str) -> None:
    tab, _ = page
    visit(tab, corpus_server, "/yasgui?autorun=1", ".yasr table tbody tr")
    hrefs = tab.eval_on_selector_all(".yasr table a", "links => links.map(a => a.getAttribute('href'))")  # type: ignore[attr-defined]
    ours = [h for h in hrefs if "conference/" in h]
    assert ours and all(h.startswith("/id/") for h in ours), hrefs


def test_unknown_path_is_the_404_page(page: tuple[object, Watch], corpus_server: str) -> None:
    tab, _ = page
    response = tab.goto(corpus_server + "/no/such/page")  # type: ignore[attr-defined]
    assert response.status == 404
    assert tab.locator("h1").text_content() == "Not found"  # type: ignore[attr-defined]
