"""Fast SHACL validation of large graphs: our shapes compiled into indexed checks, pyshacl's results.

Why: pyshacl needs ~2 s per 10^5 triples (and rdflib ~30 s just to parse 10^6), so validating a
10^6-triple graph takes minutes. This validator reads N-Triples/N-Quads with a line parser into
per-predicate dictionaries (only the predicates the shapes look at, plus rdf:type and
rdfs:subClassOf), then evaluates every constraint as a dictionary look-up per focus node.

It is not a second SHACL engine with its own opinions: every constraint reproduces what pyshacl
(as called by :func:`kg.shacl.validate_graph`: data plus ontology, ``inference="none"``) reports --
the same focus nodes, paths, components, values and messages, including pyshacl's quirks (nested
``sh:node`` results are listed too; a falsy value such as ``0`` is reported as ``""``; literals are
compared and normalised by rdflib). Literal semantics (ill-typed literals, normalised lexical forms,
ordering) are delegated to rdflib's own ``Literal`` on the few distinct typed literals.

It refuses, with :class:`UnsupportedShapes`, any shapes graph that uses a SHACL feature it does not
implement (another target kind, a path expression, sh:or, sh:closed, sh:severity, SPARQL, rules...),
so it can never validate less than it is asked to. Supported: node shapes with sh:targetClass;
property shapes with an IRI sh:path; sh:minCount, sh:maxCount, sh:class (rdfs:subClassOf* over data
and ontology), sh:datatype, sh:pattern (+ sh:flags "i"/"m"), sh:hasValue, sh:uniqueLang, sh:lessThan,
sh:lessThanOrEquals, sh:minInclusive, sh:minLength, sh:node, sh:qualifiedValueShape with
sh:qualifiedMinCount / sh:qualifiedMaxCount, and node-level sh:class/sh:datatype/sh:pattern/
sh:minLength/sh:minInclusive/sh:hasValue/sh:node; sh:message (one per reporting shape).

Differences that cannot be avoided (documented, never silent for our data): blank nodes keep the
labels of the file (rdflib invents new ones when it parses); a pyoxigraph Store hands over literals in
Oxigraph's canonical form (e.g. "1.50"^^xsd:decimal as "1.5"), so validate the N-Quads file when exact
lexical forms matter.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl.rdfutil.compare import compare_literal
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.graph import Dataset
from rdflib.namespace import XSD
from rdflib.term import Node as RDFNode

from kg.shacl import SH, ShaclReport, Violation, _short

# Terms inside the validator: an IRI is "<iri>", a blank node "_:label", a literal a tuple
# (normalised lexical form, datatype IRI or None, lower-cased language or None) -- the identity
# rdflib gives literals (it normalises typed lexical forms and ignores the case of language tags) --
# with a fourth item True for an ill-typed literal: rdflib normalises "maybe"^^xsd:boolean to the
# lexical form "false" yet keeps it ill-typed, so the lexical form alone would merge it with a real false.
Lit = tuple[Any, ...]
Term = str | Lit
Result = tuple[Term, str, str, Term | None, str]   # focus, path IRI ('' for none), component, value, message

RDF_TYPE = f"<{RDF.type}>"
SUBCLASS = f"<{RDFS.subClassOf}>"
XSD_STRING = str(XSD.string)
LANG_STRING = str(RDF.langString)
_NO_VALUES: tuple[Term, ...] = ()

SUPPORTED_PREDICATES = {SH[name] for name in (
    "targetClass", "property", "path", "minCount", "maxCount", "class", "datatype", "pattern", "flags",
    "hasValue", "uniqueLang", "lessThan", "lessThanOrEquals", "minInclusive", "minLength", "node",
    "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "message",
    # non-validating annotations
    "name", "description", "order", "group", "defaultValue")}
SUPPORTED_TYPES = {SH.NodeShape, SH.PropertyShape}


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature the fast validator does not implement; use kg.shacl instead."""


class DataError(ValueError):
    """The data cannot be read (malformed N-Triples/N-Quads line) or cannot be validated."""


