"""Deterministic dumps of a build, their VoID/DCAT description and SHA-256 checksums.

Determinism: the corpus mints no blank nodes, and every dump is written from quads sorted by
their N-Triples form, so two builds of the same inputs are byte-identical and diff cleanly.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyoxigraph as ox

from kg.layout import (
    COMPACT_JSONLD,
    CONTEXT_FILE,
    DUMP_FILES,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    SUMS_FILE,
    VOID_FILE,
    DumpFile,
    sha256_of,
)
from kg.publish.dcat import Publication, describe, latest_date
from kg.publish.jsonld import context as jsonld_context
from kg.publish.jsonld import write_compact, write_context
from kg.vocab.rdf import ONTOLOGY_GRAPH, PREFIXES

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def data_quads(store: ox.Store) -> list[ox.Quad]:
    """Every quad of the document graphs (not the ontology graph, not the union default graph), sorted."""
    ontology = ox.NamedNode(str(ONTOLOGY_GRAPH))
    quads = [q for q in store.quads_for_pattern(None, None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != ontology]
    quads.sort(key=_quad_key)
    return quads


def union_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of all graphs (the default graph as union), in canonical order."""
    unique = {(str(q.subject), str(q.predicate), str(q.object)): q.triple for q in quads}
    return [unique[k] for k in sorted(unique)]


def write_dumps(store: ox.Store, dist: Path, ontology_ttl: Path, shapes_ttl: Path, version: str) -> dict[str, int]:
    """Write every dump, the ontology and shapes, VoID/DCAT and SHA256SUMS into *dist*; return counts."""
    dist.mkdir(parents=True, exist_ok=True)
    quads = data_quads(store)
    triples = union_triples(quads)
    for dump in DUMP_FILES:
        items = quads if dump.keeps_graphs else triples
        ox.serialize(items, str(dist / dump.filename), RDF_FORMATS[dump.format], prefixes=_prefixes_for(dump))
    (dist / ONTOLOGY_FILE).write_bytes(ontology_ttl.read_bytes())
    (dist / SHAPES_FILE).write_bytes(shapes_ttl.read_bytes())
    ctx = jsonld_context(ontology_ttl)
    write_context(ctx, dist / CONTEXT_FILE)
    write_compact(triples, dist / COMPACT_JSONLD, ctx)
    counts = {"triples": len(triples), "quads": len(quads), "graphs": len({q.graph_name for q in quads})}
    void = describe(triples, quads, dist, build_publication(version, quads))
    ox.serialize(sorted(void, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))),
                 str(dist / VOID_FILE), ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES)
    names = sorted(p.name for p in dist.iterdir() if p.name != SUMS_FILE)
    (dist / SUMS_FILE).write_text("".join(f"{sha256_of(dist / n)}  {n}\n" for n in names), encoding="utf-8")
    return counts


def build_publication(version: str, quads: list[ox.Quad]) -> Publication:
    """A build's dates come from its inputs (``SOURCE_DATE_EPOCH`` if set, the reproducible-builds
    convention, else the newest date the data states), so the same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else latest_date(quads)
    return Publication(version=version, issued=day, modified=day)


DUMP_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}  # "id:" would force \/ escapes in names


def _prefixes_for(dump: DumpFile) -> dict[str, str] | None:
    return DUMP_PREFIXES if dump.format in ("turtle", "trig", "jsonld") else None
