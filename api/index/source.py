"""Where the server's entity index comes from: the build's file, or one written at startup.

A build writes ``index.sqlite`` beside its store, and the server opens it at once. Two cases have no
usable file: a remote store (no build directory: replicas write their own from the store's SPARQL
answers) and a store built without one (an older build, a benchmark store); then the index is
written in the background into a private cache file, while SPARQL, health and dumps already answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from api.index.graph import GraphIndex, IndexMismatch
from api.services import Services
from api.store.contract import QueryStore, SelectResult
from api.store.terms import Term
from kg.index.schema import DESCRIPTION_QUERY, EDGES_QUERY, LABELS_QUERY, TYPES_QUERY
from kg.index.writer import IndexRows, index_bindings, write_index

log = logging.getLogger("bri_kg.api")


def open_build_index(svc: Services) -> GraphIndex | None:
    """The index the served build wrote, if it has a current one for this server's id base."""
    if svc.build.layout is None or svc.store.local_path is None:
        return None
    path = svc.build.layout.index
    if not path.is_file():
        return None
    try:
        return GraphIndex.open(path, svc.settings.id_base)
    except IndexMismatch as exc:
        log.warning("rewriting the entity index: %s", exc)
        return None


def cache_file(svc: Services) -> Path:
    """A private file for this process's index (replicas may share the var directory)."""
    folder = svc.settings.var_dir / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="index-", suffix=".sqlite", dir=folder)
    os.close(handle)
    return Path(name)


async def write_from_embedded(store_path: Path, out: Path, id_base: str) -> None:
    """Run ``bri-kg index`` in a child process: it streams the store straight into the file, so the
    server itself never holds the rows (at 10^6 triples they would cost it a gigabyte). The child ends
    with the server, however the server ends: killed here if the server stops waiting (shutdown), and it
    exits by itself when its stdin, a pipe only this process holds, closes (the server was killed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bri_kg", "index", "--store", str(store_path), "--out", str(out), "--id-base", id_base,
        "--exit-with-stdin", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        errors = await process.stderr.read()
        await process.wait()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await asyncio.shield(process.wait())
        raise
    finally:
        if process.stdin is not None:
            process.stdin.close()
    if process.returncode != 0:
        raise RuntimeError(f"bri-kg index exited with {process.returncode}: {errors.decode()[-500:]}")


# The direct subclass links; their transitive closure is computed here, as SUBCLASS_QUERY's ``+`` path
# does, because not every server takes a path with neither end bound (Virtuoso: "transitive start not given").
DIRECT_SUBCLASSES = """SELECT ?class ?super WHERE { ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?super }"""


def closure(direct: SelectResult) -> list[tuple[str, str]]:
    """(class, superclass) for one or more subClassOf steps between IRIs, as ``kg.index.schema.SUBCLASS_QUERY``."""
    parents: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in direct.rows:
        if "class" in row and "super" in row:
            child, parent = row["class"], row["super"]
            parents.setdefault((child.kind, child.value), set()).add((parent.kind, parent.value))
    out: set[tuple[str, str]] = set()
    for start in parents:
        if start[0] != "uri":
            continue
        seen: set[tuple[str, str]] = set()
        todo = list(parents[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(parents.get(node, ()))
        out.update((start[1], node[1]) for node in seen if node[0] == "uri")
    return sorted(out)


async def write_from_remote(store: QueryStore, out: Path, id_base: str, timeout_s: float) -> None:
    """Ask the remote store the index's five questions, then write the file in a thread."""
    bound = {k: Term.literal(v) for k, v in index_bindings(id_base).items()}
    labels = await store.select(LABELS_QUERY, timeout_s=timeout_s)
    types = await store.select(TYPES_QUERY, bound, timeout_s=timeout_s)
    edges = await store.select(EDGES_QUERY, bound, timeout_s=timeout_s)
    subclasses = closure(await store.select(DIRECT_SUBCLASSES, timeout_s=timeout_s))
    descriptions = await store.select(DESCRIPTION_QUERY, timeout_s=timeout_s)
    rows = IndexRows(
        labels=((r["s"].value, r["p"].value, r["label"].value, r["label"].lang) for r in labels.rows),
        types=((r["s"].value, r["type"].value) for r in types.rows),
        edges=((r["s"].value, r["p"].value, r["o"].value) for r in edges.rows),
        subclasses=subclasses,
        descriptions=((r["s"].value, r["p"].value, r["d"].value, r["d"].lang) for r in descriptions.rows),
    )
    await asyncio.to_thread(write_index, out, rows, id_base)


async def build_index(svc: Services, budget_s: float, retry_s: float = 2.0) -> None:
    """Write this process's index and switch to it; while the store fails, say so and retry."""
    started = time.perf_counter()
    out = cache_file(svc)
    live = svc.live_index
    live.owned_file = out
    local = svc.store.local_path
    while True:
        try:
            if local is not None:  # a store on this machine: read it directly, in a child process
                await write_from_embedded(local, out, svc.settings.id_base)
            else:
                await write_from_remote(svc.store, out, svc.settings.id_base, budget_s)
            break
        except Exception as exc:  # the store is down or too slow: keep serving, retry
            live.error = f"{type(exc).__name__}: {exc}"
            log.warning("could not write the entity index (%s); retrying in %.0f s", live.error, retry_s)
            await asyncio.sleep(retry_s)
    live.switch(GraphIndex.open(out, svc.settings.id_base))
    log.info("index ready: %d entities in %.1f s", svc.index.entity_count, time.perf_counter() - started)


def release(svc: Services) -> None:
    """Close the index; delete it if this process wrote it."""
    svc.index.close()
    if svc.live_index.owned_file is not None:
        with contextlib.suppress(OSError):
            svc.live_index.owned_file.unlink()
