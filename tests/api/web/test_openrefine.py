"""A real OpenRefine (Debian's ``openrefine`` package, installed by scripts/setup.sh) reconciles a
spreadsheet column against the service, as a user would from its menu "Reconcile > Start reconciling".

OpenRefine runs headless on a free loopback port with a private workspace; the test drives it through
its own HTTP commands (the ones its web client calls): create a project from a CSV, start the
reconciliation of a column against this server's /reconcile, wait for it, read the judged cells.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Server, embedded_only, free_port

OPENREFINE = Path("/usr/bin/openrefine")
needs_openrefine = pytest.mark.skipif(not OPENREFINE.exists() and not os.environ.get("CI"),
                                      reason="Debian's openrefine is not installed (scripts/setup.sh installs it)")
CSV = ("name,country\nChengdu,China\n成都,China\nchengdu city,China\nChinese Academy of Sciences,China\n"
       "Atlantis,Nowhere\n")


@pytest.fixture(scope="module")
def openrefine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workspace = tmp_path_factory.mktemp("openrefine")
    port = free_port()
    log = (workspace / "openrefine.log").open("wb")
    process = subprocess.Popen([str(OPENREFINE), "-i", "127.0.0.1", "-p", str(port), "-d", str(workspace),
                                "-x", "refine.headless=true"], stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/command/core/get-version", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("OpenRefine did not start: " + (workspace / "openrefine.log").read_text(errors="replace"))
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the launcher script and the JVM
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def _token(refine: httpx.Client) -> str:
    token: str = refine.get("/command/core/get-csrf-token").json()["token"]
    return token


def _project(refine: httpx.Client) -> str:
    created = refine.post(
        "/command/core/create-project-from-upload", params={"csrf_token": _token(refine)},
        files={"project-file": ("names.csv", CSV.encode(), "text/csv")},
        data={"project-name": "bri-kg reconciliation test", "format": "text/line-based/*sv",
              "options": json.dumps({"separator": ",", "headerLines": 1, "encoding": "UTF-8"})})
    assert created.status_code == 302, created.text
    return created.headers["location"].split("project=")[1]


def _reconcile(refine: httpx.Client, project: str, service: str, type_id: str | None) -> dict[str, dict]:
    config = {"mode": "standard-service", "service": service, "identifierSpace": "https://w3id.org/bri-kg/id/",
              "schemaSpace": "https://w3id.org/bri-kg/ontology#",
              "type": {"id": type_id, "name": type_id} if type_id else None,
              "autoMatch": True, "columnDetails": [], "limit": 0}
    started = refine.post("/command/core/reconcile", params={"project": project, "csrf_token": _token(refine)},
                          data={"columnName": "name", "config": json.dumps(config),
                                "engine": json.dumps({"facets": [], "mode": "row-based"})})
    assert started.status_code == 200 and "error" not in started.text, started.text
    deadline = time.monotonic() + 60
    while refine.get("/command/core/get-processes", params={"project": project}).json().get("processes"):
        assert time.monotonic() < deadline, "OpenRefine's reconciliation did not finish"
        time.sleep(0.3)
    rows = refine.get("/command/core/get-rows", params={"project": project, "start": 0, "limit": 50}).json()
    recons = rows["pool"]["recons"]
    return {row["cells"][0]["v"]: recons[str(row["cells"][0]["r"])] for row in rows["rows"]}


@needs_openrefine
@embedded_only
def test_openrefine_reconciles_a_column_with_ranked_typed_candidates(server: Server, openrefine: str) -> None:
    with httpx.Client(base_url=openrefine, timeout=30) as refine:
        project = _project(refine)
        cells = _reconcile(refine, project, server.url + "/reconcile", None)
    assert cells["Chengdu"]["j"] == "matched"
    assert cells["Chengdu"]["m"] == {"id": "place/chengdu", "name": "Chengdu", "types": ["City"], "score": 100}
    assert cells["成都"]["j"] == "matched" and cells["成都"]["m"]["id"] == "place/chengdu"
    fuzzy = cells["chengdu city"]
    assert fuzzy["j"] == "none" and fuzzy["c"][0]["id"] == "place/chengdu"  # a candidate, ranked, not a match
    assert fuzzy["c"][0]["score"] < 100
    assert cells["Atlantis"]["j"] == "none" and cells["Atlantis"]["c"] == []


@needs_openrefine
@embedded_only
def test_openrefine_reconciles_against_a_type(server: Server, openrefine: str) -> None:
    with httpx.Client(base_url=openrefine, timeout=30) as refine:
        cells = _reconcile(refine, _project(refine), server.url + "/reconcile", "Organization")
    # OpenRefine sends the type with type_strict "should": a City is still offered, ranked lower, never matched
    assert cells["Chengdu"]["j"] == "none", cells["Chengdu"]
    assert cells["Chengdu"]["c"][0]["id"] == "place/chengdu" and cells["Chengdu"]["c"][0]["score"] < 100
    assert cells["Chinese Academy of Sciences"]["j"] == "none"  # not in the test corpus: no exact organization
