"""RDF terms as the validator holds them (SHACL §1.4: RDF terms, value nodes).

Terms are pyoxigraph's own ``NamedNode``, ``BlankNode`` and ``Literal`` objects: a Store hands them over
as they are, they hash and compare (RDF term equality) in Rust, and their attributes give the lexical
form, datatype and language directly. rdflib terms are converted once each.

One addition: rdflib normalises the lexical form of some ill-typed literals (``"maybe"^^xsd:boolean``
becomes ``"false"``), so a literal rdflib has found ill-typed becomes an :class:`IllTyped` term, which
keeps it apart from a well-typed ``"false"^^xsd:boolean``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node as RDFNode

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LANG_STRING = RDF + "langString"
RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


class IllTyped(NamedTuple):
    """A literal rdflib has read as ill-typed, with the lexical form rdflib gives it."""

    lexical: str
    datatype: str

    def __str__(self) -> str:
        return f'"{self.lexical}"^^<{self.datatype}> (ill-typed)'


Term = ox.NamedNode | ox.BlankNode | ox.Literal | IllTyped | ox.Triple   # a Triple: RDF-star, never valid


def from_rdflib(node: RDFNode) -> Term:
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        if node.ill_typed is True:
            return IllTyped(str(node), datatype or XSD_STRING)
        if node.language:
            return ox.Literal(str(node), language=node.language.lower())
        return ox.Literal(str(node), datatype=ox.NamedNode(datatype) if datatype else None)
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    return ox.NamedNode(str(node))


def text(term: Term) -> str:
    """The SPARQL ``str()`` of an IRI or literal; a blank node's label."""
    return term.lexical if type(term) is IllTyped else term.value  # type: ignore[union-attr]


def language_of(term: Term) -> str:
    """The language tag of a literal ("" for none or for another term)."""
    return (term.language or "") if type(term) is ox.Literal else ""


@lru_cache(maxsize=1 << 16)
def to_rdflib(term: Term) -> RDFNode:
    if type(term) is ox.NamedNode:
        return URIRef(term.value)
    if type(term) is ox.BlankNode:
        return BNode(term.value)
    if type(term) is IllTyped:
        return Literal(term.lexical, datatype=URIRef(term.datatype))
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
