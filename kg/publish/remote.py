"""Pushing a build into a SPARQL 1.1 server (``bri-kg load``), for deployments that serve from one.

Loading uses the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT ?graph=G`` per named graph, so
every document's graph arrives intact and a re-load replaces rather than duplicates. Then the union
of all graphs goes into the server's default graph (``PUT ?default``), as the embedded store does:
queries without FROM see every triple once (a set), whereas an on-the-fly union such as Oxigraph's
``union-default-graph`` repeats a triple that several graphs share (oxigraph#1919) and miscounts.

Servers differ in where they put the protocol endpoints; ``kg.config.RemoteEndpoints.for_base``
knows Oxigraph's layout and every URL can be given explicitly for Fuseki, GraphDB, Virtuoso and others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.config import RemoteEndpoints, Settings
from kg.layout import NQUADS_DUMP, ONTOLOGY_FILE, BuildLayout
from kg.vocab.rdf import ONTOLOGY_GRAPH


class RemoteLoadError(RuntimeError):
    """The server refused or failed a graph upload; names the graph and the server's answer."""


@dataclass
class LoadReport:
    """Triples sent per graph: the document graphs, the ontology graph, and the default graph (the union)."""

    graphs: dict[str, int] = field(default_factory=dict)
    ontology: int = 0
    default: int = 0

    @property
    def document_triples(self) -> int:
        return sum(self.graphs.values())


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer TOKEN`` (QLever's access token for updates and the Graph Store Protocol)."""

    def __init__(self, token: str):
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def http_auth(settings: Settings | None) -> httpx.Auth | None:
    """HTTP authentication for the store from the settings (basic, digest or a bearer token), if any."""
    if settings is None:
        return None
    password = settings.store_password.get_secret_value()
    if settings.store_auth == "bearer":
        return BearerAuth(password) if password else None
    if not settings.store_user:
        return None
    if settings.store_auth == "digest":
        return httpx.DigestAuth(settings.store_user, password)
    return httpx.BasicAuth(settings.store_user, password)


def quads_by_graph(nquads_file: Path) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(nquads_file), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value].append(quad.triple)
    return graphs


def load_into_server(
    build: BuildLayout,
    endpoints: RemoteEndpoints,
    progress: Callable[[str], None] = lambda _m: None,
    timeout_s: float = 120.0,
    *,
    default_graph: bool = True,
    union_graph: str | None = None,
    auth: httpx.Auth | None = None,
) -> LoadReport:
    """PUT every document graph of *build*, the ontology graph and (unless *default_graph* is False)
    their union as the default graph into the server, or into the named graph *union_graph* if given
    (for servers whose default graph is already a union: see ``Settings.store_default_graph``).

    Everything goes as N-Triples, which every Graph Store Protocol implementation reads (servers
    relabel blank nodes per upload, as the embedded store does per load: the ontology's OWL lists
    are distinct nodes in its graph and in the union)."""
    graphs = quads_by_graph(build.dist / NQUADS_DUMP)
    ontology = [q.triple for q in ox.parse(path=str(build.dist / ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)]
    ontology_nt = ox.serialize(ontology, format=ox.RdfFormat.N_TRIPLES) or b""
    report = LoadReport()
    steps = len(graphs) + 1 + int(default_graph)
    with httpx.Client(timeout=timeout_s, auth=auth) as client:
        for n, (graph, triples) in enumerate(sorted(graphs.items()), start=1):
            progress(f"[{n}/{steps}] PUT {graph} ({len(triples)} triples)")
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            _put(client, endpoints, {"graph": graph}, graph, body)
            report.graphs[graph] = len(triples)
        progress(f"[{len(graphs) + 1}/{steps}] PUT {ONTOLOGY_GRAPH} ({len(ontology)} triples)")
        _put(client, endpoints, {"graph": str(ONTOLOGY_GRAPH)}, str(ONTOLOGY_GRAPH), ontology_nt)
        report.ontology = len(ontology)
        if default_graph:
            union = dict.fromkeys(t for triples in graphs.values() for t in triples)
            union.update(dict.fromkeys(ontology))
            target = {"graph": union_graph} if union_graph else {"default": ""}
            name = f"the union graph {union_graph}" if union_graph else "the default graph"
            progress(f"[{steps}/{steps}] PUT {name}: the union of all graphs ({len(union)} triples)")
            body = ox.serialize(list(union), format=ox.RdfFormat.N_TRIPLES) or b""
            _put(client, endpoints, target, name, body)
            report.default = len(union)
    return report


def _put(client: httpx.Client, endpoints: RemoteEndpoints, params: dict[str, str], name: str, body: bytes) -> None:
    try:
        response = client.put(
            endpoints.graph_store_url, params=params, content=body, headers={"Content-Type": "application/n-triples"}
        )
    except httpx.HTTPError as exc:
        raise RemoteLoadError(f"could not reach {endpoints.graph_store_url} to load {name}: {exc}") from exc
    if response.status_code not in (200, 201, 204):
        hint = " (check the user and password: BRI_KG_STORE_USER / BRI_KG_STORE_PASSWORD)" if response.status_code in (
            401,
            403,
        ) else ""
        raise RemoteLoadError(
            f"{endpoints.graph_store_url} refused {name}: HTTP {response.status_code} {response.text[:300]}{hint}"
        )
