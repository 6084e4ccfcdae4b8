"""RDF terms as every part of the API sees them: one engine-neutral type, and its two conversions.

A ``Term`` is a named tuple, so a query worker builds it once and it crosses the process boundary
as it is (pickle keeps the tuple); the routers read it; the result writers index it like a tuple.
The conversions to and from pyoxigraph live here and nowhere else, as does the N-Triples form
that the TSV writer and the remote store's parameter binding both need.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER_TYPES = frozenset({XSD + "integer", XSD + "int", XSD + "long"})
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class Term(NamedTuple):
    """An RDF term: ``kind`` is ``uri``, ``bnode`` or ``literal``; datatype and lang only for literals."""

    kind: str
    value: str
    datatype: str = ""
    lang: str = ""

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str = "", lang: str = "") -> Term:
        return cls("literal", value, datatype, lang)

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def python(self) -> Any:
        """A JSON-friendly value: int for integers, the lexical form otherwise."""
        if self.kind == "literal" and self.datatype in _INTEGER_TYPES:
            try:
                return int(self.value)
            except ValueError:
                return self.value
        return self.value


def from_ox(term: Any) -> Term | None:
    """The Term for a pyoxigraph term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value, term.language or "")
    return Term("literal", str(term))  # RDF-star quoted triple: rare; keep it readable


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for a Term (for Oxigraph's ``substitutions``)."""
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def quoted_string(value: str) -> str:
    """A string literal's lexical form in N-Triples / SPARQL syntax, escaped."""
    return '"' + "".join(_ECHAR.get(c, c) for c in value) + '"'


def ntriples(term: Term) -> str:
    """The term in N-Triples syntax (no checking: see ``api.store.remote.binding`` for that)."""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return "_:" + term.value
    if term.lang:
        return f"{quoted_string(term.value)}@{term.lang}"
    if term.datatype and term.datatype != XSD_STRING:
        return f"{quoted_string(term.value)}^^<{term.datatype}>"
    return quoted_string(term.value)
