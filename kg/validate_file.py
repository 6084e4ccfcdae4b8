"""Validate any RDF file against the shapes: for systems that produce or import bri-kg data."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.config import Settings
from kg.owl.ontology import load_ontology
from kg.rdf_files import FileLimits, RdfFileError, read_graph
from kg.shacl import ShaclReport, load_shapes, validate_graph


class UnreadableFile(ValueError):
    """The file could not be parsed; the message names the file and the parser's complaint."""


def read_any(path: Path, settings: Settings | None = None) -> Graph:
    """Parse a Turtle / N-Triples / N-Quads / TriG / JSON-LD / RDF-XML file into one (union) graph,
    safely: ``kg.rdf_files`` (Oxigraph's parsers, nothing fetched or expanded, size and time limits)."""
    try:
        return read_graph(path, FileLimits.from_settings(settings) if settings else None)
    except RdfFileError as exc:
        raise UnreadableFile(str(exc)) from None


def validate_file(path: Path, settings: Settings) -> ShaclReport:
    graph = read_any(path, settings)
    return validate_graph(graph, load_shapes(settings.shapes_dir), load_ontology(settings.ontology_dir))
