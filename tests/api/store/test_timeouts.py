"""Per-query timeouts that really stop the work, while other clients keep being answered.

On both stores a query that overruns is a prompt 503 and other clients are not held up. Only the
embedded store can stop *any* query (it kills the worker process); a remote server stops a query
at its own time limit only where it checks it (Oxigraph: on storage reads), so the in-memory
runaway is an embedded-only test and the shared ones use a query that reads the store as it goes.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from api.store.embedded.pool import WORKER_MODULE
from tests.api.conftest import TIMEOUT_S, Server, embedded_only

# An in-memory cross product: Oxigraph's own timeout (checked on storage reads) would not stop it.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# Paths over everything, grouped: minutes of work that keeps reading the store, so an Oxigraph
# server's own --timeout-s stops it too (the remote fixture sets one).
SLOW = (
    "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a (!<x:none>|^!<x:none>)* ?b . ?b (!<x:none>)* ?c } GROUP BY ?a"
)
QUICK = "ASK { ?s ?p ?o }"


def worker_processes(server_pid: int) -> list[int]:
    """PIDs of the query worker processes of our test server (its children running the worker module)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
                status = (proc / "status").read_text()
            except OSError:
                continue
            parent = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")), 0)
            if WORKER_MODULE.encode() in cmdline and parent == server_pid:
                pids.append(int(proc.name))
    return pids


def wait_for_idle_workers(client: httpx.Client, count: int, timeout: float = 45.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        health = client.get("/healthz").json()
        if health["idle_workers"] >= count or health["store_kind"] == "remote" or time.monotonic() > deadline:
            return health
        time.sleep(0.1)


@embedded_only  # counts and replaces the embedded store's worker processes
def test_runaway_query_is_stopped_while_quick_queries_are_answered(server: Server, client: httpx.Client) -> None:
    wait_for_idle_workers(client, 3)
    killed_before = client.get("/healthz").json()["killed_queries"]
    workers_before = set(worker_processes(server.pid))

    def runaway() -> tuple[httpx.Response, float]:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=60) as own:
            response = own.get("/sparql", params={"query": RUNAWAY})
        return response, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=4) as pool:
        slow = pool.submit(runaway)
        time.sleep(0.3)  # let it reach a worker

        def quick() -> float:
            started = time.monotonic()
            with httpx.Client(base_url=server.url, timeout=30) as own:
                response = own.get("/sparql", params={"query": QUICK})
            assert response.status_code == 200 and response.json()["boolean"] is True
            return time.monotonic() - started

        quick_times = list(pool.map(lambda _: quick(), range(6)))
        assert not slow.done(), "the runaway query should still be running"
        response, elapsed = slow.result()

    assert max(quick_times) < 1.0, quick_times
    assert response.status_code == 503
    assert "ran longer than" in response.text and "stopped" in response.text
    assert not response.text.startswith("{")  # an error message, never a partial result
    assert TIMEOUT_S - 0.1 <= elapsed < TIMEOUT_S + 3

    health = wait_for_idle_workers(client, 3)
    assert health["killed_queries"] == killed_before + 1
    assert health["idle_workers"] == 3  # the quick lane's two, and a spare for a query that runs long
    workers_after = set(worker_processes(server.pid))  # (plus any long-lane ones earlier tests left idle)
    assert len(workers_after) <= len(workers_before)  # replaced, not leaked
    assert workers_after != workers_before  # the overrunning worker is gone
    assert client.get("/sparql", params={"query": QUICK}).status_code == 200


def test_slow_query_is_a_503_while_quick_queries_are_answered(server: Server, client: httpx.Client) -> None:
    wait_for_idle_workers(client, 2)

    def slow() -> tuple[httpx.Response, float]:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=60) as own:
            response = own.get("/sparql", params={"query": SLOW})
        return response, time.monotonic() - started

    def quick() -> float:
        started = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=30) as own:
            response = own.get("/sparql", params={"query": QUICK})
        assert response.status_code == 200 and response.json()["boolean"] is True
        return time.monotonic() - started

    with ThreadPoolExecutor(max_workers=4) as pool:
        pending = pool.submit(slow)
        time.sleep(0.3)
        quick_times = list(pool.map(lambda _: quick(), range(6)))
        response, elapsed = pending.result()
    assert max(quick_times) < 1.0, quick_times
    assert response.status_code == 503, response.text
    assert response.text.startswith("Query timeout: the query ran longer than")
    assert TIMEOUT_S - 0.1 <= elapsed < TIMEOUT_S + 3
    wait_for_idle_workers(client, 2)
    assert client.get("/healthz").json()["status"] == "ok"


def test_timeout_also_applies_to_aggregates_via_post(client: httpx.Client) -> None:
    started = time.monotonic()
    response = client.post("/sparql", content=SLOW.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 503
    assert time.monotonic() - started < TIMEOUT_S + 3
    wait_for_idle_workers(client, 2)
