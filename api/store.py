"""The store as the API sees it: one small async interface, two implementations.

``QueryStore`` is what every router uses. ``EmbeddedStore`` answers through the worker pool over an
on-disk Oxigraph store; ``api.remote_store.RemoteStore`` sends the same requests to any SPARQL 1.1
server over HTTP. Both offer the same methods: ``query`` returns serialised bytes in a requested
format, ``select`` returns rows of ``Term``s for the analyst endpoints, ``triple_count`` feeds
/healthz. Failures are ``QueryError`` (400/500), ``api.executor.QueryTimeout`` (503) or
``StoreUnavailable`` (502: a remote store that cannot be reached).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from api.executor import WorkerFailure, WorkerPool

XSD = "http://www.w3.org/2001/XMLSchema#"
DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


@dataclass(frozen=True)
class Term:
    """An RDF term, engine-neutral: ``kind`` is ``uri``, ``bnode`` or ``literal``."""

    kind: str
    value: str
    datatype: str = ""
    lang: str = ""

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str = "", lang: str = "") -> Term:
        return cls("literal", value, datatype, lang)

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def as_tuple(self) -> tuple[str, ...]:
        return (self.kind, self.value, self.datatype, self.lang) if self.kind == "literal" else (self.kind, self.value)

    @classmethod
    def from_tuple(cls, spec: Sequence[str] | None) -> Term | None:
        if spec is None:
            return None
        if spec[0] == "literal":
            return cls("literal", spec[1], spec[2] if len(spec) > 2 else "", spec[3] if len(spec) > 3 else "")
        return cls(spec[0], spec[1])

    def python(self) -> Any:
        """A JSON-friendly value: int for integers, the lexical form otherwise."""
        if self.kind == "literal" and self.datatype in (XSD + "integer", XSD + "int", XSD + "long"):
            try:
                return int(self.value)
            except ValueError:
                return self.value
        return self.value


Row = dict[str, Term]


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL query as the protocol layer hands it to a store."""

    query: str
    result_format: str  # a key of api.negotiation formats: json/xml/csv/tsv or turtle/ntriples/...
    default_graphs: tuple[str, ...] | None = None  # protocol default-graph-uri (overrides FROM)
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri (overrides FROM NAMED)
    union_default_graph: bool = True  # default graph = union of all graphs, unless a dataset is given
    substitutions: Mapping[str, Term] = field(default_factory=dict)
    max_rows: int | None = None
    timeout_s: float | None = None
    prefixes: Mapping[str, str] | None = None
    base_iri: str | None = None  # resolves relative IRIs in the query (the Protocol lets it be the endpoint)


@dataclass(frozen=True)
class QueryResult:
    form: str  # SELECT, ASK, CONSTRUCT (DESCRIBE answers as CONSTRUCT)
    format: str  # the format key the body is in (the requested one if it fits the form)
    body: bytes
    count: int | None  # None when the engine serialized the result natively without counting rows
    truncated: bool

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> QueryResult:
        """From a worker's answer (api.worker.respond), whichever store produced it."""
        return cls(answer["form"], answer["format"], answer["body"], answer["count"], answer["truncated"])


@dataclass(frozen=True)
class SelectResult:
    variables: list[str]
    rows: list[Row]
    truncated: bool

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> SelectResult:
        """From a worker's ``select`` answer; an ASK has no variables, hence no rows."""
        variables = answer.get("variables", [])
        rows = [
            {v: t for v, spec in zip(variables, row, strict=True) if (t := Term.from_tuple(spec)) is not None}
            for row in answer.get("rows", [])
        ]
        return cls(variables, rows, answer.get("truncated", False))


class QueryError(Exception):
    """The store rejected or failed the query; ``kind`` is ``syntax`` (a 400) or ``evaluation``."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


class StoreUnavailable(WorkerFailure):
    """The store cannot be reached or refuses to serve us (a remote server down, a wrong URL, bad
    credentials): a 502 for the client, not a problem with its query."""


@runtime_checkable
class QueryStore(Protocol):
    description: str
    kind: str  # "embedded" or "remote", reported by /healthz

    async def query(self, request: QueryRequest) -> QueryResult: ...

    async def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> SelectResult: ...

    async def triple_count(self) -> int: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class EmbeddedStore:
    """The on-disk Oxigraph store, queried through a pool of read-only worker processes."""

    def __init__(self, store_path: str, *, workers: int = 2, timeout_s: float = 10.0, network: bool = False):
        self.store_path = store_path
        self.timeout_s = timeout_s
        self.pool = WorkerPool(store_path, size=workers, network=network)
        self.description = f"embedded Oxigraph at {store_path}"
        self.kind = "embedded"
        self._triples: int | None = None
        self._quads: int | None = None

    async def start(self) -> None:
        await self.pool.start()

    async def close(self) -> None:
        await self.pool.close()

    async def _run(self, job: dict[str, Any], timeout_s: float | None) -> dict[str, Any]:
        answer = await self.pool.run(job, timeout_s or self.timeout_s)
        if not answer.get("ok"):
            raise QueryError(answer.get("error", "evaluation"), answer.get("message", "query failed"))
        return answer

    async def query(self, request: QueryRequest) -> QueryResult:
        job = {
            "op": "query",
            "query": request.query,
            "format": request.result_format,
            "default_graphs": list(request.default_graphs) if request.default_graphs is not None else None,
            "named_graphs": list(request.named_graphs) if request.named_graphs is not None else None,
            "union": request.union_default_graph,
            "substitutions": {k: v.as_tuple() for k, v in request.substitutions.items()},
            "max_rows": request.max_rows,
            "prefixes": dict(request.prefixes) if request.prefixes else None,
            "base_iri": request.base_iri,
        }
        answer = await self._run(job, request.timeout_s)
        return QueryResult.from_answer(answer)

    async def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> SelectResult:
        job = {
            "op": "select",
            "query": sparql,
            "union": True,
            "max_rows": max_rows,
            "substitutions": {k: v.as_tuple() for k, v in (bindings or {}).items()},
        }
        answer = await self._run(job, timeout_s)
        return SelectResult.from_answer(answer)

    async def triple_count(self) -> int:
        """Distinct triples of the default graph (the union of all graphs); computed once, the store is immutable."""
        if self._triples is None:
            result = await self.select(DISTINCT_TRIPLES)
            self._triples = int(result.rows[0]["n"].value)
        return self._triples

    async def quad_count(self) -> int:
        """Quads stored (every graph, the materialised default graph included)."""
        if self._quads is None:
            self._quads = (await self._run({"op": "count"}, None))["quads"]
        return self._quads
