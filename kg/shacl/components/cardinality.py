"""Cardinality constraint components (SHACL §4.2): sh:minCount, sh:maxCount (property shapes only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kg.shacl.components.base import Component, Out
from kg.shacl.terms import Term

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph


class MinCountComponent(Component):
    """§4.2.1: at least n value nodes; one result without a value otherwise."""

    name = "MinCount"

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        if len(values) >= self.minimum:
            return True
        if out is not None:
            out.append(self.result(shape, focus))
        return False

    def message(self) -> str:
        return f"Fewer than {self.minimum} values"


class MaxCountComponent(Component):
    """§4.2.2: at most n value nodes; one result without a value otherwise."""

    name = "MaxCount"

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        if len(values) <= self.maximum:
            return True
        if out is not None:
            out.append(self.result(shape, focus))
        return False

    def message(self) -> str:
        return f"More than {self.maximum} values"


def parse_min_count(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    sg.property_only(shape, "minCount")
    minimum = sg.integer(node, "minCount")
    return [MinCountComponent(minimum)] if minimum else []   # sh:minCount 0 can never fail


def parse_max_count(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    sg.property_only(shape, "maxCount")
    maximum = sg.integer(node, "maxCount")
    return [] if maximum is None else [MaxCountComponent(maximum)]


PARSERS = {"minCount": parse_min_count, "maxCount": parse_max_count}
PARAMETERS = frozenset(PARSERS)
