"""Pushing a build into a real Oxigraph server keeps every named graph."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kg.build import build, current_build
from kg.config import Settings
from kg.remote import RemoteEndpoints, RemoteLoadError, load_into_server
from tests.servers import free_port, oxigraph_server


def test_load_preserves_named_graphs(mini_settings: Settings, tmp_path: Path) -> None:
    result = build(mini_settings)
    build_dir = current_build(mini_settings)
    with oxigraph_server(tmp_path / "oxi") as base:
        endpoints = RemoteEndpoints.for_base(base)
        sizes = load_into_server(build_dir, endpoints, build_dir / "dist" / "ontology.ttl")
        assert sum(sizes.values()) == result.counts["quads"]
        # loading twice replaces, never duplicates
        load_into_server(build_dir, endpoints, build_dir / "dist" / "ontology.ttl")
        answer = httpx.post(endpoints.query_url, data={"query": (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")},
            headers={"Accept": "application/sparql-results+json"}).json()
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in answer["results"]["bindings"]}
    assert counts["https://w3id.org/bri-kg/graph/mini-report"] == result.counts["quads"]
    assert counts["https://w3id.org/bri-kg/graph/ontology"] > 100


def test_unreachable_server_is_a_clear_error(mini_settings: Settings) -> None:
    build(mini_settings)
    build_dir = current_build(mini_settings)
    endpoints = RemoteEndpoints.for_base(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(RemoteLoadError, match="could not reach"):
        load_into_server(build_dir, endpoints, build_dir / "dist" / "ontology.ttl", timeout_s=2)
