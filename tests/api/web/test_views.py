"""The views' pages and their JSON over HTTP, against both stores (the browser tests use the real corpus)."""

from __future__ import annotations

import httpx

from tests.api.conftest import ID

HTML = "text/html"
CONFERENCE = "conference/mini-conference-2026"


def page(client: httpx.Client, path: str, status: int = 200) -> str:
    response = client.get(path, headers={"Accept": HTML})
    assert response.status_code == status, (path, response.status_code, response.text[:300])
    return response.text


def test_graph_json_collapses_and_labels(client: httpx.Client) -> None:
    graph = client.get("/api/graph", params={"focus": CONFERENCE}).json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes[ID + CONFERENCE]["depth"] == 0
    assert nodes[ID + "alliance/mini-food-security-alliance"]["kind"] == "alliance"
    launched = [e for e in graph["edges"] if e["label"] == "launched at"]
    assert launched and launched[0]["source"] == ID + "alliance/mini-food-security-alliance"
    assert {"relation", "label", "count"} <= set(graph["relations"][0])
    assert client.get("/api/graph", params={"focus": CONFERENCE, "hops": 2, "max_nodes": 2}).json()["truncated"]
    assert client.get("/api/graph", params={"focus": "place/atlantis"}).status_code == 404
    assert client.get("/api/graph", params={"focus": CONFERENCE, "hops": 3}).status_code == 422


def test_map_json_has_the_gazetteer_coordinates(client: httpx.Client) -> None:
    places = client.get("/api/map").json()
    [chengdu] = [p for p in places["points"] if p["label"] == "Chengdu"]
    assert round(chengdu["lat"], 2) == 30.67 and round(chengdu["long"], 2) == 104.07
    assert any(t["id"] == ID + CONFERENCE and t["relation"] == "held in" for t in chengdu["things"])


def test_map_lists_the_places_it_cannot_draw(client: httpx.Client) -> None:
    """No place goes unnoticed: those the gazetteer has no coordinates or country code for are listed."""
    places = client.get("/api/map").json()
    drawn = {p["id"] for p in places["points"] + places["countries"]}
    unplaced = places["unplaced"]
    assert all(p["lat"] is None and p["iso_numeric"] is None and p["id"] not in drawn for p in unplaced)
    hits = client.get("/api/search", params={"q": "a", "type": "https://w3id.org/bri-kg/ontology#Place",
                                             "limit": 100}).json()["items"]
    known = {h["entity"]["id"] for h in hits}
    assert known, "the search finds places to check against"
    assert known <= drawn | {p["id"] for p in unplaced}, known - drawn


def test_openapi_documents_the_view_endpoints(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/graph" in paths and "/api/map" in paths


def test_search_page_facets_paging_and_hints(client: httpx.Client) -> None:
    text = page(client, "/search?q=mini")
    assert 'aria-label="Filter by type"' in text and 'data-type="Alliance"' in text
    filtered = page(client, "/search?q=mini&type=Alliance")
    assert "Mini Food Security Alliance" in filtered and "Second Mini Science Conference</a>" not in filtered
    assert "matched “Second Mini Conference”" in page(client, "/search?q=second+mini+conference")  # an alt name
    empty = page(client, "/search?q=chengdoo")
    assert "Nothing matches" in empty and "Names that begin alike" in empty and ">Chengdu</a>" in empty
    assert "remove the type filter" in page(client, "/search?q=mini&type=Person")


def test_fact_sheet_and_document_pages(client: httpx.Client) -> None:
    sheet = page(client, f"/id/{CONFERENCE}")
    assert 'class="keyfacts"' in sheet and "2026-05-20 – 2026-05-22" in sheet
    assert f'href="/graph?focus={CONFERENCE}"' in sheet and f'href="/timeline?focus={CONFERENCE}"' in sheet
    assert sheet.count("Delegates at the Second Mini Science Conference") == 1  # statistics once
    document = page(client, "/id/document/second-bulletin")
    assert 'class="fulltext"' in document and '<a class="passage"' in document
    assert "<mark>More than 1,200 delegates attended the Second Mini Science Conference.</mark>" in document
    assert 'href="/id/alliance/mini-food-security-alliance">Mini Food Security Alliance</a>' in document  # supports


def test_view_pages_answer(client: httpx.Client) -> None:
    for path in ("/graph", f"/graph?focus={CONFERENCE}", "/paths?from=place/chengdu&to=" + CONFERENCE, "/timeline",
                 "/map", "/statistics", f"/statistics?about={CONFERENCE}", "/documents", "/queries",
                 "/queries/conferences-in-place?run=1&place=place/chengdu"):
        page(client, path)
    assert "Second Mini Science Conference" in page(client, "/queries/conferences-in-place?run=1&place=place/chengdu")
    assert 'role="alert"' in page(client, "/queries/conferences-in-place?run=1&place=not%20an%20iri", 400)
    page(client, "/queries/no-such-query", 404)
    page(client, "/graph?focus=place/atlantis", 404)


def test_docs_are_served_locally(client: httpx.Client) -> None:
    docs, redoc = page(client, "/docs"), page(client, "/redoc")
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs and "cdn." not in docs
    assert "/static/redoc/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_unknown_paths_are_404_for_browsers_and_clients(client: httpx.Client) -> None:
    assert "There is no page at" in page(client, "/no/such/page", 404)
    assert client.get("/favicon.ico").status_code == 404
    assert client.get("/api/nothing").json() == {"detail": "Not Found"}
    assert client.options("/no/such/page").status_code == 404
    options = client.options("/api/search")
    assert options.status_code == 204 and "GET" in options.headers["allow"]
