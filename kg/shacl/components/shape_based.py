"""Shape-based constraint components (SHACL §4.7): sh:node, sh:property, sh:qualifiedValueShape with
sh:qualifiedMinCount / sh:qualifiedMaxCount / sh:qualifiedValueShapesDisjoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import Namespace

from kg.shacl.components.base import Component, Out
from kg.shacl.errors import ShapesError
from kg.shacl.report import Result
from kg.shacl.terms import Term

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph

SH = Namespace("http://www.w3.org/ns/shacl#")


class NodeComponent(Component):
    """§4.7.1: each value node conforms to the node shape. The results of validating the value node
    against it are kept as details of the result (pySHACL's sh:detail)."""

    name = "Node"

    def __init__(self, shape: Shape) -> None:
        self.shape = shape

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        ok = True
        for value in values:
            if run.conforms(self.shape, value):
                continue
            if out is None:
                return False
            nested: list[Result] = []
            run.validate(self.shape, value, nested)
            out.append(self.result(shape, focus, value, details=tuple(nested)))
            ok = False
        return ok

    def message(self) -> str:
        return f"Value does not conform to shape {self.shape.node}"


class PropertyComponent(Component):
    """§4.7.2: each value node is validated as a focus node of the property shape; its results are
    this component's results."""

    name = "Property"

    def __init__(self, shape: Shape) -> None:
        self.shape = shape

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        ok = True
        for value in values:
            if not run.validate(self.shape, value, out):
                if out is None:
                    return False
                ok = False
        return ok


class QualifiedValueShapeComponent(Component):
    """§4.7.3: the number of value nodes that conform to the shape (and, with
    sh:qualifiedValueShapesDisjoint, to none of the sibling shapes) is within the bounds."""

    name = "QualifiedValueShape"

    def __init__(self, shape: Shape, minimum: int | None, maximum: int | None, siblings: list[Shape]) -> None:
        self.shape = shape
        self.minimum = minimum
        self.maximum = maximum
        self.siblings = siblings

    def counts(self, run: Run, value: Term) -> bool:
        return run.conforms(self.shape, value) and not any(run.conforms(s, value) for s in self.siblings)

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        count = sum(1 for value in values if self.counts(run, value))
        ok = True
        if self.maximum is not None and count > self.maximum:
            ok = False
            if out is not None:
                out.append(self.result(shape, focus, component="QualifiedMaxCount",
                                       message=f"More than {self.maximum} values conform to {self.shape.node}"))
        if self.minimum is not None and count < self.minimum:
            ok = False
            if out is not None:
                out.append(self.result(shape, focus, component="QualifiedMinCount",
                                       message=f"Fewer than {self.minimum} values conform to {self.shape.node}"))
        return ok


def parse_node(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return [NodeComponent(sg.shape(other)) for other in sg.values(node, "node")]


def parse_property(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    found: list[Component] = []
    for other in sg.values(node, "property"):
        prop = sg.shape(other)
        if prop.path is None and not prop.deactivated:
            raise ShapesError(f"{sg.name(other)}: the value of sh:property must be a property shape (with sh:path)")
        found.append(PropertyComponent(prop))
    return found


def siblings(sg: ShapesGraph, node: RDFNode, qualified: RDFNode) -> list[Shape]:
    """The sibling shapes of §4.7.3: the qualified value shapes of the other property shapes of the
    shapes that have this property shape as an sh:property."""
    g = sg.graph
    found: dict[RDFNode, None] = {}
    for parent in g.subjects(SH.property, node):
        for prop in g.objects(parent, SH.property):
            found.update(dict.fromkeys(g.objects(prop, SH.qualifiedValueShape)))
    found.pop(qualified, None)
    return [sg.shape(s) for s in found]


def parse_qualified(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    sg.property_only(shape, "qualifiedValueShape")
    minimum = sg.integer(node, "qualifiedMinCount")
    maximum = sg.integer(node, "qualifiedMaxCount")
    if minimum is None and maximum is None:
        raise ShapesError(f"{sg.name(node)}: sh:qualifiedValueShape needs sh:qualifiedMinCount or "
                          "sh:qualifiedMaxCount")
    disjoint = bool(sg.boolean(node, "qualifiedValueShapesDisjoint"))
    found: list[Component] = []
    for qualified in sg.values(node, "qualifiedValueShape"):
        others = siblings(sg, node, qualified) if disjoint else []
        found.append(QualifiedValueShapeComponent(sg.shape(qualified), minimum, maximum, others))
    return found


PARSERS = {"node": parse_node, "property": parse_property, "qualifiedValueShape": parse_qualified}
PARAMETERS = frozenset(PARSERS) | {"qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint"}
