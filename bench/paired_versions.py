"""Two versions of the API on the same store, asked interleaved request by request: did a change make
requests slower?

    git worktree add --detach /tmp/before cf5df1d      # the version to compare with
    .venv/bin/python -m bench.paired_versions --before /tmp/before --before-module kg.cli [--size 10000]

Each checkout is served by this project's virtualenv from its own directory (``python -m MODULE serve``;
before the CLI moved to ``bri_kg`` it was ``kg.cli``), over the cached benchmark store of ``bench.api_bench``.
Every round sends each request of the mix (the named queries as SPARQL, the analyst endpoints) to both
servers, alternating which goes first, so noise on this shared machine hits both alike. Printed: per-request
medians, their ratio after/before, the geometric mean of the ratios and the pooled medians.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.analyst_mix import analyst_requests
from bench.api_bench import named_queries, prepare
from bench.peers import _wait, free_port
from kg.config import PROJECT_ROOT, Settings

Request = tuple[str, str, str | None]  # method, path, SPARQL body


def serve(checkout: Path, module: str, env: dict[str, str]) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", module, "serve", "--port", str(port), "--workers", "2"],
                               cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait(f"{url}/healthz", process, 120)
    return url, process


def send(client: httpx.Client, request: Request) -> float:
    method, path, body = request
    started = time.perf_counter()
    if body is not None:
        response = client.post(path, content=body.encode(), headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    else:
        response = client.get(path, headers={"Accept": "text/html" if path.startswith("/id/") else "application/json"})
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout of the earlier version")
    parser.add_argument("--before-module", default="bri_kg",
                        help="its CLI module (kg.cli in versions before the bri_kg package)")
    parser.add_argument("--after", type=Path, default=PROJECT_ROOT, help="checkout of the later version")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    _, var, triples = prepare(args.size, 0)
    env = {**os.environ, "BRI_KG_VAR_DIR": str(var), "BRI_KG_DIST_DIR": str(var.parent / "dist"),
           "BRI_KG_QUERY_TIMEOUT_S": "30"}
    build = (var / "current").resolve()
    mix = named_queries(build / "store")
    requests: dict[str, Request] = {f"sparql:{k}": ("POST", "/sparql", v) for k, v in mix.items()}
    requests |= {f"api:{k}": ("GET", u, None) for k, u in analyst_requests(build, Settings().id_base).items()}
    servers = {"before": serve(args.before, args.before_module, env), "after": serve(args.after, "bri_kg", env)}
    clients = {name: httpx.Client(base_url=url, timeout=60) for name, (url, _) in servers.items()}
    samples: dict[tuple[str, str], list[float]] = {(n, s): [] for n in requests for s in servers}
    try:
        for round_ in range(args.rounds + 1):  # round 0 warms up
            order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
            for name, request in requests.items():
                for server in order:
                    elapsed = send(clients[server], request)
                    if round_:
                        samples[(name, server)].append(elapsed)
    finally:
        for _, process in servers.values():
            process.terminate()
    print(f"{triples} triples, {args.rounds} interleaved rounds; median ms before / after / ratio")
    ratios = []
    for name in requests:
        before = statistics.median(samples[(name, "before")]) * 1000
        after = statistics.median(samples[(name, "after")]) * 1000
        ratios.append(after / before)
        print(f"  {name:45s} {before:8.2f} {after:8.2f}  {after / before:5.2f}")
    print(f"geometric mean of after/before: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.3f}")
    pooled = {s: statistics.median(x for (_, t), v in samples.items() if t == s for x in v) * 1000 for s in servers}
    print(f"pooled median before {pooled['before']:.2f} ms, after {pooled['after']:.2f} ms")


if __name__ == "__main__":
    main()
