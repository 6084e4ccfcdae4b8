"""Property pair constraint components (SHACL §4.5): sh:equals, sh:disjoint, sh:lessThan,
sh:lessThanOrEquals, comparing the value nodes with the values of another property of the focus node."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.shacl.components.base import Component, Out
from kg.shacl.literals import compare
from kg.shacl.terms import Term

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph


class PairComponent(Component):
    """A component with another property, whose values at the focus node are compared."""

    def __init__(self, other: ox.NamedNode) -> None:
        self.other = other

    def emit(self, shape: Shape, focus: Term, bad: list[Term], out: Out) -> bool:
        if bad and out is not None:
            out.extend(self.result(shape, focus, value) for value in bad)
        return not bad


class EqualsComponent(PairComponent):
    """§4.5.1: the value nodes and the other property's values are the same set; each node in only
    one of them is a result."""

    name = "Equals"

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        others = run.data.objects(focus, self.other)
        bad = [v for v in values if v not in others] + [o for o in others if o not in values]
        return self.emit(shape, focus, bad, out)

    def message(self) -> str:
        return f"Values are not the same as those of {self.other.value}"


class DisjointComponent(PairComponent):
    """§4.5.2: no value node is also a value of the other property."""

    name = "Disjoint"

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        others = run.data.objects(focus, self.other)
        return self.emit(shape, focus, [v for v in values if v in others], out)

    def message(self) -> str:
        return f"Value is also a value of {self.other.value}"


class LessThanComponent(PairComponent):
    """§4.5.3: each value node is below each value of the other property (one result per pair that is not,
    incomparable pairs included)."""

    name = "LessThan"
    allowed = frozenset({-1})

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        others = run.data.objects(focus, self.other)
        if not others:
            return True
        bad = [v for v in values for o in others if compare(v, o) not in self.allowed]
        return self.emit(shape, focus, bad, out)

    def message(self) -> str:
        return f"Value is not less than the values of {self.other.value}"


class LessThanOrEqualsComponent(LessThanComponent):
    """§4.5.4: as sh:lessThan, equality allowed."""

    name = "LessThanOrEquals"
    allowed = frozenset({-1, 0})

    def message(self) -> str:
        return f"Value is greater than a value of {self.other.value}"


COMPONENTS: dict[str, type[PairComponent]] = {
    "equals": EqualsComponent, "disjoint": DisjointComponent, "lessThan": LessThanComponent,
    "lessThanOrEquals": LessThanOrEqualsComponent}


def parse_pair(parameter: str, sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    if parameter in ("lessThan", "lessThanOrEquals"):
        sg.property_only(shape, parameter)
    return [COMPONENTS[parameter](sg.iri(node, other, parameter)) for other in sg.values(node, parameter)]


def parse_equals(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return parse_pair("equals", sg, node, shape)


def parse_disjoint(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return parse_pair("disjoint", sg, node, shape)


def parse_less_than(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return parse_pair("lessThan", sg, node, shape)


def parse_less_than_or_equals(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return parse_pair("lessThanOrEquals", sg, node, shape)


PARSERS = {"equals": parse_equals, "disjoint": parse_disjoint, "lessThan": parse_less_than,
           "lessThanOrEquals": parse_less_than_or_equals}
PARAMETERS = frozenset(PARSERS)
