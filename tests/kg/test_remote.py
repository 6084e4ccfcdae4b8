"""Pushing a build into a real Oxigraph server keeps every named graph and fills the default graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kg.build.pipeline import build
from kg.config import PROJECT_ROOT, RemoteEndpoints, Settings
from kg.layout import current_build
from kg.publish.remote import RemoteLoadError, load_into_server
from tests.servers import free_port, oxigraph_server

COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def ask(endpoints: RemoteEndpoints, query: str) -> list[dict]:
    answer = httpx.post(endpoints.query_url, data={"query": query},
                        headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return answer.json()["results"]["bindings"]


def test_load_preserves_named_graphs_and_fills_the_default_graph(mini_settings: Settings, tmp_path: Path) -> None:
    result = build(mini_settings)
    build_dir = current_build(mini_settings)
    with oxigraph_server(tmp_path / "oxi") as base:
        endpoints = RemoteEndpoints.for_base(base)
        report = load_into_server(build_dir, endpoints)
        assert report.document_triples == result.counts["quads"]
        # loading twice replaces, never duplicates
        again = load_into_server(build_dir, endpoints)
        counts = {b["g"]["value"]: int(b["n"]["value"]) for b in ask(endpoints, COUNT_BY_GRAPH)}
        default = int(ask(endpoints, COUNT_DEFAULT)[0]["n"]["value"])
    assert again == report
    # the document's graph and graph/dataset (what every dump says of its licence and provenance)
    assert counts["https://w3id.org/bri-kg/graph/mini-report"] + counts["https://w3id.org/bri-kg/graph/dataset"] \
        == result.counts["quads"]
    assert counts["https://w3id.org/bri-kg/graph/ontology"] == report.ontology > 100
    # the default graph is the union as a set: what the embedded store answers from
    assert default == report.default == result.counts["triples"] + report.ontology


def test_without_the_default_graph(mini_settings: Settings, tmp_path: Path) -> None:
    build(mini_settings)
    build_dir = current_build(mini_settings)
    with oxigraph_server(tmp_path / "oxi") as base:
        endpoints = RemoteEndpoints.for_base(base)
        report = load_into_server(build_dir, endpoints, default_graph=False)
        assert report.default == 0
        assert ask(endpoints, COUNT_DEFAULT)[0]["n"]["value"] == "0"


def test_unreachable_server_is_a_clear_error(mini_settings: Settings) -> None:
    build(mini_settings)
    build_dir = current_build(mini_settings)
    endpoints = RemoteEndpoints.for_base(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(RemoteLoadError, match="could not reach"):
        load_into_server(build_dir, endpoints, timeout_s=2)


def test_endpoints_from_settings() -> None:
    oxigraph = Settings(store="http://db:7878/")
    assert RemoteEndpoints.from_settings(oxigraph) == RemoteEndpoints("http://db:7878/query", "http://db:7878/store")
    fuseki = Settings(store_query_url="http://f:3030/bri/sparql", store_graph_store_url="http://f:3030/bri/data")
    assert RemoteEndpoints.from_settings(fuseki) == RemoteEndpoints("http://f:3030/bri/sparql", "http://f:3030/bri/data")
    assert RemoteEndpoints.from_settings(oxigraph, graph_store_url="http://db:7878/gsp").graph_store_url == (
        "http://db:7878/gsp"
    )
    with pytest.raises(ValueError, match="no remote store"):
        RemoteEndpoints.from_settings(Settings())


def test_cli_load(mini_settings: Settings, tmp_path: Path) -> None:
    """`bri-kg load --endpoint URL` with the settings from the environment, as an operator runs it."""
    build(mini_settings)
    env = {"BRI_KG_ROOT": str(mini_settings.root), "BRI_KG_VAR_DIR": str(mini_settings.var_dir),
           "BRI_KG_DIST_DIR": str(mini_settings.dist_dir), "NO_COLOR": "1", "COLUMNS": "200"}
    with oxigraph_server(tmp_path / "oxi") as base:
        done = subprocess.run([sys.executable, "-m", "bri_kg", "load", "--endpoint", base], cwd=PROJECT_ROOT,
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert "Loaded 2 document graphs" in done.stderr and "the default graph" in done.stderr
        assert int(ask(RemoteEndpoints.for_base(base), COUNT_DEFAULT)[0]["n"]["value"]) > 0
    unreachable = subprocess.run([sys.executable, "-m", "bri_kg", "load", "--endpoint",
                                  f"http://127.0.0.1:{free_port()}"], cwd=PROJECT_ROOT, env=env,
                                 capture_output=True, text=True, timeout=120, check=False)
    assert unreachable.returncode == 1 and "could not reach" in unreachable.stderr
