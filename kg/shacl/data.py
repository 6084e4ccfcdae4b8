"""The data graph (SHACL §1.5, §3.1): read from a pyoxigraph Store or an rdflib Graph.

The validator asks for whole predicates ("every subject and object of bri:heldIn") and keeps each as
a ``subject -> objects`` dictionary, loaded the first time a shape needs it: a shape then reads the
values of a focus node with one look-up. A Store answers those questions from its own predicate
index, so only the predicates the shapes use are ever turned into Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.term import Node as RDFNode

from kg.shacl.terms import Term, from_rdflib, to_rdflib

NO_VALUES: tuple[Term, ...] = ()
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Index = dict[Term, list[Term]]


class Source(Protocol):
    """Where triples come from."""

    def load(self, predicate: ox.NamedNode, index: Index) -> None:
        """Add (subject -> object) of every triple with *predicate* to *index*, each object once."""

    def edges_from(self, subject: Term) -> Iterable[tuple[ox.NamedNode, Term]]:
        """(predicate, object) of every triple with *subject*."""


def _add(index: Index, s: Term, o: Term) -> None:
    values = index.get(s)
    if values is None:
        index[s] = [o]
    elif o not in values:
        values.append(o)


class StoreSource:
    """A pyoxigraph Store: one of its graphs (the default graph: ``ox.DefaultGraph()``), or with
    ``graph=None`` the union of all of them."""

    def __init__(self, store: ox.Store, graph: GraphName | None = None) -> None:
        self.store = store
        self.graph = graph

    def load(self, predicate: ox.NamedNode, index: Index) -> None:
        get = index.get
        for quad in self.store.quads_for_pattern(None, predicate, None, self.graph):
            s, o = quad.subject, quad.object
            values = get(s)
            if values is None:
                index[s] = [o]
            elif o not in values:
                values.append(o)

    def edges_from(self, subject: Term) -> Iterable[tuple[ox.NamedNode, Term]]:
        if type(subject) is not ox.NamedNode and type(subject) is not ox.BlankNode:
            return []
        return [(q.predicate, q.object) for q in self.store.quads_for_pattern(subject, None, None, self.graph)]


class GraphSource:
    """An rdflib Graph; a Dataset or ConjunctiveGraph gives the union of its graphs."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.terms: dict[RDFNode, Term] = {}

    def _triples(self, pattern: tuple[RDFNode | None, RDFNode | None, RDFNode | None]
                 ) -> Iterable[tuple[RDFNode, RDFNode, RDFNode]]:
        if isinstance(self.graph, Dataset | ConjunctiveGraph):
            return ((s, p, o) for s, p, o, _g in self.graph.quads(pattern))
        return self.graph.triples(pattern)

    def term(self, node: RDFNode) -> Term:
        """The term of *node*, converted once. Not an ill-typed literal from the cache: rdflib holds
        ``"maybe"^^xsd:boolean`` equal to ``false`` (it normalised the lexical form)."""
        if type(node) is Literal and node.ill_typed:
            return from_rdflib(node)
        known = self.terms.get(node)
        if known is None:
            known = self.terms[node] = from_rdflib(node)
        return known

    def load(self, predicate: ox.NamedNode, index: Index) -> None:
        terms, convert = self.terms, self.term
        p = URIRef(predicate.value)
        for s, _p, o in self._triples((None, p, None)):
            st = terms.get(s)
            if type(o) is Literal and o.ill_typed:
                o = self._as_stated(s, p, o)
                ot = None
            else:
                ot = terms.get(o)
            _add(index, convert(s) if st is None else st, convert(o) if ot is None else ot)

    def _as_stated(self, s: RDFNode, p: URIRef, o: Literal) -> RDFNode:
        """The object of (s, p) equal to *o* as the subject's own index holds it. rdflib's predicate index
        keeps one object per equal literal, so an ill-typed "maybe"^^xsd:boolean, normalised to "false",
        would stand in for the well-typed false of another subject."""
        return next((x for _s, _p, x in self._triples((s, p, None)) if x == o), o)

    def edges_from(self, subject: Term) -> Iterable[tuple[ox.NamedNode, Term]]:
        if type(subject) is not ox.NamedNode and type(subject) is not ox.BlankNode:
            return []
        return [(ox.NamedNode(str(p)), self.term(o)) for _s, p, o in self._triples((to_rdflib(subject), None, None))]


class DataGraph:
    """The union of one or more sources, as per-predicate indexes loaded on first use."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self.sources = list(sources)
        self._forward: dict[ox.NamedNode, Index] = {}
        self._inverse: dict[ox.NamedNode, Index] = {}

    def forward(self, predicate: ox.NamedNode) -> Index:
        """``subject -> distinct objects`` for *predicate*."""
        index = self._forward.get(predicate)
        if index is None:
            index = self._forward[predicate] = {}
            for source in self.sources:
                source.load(predicate, index)
        return index

    def inverse(self, predicate: ox.NamedNode) -> Index:
        """``object -> distinct subjects`` for *predicate*."""
        index = self._inverse.get(predicate)
        if index is None:
            index = {}
            for s, objects in self.forward(predicate).items():
                for o in objects:
                    values = index.get(o)
                    if values is None:
                        index[o] = [s]
                    else:
                        values.append(s)
            self._inverse[predicate] = index
        return index

    def objects(self, subject: Term, predicate: ox.NamedNode) -> Sequence[Term]:
        return self.forward(predicate).get(subject, NO_VALUES)

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> Sequence[Term]:
        return self.inverse(predicate).get(obj, NO_VALUES)

    def edges_from(self, subject: Term) -> list[tuple[ox.NamedNode, Term]]:
        """Every distinct (predicate, object) of *subject* (for sh:closed)."""
        seen: dict[tuple[ox.NamedNode, Term], None] = {}
        for source in self.sources:
            seen.update(dict.fromkeys(source.edges_from(subject)))
        return list(seen)


def data_graph(data: Graph | ox.Store, ontology: Graph | None = None, graph: GraphName | None = None) -> DataGraph:
    """The data graph of *data* (a Store: its *graph*, or the union of all its graphs) plus *ontology*."""
    sources: list[Source] = [StoreSource(data, graph) if isinstance(data, ox.Store) else GraphSource(data)]
    if ontology is not None:
        sources.append(GraphSource(ontology))
    return DataGraph(sources)
