"""Real servers for tests: processes on free loopback ports, started and stopped by fixtures."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout_s}s")


def oxigraph_binary() -> str:
    """The `oxigraph` server shipped by the PyPI package, installed beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server binary is missing: pip install oxigraph")
    return found


@contextmanager
def oxigraph_server(location: Path, timeout_s: int | None = None) -> Iterator[str]:
    """Run a read-write Oxigraph server on a free loopback port; yield its base URL.

    *timeout_s* is the server's own query time limit (``--timeout-s``): it stops queries that read
    the store, so work the API has given up on does not keep the server busy."""
    port = free_port()
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if timeout_s is not None:
        command += ["--timeout-s", str(timeout_s)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


VIRTUOSO_BINARY = "virtuoso-t"  # Debian's virtuoso-opensource (scripts/setup.sh installs it)
VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""
VIRTUOSO_USER = ("dba", "dba")  # a fresh database's administrator; loopback only


def virtuoso_binary() -> str | None:
    return shutil.which(VIRTUOSO_BINARY)


@contextmanager
def virtuoso_server(location: Path) -> Iterator[str]:
    """Run OpenLink Virtuoso (a fresh database in *location*) on free loopback ports; yield its base URL
    (SPARQL at /sparql, the Graph Store Protocol with digest authentication at /sparql-graph-crud-auth)."""
    binary = virtuoso_binary()
    if binary is None:
        raise RuntimeError("virtuoso-t is missing: install Debian's virtuoso-opensource (scripts/setup.sh does)")
    location.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    config = location / "virtuoso.ini"
    config.write_text(VIRTUOSO_INI.format(d=location, sql_port=free_port(), http_port=http_port))
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(config)], cwd=location,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # its HTTP server answers before SPARQL is ready: wait for a real answer
            if proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {proc.returncode}; see {location / 'virtuoso.log'}")
            try:
                if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"Virtuoso at {base} did not answer within 120 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
