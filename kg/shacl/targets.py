"""Targets (SHACL §2.1.3) and SHACL instances (§1.5: rdf:type/rdfs:subClassOf* in the data graph).

A shape's focus nodes are the union of its targets: ``sh:targetNode`` (the nodes themselves, present in
the data or not), ``sh:targetClass`` and the implicit class target of a shape that is also an
``rdfs:Class`` (every SHACL instance of the class), ``sh:targetSubjectsOf`` / ``sh:targetObjectsOf``
(every subject / object of a triple with the predicate).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.shacl.data import DataGraph
from kg.shacl.terms import RDF_TYPE, RDFS_SUBCLASS_OF, Term


class Classes:
    """SHACL instances of classes in one data graph, computed once per class."""

    def __init__(self, data: DataGraph) -> None:
        self.data = data
        self._instances: dict[Term, frozenset[Term]] = {}
        self._by_type: dict[Term, list[Term]] | None = None

    def subclasses(self, cls: Term) -> set[Term]:
        """*cls* and every class below it by rdfs:subClassOf*."""
        below = self.data.inverse(RDFS_SUBCLASS_OF)
        found, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def instances(self, cls: Term) -> frozenset[Term]:
        """Nodes with an rdf:type that is *cls* or a subclass of it."""
        found = self._instances.get(cls)
        if found is None:
            if self._by_type is None:
                self._by_type = self.data.inverse(RDF_TYPE)
            members: set[Term] = set()
            for sub in self.subclasses(cls):
                members.update(self._by_type.get(sub, ()))
            found = self._instances[cls] = frozenset(members)
        return found


@dataclass
class Targets:
    """The targets declared on one shape."""

    nodes: list[Term] = field(default_factory=list)
    classes: list[ox.NamedNode] = field(default_factory=list)   # sh:targetClass; the shape itself if a class
    subjects_of: list[ox.NamedNode] = field(default_factory=list)
    objects_of: list[ox.NamedNode] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.classes or self.subjects_of or self.objects_of)

    def focus_nodes(self, data: DataGraph, classes: Classes) -> list[Term]:
        """Each focus node once, in a stable order."""
        found: dict[Term, None] = dict.fromkeys(self.nodes)
        for cls in self.classes:
            found.update(dict.fromkeys(classes.instances(cls)))
        for predicate in self.subjects_of:
            found.update(dict.fromkeys(data.forward(predicate)))
        for predicate in self.objects_of:
            found.update(dict.fromkeys(data.inverse(predicate)))
        return list(found)
