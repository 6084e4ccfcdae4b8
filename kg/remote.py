"""A SPARQL 1.1 server as the store: where its endpoints are, and pushing a build into it.

Loading uses the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT ?graph=G`` per named graph, so
every document's graph arrives intact and a re-load replaces rather than duplicates. Servers
differ in where they put the protocol endpoints; ``RemoteEndpoints.for_base`` knows Oxigraph's
layout and every URL can be given explicitly for Fuseki, GraphDB, Virtuoso and others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.vocab import ONTOLOGY_GRAPH


@dataclass(frozen=True)
class RemoteEndpoints:
    """The URLs of one SPARQL 1.1 server."""

    query_url: str
    graph_store_url: str

    @classmethod
    def for_base(cls, base: str, query_path: str = "/query", store_path: str = "/store") -> RemoteEndpoints:
        """Oxigraph server layout by default: ``{base}/query`` and ``{base}/store``."""
        base = base.rstrip("/")
        return cls(base + query_path, base + store_path)


class RemoteLoadError(RuntimeError):
    """The server refused or failed a graph upload; names the graph and the server's answer."""


def quads_by_graph(nquads_file: Path) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(nquads_file), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value].append(quad.triple)
    return graphs


def load_into_server(build_dir: Path, endpoints: RemoteEndpoints, ontology_ttl: Path,
                     progress: Callable[[str], None] = lambda _m: None, timeout_s: float = 120.0) -> dict[str, int]:
    """PUT every document graph of the build, and the ontology graph, into the server."""
    graphs = quads_by_graph(build_dir / "dist" / "bri-kg.nq")
    sizes: dict[str, int] = {}
    with httpx.Client(timeout=timeout_s) as client:
        for n, (graph, triples) in enumerate(sorted(graphs.items()), start=1):
            progress(f"[{n}/{len(graphs)}] PUT {graph} ({len(triples)} triples)")
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            _put(client, endpoints, graph, body, "application/n-triples")
            sizes[graph] = len(triples)
        progress(f"PUT {ONTOLOGY_GRAPH}")
        _put(client, endpoints, str(ONTOLOGY_GRAPH), ontology_ttl.read_bytes(), "text/turtle")
    return sizes


def _put(client: httpx.Client, endpoints: RemoteEndpoints, graph: str, body: bytes, media_type: str) -> None:
    try:
        response = client.put(endpoints.graph_store_url, params={"graph": graph}, content=body,
                              headers={"Content-Type": media_type})
    except httpx.HTTPError as exc:
        raise RemoteLoadError(f"could not reach {endpoints.graph_store_url} to load {graph}: {exc}") from exc
    if response.status_code not in (200, 201, 204):
        raise RemoteLoadError(f"{endpoints.graph_store_url} refused graph {graph}: "
                              f"HTTP {response.status_code} {response.text[:300]}")
