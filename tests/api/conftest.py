"""A real server for the API tests, over each store: ``bri-kg serve`` in a subprocess on a free port.

The corpus is the shared fixture (tests/fixtures/mini) plus one more document of our own
(tests/api/fixtures/corpus: accented names, an alliance, a person, a second statistic, a
second named graph, and a gazetteer giving Chengdu its coordinates). The ``server`` fixture is
parametrized over the two stores, so every API test runs against both:

- ``embedded``: the server builds the corpus itself (``serve`` builds when there is no store);
- ``remote``: ``bri-kg build``, a real ``oxigraph serve`` on a free loopback port filled by
  ``bri-kg load --endpoint``, the build's local store deleted (a replica needs none), then
  ``bri-kg serve --store URL``.

Both run with small limits so the limit paths are quick to hit, and are stopped after the session.
Tests that exercise the embedded store's worker processes take ``embedded_only``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.servers import oxigraph_server

PROJECT = Path(__file__).resolve().parents[2]
MINI = PROJECT / "tests" / "fixtures" / "mini"
EXTRA = Path(__file__).parent / "fixtures" / "corpus"
QUERIES = PROJECT / "tests" / "fixtures" / "queries"
ID = "https://w3id.org/bri-kg/id/"
BRI = "https://w3id.org/bri-kg/ontology#"

TIMEOUT_S = 2.0
STORE_TIMEOUT_S = 3  # the Oxigraph server's own limit: it stops what the API has given up on
MAX_ROWS = 200
MAX_REQUEST_BYTES = 400_000  # above the default query size limit (256,000 bytes), so that one is reached
BODY_TIMEOUT_S = 2.0
BACKENDS = ["embedded", "remote"]
embedded_only = pytest.mark.parametrize("server", ["embedded"], indirect=True)


@dataclass(frozen=True)
class Server:
    url: str
    root: Path
    var_dir: Path
    dist_dir: Path
    env: dict[str, str]
    log: Path
    pid: int
    backend: str = "embedded"  # or "remote"
    store_url: str = ""  # the remote store's base URL

    def endpoint(self) -> str:
        return self.url + "/sparql"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_corpus(root: Path) -> None:
    """Mini fixture corpus + our extra document, with the project's ontology and shapes."""
    for sub in ("annotations", "sources", "gazetteer", "names"):
        target = root / "data" / sub
        target.mkdir(parents=True)
        for folder in (MINI / "data" / sub, EXTRA / sub):
            for path in folder.iterdir() if folder.is_dir() else []:
                shutil.copy(path, target / path.name)
    (root / "ontology").symlink_to(PROJECT / "ontology")
    (root / "shapes").symlink_to(PROJECT / "shapes")


def server_env(root: Path, var_dir: Path, dist_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRI_KG_")}
    env.update(
        {
            "BRI_KG_ROOT": str(root),
            "BRI_KG_VAR_DIR": str(var_dir),
            "BRI_KG_DIST_DIR": str(dist_dir),
            "BRI_KG_QUERIES_DIR": str(QUERIES),
            "BRI_KG_QUERY_TIMEOUT_S": str(TIMEOUT_S),
            "BRI_KG_MAX_RESULT_ROWS": str(MAX_ROWS),
            "BRI_KG_MAX_REQUEST_BYTES": str(MAX_REQUEST_BYTES),
            "BRI_KG_QUERY_WORKERS": "2",
            "BRI_KG_BODY_TIMEOUT_S": str(BODY_TIMEOUT_S),
            "NO_COLOR": "1",
        }
    )
    return env


def run_cli(args: list[str], env: dict[str, str], log: Path) -> None:
    """Run ``bri-kg ARGS`` to completion (output appended to *log*); fail the session if it fails."""
    with log.open("ab") as out:
        done = subprocess.run([sys.executable, "-m", "bri_kg", *args], cwd=PROJECT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, timeout=300, check=False)
    if done.returncode != 0:
        pytest.fail(f"bri-kg {' '.join(args)} failed:\n{log.read_text(errors='replace')[-4000:]}")


@contextmanager
def api_server(args: list[str], env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """``bri-kg serve ARGS`` on a free port until /healthz answers 200; yield (url, pid); stop it after."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bri_kg", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=PROJECT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not come up:\n{log.read_text(errors='replace')[-4000:]}")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # our own session: the server and its workers
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    backend: str = request.param
    base = tmp_path_factory.mktemp(f"api-server-{backend}")
    root, var_dir, dist_dir = base / "root", base / "var", base / "dist"
    make_corpus(root)
    env = server_env(root, var_dir, dist_dir)
    log = base / "server.log"
    with ExitStack() as stack:
        store_url = ""
        args: list[str] = []
        if backend == "remote":
            run_cli(["build"], env, log)
            store_url = stack.enter_context(oxigraph_server(base / "oxigraph", timeout_s=STORE_TIMEOUT_S))
            run_cli(["load", "--endpoint", store_url], env, log)
            shutil.rmtree(var_dir / "current" / "store")  # the API replica must not need (or build) one
            args = ["--store", store_url]
        url, pid = stack.enter_context(api_server(args, env, log))
        yield Server(url, root, var_dir, dist_dir, env, log, pid, backend, store_url)


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http
