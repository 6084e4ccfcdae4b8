"""Value range constraint components (SHACL §4.3): sh:minExclusive, sh:minInclusive, sh:maxExclusive,
sh:maxInclusive. A value node that cannot be compared with the bound (another kind of literal, an
ill-typed literal, an IRI, a blank node) is a violation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal

from kg.shacl.components.base import Component, Parser, ValueComponent
from kg.shacl.errors import ShapesError
from kg.shacl.literals import compare
from kg.shacl.terms import Term, from_rdflib, text

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph


class RangeComponent(ValueComponent):
    """A bound and the orders of (value, bound) that satisfy it."""

    allowed: frozenset[int]
    words: str

    def __init__(self, bound: Term) -> None:
        self.bound = bound

    def accepts(self, run: Run, value: Term) -> bool:
        return compare(value, self.bound) in self.allowed

    def message(self) -> str:
        return f"Value is not {self.words} {text(self.bound)}"


class MinExclusiveComponent(RangeComponent):
    name = "MinExclusive"
    allowed = frozenset({1})
    words = "greater than"


class MinInclusiveComponent(RangeComponent):
    name = "MinInclusive"
    allowed = frozenset({0, 1})
    words = "greater than or equal to"


class MaxExclusiveComponent(RangeComponent):
    name = "MaxExclusive"
    allowed = frozenset({-1})
    words = "less than"


class MaxInclusiveComponent(RangeComponent):
    name = "MaxInclusive"
    allowed = frozenset({-1, 0})
    words = "less than or equal to"


COMPONENTS: dict[str, type[RangeComponent]] = {
    "minExclusive": MinExclusiveComponent, "minInclusive": MinInclusiveComponent,
    "maxExclusive": MaxExclusiveComponent, "maxInclusive": MaxInclusiveComponent}


def _parser(parameter: str) -> Parser:
    def parse(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
        found: list[Component] = []
        for bound in sg.values(node, parameter):
            if not isinstance(bound, Literal):
                raise ShapesError(f"{sg.name(node)}: sh:{parameter} must be a literal, not {bound!r}")
            found.append(COMPONENTS[parameter](from_rdflib(bound)))
        return found
    return parse


PARSERS = {parameter: _parser(parameter) for parameter in COMPONENTS}
PARAMETERS = frozenset(PARSERS)
