"""Where the entity index comes from: the build's file, or one the server writes when there is none."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from api.index.graph import GraphIndex, IndexMismatch
from api.index.source import write_from_embedded
from kg.config import PROJECT_ROOT
from kg.layout import INDEX_FILE
from tests.api.conftest import ID, Server, embedded_only


def copy_of_build(server: Server, target: Path) -> Path:
    """A var directory holding a copy of the fixture server's current build; returns that build."""
    build = target / "var" / "builds" / "copy"
    shutil.copytree(server.var_dir / "current", build, symlinks=True)
    (target / "var" / "current").symlink_to(Path("builds") / "copy")
    return build


def settings(var: Path, server: Server) -> ApiSettings:
    return ApiSettings(root=server.root, var_dir=var, dist_dir=var.parent / "dist", query_workers=1)


@embedded_only
def test_the_build_index_opens_at_once(server: Server, tmp_path: Path) -> None:
    build = copy_of_build(server, tmp_path)
    with TestClient(create_app(settings(tmp_path / "var", server))) as client:
        svc = client.app.state.services
        assert svc.live_index.ready.is_set() and svc.index.path == build / INDEX_FILE
        assert client.get("/healthz").json()["index"] == "ready"


@embedded_only
def test_a_store_without_an_index_gets_one_written(server: Server, tmp_path: Path) -> None:
    """An older build (or a benchmark store) has no index file: the server writes its own, in the
    background, in a child process, identical to the build's; and deletes it when it stops."""
    build = copy_of_build(server, tmp_path)
    reference = GraphIndex.open(build / INDEX_FILE, ID)
    (build / INDEX_FILE).unlink()
    with TestClient(create_app(settings(tmp_path / "var", server))) as client:
        hits = client.get("/api/search", params={"q": "chengdu"})  # waits for the index
        assert hits.status_code == 200 and hits.json()["items"][0]["entity"]["id"] == ID + "place/chengdu"
        written = client.app.state.services.index.path
        assert written.parent == tmp_path / "var" / "cache" and written.is_file()
        assert client.app.state.services.index.contents() == reference.contents()
    assert not written.exists()
    assert not (build / INDEX_FILE).exists()  # the build directory is never written to


@embedded_only
def test_an_index_for_another_id_base_is_refused(server: Server) -> None:
    with pytest.raises(IndexMismatch, match="id"):
        GraphIndex.open(server.var_dir / "current" / INDEX_FILE, "https://example.org/id/")


def _index_children() -> list[int]:
    """Processes of `bri-kg index` whose parent is this test process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"bri_kg\x00index" in cmdline:
            found.append(int(entry.name))
    return found


@embedded_only
def test_an_index_writer_ends_with_the_server_that_started_it(server: Server, tmp_path: Path) -> None:
    """A server stopped while its index is being written leaves no writer behind: cancelled, the child
    is killed; and a writer whose server was killed outright stops when its stdin pipe closes."""
    build = copy_of_build(server, tmp_path)

    async def cancel_midway() -> None:
        task = asyncio.ensure_future(write_from_embedded(build / "store", tmp_path / "index.sqlite", ID))
        deadline = time.monotonic() + 20
        while not _index_children():
            assert time.monotonic() < deadline, "the writer never started"
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_midway())
    assert _index_children() == []

    orphan = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom bri_kg.operations import _exit_when_stdin_closes\n"
         "_exit_when_stdin_closes()\ntime.sleep(60)"], stdin=subprocess.PIPE, cwd=PROJECT_ROOT)
    assert orphan.stdin is not None
    orphan.stdin.close()  # what the kernel does when the server that holds the other end dies
    assert orphan.wait(20) == 3
