"""The store behind the API: one small interface, an embedded Oxigraph implementation.

The build writes a fresh on-disk store for every build (``write_store``); servers open the
current one read-only (``open_embedded``), which is instant and lets a rebuild run beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.vocab import ONTOLOGY_GRAPH


def dataset_to_nquads(dataset: Dataset) -> bytes:
    return dataset.serialize(format="nquads", encoding="utf-8")


def write_store(path: Path, data_nquads: bytes | Path, ontology: Graph) -> ox.Store:
    """Create an on-disk store at *path*: the document graphs, the ontology graph, and their union.

    The union is materialised in the store's default graph instead of querying with
    ``use_default_graph_as_union``: Oxigraph 0.5 does not deduplicate a triple that several graphs
    share when it merges them (oxigraph#1919), which would make COUNT and SUM wrong. A real default
    graph is a set, so every standard query over it counts correctly.
    """
    store = ox.Store(str(path))
    ontology_nt = ontology.serialize(format="nt", encoding="utf-8")
    source = {"path": str(data_nquads)} if isinstance(data_nquads, Path) else {"input": data_nquads}
    store.bulk_load(format=ox.RdfFormat.N_QUADS, **source)
    store.bulk_load(input=ontology_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                      for q in ox.parse(format=ox.RdfFormat.N_QUADS, **source))
    store.bulk_load(input=ontology_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.optimize()
    store.flush()
    return store


COUNTS_FILE = "COUNTS.json"


def record_counts(store: ox.Store, build_dir: Path) -> dict[str, int]:
    """Write the store's sizes beside it, so a server starting on it need not count 10^6 quads."""
    counts = {
        "triples": sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
        "quads": len(store),
    }
    (build_dir / COUNTS_FILE).write_text(json.dumps(counts, sort_keys=True) + "\n", encoding="utf-8")
    return counts


def open_embedded(path: Path) -> ox.Store:
    """Open a built store read-only; raises OSError if there is none."""
    if not path.is_dir():
        raise FileNotFoundError(f"no store at {path}: run `bri-kg build` first")
    return ox.Store.read_only(str(path))
