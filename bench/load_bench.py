"""Load benchmark: a crowd of clients against a real server for minutes, and the capacity under a
p95 of one second.

Two measurements against ``bri-kg serve`` on loopback, over the project's corpus (built once into
``bench/out/load/``) or any build (``--var-dir``), with a mix of what clients ask: search, entity
view and page, paths, timeline, statistics, named queries, SPARQL, /healthz, VoID.

1. **Crowd** (closed loop): ``--clients`` clients (50) each sending the next request as soon as the
   last is answered, for ``--seconds`` (300); a 503 is honoured as it asks (the client waits
   Retry-After). Reported: answers per second, p50/p95/p99 latency, every non-200 by status, and
   the server's memory (RSS of the server and its workers, summed) sampled every 10 s: it must stay
   flat.
2. **Capacity** (open loop): requests sent at a fixed rate whatever the answers, one step per rate
   (``--rates``, ``--step-seconds`` each); the capacity is the highest rate whose p95 stays under 1 s
   with under 1 % errors.

One command reproduces ``bench/RESULTS-load.md``: ``.venv/bin/python -m bench.load_bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

from bench import peers
from bench.analyst_mix import analyst_requests
from bench.api_bench import machine
from kg.config import CANONICAL_BASE
from kg.layout import INDEX_FILE, current_build
from kg.vocab.namespaces import BRI

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR = ROOT / "bench" / "out" / "load" / "var"
SPARQL = {
    "SPARQL SELECT (conferences)": "PREFIX bri: <https://w3id.org/bri-kg/ontology#> "
    "SELECT ?c ?start WHERE { ?c a bri:Conference ; bri:startDate ?start } ORDER BY ?start LIMIT 100",
    "SPARQL ASK": "ASK { ?s a <https://w3id.org/bri-kg/ontology#Alliance> }",
}


@dataclass
class Run:
    """What one phase saw: latencies of answers, statuses, memory samples (s, MiB)."""

    seconds: float = 0.0  # from the first request sent to the last answer
    planned: float = 0.0  # how long requests were being sent (open loop)
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    memory: list[tuple[float, float]] = field(default_factory=list)

    def record(self, status: str, seconds: float) -> None:
        self.statuses[status] += 1
        self.latencies.append(seconds)

    @property
    def answered(self) -> int:
        return self.statuses["200"]

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != "200")

    def quantile_ms(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def mix(build_dir: Path) -> list[str]:
    """The request paths, sampled from the build's entity index (the analyst mix where it finds its samples)."""
    id_base = CANONICAL_BASE + "id/"
    try:
        paths = list(analyst_requests(build_dir, id_base).values())
    except LookupError:  # a corpus without the synthetic one's shape: sample a conference and a path here
        paths = _sampled(build_dir, id_base)
    paths += ["/sparql?" + urlencode({"query": q}) for q in SPARQL.values()]
    return [*paths, "/healthz", "/.well-known/void"]


def _sampled(build_dir: Path, id_base: str) -> list[str]:
    db = sqlite3.connect(f"file:{build_dir / INDEX_FILE}?mode=ro", uri=True)
    row = db.execute(
        """WITH u(a, b) AS (SELECT s, o FROM edge UNION SELECT o, s FROM edge)
           SELECT x.a, y.b, e.label FROM u x JOIN u y ON y.a = x.b JOIN entity e ON e.iri = x.a
           WHERE y.b != x.a AND x.a IN (SELECT iri FROM type WHERE type = ?) ORDER BY x.a, y.b LIMIT 1""",
        (BRI + "Conference",)).fetchone()
    if row is None:
        raise LookupError("the corpus has no conference with a path of length 2")
    ident, far, label = row[0].removeprefix(id_base), row[1].removeprefix(id_base), row[2]
    return [
        "/api/search?" + urlencode({"q": label.split()[-1]}),
        "/api/search?" + urlencode({"q": label}),
        "/api/entities/" + quote(ident),
        "/id/" + quote(ident),
        "/api/paths?" + urlencode({"from": ident, "to": far}),
        "/api/timeline?limit=100",
        "/api/statistics?limit=100",
        "/api/queries/conferences/run?limit=100",
        "/api/queries/entity-evidence/run?" + urlencode({"entity": ident}),
    ]


