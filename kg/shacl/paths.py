"""Property paths (SHACL §2.3): parsing them from the shapes graph and following them in the data.

A path is a small immutable tree; two paths are equal when they have the same structure, so a
result's path can be compared with an expected ``sh:resultPath`` parsed from another graph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node as RDFNode

from kg.shacl.data import DataGraph
from kg.shacl.errors import ShapesError
from kg.shacl.terms import Term

SH = Namespace("http://www.w3.org/ns/shacl#")
Short = Callable[[ox.NamedNode], str]


class Path(ABC):
    """A SHACL property path. ``level`` is how tightly its SPARQL syntax binds (an IRI 4, ``p*`` 3, an
    inverse 2, a sequence 1, an alternative 0): written inside an operator that binds tighter, it
    takes parentheses."""

    level = 3

    @abstractmethod
    def values(self, data: DataGraph, node: Term) -> Sequence[Term]:
        """The nodes reached from *node* along the path (each once)."""

    @abstractmethod
    def sources(self, data: DataGraph, node: Term) -> Sequence[Term]:
        """The nodes from which the path reaches *node* (the inverse path's values)."""

    @abstractmethod
    def render(self, short: Short) -> str:
        """The path in SPARQL property-path syntax, IRIs written by *short*."""

    def render_in(self, level: int, short: Short) -> str:
        """The path written as an operand of an operator of *level*."""
        return self.render(short) if self.level >= level else f"({self.render(short)})"


@dataclass(frozen=True)
class PredicatePath(Path):
    """§2.3.1.1: an IRI."""

    iri: ox.NamedNode
    level = 4

    def values(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return data.objects(node, self.iri)

    def sources(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return data.subjects(self.iri, node)

    def render(self, short: Short) -> str:
        return short(self.iri)


@dataclass(frozen=True)
class InversePath(Path):
    """§2.3.1.3: ``[ sh:inversePath p ]``."""

    path: Path
    level = 2

    def values(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return self.path.sources(data, node)

    def sources(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return self.path.values(data, node)

    def render(self, short: Short) -> str:
        return "^" + self.path.render_in(3, short)


def _distinct(nodes: Iterable[Term]) -> list[Term]:
    return list(dict.fromkeys(nodes))


@dataclass(frozen=True)
class SequencePath(Path):
    """§2.3.1.2: a list of paths, followed one after the other."""

    steps: tuple[Path, ...]
    level = 1

    def values(self, data: DataGraph, node: Term) -> Sequence[Term]:
        current: Sequence[Term] = (node,)
        for step in self.steps:
            current = _distinct(v for n in current for v in step.values(data, n))
        return current

    def sources(self, data: DataGraph, node: Term) -> Sequence[Term]:
        current: Sequence[Term] = (node,)
        for step in reversed(self.steps):
            current = _distinct(v for n in current for v in step.sources(data, n))
        return current

    def render(self, short: Short) -> str:
        return "/".join(step.render_in(2, short) for step in self.steps)


@dataclass(frozen=True)
class AlternativePath(Path):
    """§2.3.1.4: ``[ sh:alternativePath ( p q ... ) ]``."""

    options: tuple[Path, ...]
    level = 0

    def values(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return _distinct(v for option in self.options for v in option.values(data, node))

    def sources(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return _distinct(v for option in self.options for v in option.sources(data, node))

    def render(self, short: Short) -> str:
        return "|".join(option.render_in(1, short) for option in self.options)


def _closure(start: Term, step: Callable[[Term], Sequence[Term]], include_start: bool) -> list[Term]:
    found: dict[Term, None] = {start: None} if include_start else {}
    todo = [start]
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in found:
                found[nxt] = None
                todo.append(nxt)
    return list(found)


@dataclass(frozen=True)
class RepeatPath(Path):
    """§2.3.1.5-7: ``sh:zeroOrMorePath`` (``*``), ``sh:oneOrMorePath`` (``+``), ``sh:zeroOrOnePath`` (``?``)."""

    path: Path
    operator: str   # "*", "+" or "?"

    def _follow(self, node: Term, step: Callable[[Term], Sequence[Term]]) -> Sequence[Term]:
        if self.operator == "?":
            return _distinct([node, *step(node)])
        return _closure(node, step, include_start=self.operator == "*")

    def values(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return self._follow(node, lambda n: self.path.values(data, n))

    def sources(self, data: DataGraph, node: Term) -> Sequence[Term]:
        return self._follow(node, lambda n: self.path.sources(data, n))

    def render(self, short: Short) -> str:
        return self.path.render_in(4, short) + self.operator   # only an IRI goes bare before * + ?


_REPEATS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def parse_path(graph: Graph, node: RDFNode, depth: int = 0) -> Path:
    """The path whose shapes-graph node is *node*; ShapesError if it is not a well-formed path."""
    if depth > 50:
        raise ShapesError(f"path {node}: nested too deeply (a cycle?)")
    if isinstance(node, URIRef):
        if node == RDF.nil:
            raise ShapesError("rdf:nil is not a property path")
        return PredicatePath(ox.NamedNode(str(node)))
    if not isinstance(node, BNode):
        raise ShapesError(f"{node!r} is not a property path: paths are IRIs or blank nodes")
    if graph.value(node, RDF.first) is not None:
        steps = tuple(parse_path(graph, n, depth + 1) for n in Collection(graph, node))
        return steps[0] if len(steps) == 1 else SequencePath(steps)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return InversePath(parse_path(graph, inverse, depth + 1))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        options = tuple(parse_path(graph, n, depth + 1) for n in Collection(graph, alternatives))
        if len(options) < 2:
            raise ShapesError(f"sh:alternativePath of {node} needs a list of at least two paths")
        return AlternativePath(options)
    for predicate, operator in _REPEATS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return RepeatPath(parse_path(graph, inner, depth + 1), operator)
    raise ShapesError(f"blank node {node} is not a property path (no list, sh:inversePath, sh:alternativePath "
                      "or repetition)")


__all__ = ["AlternativePath", "InversePath", "Path", "PredicatePath", "RepeatPath", "SequencePath",
           "parse_path"]
