"""Worker processes dying, and runaway queries: no request is lost to either.

- A read-only query whose worker dies under it runs again on another worker and is answered; a
  query under which workers keep dying gets a 503 that says how they died, never a 500, and is
  then refused at once rather than run again. Shown on a real pool over the built store (the test
  kills the worker running the query) and through the HTTP endpoint (idle workers killed).
- Four clients sending runaway queries over and over do not hold up quick queries: their p95
  stays under a second (they go to the long-query lane, or are stopped when it is full).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.store.contract import SelectResult
from api.store.embedded.pool import WorkerPool
from api.store.errors import WorkerFailure
from tests.api.conftest import Server, embedded_only
from tests.api.store.test_timeouts import RUNAWAY, worker_processes

QUICK = "ASK { ?s ?p ?o }"


def counting(n: int) -> str:
    """A query that computes for about a second or two whatever the data: n^3 rows counted."""
    values = " ".join(str(i) for i in range(n))
    return ("SELECT (COUNT(*) AS ?n) WHERE { "
            + " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abc") + " }")


def job(query: str) -> dict:
    return {"op": "select", "query": query, "union": True, "max_rows": 10, "substitutions": {}}


async def kill_running(pool: WorkerPool, after_s: float, times: int) -> int:
    """Kill the worker running a job, *times* times (each time as soon as one runs, *after_s* into it)."""
    killed = 0
    deadline = time.monotonic() + 30
    while killed < times and time.monotonic() < deadline:
        pids = pool.busy_pids()
        if pids:
            await asyncio.sleep(after_s)
            for pid in pool.busy_pids():
                os.kill(pid, signal.SIGKILL)
            killed += 1
            while set(pool.busy_pids()) & set(pids):
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
    return killed


@pytest.fixture
def store_path(server: Server) -> Path:
    return server.var_dir / "current" / "store"


@embedded_only
def test_a_query_whose_worker_dies_is_run_again(store_path: Path) -> None:
    async def run() -> tuple[dict, int, int]:
        pool = WorkerPool(str(store_path), size=2)
        await pool.start()
        try:
            answer, killed = await asyncio.gather(pool.run(job(counting(200)), 60.0), kill_running(pool, 0.3, 1))
            return answer, killed, pool.retried
        finally:
            await pool.close()

    answer, killed, retried = asyncio.run(run())
    assert killed == 1 and retried == 1
    assert answer["ok"] and SelectResult.from_answer(answer).rows[0]["n"].value == str(200**3)


@embedded_only
def test_a_query_that_keeps_killing_workers_is_a_503_naming_the_cause(store_path: Path) -> None:
    async def run() -> tuple[WorkerFailure, WorkerFailure, float]:
        pool = WorkerPool(str(store_path), size=2)
        await pool.start()
        try:
            query = job(counting(201))
            first = await asyncio.gather(pool.run(query, 60.0), kill_running(pool, 0.3, 2), return_exceptions=True)
            started = time.monotonic()
            again = await asyncio.gather(pool.run(query, 60.0), return_exceptions=True)
            refused_after = time.monotonic() - started
            assert (await pool.run(job(QUICK), 10.0))["ok"]  # the pool itself is fine
            return first[0], again[0], refused_after  # type: ignore[return-value]
        finally:
            await pool.close()

    failure, refused, refused_after = asyncio.run(run())
    assert isinstance(failure, WorkerFailure) and failure.status == 503
    assert "die 2 times" in str(failure) and "killed by signal SIGKILL" in str(failure), failure
    assert isinstance(refused, WorkerFailure) and "not run again" in str(refused)
    assert refused_after < 0.5  # refused at once, not run (and no worker lost)


@embedded_only
def test_dead_idle_workers_cost_no_request(server: Server, client: httpx.Client) -> None:
    for pid in worker_processes(server.pid):  # every worker, idle: the pool finds out when it hands out a job
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: client.get("/sparql", params={"query": QUICK}), range(24)))
    assert [r.status_code for r in responses] == [200] * 24, [r.text for r in responses if r.status_code != 200]
    health = client.get("/healthz").json()
    assert health["status"] == "ok"


@embedded_only
def test_workers_killed_under_a_request_give_a_503_not_a_500(server: Server) -> None:
    stop = threading.Event()

    def killer() -> None:  # kills every worker of the server, again and again, while the request runs
        while not stop.is_set():
            for pid in worker_processes(server.pid):
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)

    thread = threading.Thread(target=killer, daemon=True)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        thread.start()
        try:
            response = http.get("/sparql", params={"query": counting(150) + " # killed"})
        finally:
            stop.set()
            thread.join()
        assert response.status_code == 503, response.text
        assert "worker" in response.text and response.headers.get("retry-after")
        deadline = time.monotonic() + 20
        while http.get("/healthz").json()["idle_workers"] < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert http.get("/sparql", params={"query": QUICK}).status_code == 200


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


@embedded_only
def test_four_runaway_clients_do_not_starve_quick_queries(server: Server) -> None:
    stop = threading.Event()
    runaway_statuses: list[int] = []

    def runaway_client(n: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while not stop.is_set():
                response = http.get("/sparql", params={"query": RUNAWAY + f" # client {n}"})
                runaway_statuses.append(response.status_code)
                if response.status_code == 503:
                    time.sleep(min(float(response.headers.get("retry-after", "1")), 0.2))

    quick_times: list[float] = []
    quick_statuses: list[int] = []
    with ThreadPoolExecutor(5) as pool:
        runaways = [pool.submit(runaway_client, n) for n in range(4)]
        time.sleep(0.2)  # all four in flight first: the worst moment for a quick query
        with httpx.Client(base_url=server.url, timeout=30) as http:
            until = time.monotonic() + 6
            while time.monotonic() < until:
                for path, params in (("/sparql", {"query": QUICK}), ("/api/search", {"q": "conference"}),
                                     ("/id/place/chengdu", {}), ("/healthz", {})):
                    started = time.monotonic()
                    response = http.get(path, params=params, headers={"Accept": "text/turtle"})
                    quick_times.append(time.monotonic() - started)
                    quick_statuses.append(response.status_code)
        stop.set()
        for future in runaways:
            future.result()
    print(f"quick: {len(quick_times)} requests, p95 {_p95(quick_times):.3f} s, max {max(quick_times):.3f} s; "
          f"runaways: {len(runaway_statuses)} answered 503")
    assert set(quick_statuses) <= {200, 404}, quick_statuses
    assert _p95(quick_times) < 1.0, (round(_p95(quick_times), 3), round(max(quick_times), 3), len(quick_times))
    assert runaway_statuses and set(runaway_statuses) == {503}, runaway_statuses  # stopped, never a 500
