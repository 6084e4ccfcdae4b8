"""Validation (SHACL §3): every focus node of every targeted shape, against the shape's constraints.

§3.4: the value nodes of a focus node are the focus node itself (node shape) or the nodes its path
reaches (property shape); each component of the shape judges them. Whether a node conforms to a
shape (asked by sh:node, sh:not, sh:qualifiedValueShape...) is computed once per (shape, node). A
shape that is reached again while its conformance for the same node is being decided (recursive
shapes, which SHACL Core leaves undefined) is taken to conform.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from kg.shacl.components.base import Component
from kg.shacl.components.shape_based import PropertyComponent
from kg.shacl.data import NO_VALUES, DataGraph, Index
from kg.shacl.paths import PredicatePath
from kg.shacl.report import Result
from kg.shacl.shapes import Shape, ShapesGraph
from kg.shacl.targets import Classes
from kg.shacl.terms import Term

Plan = tuple[Index | None, tuple[Component, ...], tuple[tuple[Shape, Index, tuple[Component, ...]], ...]]


class Run:
    """One validation of one data graph against one shapes graph."""

    def __init__(self, shapes: ShapesGraph, data: DataGraph) -> None:
        self.shapes = shapes
        self.data = data
        self.classes = Classes(data)
        self._conforms: dict[tuple[int, Term], bool] = {}
        self._deciding: set[tuple[int, Term]] = set()
        self._plans: dict[int, Plan] = {}

    def results(self) -> list[Result]:
        """The validation results of every focus node of every shape with targets (§3.1)."""
        out: list[Result] = []
        for shape in self.shapes.roots:
            if shape.deactivated:
                continue
            for focus in shape.targets.focus_nodes(self.data, self.classes):
                self.validate(shape, focus, out)
        return out

    def _index(self, shape: Shape) -> Index | None:
        return self.data.forward(shape.path.iri) if type(shape.path) is PredicatePath else None

    def _plan(self, shape: Shape) -> Plan:
        """How to validate against *shape*: the index of its predicate path (None for another path or a
        node shape), its components (none if it is deactivated), and, taken out of them for speed, the
        property shapes with a predicate path of a node shape, each with its index and components."""
        own: list[Component] = []
        props: list[tuple[Shape, Index, tuple[Component, ...]]] = []
        for component in () if shape.deactivated else shape.components:
            prop = component.shape if isinstance(component, PropertyComponent) else None
            index = self._index(prop) if prop is not None and shape.path is None else None
            if prop is not None and index is not None:
                props.append((prop, index, () if prop.deactivated else tuple(prop.components)))
            else:
                own.append(component)
        plan = self._plans[id(shape)] = (self._index(shape), tuple(own), tuple(props))
        return plan

    def values(self, shape: Shape, focus: Term, index: Index | None) -> Sequence[Term]:
        """The value nodes of *focus* for *shape* (§2.3.2)."""
        if index is not None:
            return index.get(focus, NO_VALUES)
        return (focus,) if shape.path is None else shape.path.values(self.data, focus)

    def validate(self, shape: Shape, focus: Term, out: list[Result] | None) -> bool:
        """Validate *focus* against *shape*; results go to *out* (None: stop at the first failure)."""
        index, own, props = self._plans.get(id(shape)) or self._plan(shape)
        values = self.values(shape, focus, index) if index is None else index.get(focus, NO_VALUES)
        ok = True
        for component in own:
            if not component.check(self, shape, focus, values, out):
                if out is None:
                    return False
                ok = False
        for prop, prop_index, components in props:
            prop_values = prop_index.get(focus, NO_VALUES)
            for component in components:
                if not component.check(self, prop, focus, prop_values, out):
                    if out is None:
                        return False
                    ok = False
        return ok

    def conforms(self, shape: Shape, node: Term) -> bool:
        """Does *node* conform to *shape* (no validation result of any severity)?"""
        key = (id(shape), node)
        known = self._conforms.get(key)
        if known is None:
            if key in self._deciding:
                return True
            self._deciding.add(key)
            try:
                known = self._conforms[key] = self.validate(shape, node, None)
            finally:
                self._deciding.discard(key)
        return known


@contextmanager
def no_gc() -> Iterator[None]:
    """Indexing builds millions of small lists and tuples, none of them cyclic: the cyclic garbage
    collector would only walk them over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(shapes: ShapesGraph, data: DataGraph) -> list[Result]:
    with no_gc():
        return Run(shapes, data).results()
