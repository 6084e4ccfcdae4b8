"""Scale-out, proven: two API replicas behind a real load balancer (nginx, from the Debian packages)
over one Oxigraph server; a client going through nginx sees one consistent service while first one
replica and then the other is restarted: every request answered 200, every answer the same.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import PROJECT, Server
from tests.servers import free_port

NGINX_CONF = """
daemon off;
{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    upstream bri_kg {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=1s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=1s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://bri_kg;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_set_header Host $host;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
# What each kind of request must answer, identically from either replica.
CHECKS = {
    "/api/search?q=chengdu": lambda r: r.content,
    "/api/entities/place/chengdu": lambda r: r.content,
    "/api/paths?from=place/chengdu&to=conference/mini-conference-2025": lambda r: r.content,
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D": lambda r: r.content,
    "/healthz": lambda r: {k: r.json()[k] for k in ("status", "version", "triples", "graphs", "entities",
                                                       "store_reachable", "store_kind")},
    "/dumps/": lambda r: r.content,
}


class Replica:
    """``bri-kg serve --store URL`` on a fixed port, stopped (SIGTERM, graceful) and started again at will."""

    def __init__(self, server: Server, port: int, log: Path):
        self.server, self.port, self.log = server, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bri_kg", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--store", self.server.store_url], cwd=PROJECT, env=self.server.env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/search?q=chengdu", timeout=5).status_code == 200:
                    return  # answering, index included
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, self.log.read_text(errors="replace")[-3000:]
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def _until_balanced_to(url: str, replica: Replica, within_s: float = 30.0) -> None:
    """Wait until the balancer hands a request to *replica* again (it marks a refusing server down for
    ``fail_timeout``): stopping the other one before would leave it no live server."""
    deadline = time.monotonic() + within_s
    with httpx.Client(base_url=url, timeout=10) as http:
        while not http.get("/healthz").headers.get("x-upstream", "").endswith(f":{replica.port}"):
            assert time.monotonic() < deadline, f"the balancer never sent a request to {replica.port}"
            time.sleep(0.05)


@contextmanager
def nginx(folder: Path, a: int, b: int) -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    user = "user root root;" if os.geteuid() == 0 else ""  # as root, workers would become nobody: our folders are 0700
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(d=folder, a=a, b=b, port=port, user=user))
    process = subprocess.Popen([binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.mark.parametrize("server", ["remote"], indirect=True)
def test_one_consistent_service_through_replica_restarts(server: Server, tmp_path: Path) -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (Debian's nginx package; scripts/setup.sh installs it)")
    replicas = [Replica(server, free_port(), tmp_path / f"replica-{n}.log") for n in "ab"]
    for replica in replicas:
        replica.start()
    stop = threading.Event()
    seen: list[tuple[str, int, object, str]] = []
    try:
        with nginx(tmp_path, replicas[0].port, replicas[1].port) as url:
            with httpx.Client(base_url=url, timeout=30) as http:
                reference = {path: check(http.get(path)) for path, check in CHECKS.items()}

            def client() -> None:
                with httpx.Client(base_url=url, timeout=30) as http:
                    while not stop.is_set():
                        for path, check in CHECKS.items():
                            response = http.get(path)
                            answer = check(response) if response.status_code == 200 else response.text[:300]
                            seen.append((path, response.status_code, answer, response.headers.get("x-upstream", "")))

            threads = [threading.Thread(target=client) for _ in range(3)]
            for thread in threads:
                thread.start()
            try:
                time.sleep(1)
                for replica in replicas:  # a rolling restart: one, then the other
                    replica.stop()
                    time.sleep(0.5)
                    replica.start()
                    _until_balanced_to(url, replica)  # as an operator would: the balancer sends it traffic again
                    time.sleep(0.5)
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
    finally:
        for replica in replicas:
            replica.stop()
    failed = [(path, status, answer) for path, status, answer, _ in seen if status != 200]
    differing = [(path, answer) for path, status, answer, _ in seen if status == 200 and answer != reference[path]]
    assert not failed, failed[:5]
    assert not differing, differing[:3]
    upstreams = {upstream.split(",")[-1].strip() for *_, upstream in seen}
    assert {f"127.0.0.1:{r.port}" for r in replicas} <= upstreams, upstreams  # both served, in turn
    assert len(seen) > 100, len(seen)
