"""The build's on-disk Oxigraph store, queried through a pool of read-only, confined worker processes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from api.store.answer import Answer, Job
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
from api.store.embedded.pool import WorkerPool
from api.store.errors import BadQuery, QueryFailed, StoreError
from api.store.terms import Term, check_bindable


class EmbeddedStore:
    """``QueryStore`` over an on-disk store; *counts* are the sizes the build recorded, if known."""

    kind = "embedded"

    def __init__(
        self,
        store_path: Path,
        *,
        workers: int = 2,
        timeout_s: float = 10.0,
        network: bool = False,
        counts: Mapping[str, int] | None = None,
        limits: PoolLimits | None = None,
    ):
        self.local_path: Path | None = store_path
        self.timeout_s = timeout_s
        limits = limits or PoolLimits()
        self.pool = WorkerPool(str(store_path), size=workers, long_slots=limits.long_queries,
                               budget_s=limits.quick_budget_s, queue_limit=limits.queue,
                               queue_wait_s=limits.queue_wait_s, network=network)
        self.description = f"embedded Oxigraph at {store_path}"
        self._triples: int | None = (counts or {}).get("triples")
        self._quads: int | None = (counts or {}).get("quads")

    async def start(self) -> None:
        await self.pool.start()

    async def close(self) -> None:
        await self.pool.close()

    async def _run(self, job: Job, timeout_s: float | None, kind: str = "page") -> Answer:
        answer = await self.pool.run(job, timeout_s or self.timeout_s, kind)
        if not answer.get("ok"):
            error: type[StoreError] = BadQuery if answer.get("error") == "syntax" else QueryFailed
            raise error(answer.get("message", "query failed"))
        return answer

    async def query(self, request: QueryRequest) -> QueryResult:
        check_bindable(request.substitutions)
        job = {
            "op": "query",
            "query": request.query,
            "format": request.result_format,
            "default_graphs": list(request.default_graphs) if request.default_graphs is not None else None,
            "named_graphs": list(request.named_graphs) if request.named_graphs is not None else None,
            "union": request.union_default_graph,
            "substitutions": {k: tuple(v) for k, v in request.substitutions.items()},
            "max_rows": request.max_rows,
            "prefixes": dict(request.prefixes) if request.prefixes else None,
            "base_iri": request.base_iri,
        }
        return QueryResult.from_answer(await self._run(job, request.timeout_s, request.kind))

    async def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
        kind: str = "page",
    ) -> SelectResult:
        check_bindable(bindings or {})
        job: dict[str, Any] = {"op": "select", "query": sparql, "union": True, "max_rows": max_rows,
                               "substitutions": {k: tuple(v) for k, v in (bindings or {}).items()}}
        return SelectResult.from_answer(await self._run(job, timeout_s, kind))

    async def graphs(self) -> list[str]:
        return [r["g"].value for r in (await self.select(GRAPHS_QUERY)).rows]

    async def triple_count(self) -> int:
        """Distinct triples of the default graph; the build's record, else counted once (the store is immutable)."""
        if self._triples is None:
            result = await self.select(DISTINCT_TRIPLES)
            self._triples = int(result.rows[0]["n"].value)
        return self._triples

    async def quad_count(self) -> int:
        if self._quads is None:
            self._quads = int((await self._run({"op": "count"}, None))["quads"])
        return self._quads

    async def health(self, timeout_s: float) -> StoreHealth:
        """Never waits behind queries: probes an idle worker, or trusts the busy ones (``WorkerPool.probe``)."""
        probe = {"op": "select", "query": PROBE_QUERY, "union": True, "max_rows": 1, "substitutions": {}}
        reachable = await self.pool.probe(probe, min(timeout_s, 0.5))  # slower means a busy machine, not a dead store
        pool = self.pool
        return StoreHealth(reachable, pool.size, pool.idle, pool.killed, long_queries=pool.long.running,
                           queued=pool.queued, refused=pool.refused, retried=pool.retried)
