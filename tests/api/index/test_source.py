"""Where the entity index comes from: the build's file, or one the server writes when there is none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from api.index.graph import GraphIndex, IndexMismatch
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
