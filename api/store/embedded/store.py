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
    QueryRequest,
    QueryResult,
    SelectResult,
    StoreHealth,
)
from api.store.embedded.pool import WorkerPool
from api.store.errors import BadQuery, QueryFailed, StoreError
from api.store.terms import Term


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
    ):
        self.local_path: Path | None = store_path
        self.timeout_s = timeout_s
        self.pool = WorkerPool(str(store_path), size=workers, network=network)
        self.description = f"embedded Oxigraph at {store_path}"
        self._triples: int | None = (counts or {}).get("triples")
        self._quads: int | None = (counts or {}).get("quads")

    async def start(self) -> None:
        await self.pool.start()

    async def close(self) -> None:
        await self.pool.close()

    async def _run(self, job: Job, timeout_s: float | None) -> Answer:
        answer = await self.pool.run(job, timeout_s or self.timeout_s)
        if not answer.get("ok"):
            error: type[StoreError] = BadQuery if answer.get("error") == "syntax" else QueryFailed
            raise error(answer.get("message", "query failed"))
        return answer

    async def query(self, request: QueryRequest) -> QueryResult:
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
        return QueryResult.from_answer(await self._run(job, request.timeout_s))

    async def select(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> SelectResult:
        job: dict[str, Any] = {"op": "select", "query": sparql, "union": True, "max_rows": max_rows,
                               "substitutions": {k: tuple(v) for k, v in (bindings or {}).items()}}
        return SelectResult.from_answer(await self._run(job, timeout_s))

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
        try:
            await self.select(PROBE_QUERY, timeout_s=timeout_s)
            reachable = True
        except StoreError:
            reachable = False
        return StoreHealth(reachable, self.pool.size, self.pool.idle, self.pool.killed)
