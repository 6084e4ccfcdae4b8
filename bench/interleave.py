"""Peers asked in rotating order, query by query, on the same store; cold start timed by curl.

Measuring peers one after another, in separate time windows, lets the machine's load change between
them: on a shared machine that gave ratios no real difference could (ours 0.43x in-process). Here every
round asks each query of every peer before the next query, the order of the peers rotating from one
query to the next, so all of them see the same moment of the machine. The report gives each query's
median per peer, the geometric mean over queries of the ratio of those medians (every query weighs
the same, whatever its size), and pooled medians and p95s.
"""

from __future__ import annotations

import math
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from bench.latency import Latency

Ask = Callable[[str], object]


@dataclass
class Interleaved:
    """Each peer's latencies over the same rounds."""

    by_peer: dict[str, Latency] = field(default_factory=dict)
    failed: dict[str, set[str]] = field(default_factory=dict)  # peer -> queries it failed in the warm-up

    def common(self, a: str, b: str) -> list[str]:
        return sorted(set(self.by_peer[a].by_query) & set(self.by_peer[b].by_query))

    def geomean_ratio(self, a: str, b: str) -> float:
        """Geometric mean over the queries both answered of (a's median / b's median)."""
        ratios = [statistics.median(self.by_peer[a].by_query[q]) / statistics.median(self.by_peer[b].by_query[q])
                  for q in self.common(a, b)]
        return math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else float("nan")

    def worst_ratio(self, a: str, b: str) -> tuple[str, float]:
        """The query on which a is slowest relative to b, and that ratio of medians."""
        ratios = {q: statistics.median(self.by_peer[a].by_query[q]) / statistics.median(self.by_peer[b].by_query[q])
                  for q in self.common(a, b)}
        return max(ratios.items(), key=lambda kv: kv[1]) if ratios else ("", float("nan"))


def http_asker(client: httpx.Client, url: str, timeout_s: float) -> Ask:
    def ask(sparql: str) -> bytes:
        response = client.post(url, data={"query": sparql}, headers={"Accept": "application/sparql-results+json"},
                               timeout=timeout_s)
        response.raise_for_status()
        return response.content
    return ask


def in_process_asker(store: ox.Store) -> Ask:
    def ask(sparql: str) -> bytes:
        out = store.query(sparql).serialize(format=ox.QueryResultsFormat.JSON)
        assert out is not None
        return out
    return ask


def measure(peers: dict[str, Ask], mix: dict[str, str], reps: int) -> Interleaved:
    """One warm-up round (a peer's failures there leave that query out for it), then *reps* rounds; in
    each, every query is asked of every peer, the peers' order rotating from one query to the next."""
    result = Interleaved({name: Latency() for name in peers}, {name: set() for name in peers})
    names = list(peers)
    for name, ask in peers.items():
        for query, sparql in mix.items():
            try:
                ask(sparql)
            except (httpx.HTTPError, OSError, RuntimeError, SyntaxError):
                result.failed[name].add(query)
                result.by_peer[name].failures += 1
    turn = 0
    for _ in range(reps):
        for query, sparql in mix.items():
            turn += 1
            for name in names[turn % len(names):] + names[:turn % len(names)]:
                if query in result.failed[name]:
                    continue
                started = time.perf_counter()
                try:
                    peers[name](sparql)
                except (httpx.HTTPError, OSError, RuntimeError, SyntaxError):
                    result.by_peer[name].failures += 1
                    continue
                result.by_peer[name].add(query, time.perf_counter() - started)
    return result


def cold_start(argv: list[str], url: str, env: dict[str, str], cwd: str, timeout_s: float = 120.0) -> float:
    """Seconds from starting *argv* to the first 200 from *url*, polled by curl from a shell loop (C-speed
    clients, not a Python poller competing with the server for the cores); the server is stopped after."""
    if shutil.which("curl") is None:
        raise RuntimeError("curl is needed to time a cold start")
    poll = f"until curl -sf -o /dev/null '{url}'; do sleep 0.01; done"
    started = time.perf_counter()
    server = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        subprocess.run(["bash", "-c", poll], timeout=timeout_s, check=True)
        return time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
