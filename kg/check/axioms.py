"""What the ontology says about domains, ranges and disjoint classes, read once for explanations.

Why not only ask the reasoner? HermiT says "inconsistent" and nothing more. Most inconsistencies in
curated data are one fact whose subject or object has a type the property's domain or range excludes
("program/x has an organizer; organizer applies to events; a program cannot be an event"); these
axioms find that fact directly, and the same axioms write the SHACL shapes that catch it before the
reasoner runs (``kg.check.domain_shapes``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

from kg.index.schema import local_name


def article(words: str) -> str:
    """``a program``, ``an event``."""
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def _alternatives(graph: Graph, node: object) -> frozenset[URIRef] | None:
    """A named class, or the members of an owl:unionOf; None for anything else."""
    if isinstance(node, URIRef):
        return frozenset({node})
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        if union is not None:
            return frozenset(m for m in Collection(graph, union) if isinstance(m, URIRef))
    return None


@dataclass
class Axioms:
    """Class hierarchy, disjointness, domains and ranges of the ontology (named classes only)."""

    graph: Graph
    supers: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    disjoint: set[frozenset[URIRef]] = field(default_factory=set)
    domains: dict[URIRef, list[frozenset[URIRef]]] = field(default_factory=lambda: defaultdict(list))
    ranges: dict[URIRef, list[frozenset[URIRef]]] = field(default_factory=lambda: defaultdict(list))
    inverse: dict[URIRef, URIRef] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> Axioms:
        axioms = cls(graph)
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                axioms.supers[sub].add(sup)
        for a, b in graph.subject_objects(OWL.disjointWith):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                axioms.disjoint.add(frozenset({a, b}))
        for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            head = graph.value(group, OWL.members)
            members = [m for m in Collection(graph, head) if isinstance(m, URIRef)] if head is not None else []
            axioms.disjoint.update(frozenset(pair) for pair in combinations(members, 2))
        for relation, target in ((RDFS.domain, axioms.domains), (RDFS.range, axioms.ranges)):
            for prop, node in graph.subject_objects(relation):
                alts = _alternatives(graph, node)
                if isinstance(prop, URIRef) and alts:
                    target[prop].append(alts)
        for a, b in graph.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                axioms.inverse[a], axioms.inverse[b] = b, a
        return axioms

    @cached_property
    def super_properties(self) -> dict[URIRef, set[URIRef]]:
        direct: dict[URIRef, set[URIRef]] = defaultdict(set)
        for sub, sup in self.graph.subject_objects(RDFS.subPropertyOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                direct[sub].add(sup)
        return {p: self._closure(p, direct) for p in list(direct)}

    @staticmethod
    def _closure(start: URIRef, edges: dict[URIRef, set[URIRef]]) -> set[URIRef]:
        seen: set[URIRef] = set()
        todo = [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def ancestors(self, cls: URIRef) -> set[URIRef]:
        """The class and every named superclass of it."""
        return {cls} | self._closure(cls, self.supers)

    def are_disjoint(self, a: URIRef, b: URIRef) -> bool:
        """True when nothing can be both an ``a`` and a ``b`` (disjointness is inherited downwards)."""
        return any(frozenset({x, y}) in self.disjoint for x in self.ancestors(a) for y in self.ancestors(b))

    def domains_of(self, prop: URIRef) -> list[frozenset[URIRef]]:
        """Every domain a subject of *prop* must be in: its own, its super-properties', its inverse's ranges."""
        props = {prop} | self.super_properties.get(prop, set())
        found = [d for p in props for d in self.domains.get(p, [])]
        inverse = self.inverse.get(prop)
        return found + (self.ranges.get(inverse, []) if inverse is not None else [])

    def ranges_of(self, prop: URIRef) -> list[frozenset[URIRef]]:
        props = {prop} | self.super_properties.get(prop, set())
        found = [r for p in props for r in self.ranges.get(p, [])]
        inverse = self.inverse.get(prop)
        return found + (self.domains.get(inverse, []) if inverse is not None else [])

    def excluded(self, types: set[URIRef], required: frozenset[URIRef]) -> URIRef | None:
        """A type among *types* that no alternative of *required* can share, or None if one can."""
        for t in sorted(types):
            if all(self.are_disjoint(t, alt) for alt in required):
                return t
        return None

    def label(self, term: URIRef) -> str:
        """A term in words: its rdfs:label (English), else its local name."""
        for value in self.graph.objects(term, RDFS.label):
            return str(value).split(" (")[0]
        for value in self.graph.objects(term, SKOS.prefLabel):
            return str(value)
        return local_name(str(term))

    def words(self, classes: frozenset[URIRef]) -> str:
        names = sorted(self.label(c).lower() for c in classes)
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
