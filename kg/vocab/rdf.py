"""The vocabulary as rdflib terms, for the build: ``BRI`` (generated from the ontology, closed: a
mistyped term fails) and the other namespaces. The API uses ``kg.vocab.terms`` and
``kg.vocab.namespaces`` instead (plain strings, no rdflib); ``python -m kg.vocab.generate``
rewrites the generated modules after the ontology changes."""

from rdflib.namespace import Namespace
from rdflib.term import URIRef

from kg.vocab import namespaces
from kg.vocab.bri import BRI

__all__ = ["BASE", "BRI", "DCAT", "GRAPH", "ID", "OA", "ONTOLOGY_GRAPH", "PREFIXES", "SCHEMA", "SPDX", "VOID"]


ID = Namespace(namespaces.ID)
GRAPH = Namespace(namespaces.GRAPH)
OA = Namespace(namespaces.OA)
SCHEMA = Namespace(namespaces.SCHEMA)
VOID = Namespace(namespaces.VOID)
DCAT = Namespace(namespaces.DCAT)
SPDX = Namespace(namespaces.SPDX)

ONTOLOGY_GRAPH = URIRef(namespaces.ONTOLOGY_GRAPH)
BASE = namespaces.BASE
PREFIXES = namespaces.PREFIXES