# ------------------------------------------------------------------------------------------------
# Compiled shapes
# ------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class _Shape:
    """A node shape (path None) or a property shape, with the constraints pyshacl would evaluate."""

    node: RDFNode
    path: str | None = None            # "<iri>" for property shapes
    message: str | None = None
    targets: list[str] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    classes: list[str] = field(default_factory=list)
    datatype: URIRef | None = None
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    has_values: list[Term] = field(default_factory=list)
    unique_lang: bool = False
    less_than: list[str] = field(default_factory=list)
    less_than_or_equals: list[str] = field(default_factory=list)
    min_inclusive: list[Literal] = field(default_factory=list)
    min_length: int | None = None
    nodes: list[_Shape] = field(default_factory=list)
    qualified: list[_Shape] = field(default_factory=list)
    qualified_min: int | None = None
    qualified_max: int | None = None
    properties: list[_Shape] = field(default_factory=list)
    pairs: list[tuple[str, bool]] = field(default_factory=list)   # (other property, strict) of lessThan(OrEquals)

    @property
    def has_constraints(self) -> bool:
        return bool(self.min_count is not None or self.max_count is not None or self.classes or self.datatype
                    or self.patterns or self.has_values or self.unique_lang or self.less_than
                    or self.less_than_or_equals or self.min_inclusive or self.min_length is not None
                    or self.nodes or self.qualified)

    def predicates(self) -> set[str]:
        """The data predicates this shape (and the shapes it uses) looks at."""
        preds = set(self.less_than) | set(self.less_than_or_equals)
        if self.path:
            preds.add(self.path)
        for sub in [*self.nodes, *self.qualified, *self.properties]:
            preds |= sub.predicates()
        return preds


@dataclass
class CompiledShapes:
    """The targeted node shapes of a shapes graph, checked to use only what this module implements."""

    roots: list[_Shape]
    graph: Graph

    def predicates(self) -> set[str]:
        preds = {RDF_TYPE, SUBCLASS}
        for shape in self.roots:
            preds |= shape.predicates()
        return preds


