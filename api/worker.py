"""What runs inside a query worker process: open the store read-only, answer jobs from a pipe.

A worker is a separate process so that a query which overruns its time can be stopped for real
(the parent kills the process): Oxigraph only checks its own timeout on storage reads, so a query
busy in memory (a cross product, an aggregate) would otherwise run on. Jobs and answers are plain
dicts of str/bytes/tuples, cheap to pickle.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from api.confine import ConfinementError, deny_network
from api.frames import read_frame, write_frame
from api.query_limit import declared_limit
from api.results import BOOLEAN_WRITERS, SELECT_WRITERS, TermTuple

GRAPH_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
Job = dict[str, Any]


def term_tuple(term: Any) -> TermTuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("literal", str(term), "", "")  # RDF-star quoted triple: rare; keep it readable


def to_term(spec: TermTuple) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = spec[0]
    if kind == "uri":
        return ox.NamedNode(spec[1])
    if kind == "bnode":
        return ox.BlankNode(spec[1])
    if len(spec) > 3 and spec[3]:
        return ox.Literal(spec[1], language=spec[3])
    if len(spec) > 2 and spec[2]:
        return ox.Literal(spec[1], datatype=ox.NamedNode(spec[2]))
    return ox.Literal(spec[1])


_MATERIALISED_UNION: dict[int, bool] = {}


def has_materialised_union(store: ox.Store) -> bool:
    """True if the store's default graph holds data (the build writes the union of all graphs there)."""
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


def _graph_name(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri == "" else ox.NamedNode(iri)


def _run_query(store: ox.Store, job: Job) -> Any:
    kwargs: dict[str, Any] = {}
    if job.get("default_graphs") is not None:
        kwargs["default_graph"] = [_graph_name(g) for g in job["default_graphs"]]
    elif job.get("union", True) and not _MATERIALISED_UNION.get(id(store), False):
        # Only for stores whose default graph is empty: the build materialises the union there,
        # because Oxigraph's on-the-fly union repeats a triple that several graphs share.
        kwargs["use_default_graph_as_union"] = True
    if job.get("named_graphs") is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    if job.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): to_term(v) for k, v in job["substitutions"].items()}
    return store.query(job["query"], **kwargs)


NATIVE_SELECT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _within_cap(query: str, cap: int | None) -> bool:
    declared = declared_limit(query)
    return declared is not None and (cap is None or declared <= cap)


def _collect(iterator: Any, limit: int | None) -> tuple[list[Any], bool]:
    items: list[Any] = []
    for item in iterator:
        if limit is not None and len(items) >= limit:
            return items, True
        items.append(item)
    return items, False


def execute(store: ox.Store, job: Job) -> dict[str, Any]:
    """Run one job; never raises for query problems (they come back as ``{"ok": False, ...}``)."""
    op = job["op"]
    if op == "count":
        return {"ok": True, "quads": len(store)}
    if op == "sleep":  # test hook for the pool itself; harmless: it only occupies this worker
        import time

        time.sleep(float(job["seconds"]))
        return {"ok": True}
    try:
        return respond(_run_query(store, job), job)
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return {"ok": False, "error": "evaluation", "message": f"{type(exc).__name__}: {exc}"}


def respond(result: Any, job: Job, collect: Callable[[Any, int | None], tuple[list[Any], bool]] = _collect) -> Job:
    """The answer to *job* from a query result: a QueryBoolean, QuerySolutions, or an iterable of triples.

    Shared with the remote store, which parses a server's answer into the same pyoxigraph objects, so
    the row cap, the truncation flag and the serialised bytes are the same whichever store answered."""
    op = job["op"]
    limit = job.get("max_rows")
    if isinstance(result, ox.QueryBoolean):
        key = job.get("format") if job.get("format") in BOOLEAN_WRITERS else "json"
        return {
            "ok": True,
            "form": "ASK",
            "boolean": bool(result),
            "count": 1,
            "truncated": False,
            "format": key,
            "body": BOOLEAN_WRITERS[key](bool(result)) if op == "query" else b"",
        }
    if isinstance(result, ox.QuerySolutions):
        native = NATIVE_SELECT_FORMATS.get(job.get("format", ""))
        if op == "query" and native is not None and _within_cap(job.get("query", ""), limit):
            # The query's own LIMIT keeps it under the cap: Oxigraph's native serializer is several
            # times faster than building the rows in Python, and nothing can be truncated.
            return {"ok": True, "form": "SELECT", "count": None, "truncated": False,
                    "format": job["format"], "body": result.serialize(format=native) or b""}
        variables = [v.value for v in result.variables]
        solutions, truncated = collect(result, limit)
        rows = [tuple(term_tuple(s[v]) for v in variables) for s in solutions]
        if op == "select":
            return {
                "ok": True,
                "form": "SELECT",
                "variables": variables,
                "rows": rows,
                "truncated": truncated,
            }
        key = job.get("format") if job.get("format") in SELECT_WRITERS else "json"
        return {
            "ok": True,
            "form": "SELECT",
            "count": len(rows),
            "truncated": truncated,
            "format": key,
            "body": SELECT_WRITERS[key](variables, rows),
        }
    triples, truncated = collect(result, limit)
    if op == "select":
        rows = [(term_tuple(t.subject), term_tuple(t.predicate), term_tuple(t.object)) for t in triples]
        return {
            "ok": True,
            "form": "CONSTRUCT",
            "variables": ["subject", "predicate", "object"],
            "rows": rows,
            "truncated": truncated,
        }
    key = job.get("format") if job.get("format") in GRAPH_RDF_FORMATS else "turtle"
    fmt = GRAPH_RDF_FORMATS[key]
    items: list[Any] = triples
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(
        items,
        format=fmt,
        prefixes=job.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None,
    )
    return {
        "ok": True,
        "form": "CONSTRUCT",
        "count": len(triples),
        "truncated": truncated,
        "format": key,
        "body": body or b"",
    }


def worker_main(store_path: str, jobs: int, answers: int, confined: bool = True) -> None:
    """Process entry point: open the store once, then answer jobs until the pipe closes.

    *confined* (the default) cuts the process off the network before the store opens
    (``api.confine``), so no query, however spelled, can make it fetch; the server starts workers
    unconfined only when the operator allows SERVICE."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us in order
    try:
        if confined:
            deny_network()
        store = ox.Store.read_only(store_path)
    except (OSError, ConfinementError) as exc:
        write_frame(answers, {"ok": False, "error": "startup", "message": str(exc)})
        return
    _MATERIALISED_UNION[id(store)] = has_materialised_union(store)
    write_frame(answers, {"ok": True, "ready": os.getpid()})
    while True:
        try:
            job = read_frame(jobs)
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer = execute(store, job)
        except Exception as exc:  # a bug here must not kill the worker silently
            answer = {"ok": False, "error": "internal", "message": f"{type(exc).__name__}: {exc}"}
        try:
            write_frame(answers, answer)
        except (BrokenPipeError, OSError):
            return


if __name__ == "__main__":
    worker_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), confined=sys.argv[4:5] != ["--network"])