def rss_mib(pid: int) -> float:
    """Resident memory of *pid* and its descendants, summed (shared pages counted in each: an upper bound)."""
    total = 0
    for current in peers.descendants(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


async def _send(client: httpx.AsyncClient, path: str, run: Run) -> float:
    """One request; returns how long the server asked to wait (Retry-After of a 503), else 0."""
    started = time.perf_counter()
    try:
        response = await client.get(path)
        status = str(response.status_code)
        wait = float(response.headers.get("retry-after", 0)) if response.status_code == 503 else 0.0
    except httpx.HTTPError as exc:
        status, wait = type(exc).__name__, 0.0
    run.record(status, time.perf_counter() - started)
    return wait


async def _sample_memory(pid: int, run: Run, every: float, stop: asyncio.Event) -> None:
    began = time.perf_counter()
    while not stop.is_set():
        run.memory.append((time.perf_counter() - began, rss_mib(pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
    run.memory.append((time.perf_counter() - began, rss_mib(pid)))


async def crowd(url: str, paths: list[str], clients: int, seconds: float, pid: int, sample_s: float = 10) -> Run:
    run = Run()
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one(offset: int, client: httpx.AsyncClient) -> None:
        n = offset
        while time.perf_counter() < deadline:
            wait = await _send(client, paths[n % len(paths)], run)
            n += 1
            if wait:
                await asyncio.sleep(min(wait, max(0.0, deadline - time.perf_counter())))

    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        sampler = asyncio.create_task(_sample_memory(pid, run, sample_s, stop))
        started = time.perf_counter()
        await asyncio.gather(*[one(k, client) for k in range(clients)])
        run.seconds = time.perf_counter() - started
        stop.set()
        await sampler
    return run


async def steady(url: str, paths: list[str], rate: float, seconds: float) -> Run:
    """Open loop: a request every 1/rate s whatever the answers (queueing shows as latency)."""
    run = Run(planned=seconds)
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=128)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        tasks = []
        for n in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(_send(client, paths[n % len(paths)], run)))
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - started
    return run


def sustained(run: Run) -> bool:
    """The server kept up: done within a second of the last request sent (no backlog building up),
    p95 under 1 s, under 1 % errors."""
    return (run.seconds <= run.planned + 1.0 and run.quantile_ms(0.95) < 1000
            and run.errors <= 0.01 * len(run.latencies))


def capacity(steps: list[tuple[float, Run]]) -> float | None:
    """The highest rate sustained, every lower one too (None if not even the first)."""
    best = None
    for rate, run in steps:
        if not sustained(run):
            break
        best = rate
    return best


def ensure_build(var_dir: Path) -> Path:
    from kg.config import Settings

    settings = Settings(var_dir=var_dir, dist_dir=var_dir.parent / "dist")
    if current_build(settings) is None:
        env = {**os.environ, "BRI_KG_VAR_DIR": str(var_dir), "BRI_KG_DIST_DIR": str(var_dir.parent / "dist")}
        subprocess.run([sys.executable, "-m", "bri_kg", "build"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    build = current_build(settings)
    assert build is not None
    return build.root


def _statuses(run: Run) -> str:
    return ", ".join(f"{status}: {n}" for status, n in sorted(run.statuses.items()) if status != "200") or "none"


def memory_verdict(run: Run, warm_s: float = 30.0) -> tuple[str, float]:
    """Growth from the first sample after warm-up to the last, in % (and a sentence)."""
    warm = [mib for t, mib in run.memory if t >= min(warm_s, run.memory[-1][0] / 2)] or [run.memory[-1][1]]
    growth = (warm[-1] - warm[0]) / warm[0] * 100 if warm[0] else 0.0
    return (f"after {warm_s:g} s of warm-up: {warm[0]:.0f} MiB, at the end {warm[-1]:.0f} MiB "
            f"({growth:+.1f} %), highest {max(m for _, m in run.memory):.0f} MiB"), growth


def render(args: argparse.Namespace, version: str, crowd_run: Run, steps: list[tuple[float, Run]]) -> str:
    cap = capacity(steps)
    verdict, _ = memory_verdict(crowd_run)
    lines = [
        "# Load benchmark", "",
        f"{time.strftime('%Y-%m-%d')}, {machine()}; build {version}; {args.workers} quick-lane workers "
        f"(defaults otherwise). Reproduce: `{' '.join(['.venv/bin/python -m bench.load_bench', *args.argv])}`.",
        "",
        f"## Crowd: {args.clients} clients for {crowd_run.seconds:.0f} s (closed loop, Retry-After honoured)", "",
        "| answers/s | p50 ms | p95 ms | p99 ms | requests | not 200 |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {crowd_run.answered / crowd_run.seconds:.1f} | {crowd_run.quantile_ms(0.5):.0f} | "
        f"{crowd_run.quantile_ms(0.95):.0f} | {crowd_run.quantile_ms(0.99):.0f} | {len(crowd_run.latencies)} | "
        f"{_statuses(crowd_run)} |", "",
        "Memory (RSS of the server and its worker processes, summed), every 10 s, MiB:", "",
        " ".join(f"{mib:.0f}" for _, mib in crowd_run.memory), "",
        f"Flat: {verdict}.", "",
        f"## Capacity (open loop, {args.step_seconds:g} s per rate)", "",
        "| offered req/s | answered/s | p50 ms | p95 ms | p99 ms | not 200 |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for rate, run in steps:
        lines.append(f"| {rate:g} | {run.answered / run.seconds:.1f} | {run.quantile_ms(0.5):.0f} | "
                     f"{run.quantile_ms(0.95):.0f} | {run.quantile_ms(0.99):.0f} | {_statuses(run)} |")
    lines += ["", f"**Capacity: {cap:g} requests/s with p95 under 1 s** (the highest rate kept up "
              "with: no backlog, under 1 % errors)" if cap is not None
              else "**Capacity: below the lowest rate tried**", ""]
    return "\n".join(lines)


Steps = list[tuple[float, Run]]


async def measure(url: str, pid: int, paths: list[str], args: argparse.Namespace) -> tuple[Run, Steps]:
    crowd_run = await crowd(url, paths, args.clients, args.seconds, pid)
    steps: list[tuple[float, Run]] = []
    for rate in args.rates:
        run = await steady(url, paths, rate, args.step_seconds)
        steps.append((rate, run))
        print(f"  {rate:g} req/s: p95 {run.quantile_ms(0.95):.0f} ms, not 200: {_statuses(run)}", flush=True)
        if run.quantile_ms(0.95) > 3000:  # far past capacity: higher rates only measure the queue
            break
    return crowd_run, steps


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--rates", type=lambda s: [float(r) for r in s.split(",")],
                        default=[10, 20, 40, 60, 80, 100, 120, 160])
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", type=Path, default=DEFAULT_VAR, help="a var/ with a build (built if missing)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-load.md")
    args = parser.parse_args(argv)
    args.argv = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("--out")]
    build_dir = ensure_build(args.var_dir)
    paths = mix(build_dir)
    with peers.ours(args.var_dir, workers=args.workers) as server:
        url = server.query_url.removesuffix("/sparql")
        print(f"{len(paths)} kinds of request; crowd of {args.clients} for {args.seconds:g} s ...", flush=True)
        crowd_run, steps = asyncio.run(measure(url, server.proc.pid, paths, args))
    version = (build_dir / "VERSION").read_text().strip()
    report = render(args, version, crowd_run, steps)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return report


if __name__ == "__main__":
    main()
