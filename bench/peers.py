"""The systems a benchmark compares, each started for real on a free loopback port.

- ``ours``: ``bri-kg serve`` (FastAPI + worker processes over the embedded Oxigraph store);
- ``oxigraph``: the Oxigraph server (Rust) opened read-only on the very same store directory;
- ``rdflib``: rdflib-endpoint (FastAPI over rdflib's own engine), loaded from the same N-Quads;
- ``in-process``: pyoxigraph called directly, no HTTP: the engine's own limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.servers import free_port, oxigraph_binary

ROOT = Path(__file__).resolve().parent.parent
JSON_RESULTS = "application/sparql-results+json"


@dataclass
class Peer:
    name: str
    query_url: str
    proc: subprocess.Popen
    started_s: float  # from process start to its first successful answer

    def ask(self, client: httpx.Client, sparql: str, timeout_s: float) -> bytes:
        response = client.post(self.query_url, data={"query": sparql}, headers={"Accept": JSON_RESULTS},
                               timeout=timeout_s)
        response.raise_for_status()
        return response.content


def _wait(url: str, proc: subprocess.Popen, timeout_s: float, probe: dict | None = None) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}")
        try:
            if probe is None:
                ok = httpx.get(url, timeout=2).status_code == 200
            else:
                ok = httpx.post(url, data=probe, headers={"Accept": JSON_RESULTS}, timeout=60).status_code == 200
            if ok:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer within {timeout_s}s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def ours(var_dir: Path, workers: int = 2) -> Iterator[Peer]:
    port = free_port()
    env = {**os.environ, "BRI_KG_VAR_DIR": str(var_dir), "BRI_KG_DIST_DIR": str(var_dir.parent / "dist")}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bri_kg", "serve", "--port", str(port), "--workers", str(workers)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", proc, 300)
        yield Peer("ours", f"http://127.0.0.1:{port}/sparql", proc, time.perf_counter() - started)
    finally:
        _stop(proc)


def cold_start_ours(var_dir: Path, workers: int = 2) -> float:
    """Seconds from starting ``bri-kg serve`` to its first 200 from /healthz, polled by curl."""
    from bench.interleave import cold_start

    port = free_port()
    env = {**os.environ, "BRI_KG_VAR_DIR": str(var_dir), "BRI_KG_DIST_DIR": str(var_dir.parent / "dist")}
    argv = [sys.executable, "-m", "bri_kg", "serve", "--port", str(port), "--workers", str(workers)]
    return cold_start(argv, f"http://127.0.0.1:{port}/healthz", env, str(ROOT))


@contextmanager
def oxigraph(store_dir: Path) -> Iterator[Peer]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store_dir),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        _wait(url, proc, 60, probe={"query": "ASK {}"})
        yield Peer("oxigraph", url, proc, time.perf_counter() - started)
    finally:
        _stop(proc)


RDFLIB_SERVER = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
app = SparqlEndpoint(graph=ds, path="/sparql", enable_update=False, cors_enabled=False)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="error")
"""


@contextmanager
def rdflib_endpoint(nquads: Path, load_timeout_s: float) -> Iterator[Peer]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", RDFLIB_SERVER, str(nquads), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        _wait(url, proc, load_timeout_s, probe={"query": "ASK {}"})
        yield Peer("rdflib", url, proc, time.perf_counter() - started)
    finally:
        _stop(proc)


def descendants(pid: int) -> list[int]:
    """*pid* and every process below it (from each process's parent in /proc; a child started by
    another thread of the parent is missing from /proc/PID/task/PID/children)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def tree_peak_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and all its descendants, in MiB (summed: an upper bound,
    since pages the processes share are counted in each)."""
    total_kib = 0
    for current in descendants(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024
