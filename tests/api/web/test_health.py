"""/healthz: the store, its triple count, the build version."""

from __future__ import annotations

import httpx

from tests.api.conftest import Server


def test_healthz(client: httpx.Client, server: Server) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["version"] == (server.var_dir / "current" / "VERSION").read_text().strip()
    assert body["store_kind"] == server.backend and body["store_reachable"] is True
    if server.backend == "embedded":
        assert body["store"].startswith("embedded Oxigraph at ") and str(server.var_dir) in body["store"]
        assert body["query_workers"] == 2
    else:
        assert body["store"] == f"remote SPARQL 1.1 server at {server.store_url}/query"
        assert body["query_workers"] == 0
    assert body["triples"] > 0 and body["quads"] >= body["triples"]
    # two documents, the gazetteer, two sources of names (graph/names-*), graph/dataset and the ontology
    assert body["graphs"] == 7
    void_triples = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert int(void_triples["results"]["bindings"][0]["n"]["value"]) == body["triples"]
    assert client.head("/healthz").status_code == 200


def test_serve_built_the_graph_first(server: Server) -> None:
    """Embedded: `bri-kg serve` on an empty var/ builds before serving. Remote: it builds and loads
    nothing (the fixture deleted the build's local store after `bri-kg load`; serve did not re-make it)."""
    log = server.log.read_text(errors="replace")
    if server.backend == "embedded":
        assert "building first" in log
        assert log.index("Built ") < log.index("Serving on")
        assert (server.var_dir / "current" / "store").is_dir()
    else:
        assert "building first" not in log
        assert log.index("Loaded ") < log.index("Using the remote store at") < log.index("Serving on")
        assert not (server.var_dir / "current" / "store").exists()


def test_home_page_links(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).text
    for link in ("/sparql", "/search", "/ontology", "/dumps/", "/.well-known/void", "/openapi.json"):
        assert f'href="{link}"' in page
    assert client.get("/").json()["sparql"] == "/sparql"


def test_search_page(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "chengdu"}, headers={"Accept": "text/html"}).text
    assert 'href="/id/place/chengdu">Chengdu</a>' in page
