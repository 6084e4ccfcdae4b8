"""Triples as N-Triples text, written exactly as Oxigraph writes each term.

Why text? The build used to gather the corpus into an rdflib Dataset, copy it into a union graph and
serialise it again for the store: three whole copies of 10^6 triples in Python objects. Each
document's triples are now kept as ``"<s> <p> <o>"`` strings, the form ``str()`` of a pyoxigraph term
gives, so that sorting the strings sorts the dumps exactly as sorting pyoxigraph quads by their
N-Triples form did, and the N-Triples and N-Quads dumps are these lines, written out.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Oxigraph's escapes (oxrdf's print_quoted_str): named escapes, \uXXXX for other controls and DEL.
_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NEEDS_ESCAPE = frozenset(chr(c) for c in _ESCAPES)


def quoted(text: str) -> str:
    """*text* as an N-Triples string literal, escaped as Oxigraph escapes it."""
    if _NEEDS_ESCAPE.isdisjoint(text):
        return f'"{text}"'
    return '"' + text.translate(_ESCAPES) + '"'


def nt_term(term: URIRef | Literal | BNode) -> str:
    """The N-Triples form of an rdflib IRI or literal, equal to ``str()`` of the same pyoxigraph term
    (language tags lower-cased, ``xsd:string`` left implicit); rdflib's lexical normalisation of
    numbers is kept, as the old route through rdflib's N-Quads writer kept it."""
    if type(term) is URIRef:
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f"{quoted(str(term))}@{term.language.lower()}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{quoted(str(term))}^^<{term.datatype}>"
        return quoted(str(term))
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise ValueError(f"the build mints no blank nodes, but a mapping produced {term!r}")


_CANONICAL: dict[str, str] = {}  # typed literal as written -> as the store gives it back (per process)
_PROBE = ox.NamedNode("urn:bri-kg:canonical")


def canonical_literals(literals: set[str]) -> dict[str, str]:
    """Typed literals (N-Triples) as Oxigraph gives them back once stored: it keeps numbers, dates and
    booleans as values, so ``"7.0"^^xsd:decimal`` comes back as ``"7"`` and ``"007"^^xsd:integer`` as
    ``"7"``. The dumps used to be read from the store; asking the store itself keeps them byte-identical."""
    missing = sorted(lit for lit in literals if lit not in _CANONICAL)
    if missing:
        store = ox.Store()
        text = "".join(f"<urn:bri-kg:canonical:{i}> <urn:bri-kg:canonical> {lit} .\n" for i, lit in enumerate(missing))
        store.bulk_load(input=text.encode(), format=ox.RdfFormat.N_TRIPLES)
        for quad in store.quads_for_pattern(None, _PROBE, None, None):
            assert isinstance(quad.subject, ox.NamedNode)
            _CANONICAL[missing[int(quad.subject.value.rsplit(":", 1)[1])]] = str(quad.object)
    return {lit: _CANONICAL[lit] for lit in literals}


class DocumentSink:
    """A document's triples as distinct N-Triples lines without the final `` .`` (a TripleSink).

    IRIs repeat (predicates, the document, its entities): their text is kept once per sink."""

    def __init__(self) -> None:
        self.lines: set[str] = set()
        self._iris: dict[str, str] = {}
        self._typed: set[str] = set()  # lines whose object is a typed literal, canonicalised at the end

    def _term(self, term: URIRef | Literal) -> str:
        if type(term) is URIRef:
            text = self._iris.get(term)
            if text is None:
                text = self._iris[term] = f"<{term}>"
            return text
        return nt_term(term)

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal], /) -> None:
        s, p, o = triple
        line = f"{self._term(s)} {self._term(p)} {self._term(o)}"
        if type(o) is Literal and o.datatype is not None and not o.language and str(o.datatype) != XSD_STRING:
            self._typed.add(line)
        else:
            self.lines.add(line)

    def sorted_lines(self) -> list[str]:
        """The distinct lines as the store holds them, in the dumps' order (that of the terms' N-Triples
        forms, subject first)."""
        if self._typed:
            split = [line.split(" ", 2) for line in self._typed]
            canonical = canonical_literals({o for _, _, o in split})
            self.lines.update(f"{s} {p} {canonical[o]}" for s, p, o in split)
            self._typed.clear()
        return sorted(self.lines)
