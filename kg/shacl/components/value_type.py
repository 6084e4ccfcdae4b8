"""Value type constraint components (SHACL §4.1): sh:class, sh:datatype, sh:nodeKind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Namespace

from kg.shacl.components.base import Component, Out, ValueComponent
from kg.shacl.errors import ShapesError
from kg.shacl.literals import well_formed
from kg.shacl.terms import LANG_STRING, XSD_STRING, IllTyped, Term

if TYPE_CHECKING:
    from rdflib.term import Node as RDFNode

    from kg.shacl.engine import Run
    from kg.shacl.shapes import Shape, ShapesGraph

SH = Namespace("http://www.w3.org/ns/shacl#")


class ClassComponent(ValueComponent):
    """§4.1.1: each value node is a SHACL instance of the class (rdf:type/rdfs:subClassOf*)."""

    name = "Class"

    def __init__(self, cls: ox.NamedNode) -> None:
        self.cls = cls

    def accepts(self, run: Run, value: Term) -> bool:
        return value in run.classes.instances(self.cls)

    def check(self, run: Run, shape: Shape, focus: Term, values: Sequence[Term], out: Out) -> bool:
        members = run.classes.instances(self.cls)
        ok = True
        for value in values:
            if value not in members:
                if out is None:
                    return False
                out.append(self.result(shape, focus, value))
                ok = False
        return ok

    def message(self) -> str:
        return f"Value is not an instance of {self.cls.value}"


class DatatypeComponent(ValueComponent):
    """§4.1.2: each value node is a well-formed literal of exactly this datatype."""

    name = "Datatype"

    def __init__(self, datatype: ox.NamedNode) -> None:
        self.datatype = datatype
        self.is_string = datatype.value in (XSD_STRING, LANG_STRING)

    def accepts(self, run: Run, value: Term) -> bool:
        if type(value) is not ox.Literal or value.datatype != self.datatype:
            return False   # an IRI, a blank node, another datatype, or an ill-typed literal (IllTyped)
        return self.is_string or well_formed(value)

    def message(self) -> str:
        return f"Value is not a well-formed literal of datatype {self.datatype.value}"


_IRI, _BLANK, _LITERAL = {ox.NamedNode}, {ox.BlankNode}, {ox.Literal, IllTyped}
NODE_KINDS: dict[str, frozenset[type]] = {
    "IRI": frozenset(_IRI), "BlankNode": frozenset(_BLANK), "Literal": frozenset(_LITERAL),
    "BlankNodeOrIRI": frozenset(_BLANK | _IRI), "BlankNodeOrLiteral": frozenset(_BLANK | _LITERAL),
    "IRIOrLiteral": frozenset(_IRI | _LITERAL)}


class NodeKindComponent(ValueComponent):
    """§4.1.3: each value node is of the node kind (IRI, blank node, literal or a pair of them)."""

    name = "NodeKind"

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.types = NODE_KINDS[kind]

    def accepts(self, run: Run, value: Term) -> bool:
        return type(value) in self.types

    def message(self) -> str:
        return f"Value is not of node kind sh:{self.kind}"


def parse_class(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    return [ClassComponent(sg.iri(node, c, "class")) for c in sg.values(node, "class")]


def parse_datatype(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    value = sg.one(node, "datatype")
    return [] if value is None else [DatatypeComponent(sg.iri(node, value, "datatype"))]


def parse_node_kind(sg: ShapesGraph, node: RDFNode, shape: Shape) -> list[Component]:
    value = sg.one(node, "nodeKind")
    kind = str(value).removeprefix(str(SH))
    if kind not in NODE_KINDS:
        raise ShapesError(f"{sg.name(node)}: sh:nodeKind must be one of {sorted(NODE_KINDS)}, not {value}")
    return [NodeKindComponent(kind)]


PARSERS = {"class": parse_class, "datatype": parse_datatype, "nodeKind": parse_node_kind}
PARAMETERS = frozenset(PARSERS)
