"""Live reload: a server picks up new builds under load without a failed request, and every answer
comes from exactly one build.

A real server (``bri-kg serve``, polling ``var/current``) answers 10 clients while the corpus is
changed and rebuilt twice (``bri-kg build``). Each answer names its build (``X-Build-Version``) and
must agree with that build's own files: the triple count (SPARQL and /healthz), the dump's SHA-256,
the VoID file, the entity index (search finds the name only that build has). Then ``bri-kg reload``
(SIGHUP) and pruning: a build the server still uses is never deleted, however many builds follow.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.build.lease import lease_holders, running_servers
from kg.build.publish import prune_builds, switch_current
from kg.config import Settings
from tests.api.conftest import PROJECT, api_server, make_corpus, run_cli, server_env

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MARK = "Reloadmark"


@dataclass(frozen=True)
class BuildFacts:
    version: str
    triples: int
    nt_sha256: str
    void: str
    marker: str | None  # the alternative name only this build gives China

    @classmethod
    def read(cls, build: Path, marker: str | None) -> BuildFacts:
        sums = dict(reversed(line.split("  ")) for line in (build / "dist" / "SHA256SUMS").read_text().splitlines())
        counts = json.loads((build / "COUNTS.json").read_text())
        return cls((build / "VERSION").read_text().strip(), counts["triples"], sums["bri-kg.nt"],
                   (build / "dist" / "void.ttl").read_text(), marker)


@dataclass
class Reloading:
    url: str
    pid: int
    root: Path
    var_dir: Path
    env: dict[str, str]
    log: Path
    builds: dict[str, BuildFacts]

    def rebuild(self, marker: str) -> BuildFacts:
        """Give China one more alternative name, *marker*, and build: a new version with one more triple."""
        path = self.root / "data" / "annotations" / "mini.yaml"
        text = path.read_text()
        text = text.replace("    label: China\n", f"    label: China\n    alt: [{marker}]\n", 1) if "alt: [" not in \
            text.split("label: China", 1)[1][:40] else text.replace(text.split("alt: [", 1)[1].split("]")[0], marker, 1)
        path.write_text(text)
        run_cli(["build"], self.env, self.log)
        facts = BuildFacts.read((self.var_dir / "current").resolve(), marker)
        self.builds[facts.version] = facts
        return facts


@pytest.fixture(scope="module")
def reloading(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reloading]:
    base = tmp_path_factory.mktemp("reload")
    root, var_dir = base / "root", base / "var"
    make_corpus(root)
    env = {**server_env(root, var_dir, base / "dist"), "BRI_KG_RELOAD_POLL_S": "0.3"}
    log = base / "server.log"
    run_cli(["build"], env, log)
    first = BuildFacts.read((var_dir / "current").resolve(), None)
    with api_server([], env, log) as (url, pid):
        yield Reloading(url, pid, root, var_dir, env, log, {first.version: first})


def check(http: httpx.Client, builds: dict[str, BuildFacts], n: int) -> tuple[str, str | None]:
    """One request of the mix; (the build it names, a problem or None)."""
    kind = n % 5
    if kind == 0:
        response = http.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    elif kind == 1:
        response = http.get("/healthz")
    elif kind == 2:
        response = http.get("/dumps/bri-kg.nt", headers={"Accept-Encoding": "identity"})
    elif kind == 3:
        response = http.get("/.well-known/void", headers={"Accept": "text/turtle", "Accept-Encoding": "identity"})
    else:
        response = http.get("/api/search", params={"q": MARK})
    version = response.headers.get("x-build-version", "")
    if response.status_code != 200:
        return version, f"{response.request.url.path}: {response.status_code} {response.text[-400:]}"
    facts = builds.get(version)
    if facts is None:
        return version, None  # a build finished a moment ago: checked once its facts are read (below)
    got: object
    if kind == 0:
        got, want = int(response.text.split()[1]), facts.triples
    elif kind == 1:
        got, want = (response.json()["version"], response.json()["triples"]), (facts.version, facts.triples)
    elif kind == 2:
        got, want = hashlib.sha256(response.content).hexdigest(), facts.nt_sha256
    elif kind == 3:  # the build's void.ttl, plus the triple naming this server's own endpoint
        served, built = _triples(response.text), _triples(facts.void)
        got, want = served & built, built
    else:
        got = [hit["matched_label"] for hit in response.json()["items"]]
        want = [facts.marker] if facts.marker else []
    return version, None if got == want else f"{response.request.url.path} from {version}: {got!r} != {want!r}"


def _triples(turtle: str) -> set[str]:
    return {str(t) for t in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)}


def wait_for(http: httpx.Client, version: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while http.get("/healthz").json()["version"] != version:
        assert time.monotonic() < deadline, f"the server did not switch to {version}"
        time.sleep(0.1)


def test_two_rebuilds_under_load_fail_no_request(reloading: Reloading) -> None:
    stop = threading.Event()
    results: list[tuple[str, str | None]] = []
    deferred: list[tuple[str, str | None]] = []

    def client(k: int) -> None:
        n = k
        with httpx.Client(base_url=reloading.url, timeout=30) as http:
            while not stop.is_set():
                results.append(check(http, reloading.builds, n))
                n += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(10)]
    for thread in threads:
        thread.start()
    try:
        with httpx.Client(base_url=reloading.url, timeout=30) as http:
            time.sleep(0.5)
            for marker in (MARK + "One", MARK + "Two"):
                facts = reloading.rebuild(marker)
                wait_for(http, facts.version)
                time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    with httpx.Client(base_url=reloading.url, timeout=30) as http:  # answers that named a build not yet read
        deferred = [check(http, reloading.builds, n) for n in range(5)]
    problems = [p for _, p in results + deferred if p]
    versions = {v for v, _ in results}
    print(f"{len(results)} requests over {len(versions)} builds, {len(problems)} failed or inconsistent")
    assert not problems, problems[:10]
    assert versions == set(reloading.builds), (versions, set(reloading.builds))  # each of the 3 builds answered
    assert len(results) > 200, len(results)
    log = reloading.log.read_text(errors="replace")
    assert log.count("closed the previous build") >= 1 and "Traceback" not in log


def publish_copy(r: Reloading) -> Path:
    """A new build directory (a copy of the current one) published the way ``bri-kg build`` does it:
    ``var/current`` switched, then old builds pruned."""
    settings = Settings(root=r.root, var_dir=r.var_dir, dist_dir=r.var_dir.parent / "dist")
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() // 1000 % 1_000_000:06d}-copy"
    target = r.var_dir / "builds" / stamp
    shutil.copytree((r.var_dir / "current").resolve(), target, ignore=shutil.ignore_patterns("leases"))
    switch_current(settings, target)
    prune_builds(settings)
    return target


def serving(http: httpx.Client) -> str:
    """The build directory a server answers from (its store's path, in /healthz)."""
    return Path(http.get("/healthz").json()["store"].removeprefix("embedded Oxigraph at ")).parent.name


def test_reload_command_and_leases_keep_what_a_server_uses(reloading: Reloading) -> None:
    """A second server that does not poll keeps its build, and pruning keeps it for it, however many builds
    follow; ``bri-kg reload`` (SIGHUP to every registered server) moves both; then the old build goes."""
    old = (reloading.var_dir / "current").resolve()
    env = {**reloading.env, "BRI_KG_RELOAD_POLL_S": "0"}
    with api_server([], env, reloading.log) as (url, pid), httpx.Client(base_url=url, timeout=30) as second, \
            httpx.Client(base_url=reloading.url, timeout=30) as first:
        assert sorted(lease_holders(old)) == sorted([reloading.pid, pid])
        for _ in range(3):
            newest = publish_copy(reloading)
            deadline = time.monotonic() + 30
            while serving(first) != newest.name:  # the first server follows var/current by itself
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert serving(second) == old.name and old.is_dir()  # outside the newest 3, kept: leased
        assert second.get("/dumps/bri-kg.nt").status_code == 200
        assert lease_holders(old) == [pid]
        done = subprocess.run([sys.executable, "-m", "bri_kg", "reload"], cwd=PROJECT, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stderr.count("serving ") == 2, done.stderr
        assert serving(second) == newest.name
        deadline = time.monotonic() + 30
        while lease_holders(old):  # released once its requests are done
            assert time.monotonic() < deadline
            time.sleep(0.1)
        publish_copy(reloading)
        assert not old.exists()
    assert pid not in running_servers(reloading.var_dir)  # a stopped server is no longer signalled
