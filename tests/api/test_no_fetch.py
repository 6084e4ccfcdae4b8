"""No query reaches the network, however it is spelled (security: SERVICE, FROM, LOAD, dataset params).

A loopback canary records every connection made to it. Each spelling in the corpus is sent to the
endpoint over both stores and must be refused or answered from local data, with the canary left
untouched. The embedded store's guarantee does not rest on reading the text: the query workers run
under a seccomp filter that refuses network sockets, shown by handing the same corpus straight to a
worker pool, past the endpoint's checks; a pool allowed the network (the operator's opt-in for
SERVICE) does reach the canary, so the test can fail.
"""

from __future__ import annotations

import asyncio
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.store.embedded.pool import WorkerPool
from tests.api.conftest import Server, embedded_only


class Canary(http.server.ThreadingHTTPServer):
    """An HTTP server on loopback that counts every connection and request it receives."""

    daemon_threads = True

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), _CanaryHandler)

    def process_request(self, request, client_address):  # type: ignore[no-untyped-def]
        self.connections += 1
        super().process_request(request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def touched(self) -> bool:
        return self.connections > 0 or bool(self.requests)


class _CanaryHandler(http.server.BaseHTTPRequestHandler):
    def _record(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _record

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[Canary]:
    server = Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def service_spellings(url: str) -> list[str]:
    """Ways to write a federated query: each must be refused without a connection to *url*."""
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/plain> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/lower> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE SILENT <{url}/silent> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{url}/nospace>{{?s ?p ?o}} }}",
        # the hole: a prefixed name ending in an escaped '#' hid the rest of the line from the lexer
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ?p ?o . ?s ex:a\\# ?x . "
        f"SERVICE <{url}/escape> {{ ?a ?b ?c }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\\#b ?o SERVICE <{url}/escape2> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o # a comment\n SERVICE <{url}/comment> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . \\u0053ERVICE <{url}/uescape> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . SERV\\u0049CE <{url}/uescape2> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ ?s ?p ?o . SERVICE <{url}/subquery> {{ ?a ?b ?c }} }} LIMIT 1 }} }}",
        f"ASK {{ ?s ?p ?o . SERVICE <{url}/ask> {{ ?a ?b ?c }} }}",
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ ?s ?p ?o . SERVICE <{url}/construct> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}/variable> }} ?s ?p ?o . SERVICE ?e {{ ?a ?b ?c }} }}",
        f"PREFIX c: <{url}/> SELECT * WHERE {{ ?s ?p ?o . SERVICE c:pname {{ ?a ?b ?c }} }}",
        f"BASE <{url}/> SELECT * WHERE {{ ?s ?p ?o . SERVICE <relative> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<?s) SERVICE <{url}/after-filter> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p '''a\\''' . SERVICE <{url}/after-string> {{ ?a ?b ?c }} }}",
    ]


def dataset_spellings(url: str) -> list[str]:
    """Queries that name a remote graph: answered from the store's own graphs, never fetched."""
    return [
        f"SELECT * FROM <{url}/from> WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT * FROM NAMED <{url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
        f"DESCRIBE <{url}/describe>",
    ]


def test_no_spelling_of_service_reaches_the_network(server: Server, client: httpx.Client, canary: Canary) -> None:
    for query in service_spellings(canary.url):
        for send in (
            lambda q: client.get("/sparql", params={"query": q}),
            lambda q: client.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"}),
        ):
            response = send(query)
            assert 400 <= response.status_code < 500, (query, response.status_code, response.text)
    assert not canary.touched, canary.requests


def test_dataset_clauses_and_parameters_never_fetch(server: Server, client: httpx.Client, canary: Canary) -> None:
    for query in dataset_spellings(canary.url):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, (query, response.text)
    response = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": canary.url + "/dg",
                "named-graph-uri": canary.url + "/ng"},
    )
    assert response.status_code == 200, response.text
    for update in (f"LOAD <{canary.url}/load>", f"LOAD SILENT <{canary.url}/load> INTO GRAPH <http://x/g>"):
        assert client.post("/sparql", data={"update": update}).status_code == 405
        assert client.get("/sparql", params={"query": update}).status_code == 400
    assert not canary.touched, canary.requests


def test_named_query_parameters_cannot_smuggle_service(client: httpx.Client, canary: Canary) -> None:
    smuggled = f"x\" }} SERVICE <{canary.url}/param> {{ ?a ?b ?c }} #"
    response = client.get("/api/queries/entities-named/run", params={"text": smuggled})
    assert response.status_code == 200, response.text
    response = client.get("/api/queries/conferences-in-place/run", params={"place": f"{canary.url}/iri> }} SERVICE <x"})
    assert response.status_code == 400, response.text
    assert not canary.touched, canary.requests


def _run_on_pool(store_path: Path, network: bool, queries: list[str]) -> list[dict]:
    async def run() -> list[dict]:
        pool = WorkerPool(str(store_path), size=1, network=network)
        await pool.start()
        try:
            return [await pool.run({"op": "query", "query": q, "format": "json", "union": True}, 10.0)
                    for q in queries]
        finally:
            await pool.close()

    return asyncio.run(run())


@embedded_only
def test_query_workers_cannot_connect_whatever_the_text(server: Server, canary: Canary) -> None:
    """Past every check of the endpoint: the worker itself cannot open a network socket."""
    store = server.var_dir / "current" / "store"
    queries = [q for q in service_spellings(canary.url) if "\\u" not in q]  # Oxigraph rejects escaped keywords
    answers = _run_on_pool(store, network=False, queries=queries)
    assert not canary.touched, canary.requests
    assert not answers[0]["ok"] and "denied" in answers[0]["message"], answers[0]
    # the same worker allowed the network (BRI_KG_ALLOW_SERVICE) does reach it: the canary is live
    _run_on_pool(store, network=True, queries=[f"SELECT * WHERE {{ SERVICE <{canary.url}/allowed> {{ ?s ?p ?o }} }}"])
    assert canary.requests == ["POST /allowed"]


@embedded_only
def test_command_line_query_refuses_service(server: Server, canary: Canary) -> None:
    query = f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:a\\# ?x . SERVICE <{canary.url}/cli> {{ ?a ?b ?c }} }}"
    done = subprocess.run([sys.executable, "-m", "bri_kg", "query", query], env=server.env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2 and "SERVICE" in done.stderr, done.stderr
    assert not canary.touched, canary.requests
