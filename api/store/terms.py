"""RDF terms as every part of the API sees them: one engine-neutral type, and its conversions.

A ``Term`` is a named tuple of four strings (kind, value, datatype, lang). Across the pipe from a
query worker a term travels as the plain 4-tuple (``TermTuple``): pickle handles a named tuple
several times slower than a tuple (4-5x on 1,000 rows), so the worker sends tuples, the result
writers index them as they are, and ``SelectResult`` makes them ``Term``s once, on arrival.
The conversions from and to pyoxigraph live here and nowhere else, as does the N-Triples form that
the TSV writer and the remote store's parameter binding both need.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import pyoxigraph as ox

from api.store.errors import BindingError

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER_TYPES = frozenset({XSD + "integer", XSD + "int", XSD + "long"})
# An absolute IRI that can be written between < and > without any escaping (SPARQL IRIREF), and that
# every engine accepts: what a bound value (a substitution, a parameter) must be.
SAFE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
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


TermTuple = tuple[str, str, str, str]


def tuple_from_ox(term: Any) -> TermTuple | None:
    """The plain 4-tuple for a pyoxigraph term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, "", "")
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, "", "")
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("literal", str(term), "", "")  # RDF-star quoted triple: rare; keep it readable


def as_term(spec: TermTuple) -> Term:
    """A Term from its 4-tuple, at the cost of a tuple (no per-field argument handling)."""
    term: Term = tuple.__new__(Term, spec)
    return term


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


def ntriples(term: TermTuple) -> str:
    """The term (a Term or its 4-tuple) in N-Triples syntax (no checking: ``api.store.remote.binding``
    checks what it writes into queries)."""
    kind, value, datatype, lang = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:" + value
    if lang:
        return f"{quoted_string(value)}@{lang}"
    if datatype and datatype != XSD_STRING:
        return f"{quoted_string(value)}^^<{datatype}>"
    return quoted_string(value)


def bindable_iri(value: str) -> bool:
    """An IRI that can be written in a query without escaping and that Oxigraph's IRI parser accepts
    (RFC 3987: no '[' outside an IPv6 host, no stray '%'...), so both stores treat it alike."""
    if not SAFE_IRI.fullmatch(value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def check_bindable(bindings: Mapping[str, Term]) -> None:
    """Every bound IRI is one an engine accepts; else BindingError (a 400), the same for both stores."""
    for name, term in bindings.items():
        if term.kind == "uri" and not bindable_iri(term.value):
            raise BindingError(f"cannot bind ?{name} to {term.value[:200]!r}: not an absolute IRI")