def _term_key(node: RDFNode) -> Term:
    """The validator's representation of an rdflib term."""
    if isinstance(node, Literal):
        return _literal_key(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


def _literal_key(lit: Literal) -> Lit:
    key = (str(lit), str(lit.datatype) if lit.datatype is not None else None,
           lit.language.lower() if lit.language else None)
    return (*key, True) if getattr(lit, "ill_typed", None) is True else key


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile *shapes*; raise UnsupportedShapes naming the first feature this validator lacks."""
    for s, p, o in shapes:
        if str(p).startswith(str(SH)) and p not in SUPPORTED_PREDICATES:
            raise UnsupportedShapes(f"{_short(p, shapes)} (on {_short(s, shapes)}) is not implemented by the fast "
                                    "validator; validate with kg.shacl.validate_graph (pyshacl)")
        if p == RDF.type and str(o).startswith(str(SH)) and o not in SUPPORTED_TYPES:
            raise UnsupportedShapes(f"{_short(s, shapes)} is a {_short(o, shapes)}, which the fast validator does "
                                    "not implement")
        if p == RDF.type and o in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")) and (
                (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes):
            raise UnsupportedShapes(f"{_short(s, shapes)} is a shape and a class (implicit class target): "
                                    "not implemented by the fast validator")
    compiler = _Compiler(shapes)
    roots = [compiler.shape(s) for s in sorted(set(shapes.subjects(SH.targetClass, None)), key=str)]
    for root in roots:
        if root.path is not None:
            raise UnsupportedShapes(f"property shape {_short(root.node, shapes)} has a target: not implemented")
        compiler.require_messages(root)
    return CompiledShapes(roots, shapes)


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.done: dict[RDFNode, _Shape] = {}
        self.active: list[RDFNode] = []

    def _name(self, node: RDFNode) -> str:
        return _short(node, self.g) if isinstance(node, URIRef) else f"blank node shape [{node}]"

    def _one(self, node: RDFNode, pred: URIRef) -> RDFNode | None:
        values = list(self.g.objects(node, pred))
        if len(values) > 1:
            raise UnsupportedShapes(f"{self._name(node)} has {len(values)} values for {_short(pred, self.g)}; "
                                    "pyshacl refuses that too")
        return values[0] if values else None

    def _int(self, node: RDFNode, pred: URIRef) -> int | None:
        value = self._one(node, pred)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool) \
                or value.value < 0:
            raise UnsupportedShapes(f"{self._name(node)}: {_short(pred, self.g)} must be a non-negative integer")
        return int(value.value)

    def shape(self, node: RDFNode) -> _Shape:
        if node in self.done:
            return self.done[node]
        if node in self.active:
            raise UnsupportedShapes(f"recursive shapes ({self._name(node)} refers to itself): not implemented")
        self.active.append(node)
        g = self.g
        path = self._one(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShapes(f"{self._name(node)}: only IRI paths are implemented, not path expressions")
        message = list(g.objects(node, SH.message))
        if len(message) > 1:
            raise UnsupportedShapes(f"{self._name(node)} has several sh:message values: kg.shacl would report "
                                    "an arbitrary one")
        shape = _Shape(node, f"<{path}>" if path is not None else None,
                       str(message[0]) if message else None)
        shape.targets = [f"<{c}>" for c in g.objects(node, SH.targetClass)]
        shape.min_count = self._int(node, SH.minCount)
        shape.max_count = self._int(node, SH.maxCount)
        shape.classes = [f"<{c}>" for c in g.objects(node, SH["class"])]
        datatype = self._one(node, SH.datatype)
        if datatype is not None and not isinstance(datatype, URIRef):
            raise UnsupportedShapes(f"{self._name(node)}: sh:datatype must be an IRI")
        shape.datatype = datatype
        flags = self._one(node, SH.flags)
        re_flags = 0
        if flags is not None:
            if set(str(flags)) - {"i", "m"}:
                raise UnsupportedShapes(f"{self._name(node)}: sh:flags {str(flags)!r}; only 'i' and 'm' are "
                                        "implemented (as by pyshacl)")
            re_flags = (re.I if "i" in str(flags).lower() else 0) | (re.M if "m" in str(flags).lower() else 0)
        for pattern in g.objects(node, SH.pattern):
            if not isinstance(pattern, Literal):
                raise UnsupportedShapes(f"{self._name(node)}: sh:pattern must be a literal")
            shape.patterns.append(re.compile(str(pattern), re_flags))
        shape.has_values = [_term_key(v) for v in g.objects(node, SH.hasValue)]
        unique = self._one(node, SH.uniqueLang)
        if unique is not None:
            if not isinstance(unique, Literal) or not isinstance(unique.value, bool):
                raise UnsupportedShapes(f"{self._name(node)}: sh:uniqueLang must be a boolean")
            shape.unique_lang = bool(unique.value)
        for pred, target in ((SH.lessThan, shape.less_than), (SH.lessThanOrEquals, shape.less_than_or_equals)):
            for other in g.objects(node, pred):
                if not isinstance(other, URIRef):
                    raise UnsupportedShapes(f"{self._name(node)}: {_short(pred, g)} must be an IRI")
                target.append(f"<{other}>")
        for value in g.objects(node, SH.minInclusive):
            if not isinstance(value, Literal):
                raise UnsupportedShapes(f"{self._name(node)}: sh:minInclusive must be a literal")
            shape.min_inclusive.append(value)
        shape.pairs = [(p, True) for p in shape.less_than] + [(p, False) for p in shape.less_than_or_equals]
        shape.min_length = self._int(node, SH.minLength)
        shape.nodes = [self._node_shape(n, node) for n in g.objects(node, SH.node)]
        shape.qualified = [self._node_shape(n, node) for n in g.objects(node, SH.qualifiedValueShape)]
        shape.qualified_min = self._int(node, SH.qualifiedMinCount)
        shape.qualified_max = self._int(node, SH.qualifiedMaxCount)
        if shape.qualified and shape.qualified_min is None and shape.qualified_max is None:
            raise UnsupportedShapes(f"{self._name(node)}: sh:qualifiedValueShape without a qualified count")
        if (shape.qualified_min is not None or shape.qualified_max is not None) and not shape.qualified:
            raise UnsupportedShapes(f"{self._name(node)}: a qualified count without sh:qualifiedValueShape")
        if path is None and (shape.min_count is not None or shape.max_count is not None or shape.unique_lang
                             or shape.qualified or shape.less_than or shape.less_than_or_equals):
            raise UnsupportedShapes(f"{self._name(node)}: cardinality, uniqueLang, qualified and property-pair "
                                    "constraints need a property shape")
        for prop in g.objects(node, SH.property):
            sub = self.shape(prop)
            if sub.path is None:
                raise UnsupportedShapes(f"{self._name(prop)}: sh:property value without sh:path")
            if sub.targets:
                raise UnsupportedShapes(f"{self._name(prop)}: property shape with a target: not implemented")
            shape.properties.append(sub)
        if path is not None and shape.properties:
            raise UnsupportedShapes(f"{self._name(node)}: sh:property on a property shape: not implemented")
        self.active.pop()
        self.done[node] = shape
        return shape

    def _node_shape(self, node: RDFNode, user: RDFNode) -> _Shape:
        shape = self.shape(node)
        if shape.path is not None:
            raise UnsupportedShapes(f"{self._name(user)} uses {self._name(node)} as a node shape, but it has a path")
        return shape

    def require_messages(self, shape: _Shape) -> None:
        """Shapes whose results are reported must carry sh:message: pyshacl's generated wording is not
        reproduced (it embeds pyshacl's own node rendering)."""
        if shape.has_constraints and shape.message is None:
            raise UnsupportedShapes(f"{self._name(shape.node)} reports results but has no sh:message; the fast "
                                    "validator reproduces sh:message only, not pyshacl's generated messages")
        for sub in shape.properties + shape.nodes:
            self.require_messages(sub)


# ------------------------------------------------------------------------------------------------
# Reading the data
# ------------------------------------------------------------------------------------------------
_IRI = r'(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*'
_PN = r"A-Za-z0-9_\u00C0-\U000EFFFF"
_TOKEN = re.compile(
    rf'[ \t]*(?:<(?P<iri>{_IRI})>'
    rf'|_:(?P<bnode>[{_PN}](?:[{_PN}\-.\u00B7]*[{_PN}\-\u00B7])?)'
    rf'|"(?P<lit>(?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*)"'
    rf'(?:@(?P<lang>[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\^\^<(?P<dt>{_IRI})>)?'
    rf'|(?P<dot>\.)(?:[ \t]*(?:#.*)?)$)')
_ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf"\'\\]))')
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if not m.group(3) else _ECHAR[m.group(3)],
                       text)


def _parse_line(line: str, number: int) -> tuple[Term, str, Term] | None:
    """The general N-Triples/N-Quads statement parser (escapes, tabs, comments); None for no statement."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    terms: list[Term] = []
    pos = 0
    while True:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise DataError(f"line {number}: not an N-Triples/N-Quads statement: {text[:120]!r}")
        pos = match.end()
        if match.group("dot") is not None:
            break
        if match.group("iri") is not None:
            terms.append(f"<{_unescape(match.group('iri'))}>")
        elif match.group("bnode") is not None:
            terms.append(f"_:{match.group('bnode')}")
        else:
            lang, dt = match.group("lang"), match.group("dt")
            terms.append((_unescape(match.group("lit")), _unescape(dt) if dt is not None else None,
                          lang.lower() if lang else None))
    if len(terms) not in (3, 4) or isinstance(terms[0], tuple) or not isinstance(terms[1], str) \
            or not terms[1].startswith("<") or (len(terms) == 4 and isinstance(terms[3], tuple)):
        raise DataError(f"line {number}: not an N-Triples/N-Quads statement: {text[:120]!r}")
    return terms[0], terms[1], terms[2]


class _Index:
    """Per-predicate ``subject -> distinct objects`` dictionaries over data plus ontology."""

    def __init__(self, predicates: set[str]) -> None:
        self.wanted = predicates
        self.by_pred: dict[str, dict[Term, list[Term]]] = {p: {} for p in predicates}
        self._norm: dict[tuple[str, str], Lit] = {}
        self.rdflib: dict[Lit, Literal] = {}
        self.statements = 0

    def normalise(self, lex: str, dt: str) -> Lit:
        """A typed literal as rdflib holds it (rdflib normalises e.g. "01"^^xsd:integer to "1")."""
        key = (lex, dt)
        lit = self._norm.get(key)
        if lit is None:
            rdf_lit = Literal(lex, datatype=URIRef(dt))
            lit = self._norm[key] = _literal_key(rdf_lit)
            self.rdflib.setdefault(lit, rdf_lit)
        return lit

    def add(self, s: Term, p: str, o: Term) -> None:
        d = self.by_pred.get(p)
        if d is None:
            return
        if type(o) is tuple and o[1] is not None and o[1] != XSD_STRING and o[1] != LANG_STRING:
            o = self.normalise(o[0], o[1])
        values = d.get(s)
        if values is None:
            d[s] = [o]
        elif o not in values:
            values.append(o)

    def add_rdflib(self, triples: Iterable[tuple[RDFNode, RDFNode, RDFNode]]) -> None:
        by_pred, wanted = self.by_pred, self.wanted
        for s, p, o in triples:
            self.statements += 1
            pk = f"<{p}>"
            if pk not in wanted:
                continue
            if isinstance(o, Literal):
                ok = _literal_key(o)   # rdflib has normalised it already; re-parsing would lose ill-typedness
                self.rdflib.setdefault(ok, o)
            else:
                ok = f"_:{o}" if isinstance(o, BNode) else f"<{o}>"
            sk = f"_:{s}" if isinstance(s, BNode) else f"<{s}>"
            values = by_pred[pk].setdefault(sk, [])
            if ok not in values:
                values.append(ok)

    def add_lines(self, lines: Iterable[str]) -> None:
        """Parse N-Triples/N-Quads lines: a fast path for the canonical one-space form, the general
        parser for everything else (escapes, tabs, comments, blank lines)."""
        by_pred, wanted, norm = self.by_pred, self.wanted, self.normalise
        tails = set(_ENDINGS)   # what may follow the object: " ." or " <graph> ." (each graph seen once)

        def tail_ok(tail: str) -> bool:
            if tail in tails:
                return True
            if _graph_tail(tail):
                tails.add(tail)
                return True
            return False
        count = 0
        for number, line in enumerate(lines, start=1):
            parts = line.split(" ", 2)
            if len(parts) == 3:
                s, p, rest = parts
                if p in wanted and rest and "\\" not in s and "\\" not in p and p[0] == "<" and p[-1] == ">" \
                        and ((s[0] == "<" and s[-1] == ">") or s.startswith("_:")):
                    o: Term | None = None
                    c = rest[0]
                    if c == "<":
                        end = rest.find(">")
                        tail = rest[end + 1:]
                        if end > 0 and "\\" not in rest[:end] and (tail in tails or tail_ok(tail)):
                            o = rest[:end + 1]
                    elif c == '"':
                        end = rest.rfind('"')
                        lex = rest[1:end]
                        if end > 0 and '"' not in lex and "\\" not in lex:
                            tail = rest[end + 1:]
                            t0 = tail[:1]
                            if t0 == "^" and tail.startswith("^^<"):
                                close = tail.find(">")
                                dt = tail[3:close]
                                if "\\" not in dt and tail_ok(tail[close + 1:]):
                                    o = norm(lex, dt) if dt != XSD_STRING and dt != LANG_STRING else (lex, dt, None)
                            elif t0 == "@":
                                space = tail.find(" ")
                                lang = tail[1:space]
                                if space > 1 and tail_ok(tail[space:]):
                                    o = (lex, None, lang.lower())
                            elif tail_ok(tail):
                                o = (lex, None, None)
                    if o is not None:
                        count += 1
                        d = by_pred[p]
                        values = d.get(s)
                        if values is None:
                            d[s] = [o]
                        elif o not in values:
                            values.append(o)
                        continue
                elif p not in wanted and p[:1] == "<" and p[-1:] == ">" and "\\" not in p \
                        and s[:1] in ("<", "_") and rest[:1] in ("<", '"', "_"):
                    # a statement about a predicate no shape looks at: skipped unparsed (a malformed
                    # object there goes unnoticed, as it cannot change any result)
                    count += 1
                    continue
            statement = _parse_line(line, number)
            if statement is not None:
                count += 1
                self.add(*statement)
        self.statements += count

    def values(self, pred: str, node: Term) -> list[Term] | tuple[Term, ...]:
        d = self.by_pred.get(pred)
        return d.get(node, _NO_VALUES) if d is not None else _NO_VALUES

    def to_rdflib(self, term: Term) -> RDFNode:
        if type(term) is tuple:
            lit = self.rdflib.get(term)
            if lit is None:
                lex, dt, lang = term[:3]
                lit = self.rdflib[term] = Literal(lex, datatype=URIRef(dt) if dt else None, lang=lang)
            return lit
        if term.startswith("_:"):
            return BNode(term[2:])
        return URIRef(term[1:-1])


_ENDINGS = {" .\n", " .", " .\r\n"}


def _graph_tail(tail: str) -> bool:
    """`` <graph> .`` (N-Quads) after the object."""
    return tail[:2] == " <" and (tail.endswith("> .\n") or tail.endswith("> .")) and tail.count(">") == 1 \
        and " " not in tail[2:tail.index(">")]


# ------------------------------------------------------------------------------------------------
# Evaluating the constraints (each mirrors pyshacl's component of the same name)
# ------------------------------------------------------------------------------------------------
Check = Callable[[Term, Sequence[Term], "list[Result] | None"], bool]

_XSD_STRING_REF, _LANG_STRING_REF = XSD.string, RDF.langString
_RDFS_LITERAL, _RDFS_DATATYPE = RDFS.Literal, RDFS.Datatype
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.integer: int, XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date,
    XSD.time: time, XSD.dateTime: datetime}


class _Validator:
    """Evaluates compiled shapes over an index. Each shape becomes a list of small checks (only the
    constraints it has), each mirroring pyshacl's component of the same name."""

    def __init__(self, compiled: CompiledShapes, index: _Index) -> None:
        self.compiled = compiled
        self.ix = index
        self.types = index.by_pred[RDF_TYPE]
        self._below: dict[str, list[str]] = {}
        for sub, supers in index.by_pred[SUBCLASS].items():
            for sup in supers:
                if type(sup) is str and type(sub) is str:
                    self._below.setdefault(sup, []).append(sub)
        self._by_class: dict[Term, list[Term]] | None = None
        self._instances: dict[str, set[Term]] = {}
        self._conforms: dict[tuple[int, Term], bool] = {}
        self._datatype: dict[tuple[Term, URIRef], bool] = {}
        self._min: dict[tuple[Term, int], bool] = {}
        self._ordered: dict[tuple[Term, Term, bool], bool] = {}
        self._plans: dict[int, tuple[list[Check], list[tuple[dict[Term, list[Term]], list[Check]]]]] = {}

    # -- class hierarchy ------------------------------------------------------------------------------
    def subclasses(self, cls: str) -> set[str]:
        """*cls* and every class below it by rdfs:subClassOf* (data plus ontology)."""
        found, todo = {cls}, [cls]
        while todo:
            for sub in self._below.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def instances(self, cls: str) -> set[Term]:
        """SHACL instances of *cls*: nodes with an rdf:type that is *cls* or below it."""
        found = self._instances.get(cls)
        if found is None:
            if self._by_class is None:
                self._by_class = {}
                for node, types in self.types.items():
                    for t in types:
                        self._by_class.setdefault(t, []).append(node)
            found = set()
            for sub in self.subclasses(cls):
                found.update(self._by_class.get(sub, ()))
            self._instances[cls] = found
        return found

    def focus_nodes(self, shape: _Shape) -> list[Term]:
        nodes: dict[Term, None] = {}
        for cls in shape.targets:
            nodes.update(dict.fromkeys(self.instances(cls)))
        return list(nodes)

    # -- running shapes ---------------------------------------------------------------------------------
    def run(self) -> list[Result]:
        results: list[Result] = []
        for root in self.compiled.roots:
            for focus in self.focus_nodes(root):
                self.node_shape(root, focus, results)
        return results

    def plan(self, shape: _Shape) -> tuple[list[Check], list[tuple[dict[Term, list[Term]], list[Check]]]]:
        plan = self._plans.get(id(shape))
        if plan is None:
            own = self.checks(shape, "") if shape.has_constraints else []
            props = []
            for prop in shape.properties:
                assert prop.path is not None
                props.append((self.ix.by_pred[prop.path], self.checks(prop, prop.path)))
            plan = self._plans[id(shape)] = (own, props)
        return plan

    def node_shape(self, shape: _Shape, focus: Term, out: list[Result] | None) -> bool:
        """Validate *focus* against a node shape; results go to *out* (None: stop at the first failure)."""
        own, props = self._plans.get(id(shape)) or self.plan(shape)
        ok = True
        for check in own:
            if not check(focus, (focus,), out):
                if out is None:
                    return False
                ok = False
        for values_of, checks in props:
            values = values_of.get(focus, _NO_VALUES)
            for check in checks:
                if not check(focus, values, out):
                    if out is None:
                        return False
                    ok = False
        return ok

    def conforms(self, shape: _Shape, node: Term) -> bool:
        key = (id(shape), node)
        known = self._conforms.get(key)
        if known is None:
            known = self._conforms[key] = self.node_shape(shape, node, None)
        return known

    def checks(self, shape: _Shape, path: str) -> list[Check]:
        """The checks of one shape's constraints, in pyshacl's terms. A check returns False when the
        focus node fails it, after appending its results to *out* (unless *out* is None)."""
        message = shape.message or ""
        checks: list[Check] = []

        def emit(out: list[Result] | None, focus: Term, component: str, value: Term | None = None) -> None:
            if out is not None:
                out.append((focus, path, component, value, message))

        if shape.min_count:
            least = shape.min_count

            def min_count(focus: Term, values: Sequence[Term], out: list[Result] | None) -> bool:
                if len(values) >= least:
                    return True
                emit(out, focus, "MinCount")
                return False
            checks.append(min_count)
        if shape.max_count is not None:
            most = shape.max_count

            def max_count(focus: Term, values: Sequence[Term], out: list[Result] | None) -> bool:
                if len(values) <= most:
                    return True
                emit(out, focus, "MaxCount")
                return False
            checks.append(max_count)
        for cls in shape.classes:
            members = self.instances(cls)
            checks.append(self._per_value(members.__contains__, "Class", emit))
        if shape.datatype is not None:
            rule = shape.datatype
            plain_ok, tagged_ok = rule in (_XSD_STRING_REF, _RDFS_LITERAL), rule in (_LANG_STRING_REF, _RDFS_LITERAL)

            def datatype(v: Term) -> bool:
                if type(v) is tuple and v[1] is None:   # plain or language-tagged string, without rdflib
                    return tagged_ok if v[2] else plain_ok
                return self.datatype_ok(v, rule)
            checks.append(self._per_value(datatype, "Datatype", emit))
        for pattern in shape.patterns:
            checks.append(self._per_value(
                lambda v, rx=pattern: not (type(v) is not tuple and v.startswith("_:"))
                and rx.search(v[0] if type(v) is tuple else v[1:-1]) is not None, "Pattern", emit))
        for expected in shape.has_values:
            def has_value(focus: Term, values: Sequence[Term], out: list[Result] | None,
                          wanted: Term = expected) -> bool:
                if wanted in values:
                    return True
                emit(out, focus, "HasValue")
                return False
            checks.append(has_value)
        if shape.unique_lang:
            def unique_lang(focus: Term, values: Sequence[Term], out: list[Result] | None) -> bool:
                seen: set[str] = set()
                duplicated: dict[str, None] = {}
                for v in values:
                    if type(v) is tuple and v[2]:
                        if v[2] in seen:
                            duplicated[v[2]] = None
                        seen.add(v[2])
                for _lang in duplicated:
                    emit(out, focus, "UniqueLang")
                return not duplicated
            checks.append(unique_lang)
        for other, strict in shape.pairs:
            compare_of = self.ix.by_pred[other]
            component = "LessThan" if strict else "LessThanOrEquals"

            def pair(focus: Term, values: Sequence[Term], out: list[Result] | None,
                     compare_of: dict[Term, list[Term]] = compare_of, strict: bool = strict,
                     component: str = component) -> bool:
                ok = True
                for c in compare_of.get(focus, _NO_VALUES):
                    for v in values:
                        if not self.ordered(v, c, strict):
                            emit(out, focus, component, v)
                            if out is None:
                                return False
                            ok = False
                return ok
            checks.append(pair)
        for minimum in shape.min_inclusive:
            checks.append(self._per_value(lambda v, m=minimum: self.at_least(v, m), "MinInclusive", emit))
        if shape.min_length:
            shortest = shape.min_length
            checks.append(self._per_value(
                lambda v: not (type(v) is not tuple and v.startswith("_:"))
                and len(v[0] if type(v) is tuple else v[1:-1]) >= shortest, "MinLength", emit))
        for node_shape in shape.nodes:
            def node(focus: Term, values: Sequence[Term], out: list[Result] | None,
                     node_shape: _Shape = node_shape) -> bool:
                ok = True
                for v in values:
                    if out is None:
                        if not self.conforms(node_shape, v):
                            return False
                        continue
                    nested: list[Result] = []
                    self.node_shape(node_shape, v, nested)
                    if nested:
                        emit(out, focus, "Node", v)
                        out.extend(nested)
                        ok = False
                return ok
            checks.append(node)
        for qualified in shape.qualified:
            low, high = shape.qualified_min, shape.qualified_max

            def qualified_count(focus: Term, values: Sequence[Term], out: list[Result] | None,
                                q: _Shape = qualified, low: int | None = low, high: int | None = high) -> bool:
                count = 0
                for v in values:
                    if self.conforms(q, v):
                        count += 1
                ok = True
                if high is not None and count > high:
                    emit(out, focus, "QualifiedMaxCount")
                    ok = False
                if low is not None and count < low:
                    emit(out, focus, "QualifiedMinCount")
                    ok = False
                return ok
            checks.append(qualified_count)
        return checks

    @staticmethod
    def _per_value(test: Callable[[Term], bool], component: str,
                   emit: Callable[[list[Result] | None, Term, str, Term | None], None]) -> Check:
        """A constraint that judges each value node on its own, with the value in its results."""
        def check(focus: Term, values: Sequence[Term], out: list[Result] | None) -> bool:
            ok = True
            for v in values:
                if not test(v):
                    if out is None:
                        return False
                    emit(out, focus, component, v)
                    ok = False
            return ok
        return check

    # -- value semantics, as pyshacl computes them with rdflib ------------------------------------------
    def datatype_ok(self, v: Term, rule: URIRef) -> bool:
        """pyshacl's sh:datatype test of one value (cached per distinct literal)."""
        if type(v) is not tuple:
            return False
        if v[1] is None:   # plain or language-tagged string: the common case, without rdflib
            if v[2] is None:
                return rule in (_XSD_STRING_REF, _RDFS_LITERAL)
            return rule in (_LANG_STRING_REF, _RDFS_LITERAL)
        key = (v, rule)
        known = self._datatype.get(key)
        if known is None:
            known = self._datatype[key] = _datatype_matches(self.ix.to_rdflib(v), rule)
        return known

    def ordered(self, v: Term, c: Term, strict: bool) -> bool:
        """pyshacl's sh:lessThan / sh:lessThanOrEquals comparison of one value pair (cached)."""
        key = (v, c, strict)
        known = self._ordered.get(key)
        if known is None:
            known = self._ordered[key] = _ordered(self.ix.to_rdflib(v), self.ix.to_rdflib(c), strict)
        return known

    def at_least(self, v: Term, minimum: Literal) -> bool:
        """pyshacl's sh:minInclusive test of one value (cached)."""
        key = (v, id(minimum))
        known = self._min.get(key)
        if known is None:
            known = self._min[key] = _at_least(self.ix.to_rdflib(v), minimum)
        return known


def _datatype_matches(lit: RDFNode, rule: URIRef) -> bool:
    """pyshacl's DatatypeConstraintComponent on one value node."""
    if not isinstance(lit, Literal):
        return False
    datatype, lang = lit.datatype, lit.language
    if datatype == rule:
        return False if getattr(lit, "ill_typed", None) is True else _actual_datatype(lit, rule)
    if rule == _RDFS_LITERAL:
        return True
    if rule == _RDFS_DATATYPE and datatype:
        return True
    if datatype is None and lang is None and rule == _XSD_STRING_REF:
        return _actual_datatype(lit, rule)
    if rule == _LANG_STRING_REF and lang:
        return _actual_datatype(lit, rule)
    return False


def _actual_datatype(lit: Literal, rule: URIRef) -> bool:
    """pyshacl's DatatypeConstraintComponent._assert_actual_datatype."""
    value = lit.value
    if rule in (_XSD_STRING_REF, _LANG_STRING_REF):
        return isinstance(value, str | bytes)
    expected = _PYTHON_TYPES.get(rule)
    return True if expected is None else isinstance(value, expected)


def _ordered(value: RDFNode, compare: RDFNode, strict: bool) -> bool:
    """pyshacl's LessThan(OrEquals)ConstraintComponent on one pair: strings (and IRIs) compare only with
    strings, everything else with rdflib's Literal ordering."""
    if isinstance(value, BNode) or isinstance(compare, BNode):
        raise DataError(f"Cannot use sh:{'lessThan' if strict else 'lessThanOrEquals'} to compare a BlankNode.")
    a: Any = value
    b: Any = compare
    a_str = b_str = False
    if isinstance(value, URIRef):
        a, a_str = str(value), True
    elif isinstance(value, Literal) and isinstance(value.value, str):
        a, a_str = value.value, True
    if isinstance(compare, URIRef):
        b, b_str = str(compare), True
    elif isinstance(compare, Literal) and isinstance(compare.value, str):
        b, b_str = compare.value, True
    if a_str != b_str:
        return False
    return bool(a < b) if strict else bool(a <= b)


def _at_least(value: RDFNode, minimum: Literal) -> bool:
    """pyshacl's MinInclusiveConstraintComponent on one value node."""
    if not isinstance(value, Literal):
        return False
    if isinstance(minimum.value, str) != isinstance(value.value, str):
        return False
    try:
        return compare_literal(value, minimum) >= 0
    except (TypeError, NotImplementedError):
        return False


# ------------------------------------------------------------------------------------------------
# Entry point
# ------------------------------------------------------------------------------------------------
DataSource = Graph | Path | str | ox.Store


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a warning for every ill-typed literal it meets; one per value is noise at 10^6."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building millions of small containers triggers the cyclic GC over and over; none are cyclic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lines_of(data: Path | str | ox.Store) -> Iterator[str]:
    if isinstance(data, ox.Store):
        text = data.dump(format=ox.RdfFormat.N_QUADS) or b""
        yield from text.decode("utf-8").splitlines(keepends=True)
        return
    path = Path(data)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    if path.suffix.lower() in (".nt", ".nq", ".ntriples", ".nquads"):
        raise AssertionError("N-Triples/N-Quads files are read directly by load_index")
    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    except ValueError as exc:
        raise DataError(f"{path}: unknown RDF file extension {path.suffix!r}") from exc
    if fmt is None:
        raise DataError(f"{path}: unknown RDF file extension {path.suffix!r}")
    text = ox.serialize(ox.parse(path=str(path), format=fmt), format=ox.RdfFormat.N_QUADS) or b""
    yield from text.decode("utf-8").splitlines(keepends=True)


def load_index(data: DataSource, compiled: CompiledShapes, ontology: Graph | None = None) -> _Index:
    """Read *data* (and the ontology) into the index the compiled shapes need."""
    index = _Index(compiled.predicates())
    with _quiet_rdflib(), _no_gc():
        if isinstance(data, Dataset):
            index.add_rdflib((s, p, o) for s, p, o, _g in data.quads((None, None, None, None)))
        elif isinstance(data, Graph):
            index.add_rdflib(data)
        elif not isinstance(data, ox.Store) and Path(data).suffix.lower() in (".nt", ".nq", ".ntriples", ".nquads"):
            if not Path(data).is_file():
                raise DataError(f"{data}: no such file")
            with Path(data).open(encoding="utf-8") as handle:
                index.add_lines(handle)
        else:
            index.add_lines(_lines_of(data))
        if ontology is not None:
            index.add_rdflib(ontology)
    return index


def validate_fast(data: DataSource, shapes: Graph, ontology: Graph | None = None) -> ShaclReport:
    """Validate *data* (an rdflib Graph/Dataset, an N-Triples/N-Quads (or Turtle/TriG) file, or a
    pyoxigraph Store; all named graphs are validated as their union) plus *ontology* against
    *shapes*, with the results kg.shacl.validate_graph (pyshacl) reports.

    Raises UnsupportedShapes if the shapes use a feature this validator does not implement.
    """
    compiled = compile_shapes(shapes)
    index = load_index(data, compiled, ontology)
    return report(compiled, index)


def report(compiled: CompiledShapes, index: _Index) -> ShaclReport:
    """Run the compiled shapes over a loaded index and render the results as kg.shacl does."""
    with _quiet_rdflib(), _no_gc():
        results = _Validator(compiled, index).run()
    shapes = compiled.graph
    paths: dict[str, str] = {}
    violations = []
    for focus, path, component, value, message in results:
        if path and path not in paths:
            paths[path] = _short(URIRef(path[1:-1]), shapes)
        value_node = index.to_rdflib(value) if value is not None else None
        violations.append(Violation(
            focus=str(index.to_rdflib(focus)),
            path=paths[path] if path else "",
            component=component,
            message=message,
            value=str(value_node or ""),
            severity="Violation",
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.component, v.value, v.message))
    return ShaclReport(not violations, violations)

