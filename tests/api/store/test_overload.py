"""Overload is answered fast and honestly: a full queue is a 503 with Retry-After at once, the time
limit counts execution and not the wait for a worker, and /healthz and what the entity index answers
(search) never wait behind SPARQL queries. On a real pool and through the HTTP endpoint."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.store.embedded.pool import WorkerPool
from api.store.errors import Overloaded
from tests.api.conftest import Server, embedded_only
from tests.api.store.test_workers import counting, job


@pytest.fixture
def store_path(server: Server) -> Path:
    return server.var_dir / "current" / "store"


@embedded_only
def test_the_time_limit_counts_execution_not_waiting(store_path: Path) -> None:
    async def run() -> tuple[float, list[float], list[bool]]:
        pool = WorkerPool(str(store_path), size=1, budget_s=60.0)  # one worker: jobs queue behind each other
        await pool.start()
        try:
            await pool.run(job(counting(150)), 60.0)  # warm
            started = time.monotonic()
            assert (await pool.run(job(counting(150)), 60.0))["ok"]
            alone = time.monotonic() - started

            async def timed() -> tuple[float, bool]:
                began = time.monotonic()
                answer = await pool.run(job(counting(150)), 1.6 * alone)
                return time.monotonic() - began, answer["ok"]

            results = await asyncio.gather(*[timed() for _ in range(4)])
            return alone, [r[0] for r in results], [r[1] for r in results]
        finally:
            await pool.close()

    alone, elapsed, ok = asyncio.run(run())
    assert all(ok), (alone, elapsed)  # each answered: its limit started when a worker took it ...
    assert max(elapsed) > 2 * alone, (alone, elapsed)  # ... although the last waited far longer than the limit


@embedded_only
def test_a_full_queue_is_refused_at_once_with_retry_after(store_path: Path) -> None:
    async def run() -> tuple[list[object], float]:
        pool = WorkerPool(str(store_path), size=1, budget_s=60.0, queue_limit=2)
        await pool.start()
        try:
            running = [asyncio.ensure_future(pool.run(job(counting(200)), 30.0)) for _ in range(3)]
            deadline = time.monotonic() + 10
            while pool.queued < 2 and time.monotonic() < deadline:  # one running, two queued
                await asyncio.sleep(0.01)
            started = time.monotonic()
            refused = await asyncio.gather(pool.run(job("ASK {}"), 30.0), return_exceptions=True)
            waited = time.monotonic() - started
            return [*await asyncio.gather(*running, return_exceptions=True), refused[0]], waited
        finally:
            await pool.close()

    results, waited = asyncio.run(run())
    assert [r["ok"] for r in results[:3]] == [True, True, True]  # type: ignore[index]
    refusal = results[3]
    assert isinstance(refusal, Overloaded) and refusal.status == 503 and refusal.retry_after_s >= 1
    assert "already waiting" in str(refusal)
    assert waited < 0.2


@embedded_only
def test_a_crowd_gets_fast_503s_while_health_and_search_answer(server: Server, client: httpx.Client) -> None:
    slow = counting(110) + f" # crowd {time.time()}"  # a text of its own: not yet known to run long
    start = threading.Barrier(48)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)

    with httpx.Client(base_url=server.url, timeout=60, limits=limits) as crowd_client:
        def sparql(_: int) -> tuple[int, float, str | None]:
            start.wait()  # all at once
            started = time.monotonic()
            response = crowd_client.get("/sparql", params={"query": slow})
            return response.status_code, time.monotonic() - started, response.headers.get("retry-after")

        with ThreadPoolExecutor(48) as pool:
            crowd = pool.map(sparql, range(48))
            time.sleep(0.3)
            probes = []
            for _ in range(5):
                for path in ("/healthz", "/api/search?q=conference"):
                    started = time.monotonic()
                    assert client.get(path).status_code == 200
                    probes.append(time.monotonic() - started)
            answers = list(crowd)
    statuses = [status for status, _, _ in answers]
    assert set(statuses) <= {200, 503}, statuses
    refused = [(elapsed, retry) for status, elapsed, retry in answers if status == 503]
    assert refused, "48 clients at once on 2 quick workers and a queue of 16: some are turned away"
    assert all(retry is not None for _, retry in refused)
    assert min(elapsed for elapsed, _ in refused) < 1.0, refused  # at once, not after the query timeout
    assert statuses.count(200) >= 2
    assert max(probes) < 1.0, [(i % 2, round(p, 3)) for i, p in enumerate(probes)]  # never behind the SPARQL queue
