"""The store as the API sees it: one protocol, its request and result types, for every backend.

``QueryStore`` is what routers and views use. ``api.store.embedded.EmbeddedStore`` answers through a
pool of worker processes over the build's on-disk Oxigraph store; ``api.store.remote.RemoteStore``
sends the same requests to any SPARQL 1.1 server. Both return the same results (serialised by
``api.store.formats`` from the same engine objects) and raise the same ``api.store.errors``.
What callers used to reach around the protocol for (kind, counts, graphs, health) is part of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from api.store.terms import Term, as_term

GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
PROBE_QUERY = "ASK { ?s ?p ?o }"

Row = dict[str, Term]


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL query as the protocol layer hands it to a store."""

    query: str
    result_format: str  # a key of api.web.negotiation formats: json/xml/csv/tsv or turtle/ntriples/...
    default_graphs: tuple[str, ...] | None = None  # protocol default-graph-uri (overrides FROM)
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri (overrides FROM NAMED)
    union_default_graph: bool = True  # default graph = union of all graphs, unless a dataset is given
    substitutions: Mapping[str, Term] = field(default_factory=dict)
    max_rows: int | None = None
    timeout_s: float | None = None
    prefixes: Mapping[str, str] | None = None
    base_iri: str | None = None  # resolves relative IRIs in the query (the Protocol lets it be the endpoint)
    kind: str = "page"  # which queue it waits in (api.store.admission.KINDS): "query" for clients' own queries


@dataclass(frozen=True)
class QueryResult:
    """A serialised answer: ``body`` in ``format`` (the requested one if it fits the query form)."""

    form: str  # SELECT, ASK, CONSTRUCT (DESCRIBE answers as CONSTRUCT)
    format: str
    body: bytes
    count: int | None  # None when the engine serialised the result natively without counting rows
    truncated: bool

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> QueryResult:
        """From an answer of ``api.store.answer.respond``, whichever store produced it."""
        return cls(answer["form"], answer["format"], answer["body"], answer["count"], answer["truncated"])


@dataclass(frozen=True)
class SelectResult:
    """Rows for Python consumers (views, named queries); an ASK has no variables, hence no rows."""

    variables: list[str]
    rows: list[Row]
    truncated: bool

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> SelectResult:
        """Rows of term 4-tuples, as they crossed the pipe, become rows of ``Term``s by variable."""
        variables: list[str] = answer.get("variables", [])
        rows = [
            {v: as_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in answer.get("rows", [])
        ]
        return cls(variables, rows, answer.get("truncated", False))


@dataclass(frozen=True)
class StoreHealth:
    """What /healthz reports about the store: whether a probe query was answered, and its workers."""

    reachable: bool
    workers: int = 0
    idle_workers: int = 0
    killed_queries: int = 0
    long_queries: int = 0  # running in the long-query lane now
    queued: int = 0  # waiting for a worker (or a connection) now
    refused: int = 0  # turned away since start: queue full, or waited too long
    retried: int = 0  # run again because their worker died


@dataclass(frozen=True)
class PoolLimits:
    """How much work a store takes on at once, and how much it lets wait (``api.store.admission``)."""

    long_queries: int = 2
    quick_budget_s: float = 0.5
    queue: int = 16
    queue_wait_s: float = 5.0


@runtime_checkable
class QueryStore(Protocol):
    kind: str  # "embedded" or "remote", reported by /healthz
    description: str  # where it is, for logs and /healthz
    local_path: Path | None  # an on-disk store this process may read directly (None for a remote one)

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def query(self, request: QueryRequest) -> QueryResult: ...

    async def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        kind: str = "page",
    ) -> SelectResult: ...

    async def graphs(self) -> list[str]:
        """The named graphs (one per source document, plus the ontology graph), sorted."""
        ...

    async def triple_count(self) -> int:
        """Distinct triples of the default graph (the union of all graphs)."""
        ...

    async def quad_count(self) -> int:
        """Quads stored: every named graph plus the default graph."""
        ...

    async def health(self, timeout_s: float) -> StoreHealth: ...
