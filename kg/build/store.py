"""The build's on-disk Oxigraph store: written fresh for every build, opened read-only by servers
(``kg.layout.BuildLayout.open_store``), which is instant and lets a rebuild run beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.layout import BuildLayout
from kg.vocab.rdf import ONTOLOGY_GRAPH


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


def record_counts(store: ox.Store, layout: BuildLayout) -> dict[str, int]:
    """Write the store's sizes beside it, so a server starting on it need not count 10^6 quads."""
    counts = {
        "triples": sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
        "quads": len(store),
    }
    layout.counts_file.write_text(json.dumps(counts, sort_keys=True) + "\n", encoding="utf-8")
    return counts
