"""Validate any RDF file against the shapes: for systems that produce or import bri-kg data."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings
from kg.owl.ontology import load_ontology
from kg.shacl import ShaclReport, load_shapes, validate

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
}


class UnreadableFile(ValueError):
    """The file could not be parsed; the message names the file and the parser's complaint."""


def read_any(path: Path) -> ox.Store:
    """Parse a Turtle / N-Triples / N-Quads / TriG / JSON-LD / RDF-XML file into an in-memory Store."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(f"{path}: unknown extension {path.suffix!r}; use one of {sorted(FORMATS_BY_SUFFIX)}")
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError, OSError) as exc:
        raise UnreadableFile(f"{path}: not valid {fmt.name}: {exc}") from exc
    return store


def validate_file(path: Path, settings: Settings) -> ShaclReport:
    """The file's graphs (their union) plus the ontology, against the shapes: the build's validator."""
    return validate(read_any(path), load_shapes(settings.shapes_dir), load_ontology(settings.ontology_dir))
