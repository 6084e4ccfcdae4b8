"""SHACL Core validation for bri-kg: the one validator of ``bri-kg build`` and ``bri-kg validate``.

    report = validate(data, load_shapes(shapes_dir), ontology)   # data: Store, rdflib Graph or file

The package mirrors the SHACL specification: :mod:`~kg.shacl.shapes` (§2: shapes, targets in
:mod:`~kg.shacl.targets`, paths in :mod:`~kg.shacl.paths`), :mod:`~kg.shacl.components` (§4, one module
per family of constraint components), :mod:`~kg.shacl.engine` (§3: validation) and
:mod:`~kg.shacl.report` (§3.6). The data graph (:mod:`~kg.shacl.data`) is read from a pyoxigraph Store
or an rdflib Graph, a predicate at a time. pySHACL is the reference it is tested against
(:mod:`~kg.shacl.reference`, tests only), with the W3C SHACL Core test suite.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Graph

from kg.shacl.data import GraphName, data_graph
from kg.shacl.engine import run
from kg.shacl.errors import ShapesError, UnsupportedShapes
from kg.shacl.report import Result, ShaclReport, Violation, make_report
from kg.shacl.shapes import ShapesGraph

DataSource = Graph | ox.Store | Path


@contextmanager
def literals_as_written() -> Iterator[None]:
    """rdflib parses literals as written (``"1"^^xsd:boolean`` stays "1", not "true"): shapes parameters
    such as ``sh:uniqueLang`` count only when they are literally ``true``."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``*.ttl`` file of *shapes_dir*, as one shapes graph (literals as written)."""
    graph = Graph()
    with literals_as_written():
        for path in sorted(shapes_dir.glob("*.ttl")):
            graph.parse(path, format="turtle")
    return graph


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a warning for every ill-typed literal it is shown; one per value is noise."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_file(path: Path) -> ox.Store:
    """An in-memory Store holding the RDF file *path* (format from its extension)."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r}")
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    return store


def results(data: DataSource, shapes: Graph, ontology: Graph | None = None,
            graph: GraphName | None = None) -> list[Result]:
    """The validation results (§3.6) of *data* plus *ontology* against *shapes*."""
    source = read_file(data) if isinstance(data, Path) else data
    with _quiet_rdflib():
        return run(ShapesGraph(shapes), data_graph(source, ontology, graph))


def validate(data: DataSource, shapes: Graph, ontology: Graph | None = None,
             graph: GraphName | None = None) -> ShaclReport:
    """Validate *data* -- a pyoxigraph Store (its *graph*, or by default the union of all its graphs),
    an rdflib Graph (a Dataset: the union of its graphs) or an RDF file -- plus *ontology* (so
    ``sh:class`` sees the class hierarchy) against *shapes*.

    Raises ShapesError (UnsupportedShapes) if the shapes are not well-formed SHACL Core (use a feature
    outside it).
    """
    with _quiet_rdflib():
        return make_report(results(data, shapes, ontology, graph), shapes)


validate_graph = validate   # the name earlier callers use

__all__ = ["ShaclReport", "ShapesError", "UnsupportedShapes", "Violation", "load_shapes", "read_file", "results",
           "validate", "validate_graph"]
