"""From an engine's result to the answer a store returns: row cap, truncation flag, serialised bytes.

Both stores come here with pyoxigraph objects (a worker from its store, the remote store from the
server's answer parsed as a stream), so the cap stops reading at the same row, ``truncated`` means
the same, and the bytes are the same whichever store answered. A job is a plain dict (it crosses a
pipe to the worker processes): ``op`` is ``query`` (serialise in ``format``) or ``select`` (rows of
``Term``s for Python consumers); ``max_rows`` caps the rows; ``query`` is the text (its own LIMIT
lets a SELECT use Oxigraph's native writer); ``prefixes`` are used by Turtle and TriG. Rows travel
as positional tuples of term 4-tuples (see ``api.store.terms``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from api.sparql.limit import declared_limit
from api.store.formats import BOOLEAN_WRITERS, GRAPH_RDF_FORMATS, SELECT_WRITERS, serialize_graph
from api.store.terms import tuple_from_ox

Job = dict[str, Any]
Answer = dict[str, Any]
Collect = Callable[[Iterable[Any], int | None], tuple[list[Any], bool]]

NATIVE_SELECT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def collect_rows(iterator: Iterable[Any], limit: int | None) -> tuple[list[Any], bool]:
    """At most *limit* items, and whether there were more (one more is read to know)."""
    items: list[Any] = []
    for item in iterator:
        if limit is not None and len(items) >= limit:
            return items, True
        items.append(item)
    return items, False


def respond(result: Any, job: Job, collect: Collect = collect_rows) -> Answer:
    """The answer to *job* from a QueryBoolean, QuerySolutions, or an iterable of triples."""
    if isinstance(result, ox.QueryBoolean):
        return _boolean(bool(result), job)
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, job, collect)
    return _graph(result, job, collect)


def _format(job: Job, known: Mapping[str, object], default: str) -> str:
    """The job's format if *known* has a writer for it, else *default*."""
    key = job.get("format")
    return key if isinstance(key, str) and key in known else default


def _boolean(value: bool, job: Job) -> Answer:
    key = _format(job, BOOLEAN_WRITERS, "json")
    body = BOOLEAN_WRITERS[key](value) if job["op"] == "query" else b""
    return {"ok": True, "form": "ASK", "boolean": value, "count": 1, "truncated": False, "format": key, "body": body}


def _within_cap(query: str, cap: int | None) -> bool:
    declared = declared_limit(query)
    return declared is not None and (cap is None or declared <= cap)


def _solutions(result: ox.QuerySolutions, job: Job, collect: Collect) -> Answer:
    limit = job.get("max_rows")
    native = NATIVE_SELECT_FORMATS.get(job.get("format", ""))
    if job["op"] == "query" and native is not None and _within_cap(job.get("query", ""), limit):
        # The query's own LIMIT keeps it under the cap: Oxigraph's native serializer is several
        # times faster than building the rows in Python, and nothing can be truncated.
        return {"ok": True, "form": "SELECT", "count": None, "truncated": False,
                "format": job["format"], "body": result.serialize(format=native) or b""}
    variables = [v.value for v in result.variables]
    solutions, truncated = collect(result, limit)
    table = [tuple(tuple_from_ox(s[v]) for v in variables) for s in solutions]
    if job["op"] == "select":
        return {"ok": True, "form": "SELECT", "variables": variables, "rows": table, "truncated": truncated}
    key = _format(job, SELECT_WRITERS, "json")
    return {"ok": True, "form": "SELECT", "count": len(table), "truncated": truncated, "format": key,
            "body": SELECT_WRITERS[key](variables, table)}


def _graph(triples_iter: Iterable[ox.Triple], job: Job, collect: Collect) -> Answer:
    triples, truncated = collect(triples_iter, job.get("max_rows"))
    if job["op"] == "select":
        rows = [(tuple_from_ox(t.subject), tuple_from_ox(t.predicate), tuple_from_ox(t.object)) for t in triples]
        return {"ok": True, "form": "CONSTRUCT", "variables": ["subject", "predicate", "object"], "rows": rows,
                "truncated": truncated}
    key = _format(job, GRAPH_RDF_FORMATS, "turtle")
    return {"ok": True, "form": "CONSTRUCT", "count": len(triples), "truncated": truncated, "format": key,
            "body": serialize_graph(triples, key, job.get("prefixes"))}
