"""Shapes (SHACL §2): which nodes of the shapes graph are shapes, and what each one declares.

A shape is read once, on first use: its targets (§2.1.3), path (§2.3, which makes it a property
shape), severity (§2.1.5), messages (§2.1.5), sh:deactivated (§2.1.5) and one component instance per
constraint component whose parameters it has (§4, :mod:`kg.shacl.components`). Shapes that refer to
each other (``sh:node``, ``sh:property``, logical lists...) share the same :class:`Shape` objects, so
recursive shapes are fine.

SHACL terms this validator does not implement (SPARQL-based constraints and targets, SHACL-AF rules,
and any ``sh:`` term it does not know) make it refuse the shapes with :class:`UnsupportedShapes`
instead of validating less than they ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node as RDFNode

from kg.shacl.components import PARAMETERS, PARSERS
from kg.shacl.components.base import Component
from kg.shacl.errors import ShapesError, UnsupportedShapes
from kg.shacl.paths import Path, parse_path
from kg.shacl.targets import Targets
from kg.shacl.terms import Term, from_rdflib

SH = Namespace("http://www.w3.org/ns/shacl#")
VIOLATION = ox.NamedNode(str(SH.Violation))

TARGETS = {"targetNode", "targetClass", "targetSubjectsOf", "targetObjectsOf"}
NON_VALIDATING = {"path", "severity", "message", "deactivated", "name", "description", "order", "group",
                  "defaultValue", "declare", "prefixes", "shapesGraph", "suggestedShapesGraph", "entailment"}
UNSUPPORTED = {
    "sparql": "SPARQL-based constraints (SHACL §5)", "select": "SPARQL-based constraints (SHACL §5)",
    "ask": "SPARQL-based constraints (SHACL §5)", "validator": "SPARQL-based constraint components (SHACL §6)",
    "nodeValidator": "SPARQL-based constraint components (SHACL §6)",
    "propertyValidator": "SPARQL-based constraint components (SHACL §6)",
    "parameter": "SPARQL-based constraint components (SHACL §6)", "target": "SHACL-AF custom targets",
    "rule": "SHACL-AF rules", "expression": "SHACL-AF node expressions", "js": "SHACL-JS",
    "jsFunctionName": "SHACL-JS", "jsLibrary": "SHACL-JS",
}
SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)


@dataclass(eq=False)
class Shape:
    """One shape of the shapes graph: a node shape, or a property shape if it has a path."""

    node: RDFNode
    path: Path | None = None
    targets: Targets = field(default_factory=Targets)
    severity: ox.NamedNode = VIOLATION
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False
    components: list[Component] = field(default_factory=list)

    @property
    def term(self) -> Term:
        return from_rdflib(self.node)

    def __repr__(self) -> str:
        return f"Shape({self.node})"


class ShapesGraph:
    """The shapes of one shapes graph; ``roots`` are those with targets, which validation starts from."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[RDFNode, Shape] = {}
        self.class_types = set(graph.transitive_subjects(RDFS.subClassOf, RDFS.Class))   # rdfs:Class and below
        self.roots = [self.shape(node) for node in sorted(self._targeted(), key=str)]

    def _targeted(self) -> set[RDFNode]:
        g = self.graph
        found: set[RDFNode] = {s for name in TARGETS for s in g.subjects(SH[name], None)}
        for cls_type in self.class_types:
            for node in g.subjects(RDF.type, cls_type):
                if any((node, RDF.type, t) in g for t in SHAPE_TYPES):
                    found.add(node)
        return found

    # -- reading values ----------------------------------------------------------------------------
    def name(self, node: RDFNode) -> str:
        if isinstance(node, URIRef):
            try:
                return self.graph.namespace_manager.normalizeUri(node)
            except Exception:  # noqa: BLE001 - no prefix fits
                return f"<{node}>"
        return f"[{node}]"

    def values(self, node: RDFNode, parameter: str) -> list[RDFNode]:
        return list(self.graph.objects(node, SH[parameter]))

    def one(self, node: RDFNode, parameter: str) -> RDFNode | None:
        values = self.values(node, parameter)
        if len(values) > 1:
            raise ShapesError(f"{self.name(node)} has {len(values)} values for sh:{parameter}; at most one is allowed")
        return values[0] if values else None

    def integer(self, node: RDFNode, parameter: str) -> int | None:
        value = self.one(node, parameter)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool) \
                or value.value < 0:
            raise ShapesError(f"{self.name(node)}: sh:{parameter} must be a non-negative integer, not {value!r}")
        return int(value.value)

    def boolean(self, node: RDFNode, parameter: str) -> bool | None:
        """True only for the literal ``true`` (``"1"^^xsd:boolean`` is another term, and is ignored)."""
        value = self.one(node, parameter)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, bool):
            raise ShapesError(f"{self.name(node)}: sh:{parameter} must be true or false, not {value!r}")
        return str(value) == "true"

    def iri(self, node: RDFNode, value: RDFNode, parameter: str) -> ox.NamedNode:
        if not isinstance(value, URIRef):
            raise ShapesError(f"{self.name(node)}: sh:{parameter} must be an IRI, not {value!r}")
        return ox.NamedNode(str(value))

    def items(self, node: RDFNode, value: RDFNode, parameter: str) -> list[RDFNode]:
        """The members of the SHACL list *value* (ShapesError if it is not a list)."""
        if value != RDF.nil and (value, RDF.first, None) not in self.graph:
            raise ShapesError(f"{self.name(node)}: the value of sh:{parameter} must be a list")
        return list(Collection(self.graph, value))

    # -- shapes ------------------------------------------------------------------------------------
    def shape(self, node: RDFNode) -> Shape:
        """The shape whose node is *node* (read on first use)."""
        known = self._shapes.get(node)
        if known is not None:
            return known
        if not isinstance(node, URIRef | BNode):
            raise ShapesError(f"{node!r} is used as a shape, but shapes are IRIs or blank nodes")
        shape = self._shapes[node] = Shape(node)
        self._read(shape)
        return shape

    def _read(self, shape: Shape) -> None:
        node = shape.node
        self._check_vocabulary(node)
        shape.deactivated = bool(self.boolean(node, "deactivated"))
        path = self.one(node, "path")
        shape.path = parse_path(self.graph, path) if path is not None else None
        severity = self.one(node, "severity")
        if severity is not None:
            shape.severity = self.iri(node, severity, "severity")
        shape.messages = tuple(m for m in self.values(node, "message") if isinstance(m, Literal))
        shape.targets = self._targets(shape)
        if shape.deactivated:
            return
        for parameter, parse in PARSERS.items():
            if (node, SH[parameter], None) in self.graph:
                shape.components.extend(parse(self, node, shape))

    def _check_vocabulary(self, node: RDFNode) -> None:
        for predicate in set(self.graph.predicates(node, None)):
            local = str(predicate).removeprefix(str(SH))
            if local == str(predicate):
                continue
            if local in UNSUPPORTED:
                raise UnsupportedShapes(f"{self.name(node)} uses sh:{local}: {UNSUPPORTED[local]} are not "
                                        "implemented by this validator")
            if local not in PARAMETERS and local not in TARGETS and local not in NON_VALIDATING:
                raise UnsupportedShapes(f"{self.name(node)} uses sh:{local}, which is not a SHACL Core term "
                                        "this validator knows")

    def _targets(self, shape: Shape) -> Targets:
        node, g = shape.node, self.graph
        targets = Targets(
            nodes=[from_rdflib(n) for n in self.values(node, "targetNode")],
            classes=[self.iri(node, c, "targetClass") for c in self.values(node, "targetClass")],
            subjects_of=[self.iri(node, p, "targetSubjectsOf") for p in self.values(node, "targetSubjectsOf")],
            objects_of=[self.iri(node, p, "targetObjectsOf") for p in self.values(node, "targetObjectsOf")])
        is_class = any((node, RDF.type, t) in g for t in self.class_types)
        if is_class and isinstance(node, URIRef) and ox.NamedNode(str(node)) not in targets.classes:
            targets.classes.append(ox.NamedNode(str(node)))
        return targets

    def property_only(self, shape: Shape, parameter: str) -> None:
        """Raise unless *shape* is a property shape (for parameters that need a path)."""
        if shape.path is None:
            raise ShapesError(f"{self.name(shape.node)}: sh:{parameter} needs a property shape (one with sh:path)")
