"""The store as a remote SPARQL 1.1 server: the ``QueryStore`` interface over HTTP, through SPARQLWrapper.

Why it answers exactly like the embedded store:

- **Results.** The server is asked for SPARQL JSON results (SELECT/ASK) or N-Triples (CONSTRUCT/
  DESCRIBE); the answer is parsed as a stream by pyoxigraph into the same objects the embedded
  worker gets from its store and handed to the same ``api.store.answer.respond``. So the row cap stops
  reading after the cap (the connection is then closed), ``truncated`` means the same, and every
  format is written by the same writers: identical bytes and headers from either store.
- **Dataset.** The build loads the union of all graphs into the server's default graph
  (``kg.publish.remote.load_into_server``), so a query without FROM sees what it sees in the embedded
  store. A server whose default graph is already a union of everything (GraphDB, Virtuoso,
  Neptune, QLever) gets the union in a named graph instead, ``default_graph``: every query without
  a dataset of its own is then sent with that graph as ``default-graph-uri`` and the real graphs as
  ``named-graph-uri``. The client's ``default-graph-uri`` / ``named-graph-uri`` go to the server as
  Protocol parameters; where the embedded store would keep a part of the dataset the request does
  not name (the query's own FROM / FROM NAMED, or else the service's default), that part is sent
  explicitly, because a SPARQL server takes an unnamed part as empty. One difference is left
  without a ``default_graph``: with only ``named-graph-uri`` given, the default graph is sent as the
  list of all graphs, which a server such as Oxigraph merges as a bag (a triple in two graphs
  counts twice), not as the stored union.
- **Parameters.** Bound with ``api.store.remote.binding.bind_parameters`` (values written as checked terms, never
  pasted text), which reproduces Oxigraph's pre-binding for the shapes our queries use.
- **Limits.** Every request runs in a thread (the event loop stays free) under the query's
  deadline; overrunning is the same ``QueryTimeout`` (503) the embedded store raises. The API stops
  waiting and closes the connection, but a server that is busy computing does not notice: give the
  server a timeout of its own (Oxigraph: ``oxigraph serve --timeout-s N``).
  A partial answer is never passed on: Virtuoso's "anytime" results (HTTP 206 or an
  ``X-SQL-State`` header) count as a timeout too.
- **Errors.** ``api.store.remote.client`` maps every failure to ``api.store.errors``: the server's
  400 (with its parser message) is ``BadQuery``; a server that cannot be reached, answers 404/401/5xx
  from a proxy, is ``StoreUnavailable`` with the URL in the message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from api.sparql.text import SKIPPED, classify, dataset_clauses, tokens
from api.store.admission import Admission
from api.store.answer import Answer, Collect, Job, respond
from api.store.contract import (
    DISTINCT_TRIPLES,
    GRAPHS_QUERY,
    PROBE_QUERY,
    PoolLimits,
    QueryRequest,
    QueryResult,
    SelectResult,
    StoreHealth,
)
from api.store.errors import QueryFailed, QueryTimeout, StoreError, StoreUnavailable
from api.store.remote.binding import bind_parameters, drop_unbound_coalesce
from api.store.remote.client import CANCELLED, Dataset, RemoteClient
from api.store.terms import SAFE_IRI, Term

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS_WITH_TRIPLES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
QUADS_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"


class _Tail:
    """A readable wrapper that remembers the last bytes read, to explain a body that breaks off."""

    def __init__(self, raw: Any, keep: int = 2048):
        self.raw = raw
        self.keep = keep
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.raw.read(size)
        if chunk:
            self.tail = (self.tail + chunk)[-self.keep :]
        return chunk

    def text(self) -> str:
        return self.tail.decode("utf-8", errors="replace")


class RemoteStore:
    """Any SPARQL 1.1 server (Oxigraph server, Fuseki, Virtuoso, GraphDB, Neptune, QLever) as the store."""

    kind = "remote"
    local_path: Path | None = None

    def __init__(
        self,
        query_url: str,
        *,
        timeout_s: float = 10.0,
        connections: int = 8,
        default_graph: str = "",
        user: str = "",
        password: str = "",
        bearer_token: str = "",
        limits: PoolLimits | None = None,
        graph_prefix: str = "",
    ):
        limits = limits or PoolLimits()
        self.query_url = query_url
        self.timeout_s = timeout_s
        self.default_graph = default_graph
        self.description = f"remote SPARQL 1.1 server at {query_url}" + (
            f" (default graph <{default_graph}>)" if default_graph else ""
        )
        self.client = RemoteClient(query_url, (user, password) if user else None, bearer_token)
        self._named_graphs: tuple[str, ...] = ()  # the named graphs, the union graph excluded
        self.graph_prefix = graph_prefix  # the build's graphs: a server's own (Virtuoso's system graphs) are not ours
        self._threads = ThreadPoolExecutor(max_workers=connections, thread_name_prefix="bri-kg-remote")
        self._probe_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bri-kg-probe")  # never queued
        self.admission = Admission(connections, limits.queue, limits.queue_wait_s, what="store connections")
        self._triples: int | None = None
        self._quads: int | None = None
        self._closed = False

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the server answers and holds a build; remember its named graphs (for datasets)."""
        try:
            self._named_graphs = await self._our_graphs(GRAPHS_QUERY)
            if not self._named_graphs:  # Virtuoso matches no empty GRAPH pattern: ask for graphs holding a triple
                self._named_graphs = await self._our_graphs(GRAPHS_WITH_TRIPLES)
            triples = await self.triple_count()
        except StoreError as exc:
            raise RuntimeError(
                f"the remote store at {self.query_url} does not answer: {exc}. Start it, and push a build into it "
                "with `bri-kg load --endpoint URL`"
            ) from None
        if triples == 0:
            raise RuntimeError(
                f"the remote store at {self.query_url} holds no triples: push a build into it with "
                "`bri-kg load --endpoint URL` before serving"
                + (f" (the union goes into <{self.default_graph}> with --union-graph)" if self.default_graph else "")
            )

    async def _our_graphs(self, query: str) -> tuple[str, ...]:
        listed = await self._select(query, {}, None, max(self.timeout_s, 30.0), Dataset())
        return tuple(g for r in listed.rows
                     if "g" in r and (g := r["g"].value) != self.default_graph and g.startswith(self.graph_prefix))

    async def close(self) -> None:
        self._closed = True
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._probe_thread.shutdown(wait=False, cancel_futures=True)

    # --- the QueryStore protocol ---------------------------------------------------------------

    async def query(self, request: QueryRequest) -> QueryResult:
        text = self._prepare(request.query, request.substitutions, request.base_iri)
        job = {
            "op": "query",
            "query": text,
            "format": request.result_format,
            "max_rows": request.max_rows,
            "prefixes": dict(request.prefixes) if request.prefixes else None,
        }
        dataset = self._dataset(text, request.default_graphs, request.named_graphs, request.base_iri)
        return QueryResult.from_answer(await self._run(job, dataset, request.timeout_s, request.kind))

    async def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        kind: str = "page",
    ) -> SelectResult:
        return await self._select(sparql, bindings or {}, max_rows, timeout_s, None, kind)

    async def _select(
        self,
        sparql: str,
        bindings: Mapping[str, Term],
        max_rows: int | None,
        timeout_s: float | None,
        dataset: Dataset | None,
        kind: str = "page",
    ) -> SelectResult:
        text = self._prepare(sparql, bindings, None)
        if dataset is None:
            dataset = self._dataset(text, None, None, None)
        answer = await self._run({"op": "select", "query": text, "max_rows": max_rows}, dataset, timeout_s, kind)
        return SelectResult.from_answer(answer)

    async def graphs(self) -> list[str]:
        return sorted(self._named_graphs)

    async def triple_count(self) -> int:
        """Distinct triples of the default graph (the union of all graphs, as loaded by ``bri-kg load``)."""
        if self._triples is None:
            result = await self.select(DISTINCT_TRIPLES, timeout_s=max(self.timeout_s, 30.0))
            self._triples = int(result.rows[0]["n"].value) if result.rows else 0
        return self._triples

    async def quad_count(self) -> int:
        """Quads in the server: every named graph plus the default graph, as the embedded store counts."""
        if self._quads is None:
            result = await self.select(QUADS_QUERY, timeout_s=max(self.timeout_s, 30.0))
            self._quads = int(result.rows[0]["n"].value) if result.rows else 0
        return self._quads

    async def health(self, timeout_s: float) -> StoreHealth:
        """A probe on a connection of its own: it never waits behind queries."""
        job = {"op": "select", "query": PROBE_QUERY, "max_rows": 1}
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(loop.run_in_executor(
                self._probe_thread, self._blocking, job, self._dataset(PROBE_QUERY, None, None, None),
                time.monotonic() + timeout_s), timeout_s)
            reachable = True
        except (StoreError, TimeoutError, RuntimeError):
            reachable = False
        return StoreHealth(reachable, queued=self.admission.waiting, refused=self.admission.refused)

    # --- preparing a request -------------------------------------------------------------------

    @staticmethod
    def _prepare(query: str, bindings: Mapping[str, Term], base_iri: str | None) -> str:
        """Bind parameters; give the query the endpoint's base IRI if it has relative IRIs (as the
        embedded store does with ``base_iri``). ``BASE`` goes on the first line, so the server's
        error positions stay those of the client's text on every other line."""
        text = bind_parameters(query, bindings) if bindings else query
        if "COALESCE" in text.upper():
            text = drop_unbound_coalesce(text)
        if base_iri and SAFE_IRI.fullmatch(base_iri):
            relative = any(
                t.kind == "iri" and not SAFE_IRI.fullmatch(t.text[1:-1]) for t in tokens(text) if t.kind not in SKIPPED
            )
            if relative:
                text = f"BASE <{base_iri}> {text}"
        return text

    def _dataset(
        self,
        text: str,
        default_graphs: tuple[str, ...] | None,
        named_graphs: tuple[str, ...] | None,
        base_iri: str | None,
    ) -> Dataset:
        """The explicit dataset that gives the embedded store's semantics (see the module docstring)."""
        has_clause = classify(text).has_dataset_clause
        service_default = (self.default_graph,) if self.default_graph else self._named_graphs
        if default_graphs is None and named_graphs is None:
            if has_clause or not self.default_graph:
                return Dataset()  # the query's own FROM, or the server's default graph (the union we loaded)
            return Dataset(service_default, self._named_graphs)
        own_default, own_named = dataset_clauses(text, base_iri) if has_clause else ([], [])
        if default_graphs is None:
            default_graphs = tuple(own_default) if has_clause else service_default
        if named_graphs is None:
            named_graphs = tuple(own_named) if has_clause else self._named_graphs
        return Dataset(tuple(default_graphs), tuple(named_graphs))

    # --- running it ----------------------------------------------------------------------------

    async def _run(self, job: Job, dataset: Dataset, timeout_s: float | None, kind: str = "page") -> Answer:
        if self._closed:
            raise StoreUnavailable(f"the connection to the remote store at {self.query_url} is closed")
        timeout = timeout_s or self.timeout_s
        try:
            async with self.admission.slot(kind):  # a bounded wait for a connection; then the clock starts
                deadline = time.monotonic() + timeout
                future = asyncio.get_running_loop().run_in_executor(self._threads, self._blocking, job, dataset,
                                                                    deadline)
                return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise QueryTimeout(
                f"the query ran longer than {timeout:g} s and was abandoned "
                "(the remote store may go on computing it until its own time limit)"
            ) from None

    def _blocking(self, job: Job, dataset: Dataset, deadline: float) -> Answer:
        """One HTTP round trip, in a worker thread: send, parse the answer as a stream, respond."""
        form = classify(job["query"]).form
        accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
        with self.client.send(job["query"], form, dataset, accept, deadline) as response:
            media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = _Tail(response)
            try:
                return respond(self._parse(body, media_type), job, self._collector(deadline))
            except SyntaxError as exc:
                said = body.text()
                if any(word in said.lower() for word in CANCELLED):
                    raise QueryTimeout(
                        f"the remote store stopped the query at its own time limit: {said[-200:]}"
                    ) from None
                raise QueryFailed(
                    f"the remote store at {self.query_url} sent an answer that does not parse: {exc}"
                ) from None

    @staticmethod
    def _parse(body: _Tail, media_type: str) -> Any:
        """The server's answer as pyoxigraph objects, read lazily from the response."""
        if media_type in RESULTS_FORMATS:
            return ox.parse_query_results(cast(IO[bytes], body), format=RESULTS_FORMATS[media_type])
        rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
        if rdf_format is None:
            raise SyntaxError(f"unexpected content type {media_type or '(none)'!r}")
        return (quad.triple for quad in ox.parse(cast(IO[bytes], body), format=rdf_format))

    @staticmethod
    def _collector(deadline: float) -> Collect:
        """``collect`` for ``respond``: stop after the cap (one more item says 'truncated'), and give up
        at the deadline instead of reading a slow stream forever."""

        def collect(items: Iterable[Any], limit: int | None) -> tuple[list[Any], bool]:
            out: list[Any] = []
            iterator: Iterator[Any] = iter(items)
            for item in iterator:
                if limit is not None and len(out) >= limit:
                    return out, True
                out.append(item)
                if len(out) % 512 == 0 and time.monotonic() > deadline:
                    raise QueryTimeout("the remote store's answer took longer than the query's time limit")
            return out, False

        return collect
