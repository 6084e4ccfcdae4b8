"""Logical constraint components (SHACL §4.6): sh:not, sh:and, sh:or, sh:xone. Each judges a value node
by whether it conforms to other shapes; their own results are not reported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.shacl.components.base import Component, ValueComponent
from kg.shacl.terms import Term

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph


class NotComponent(ValueComponent):
    """§4.6.1: the value node does not conform to the shape."""

    name = "Not"

    def __init__(self, shape: Shape) -> None:
        self.shape = shape

    def accepts(self, run: Run, value: Term) -> bool:
        return not run.conforms(self.shape, value)

    def message(self) -> str:
        return f"Value conforms to {self.shape.node}, which it must not"


class ListComponent(ValueComponent):
    """A component over a list of shapes, judged by how many of them the value node conforms to."""

    words = ""

    def __init__(self, shapes: list[Shape]) -> None:
        self.shapes = shapes

    def count(self, run: Run, value: Term, enough: int) -> int:
        """How many of the shapes *value* conforms to, counting no further than *enough*."""
        found = 0
        for shape in self.shapes:
            if run.conforms(shape, value):
                found += 1
                if found >= enough:
                    break
        return found

    def message(self) -> str:
        return f"Value does not conform to {self.words} of " + ", ".join(str(s.node) for s in self.shapes)


class AndComponent(ListComponent):
    """§4.6.2: the value node conforms to every shape of the list."""

    name = "And"
    words = "all"

    def accepts(self, run: Run, value: Term) -> bool:
        return all(run.conforms(shape, value) for shape in self.shapes)


class OrComponent(ListComponent):
    """§4.6.3: the value node conforms to at least one shape of the list."""

    name = "Or"
    words = "at least one"

    def accepts(self, run: Run, value: Term) -> bool:
        return self.count(run, value, 1) >= 1


class XoneComponent(ListComponent):
    """§4.6.4: the value node conforms to exactly one shape of the list."""

    name = "Xone"
    words = "exactly one"

    def accepts(self, run: Run, value: Term) -> bool:
        return self.count(run, value, 2) == 1


def parse_not(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return [NotComponent(sg.shape(other)) for other in sg.values(node, "not")]


def _parse_list(parameter: str, kind: type[ListComponent], sg: ShapesGraph, node: RDFNode) -> list[Component]:
    return [kind([sg.shape(member) for member in sg.items(node, value, parameter)])
            for value in sg.values(node, parameter)]


def parse_and(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return _parse_list("and", AndComponent, sg, node)


def parse_or(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return _parse_list("or", OrComponent, sg, node)


def parse_xone(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return _parse_list("xone", XoneComponent, sg, node)


PARSERS = {"not": parse_not, "and": parse_and, "or": parse_or, "xone": parse_xone}
PARAMETERS = frozenset(PARSERS)
