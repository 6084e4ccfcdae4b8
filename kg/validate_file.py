"""Validate any RDF file against the shapes: for systems that produce or import bri-kg data."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.config import Settings
from kg.owl.ontology import load_ontology
from kg.shacl import ShaclReport, load_shapes, validate_graph

FORMATS_BY_SUFFIX = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".nq": "nquads",
    ".nquads": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml",
}


class UnreadableFile(ValueError):
    """The file could not be parsed; the message names the file and the parser's complaint."""


def read_any(path: Path) -> Graph:
    """Parse a Turtle / N-Triples / N-Quads / TriG / JSON-LD / RDF-XML file into one (union) graph."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(f"{path}: unknown extension {path.suffix!r}; use one of {sorted(FORMATS_BY_SUFFIX)}")
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(path, format=fmt)
    except Exception as exc:  # noqa: BLE001 - parsers raise many types; all mean "unreadable"
        raise UnreadableFile(f"{path}: not valid {fmt}: {exc}") from exc
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_file(path: Path, settings: Settings) -> ShaclReport:
    return validate_graph(read_any(path), load_shapes(settings.shapes_dir), load_ontology(settings.ontology_dir))
