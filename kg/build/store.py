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


def load_union(data_nquads: Path, union_ntriples: Path, ontology_nt: bytes, path: Path | None = None) -> ox.Store:
    """The build's store from its N-Quads and N-Triples dumps: the document graphs, the ontology graph,
    and their union in the default graph (see ``write_store``), on disk at *path* (optimised and flushed)
    or, without one, in memory. The dumps are already the distinct quads and the union's triples, so each
    is bulk-loaded once, by Oxigraph's parser."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.bulk_load(path=str(data_nquads), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(input=ontology_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    store.bulk_load(path=str(union_ntriples), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.bulk_load(input=ontology_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    if path is not None:
        store.optimize()
        store.flush()
    return store


def write_counts(layout: BuildLayout, triples: int, quads: int) -> dict[str, int]:
    """Write the store's sizes beside it (counted by the build, which knows them)."""
    counts = {"triples": triples, "quads": quads}
    layout.counts_file.write_text(json.dumps(counts, sort_keys=True) + "\n", encoding="utf-8")
    return counts


def record_counts(store: ox.Store, layout: BuildLayout) -> dict[str, int]:
    """Write the store's sizes beside it, so a server starting on it need not count 10^6 quads."""
    return write_counts(layout, sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
                        len(store))


def main(argv: list[str]) -> None:
    """``python -m kg.build.store NQUADS NTRIPLES ONTOLOGY_NT STORE``: ``load_union`` as a process of its own
    (the build runs it beside its checks; see kg.build.background)."""
    nquads, ntriples, ontology_nt, store = (Path(a) for a in argv)
    load_union(nquads, ntriples, ontology_nt.read_bytes(), store)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
