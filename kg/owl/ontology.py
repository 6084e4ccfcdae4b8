"""What the ontology says about its terms, as the mapper needs it: classes, property kinds, ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import XSD

from kg.vocab.rdf import BRI, PREFIXES


def load_ontology(ontology_dir: Path) -> Graph:
    """Parse every Turtle file of the ontology folder into one graph."""
    graph = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@dataclass
class OntologyIndex:
    """Look-ups over the ontology graph, computed once per build."""

    graph: Graph
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))

    def _typed(self, cls: URIRef) -> set[URIRef]:
        return {s for s in self.graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}

    @cached_property
    def classes(self) -> set[URIRef]:
        return self._typed(OWL.Class)

    @cached_property
    def object_properties(self) -> set[URIRef]:
        return self._typed(OWL.ObjectProperty)

    @cached_property
    def datatype_properties(self) -> set[URIRef]:
        return self._typed(OWL.DatatypeProperty)

    @cached_property
    def annotation_properties(self) -> set[URIRef]:
        return self._typed(OWL.AnnotationProperty)

    @cached_property
    def inverses(self) -> dict[URIRef, URIRef]:
        """Both directions of every owl:inverseOf pair."""
        pairs: dict[URIRef, URIRef] = {}
        for a, b in self.graph.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                pairs[a] = b
                pairs[b] = a
        return pairs

    @cached_property
    def individuals(self) -> set[URIRef]:
        return self._typed(OWL.NamedIndividual)

    def range_of(self, prop: URIRef) -> URIRef:
        """The declared datatype range of a datatype property, ``xsd:string`` where none is declared."""
        rng = self.graph.value(prop, RDFS.range)
        return rng if isinstance(rng, URIRef) else XSD.string

    def expand(self, name: str) -> URIRef | None:
        """``heldIn`` -> bri:heldIn, ``org:member`` -> the ORG IRI; None for an unknown prefix."""
        if ":" not in name:
            return URIRef(str(BRI._NS) + name)
        prefix, local = name.split(":", 1)
        base = self.prefixes.get(prefix)
        return URIRef(base + local) if base else None

    def bri_class(self, local_name: str) -> URIRef | None:
        """The bri: class with this local name, or None if the ontology has no such class."""
        iri = URIRef(str(BRI._NS) + local_name)
        return iri if iri in self.classes else None
