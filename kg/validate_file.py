"""Validate any RDF file against the shapes: for systems that produce or import bri-kg data."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings
from kg.owl.ontology import load_ontology
from kg.rdf_files import FileLimits, RdfFileError, read_store
from kg.shacl import ShaclReport, load_shapes, validate


class UnreadableFile(ValueError):
    """The file could not be parsed; the message names the file and the parser's complaint."""


def read_any(path: Path, settings: Settings | None = None) -> ox.Store:
    """Parse a Turtle / N-Triples / N-Quads / TriG / JSON-LD / RDF-XML file into an in-memory Store,
    safely: ``kg.rdf_files`` (Oxigraph's parsers, nothing fetched or expanded, size and time limits)."""
    try:
        return read_store(path, FileLimits.from_settings(settings) if settings else None)
    except RdfFileError as exc:
        raise UnreadableFile(str(exc)) from None


def validate_file(path: Path, settings: Settings) -> ShaclReport:
    """The file's graphs (their union) plus the ontology, against the shapes: the build's validator."""
    return validate(read_any(path, settings), load_shapes(settings.shapes_dir), load_ontology(settings.ontology_dir))
