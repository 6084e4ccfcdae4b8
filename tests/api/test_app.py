"""The app factory in-process: settings-driven behaviour that the shared server does not cover."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from tests.api.conftest import ID, Server


def settings_for(server: Server, **overrides: object) -> ApiSettings:
    """An in-process app over the same store as the fixture server (its build, or its remote store)."""
    base = ApiSettings(
        root=server.root,
        var_dir=server.var_dir,
        dist_dir=server.dist_dir,
        query_workers=1,
        query_timeout_s=5,
        store=server.store_url,
    )
    return base.model_copy(update=overrides)


def test_service_federation_when_the_operator_allows_it(server: Server) -> None:
    """With allow_service, SERVICE reaches another endpoint (here: the test server, on loopback).

    Over a remote store the store itself makes the federated call (the Oxigraph server can)."""
    query = (
        f"SELECT ?label WHERE {{ SERVICE <{server.endpoint()}> "
        f"{{ <{ID}place/chengdu> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}"
    )
    with TestClient(create_app(settings_for(server, allow_service=True))) as client:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, response.text
        assert [b["label"]["value"] for b in response.json()["results"]["bindings"]] == ["Chengdu"]
        description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert "sd:BasicFederatedQuery" in description
    with TestClient(create_app(settings_for(server))) as client:
        assert client.get("/sparql", params={"query": query}).status_code == 403


def test_startup_fails_clearly_without_a_store(tmp_path: Path) -> None:
    settings = ApiSettings(root=tmp_path, var_dir=tmp_path / "var", dist_dir=tmp_path / "dist")
    with pytest.raises(RuntimeError, match="bri-kg build"), TestClient(create_app(settings)):
        pass


def test_small_row_cap_from_settings(server: Server) -> None:
    with TestClient(create_app(settings_for(server, max_result_rows=3))) as client:
        response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert len(response.json()["results"]["bindings"]) == 3
        assert response.headers["x-result-row-limit"] == "3"
