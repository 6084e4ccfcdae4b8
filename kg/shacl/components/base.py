"""What every constraint component (SHACL §4) is: parameters read from a shape, a check of value nodes.

A component instance is one component with its parameter values on one shape. ``check`` judges the
value nodes of one focus node: it returns False when they fail, after appending a :class:`Result` per
violation to *out*; with ``out=None`` (only conformance is asked, e.g. inside ``sh:not``) it may stop
at the first failure and builds no result.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from kg.shacl.paths import Path
from kg.shacl.report import Result
from kg.shacl.terms import Term

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph

Out = list[Result] | None
Parser = Callable[["ShapesGraph", "RDFNode", "Shape"], "list[Component]"]


class Component(ABC):
    """One constraint component with its parameter values."""

    name: ClassVar[str]           # local name without "ConstraintComponent"

    @abstractmethod
    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        """Judge the value nodes of *focus*; results go to *out*."""

    def message(self) -> str:
        """The wording of a result when the shape has no sh:message."""
        return f"{self.name} constraint not satisfied"

    def result(self, shape: Shape, focus: Term, value: Term | None = None, path: Path | None = None,
               details: tuple[Result, ...] = (), component: str | None = None, message: str | None = None) -> Result:
        return Result(focus, path if path is not None else shape.path, component or self.name, value, shape,
                      message if message is not None else self.message(), details)


class ValueComponent(Component):
    """A component that judges each value node on its own; each failing value is one result."""

    @abstractmethod
    def accepts(self, run: Run, value: Term) -> bool:
        """Does this value node satisfy the constraint?"""

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        ok = True
        for value in values:
            if not self.accepts(run, value):
                if out is None:
                    return False
                out.append(self.result(shape, focus, value))
                ok = False
        return ok
