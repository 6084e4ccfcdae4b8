"""Which nodes a change can affect, for the checks of an incremental build.

SHACL: a node's results depend on its own triples, on the types of the nodes it points to (``sh:class``),
and on the whole validation of nodes it reaches along a property whose shape nests another shape
(``sh:node``, qualified value shapes, logical components). So the nodes to validate again are the
subjects and objects of the changed triples, everything pointing to a node whose types changed, and
everything reaching a changed node along a nesting property; shapes with other paths (inverse, sequence)
make the whole graph the scope. OWL: the nodes whose signature may have changed (subjects and objects of
changed triples) with every triple of theirs, and of the values a functional property would merge.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef

from kg.owl.signatures import functional_properties
from kg.shacl import ShaclReport, results
from kg.shacl.report import make_report
from kg.vocab.rdf import ONTOLOGY_GRAPH

SH = Namespace("http://www.w3.org/ns/shacl#")
NESTING = (SH.node, SH.qualifiedValueShape, SH["and"], SH["or"], SH["not"], SH.xone, SH.property)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DEFAULT = ox.DefaultGraph()


def nesting_predicates(shapes: Graph) -> set[ox.NamedNode] | None:
    """Predicates along which a node's validation reads another node's, beyond its types; None if a shape's
    path is not a plain predicate (then the scope is everything)."""
    nesting = set()
    for shape, path in shapes.subject_objects(SH.path):
        if not isinstance(path, URIRef):
            return None
        if any((shape, p, None) in shapes for p in NESTING):
            nesting.add(ox.NamedNode(str(path)))
    return nesting


def _terms(lines: Iterable[str]) -> list[ox.Quad]:
    return list(ox.parse(input="".join(line + " .\n" for line in lines).encode(), format=ox.RdfFormat.N_TRIPLES))


def _parents(store: ox.Store, nodes: Iterable[ox.NamedNode], predicate: ox.NamedNode | None) -> set[ox.NamedNode]:
    found = set()
    for node in nodes:
        for quad in store.quads_for_pattern(None, predicate, node, DEFAULT):
            if isinstance(quad.subject, ox.NamedNode):
                found.add(quad.subject)
    return found


def shacl_focus(store: ox.Store, changed: list[str], nesting: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """The nodes whose SHACL results may differ after the union's triples *changed* (added or removed)."""
    quads = _terms(changed)
    focus = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    focus |= {q.object for q in quads if isinstance(q.object, ox.NamedNode)}
    typed = {q.subject for q in quads if q.predicate == RDF_TYPE and isinstance(q.subject, ox.NamedNode)}
    focus |= _parents(store, typed, None)
    frontier = set(focus)
    while frontier:
        reached = set()
        for predicate in nesting:
            reached |= _parents(store, frontier, predicate)
        frontier = reached - focus
        focus |= frontier
    return focus


def validate_scope(store: ox.Store, focus: set[ox.NamedNode], shapes: Graph,
                   nesting: set[ox.NamedNode]) -> ShaclReport:
    """SHACL results of the *focus* nodes, from an in-memory store holding their triples, those of the nodes
    they reach along nesting properties, the types of everything they point to, and the ontology."""
    scope = ox.Store()
    loaded: set[ox.NamedNode | ox.BlankNode] = set()
    todo: list[ox.NamedNode | ox.BlankNode] = list(focus)
    objects = set()
    while todo:
        node = todo.pop()
        if node in loaded:
            continue
        loaded.add(node)
        for quad in store.quads_for_pattern(node, None, None, DEFAULT):
            scope.add(quad)
            if isinstance(quad.object, ox.NamedNode | ox.BlankNode):
                objects.add(quad.object)
                if quad.predicate in nesting:
                    todo.append(quad.object)
    for node in objects - loaded:
        scope.extend(store.quads_for_pattern(node, RDF_TYPE, None, DEFAULT))
    scope.extend(ox.Quad(q.subject, q.predicate, q.object, DEFAULT)
                 for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))
    kept = [r for r in results(scope, shapes, None, DEFAULT) if r.focus in focus]
    return make_report(kept, shapes)


def _lines_of(store: ox.Store, node: ox.NamedNode, outgoing: bool = True, incoming: bool = True) -> list[str]:
    quads: list[ox.Quad] = []
    if outgoing:
        quads += store.quads_for_pattern(node, None, None, DEFAULT)
    if incoming:
        quads += store.quads_for_pattern(None, None, node, DEFAULT)
    return [f"{q.subject} {q.predicate} {q.object}" for q in quads]


def owl_scope(store: ox.Store, changed: list[str], ontology: Graph) -> tuple[list[str], set[str]]:
    """(lines, nodes) for ``check_by_signature(lines, ontology, only=nodes)``: the nodes whose signature
    may have changed, and every triple of theirs and of the values their functional properties merge."""
    known = {f"<{s}>" for s in ontology.subjects() if isinstance(s, URIRef)}
    quads = _terms(changed)
    nodes = {n for q in quads for n in (q.subject, q.object) if isinstance(n, ox.NamedNode) and str(n) not in known}
    merging = {p.lstrip("^")[1:-1] for p in functional_properties(ontology)}
    lines: set[str] = set()
    neighbours: set[ox.NamedNode] = set()
    for node in nodes:
        for line in _lines_of(store, node):
            lines.add(line)
            s, p, o = line.split(" ", 2)
            if p[1:-1] in merging:
                neighbours.update(ox.NamedNode(t[1:-1]) for t in (s, o) if t.startswith("<") and t not in known)
    for node in neighbours - nodes:
        lines.update(_lines_of(store, node))
    return sorted(lines), {str(n) for n in nodes}
