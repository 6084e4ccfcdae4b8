"""Other constraint components (SHACL §4.8): sh:closed (+ sh:ignoredProperties), sh:hasValue, sh:in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import Namespace, URIRef

from kg.shacl.components.base import Component, Out, ValueComponent
from kg.shacl.paths import PredicatePath
from kg.shacl.terms import Term, from_rdflib, text

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph

SH = Namespace("http://www.w3.org/ns/shacl#")


class ClosedComponent(Component):
    """§4.8.1: a value node has no triple whose predicate is not the path of one of the shape's property
    shapes nor ignored; each such triple is a result with the predicate as path and the object as value."""

    name = "Closed"

    def __init__(self, allowed: frozenset[Term]) -> None:
        self.allowed = allowed

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        ok = True
        for value in values:
            for predicate, obj in run.data.edges_from(value):
                if predicate in self.allowed:
                    continue
                if out is None:
                    return False
                out.append(self.result(shape, focus, obj, path=PredicatePath(predicate),
                                       message=f"Predicate {text(predicate)} is not allowed (closed shape)"))
                ok = False
        return ok


class HasValueComponent(Component):
    """§4.8.2: the value is one of the value nodes; one result without a value otherwise."""

    name = "HasValue"

    def __init__(self, value: Term) -> None:
        self.value = value

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        if self.value in values:
            return True
        if out is not None:
            out.append(self.result(shape, focus))
        return False

    def message(self) -> str:
        return f"Value {text(self.value)} is missing"


class InComponent(ValueComponent):
    """§4.8.3: each value node is a member of the list."""

    name = "In"

    def __init__(self, members: list[Term]) -> None:
        self.members = frozenset(members)
        self.listed = members

    def accepts(self, run: Run, value: Term) -> bool:
        return value in self.members

    def message(self) -> str:
        return "Value is not one of " + ", ".join(text(m) for m in self.listed)


def parse_closed(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    if not sg.boolean(node, "closed"):
        return []
    allowed: set[Term] = set()
    for prop in sg.values(node, "property"):
        path = sg.one(prop, "path")
        if isinstance(path, URIRef):
            allowed.add(from_rdflib(path))
    ignored = sg.one(node, "ignoredProperties")
    if ignored is not None:
        allowed.update(from_rdflib(p) for p in sg.items(node, ignored, "ignoredProperties"))
    return [ClosedComponent(frozenset(allowed))]


def parse_has_value(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return [HasValueComponent(from_rdflib(value)) for value in sg.values(node, "hasValue")]


def parse_in(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return [InComponent([from_rdflib(m) for m in sg.items(node, value, "in")]) for value in sg.values(node, "in")]


PARSERS = {"closed": parse_closed, "hasValue": parse_has_value, "in": parse_in}
PARAMETERS = frozenset(PARSERS) | {"ignoredProperties"}
