"""What runs inside a query worker process: open the store read-only, answer jobs from a pipe.

A worker is a separate process so that a query which overruns its time can be stopped for real
(the parent kills the process): Oxigraph only checks its own timeout on storage reads, so a query
busy in memory (a cross product, an aggregate) would otherwise run on. Jobs and answers are plain
dicts (``api.store.answer``), cheap to pickle. Before the store opens, the process is cut off the
network (``api.store.embedded.confine``) unless the operator allows SERVICE.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from api.store.answer import Answer, Job, respond
from api.store.embedded.confine import ConfinementError, deny_network
from api.store.embedded.frames import read_frame, write_frame
from api.store.terms import as_term, to_ox

QUERY_STACK_BYTES = 512 << 20


def has_materialised_union(store: ox.Store) -> bool:
    """True if the store's default graph holds data (the build writes the union of all graphs there)."""
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


def _graph_name(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri == "" else ox.NamedNode(iri)


@dataclass(frozen=True)
class OpenStore:
    """The worker's store, and whether its default graph already holds the union of all graphs."""

    store: ox.Store
    union_materialised: bool

    def run_query(self, job: Job) -> Any:
        kwargs: dict[str, Any] = {}
        if job.get("default_graphs") is not None:
            kwargs["default_graph"] = [_graph_name(g) for g in job["default_graphs"]]
        elif job.get("union", True) and not self.union_materialised:
            # Only for stores whose default graph is empty: the build materialises the union there,
            # because Oxigraph's on-the-fly union repeats a triple that several graphs share.
            kwargs["use_default_graph_as_union"] = True
        if job.get("named_graphs") is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        if job.get("base_iri"):
            kwargs["base_iri"] = job["base_iri"]
        if job.get("substitutions"):
            kwargs["substitutions"] = {ox.Variable(k): to_ox(as_term(v)) for k, v in job["substitutions"].items()}
        return self.store.query(job["query"], **kwargs)

    def execute(self, job: Job) -> Answer:
        """Run one job; never raises for query problems (they come back as ``{"ok": False, ...}``)."""
        if job["op"] == "count":
            return {"ok": True, "quads": len(self.store)}
        try:
            return respond(self.run_query(job), job)
        except SyntaxError as exc:
            return {"ok": False, "error": "syntax", "message": str(exc)}
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            return {"ok": False, "error": "evaluation", "message": f"{type(exc).__name__}: {exc}"}


def worker_main(store_path: str, jobs: int, answers: int, confined: bool = True) -> None:
    """Process entry point: open the store once, then answer jobs until the pipe closes.

    *confined* (the default) cuts the process off the network before the store opens, so no
    query, however spelled, can make it fetch; the server starts workers unconfined only when the
    operator allows SERVICE."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us in order
    try:
        if confined:
            deny_network()
        store = ox.Store.read_only(store_path)
    except (OSError, ConfinementError) as exc:
        write_frame(answers, {"ok": False, "error": "startup", "message": str(exc)})
        return
    opened = OpenStore(store, has_materialised_union(store))
    write_frame(answers, {"ok": True, "ready": os.getpid()})
    # Oxigraph's parser and planner recurse: on a big stack, a query within the endpoint's size and
    # depth limits (api.sparql.guard) cannot overflow it; the default 8 MiB overflowed at ~2,000 nested
    # groups. Only the pages the recursion touches are ever allocated.
    threading.stack_size(QUERY_STACK_BYTES)
    runner = threading.Thread(target=serve_jobs, args=(opened, jobs, answers), name="bri-kg-queries")
    runner.start()
    runner.join()


def serve_jobs(opened: OpenStore, jobs: int, answers: int) -> None:
    """Answer jobs from the pipe until it closes (or a None job says stop)."""
    while True:
        try:
            job = read_frame(jobs)
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer = opened.execute(job)
        except Exception as exc:  # a bug here must not kill the worker silently
            answer = {"ok": False, "error": "internal", "message": f"{type(exc).__name__}: {exc}"}
        try:
            write_frame(answers, answer)
        except OSError:
            return


if __name__ == "__main__":
    if "--low-priority" in sys.argv[4:]:  # a worker for the long-query lane: every other process comes first
        os.nice(19)
    worker_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), confined="--network" not in sys.argv[4:])
