"""/healthz: the store, its triple count, the build version."""

from __future__ import annotations

import httpx

from tests.api.conftest import Server


def test_healthz(client: httpx.Client, server: Server) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["version"] == (server.var_dir / "current" / "VERSION").read_text().strip()
    assert body["store"].startswith("embedded Oxigraph at ") and str(server.var_dir) in body["store"]
    assert body["triples"] > 0 and body["quads"] >= body["triples"]
    assert body["graphs"] == 3  # two documents and the ontology
    assert body["query_workers"] == 2
    void_triples = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert int(void_triples["results"]["bindings"][0]["n"]["value"]) == body["triples"]
    assert client.head("/healthz").status_code == 200


def test_serve_built_the_graph_first(server: Server) -> None:
    """The fixture starts `bri-kg serve` on an empty var/: it must have built before serving."""
    log = server.log.read_text(errors="replace")
    assert "building first" in log
    assert log.index("Built ") < log.index("Serving on")
    assert (server.var_dir / "current" / "store").is_dir()


def test_home_page_links(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).text
    for link in ("/sparql", "/search", "/ontology", "/dumps/", "/.well-known/void", "/openapi.json"):
        assert f'href="{link}"' in page
    assert client.get("/").json()["sparql"] == "/sparql"


def test_search_page(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "chengdu"}, headers={"Accept": "text/html"}).text
    assert 'href="/id/place/chengdu">Chengdu</a>' in page
