"""OWL consistency of a large graph from one representative individual per node signature.

Why: handing 10^6 triples to HermiT took 207 s and 2 GiB of JVM; the 10^6 corpus has only about a
hundred distinct *signatures* (asserted types, outgoing and incoming properties). For an ontology whose
axioms are all of the kinds listed in ``SUPPORTED`` (classes and their hierarchy, disjointness, domains,
ranges, inverses, sub-properties, functional and inverse-functional properties, different individuals)
what HermiT can derive about a node depends only on its signature, except where a functional or an
inverse-functional property makes two nodes one. So the reasoner is given

- the ontology, unchanged;
- per signature, a fresh individual with those types, an edge to a fresh node for each outgoing
  property (the real individual where the object is one of the ontology's), a sample literal of each
  datatype a property's values have, and an edge from a fresh node for each incoming property;
- per functional property with two or more values on one node (and inverse-functional property with
  two or more subjects on one object), the merge HermiT would make: a fresh node linked to a fresh copy
  of each value's signature (literals and the ontology's individuals as they are), so that clashing
  types, distinct named individuals and different data values are all seen.

Merges are followed one step (the merged nodes' own functional successors are not merged again); an
ontology with any axiom outside ``SUPPORTED`` is checked the old way, every triple to HermiT.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import owlready2
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from kg.owl.reason import ConsistencyResult, check_consistency

RDF_TYPE = f"<{RDF.type}>"
SMALL_JVM_MB = 400  # the reasoner's heap for an abstraction (owlready2's default is 2000)
BASE = "urn:bri-kg:owl-signature:"
# The ontology's own vocabulary the abstraction is sound for: predicates and the types of its terms.
SUPPORTED = frozenset({
    RDF.type, RDF.first, RDF.rest, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
    RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.inverseOf, OWL.disjointWith, OWL.members,
    OWL.distinctMembers, OWL.versionIRI, OWL.versionInfo, OWL.imports, OWL.equivalentProperty,
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty, OWL.AllDisjointClasses, OWL.AllDifferent, OWL.NamedIndividual, OWL.Ontology,
    RDF.Property, RDFS.Class, RDFS.Datatype,
})
OWL_NS = str(OWL)
OWL_TERM = f"<{OWL_NS}"
Sig = tuple[frozenset[str], frozenset[str], frozenset[str]]  # types, outgoing keys, incoming properties
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CHECKED = {"integer": _INTEGER, "decimal": _DECIMAL}


def unsupported_axioms(ontology: Graph) -> list[str]:
    """The ontology's terms of OWL or RDFS outside ``SUPPORTED`` (empty: the abstraction is exact).

    A union of named classes is allowed where a class is (a domain "Program or Project"): what it
    says of a node still depends on that node's own types and edges only, so its signature decides it."""
    found = set()
    for s, p, o in ontology:
        for term in (p, o) if p == RDF.type else (p,):
            if p == OWL.unionOf and _named_union(ontology, s):
                continue
            if str(term).startswith((OWL_NS, str(RDFS))) and term not in SUPPORTED and not _annotation(term):
                found.add(str(term))
        if p in (RDFS.domain, RDFS.range, RDFS.subClassOf) and isinstance(o, BNode) and not _named_union(ontology, o):
            found.add(f"a class expression in {p}")
    return sorted(found)


def _named_union(ontology: Graph, node: Node) -> bool:
    """Whether *node* is a class expression ``owl:unionOf`` a list of named classes, and nothing else."""
    if not isinstance(node, BNode):
        return False
    said = {p for p in ontology.predicates(node, None)} - {RDF.type}
    members = ontology.value(node, OWL.unionOf)
    if said != {OWL.unionOf} or members is None:
        return False
    return all(isinstance(m, URIRef) for m in ontology.items(members))


def _annotation(term: Node) -> bool:
    return term in (RDFS.label, RDFS.comment, OWL.deprecated, OWL.priorVersion, OWL.backwardCompatibleWith)


def _literal_key(obj: str) -> str:
    """What of a literal the reasoner sees besides its value: datatype (or language) and well-formedness."""
    if obj.endswith(">") and '"^^<' in obj:
        lexical, datatype = obj.rsplit('"^^<', 1)
        local = datatype.rsplit("#", 1)[-1][:-1]
        pattern = _CHECKED.get(local)
        valid = pattern is None or bool(pattern.fullmatch(lexical[1:]))
        return f"^^{datatype[:-1]}|{valid}"
    return "@lang" if not obj.endswith('"') else "string"


@dataclass
class _Nodes:
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    out: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    inc: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))  # (node, p) -> objects
    subjects_of: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))  # (o, p) -> s
    samples: dict[str, str] = field(default_factory=dict)  # literal key per property -> a literal
    verbatim: list[str] = field(default_factory=list)  # triples about the ontology's own terms
    owl_terms: set[str] = field(default_factory=set)  # OWL vocabulary in the data (owl:sameAs...)

    def signature(self, node: str) -> Sig:
        return frozenset(self.types.get(node, ())), frozenset(self.out.get(node, ())), frozenset(self.inc.get(node, ()))


@dataclass
class Abstraction:
    """The graph handed to the reasoner, and which data node each representative stands for."""

    ontology: Graph
    graph: Graph
    examples: dict[str, str]  # representative IRI -> a data node it stands for
    signatures: set[Sig]
    merges: int
    owl_terms: set[str]  # OWL vocabulary the data uses: the abstraction does not cover it


def _scan(lines: Iterable[str], known: set[str], watched: set[str]) -> _Nodes:
    nodes = _Nodes()
    for line in lines:
        s, p, o = line.split(" ", 2)
        if p.startswith(OWL_TERM) or (p == RDF_TYPE and o.startswith(OWL_TERM)):
            nodes.owl_terms.add(f"{p} {o}" if p == RDF_TYPE else p)
        if s in known:
            nodes.verbatim.append(line)
            continue
        if p == RDF_TYPE and o.startswith("<"):
            nodes.types[s].add(o)
            continue
        if o.startswith("<"):
            nodes.out[s].add(f"{p} {o}" if o in known else p)
            if o not in known:
                nodes.inc[o].add(p)
        else:
            key = f"{p} {_literal_key(o)}"
            nodes.out[s].add(key)
            nodes.samples.setdefault(key, o)
        if p in watched:
            nodes.values[(s, p)].add(o)
            nodes.subjects_of[(o, p)].add(s)
    return nodes


class _Writer:
    """Adds representatives to the reasoner's graph as N-Triples text."""

    def __init__(self, nodes: _Nodes) -> None:
        self.nodes = nodes
        self.lines: list[str] = list(nodes.verbatim)
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        return f"<{BASE}{self.count}>"

    def copy(self, sig: Sig) -> str:
        rep = self.fresh()
        types, out, inc = sig
        self.lines += [f"{rep} {RDF_TYPE} {t}" for t in sorted(types)]
        for key in sorted(out):
            p, _, rest = key.partition(" ")
            if not rest:
                self.lines.append(f"{rep} {p} {self.fresh()}")
            elif rest.startswith("<"):
                self.lines.append(f"{rep} {key}")
            else:
                self.lines.append(f"{rep} {p} {self.nodes.samples[key]}")
        self.lines += [f"{self.fresh()} {p} {rep}" for p in sorted(inc)]
        return rep

    def value(self, node: str, known: set[str]) -> str:
        """A stand-in for a value being merged: literals and the ontology's individuals as they are."""
        if not node.startswith("<") or node in known:
            return node
        return self.copy(self.nodes.signature(node))


def functional_properties(ontology: Graph) -> dict[str, set[str]]:
    """Each property (by N-Triples form) whose values HermiT would merge -> the merges it takes part in:
    ``"out <F>"`` for a functional F (its objects merge), ``"in <G>"`` for an inverse-functional G (its
    subjects merge); sub-properties and inverses folded in (an inverse's subjects are F's objects)."""
    def closure(prop: Node) -> set[Node]:
        subs = {prop}
        todo = [prop]
        while todo:
            for sub in ontology.subjects(RDFS.subPropertyOf, todo.pop()):
                if sub not in subs:
                    subs.add(sub)
                    todo.append(sub)
        return subs

    inverse = {a: b for a, b in ontology.subject_objects(OWL.inverseOf)}
    inverse.update({b: a for a, b in list(inverse.items())})
    groups: dict[str, set[str]] = defaultdict(set)  # "<p>" or "^<p>" (p read backwards) -> merges
    for kind, forwards in ((OWL.FunctionalProperty, ""), (OWL.InverseFunctionalProperty, "^")):
        for prop in ontology.subjects(RDF.type, kind):
            merge = f"{'out' if not forwards else 'in'} <{prop}>"
            backwards = "^" if not forwards else ""
            for sub in closure(prop):
                groups[f"{forwards}<{sub}>"].add(merge)
            if prop in inverse:
                for sub in closure(inverse[prop]):
                    groups[f"{backwards}<{sub}>"].add(merge)
    return groups


def _merges(nodes: _Nodes, groups: dict[str, set[str]]) -> dict[tuple[str, str], set[str]]:
    """(node, merge) -> the values HermiT would make one: F's objects of a node, G's subjects of a node."""
    gathered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (node, p), values in nodes.values.items():
        for merge in groups.get(p, ()):
            gathered[(node, merge)].update(values)
    for (node, p), subjects in nodes.subjects_of.items():
        for merge in groups.get("^" + p, ()):
            gathered[(node, merge)].update(subjects)
    return gathered


def abstract(lines: Iterable[str], ontology: Graph, only: set[str] | None = None) -> Abstraction:
    """The ontology plus representatives of *lines* (``"<s> <p> <o>"`` N-Triples, the data's triples).

    With *only* (nodes in N-Triples form), representatives and merges of those nodes alone: *lines* hold
    every triple of theirs, and of the values they would merge; other nodes' triples there are partial."""
    known = {f"<{s}>" for s in ontology.subjects() if isinstance(s, URIRef)}
    groups = functional_properties(ontology)
    nodes = _scan(lines, known, {p.lstrip("^") for p in groups})
    writer = _Writer(nodes)
    examples: dict[str, str] = {}
    signatures: dict[Sig, str] = {}
    for node in sorted(set(nodes.types) | set(nodes.out) | set(nodes.inc)):
        if only is not None and node not in only:
            continue
        sig = nodes.signature(node)
        if sig not in signatures:
            signatures[sig] = node
            examples[writer.copy(sig)[1:-1]] = node[1:-1]
    seen: set[tuple[str, frozenset]] = set()
    for (node, merge), values in sorted(_merges(nodes, groups).items()):
        if len(values) < 2 or (only is not None and node not in only):
            continue
        kinds = frozenset(v if not v.startswith("<") or v in known else nodes.signature(v) for v in values)
        if (merge, kinds) in seen:
            continue
        seen.add((merge, kinds))
        hub = writer.fresh()
        direction, prop = merge.split(" ", 1)
        for value in sorted(values):
            stand_in = writer.value(value, known)
            writer.lines.append(f"{hub} {prop} {stand_in}" if direction == "out" else f"{stand_in} {prop} {hub}")
        examples[hub[1:-1]] = f"{node[1:-1]} ({prop[1:-1]}: {', '.join(sorted(values))})"
    graph = Graph()
    graph.parse(data="".join(line + " .\n" for line in writer.lines), format="nt")
    return Abstraction(ontology, graph, examples, set(signatures), len(seen), nodes.owl_terms)


@dataclass(frozen=True)
class SignatureCheck:
    """A consistency verdict (the contract of ``kg.owl.reason.ConsistencyResult``) and the signatures that
    were found consistent, which an incremental build need not hand to the reasoner again."""

    consistent: bool
    message: str = ""
    signatures: frozenset[Sig] = frozenset()


def check_by_signature(lines: Iterable[str], ontology: Graph, explain: bool = True, only: set[str] | None = None,
                       known: frozenset[Sig] | set[Sig] = frozenset()) -> SignatureCheck:
    """OWL 2 consistency of *ontology* plus the data *lines*, decided by HermiT on the abstraction.

    With *only*, just those nodes are checked (see ``abstract``); if all their signatures are *known*
    consistent and no merge is involved, the reasoner is not run. With *explain*, an inconsistency is
    narrowed (by halves, a few more reasoner runs) to the representatives that cause it, and the message
    names a data node each stands for."""
    lines = list(lines)
    if unsupported_axioms(ontology):
        return _check_everything(lines, ontology)
    abstraction = abstract(lines, ontology, only)
    if abstraction.owl_terms:
        return _check_everything(lines, ontology)
    if abstraction.signatures <= set(known) and not abstraction.merges:
        return SignatureCheck(True, signatures=frozenset(abstraction.signatures))
    result = _small_check(ontology + abstraction.graph)
    if result.consistent:
        return SignatureCheck(True, signatures=frozenset(abstraction.signatures))
    if not explain:
        return SignatureCheck(False, result.message)
    culprits = _narrow(abstraction)
    named = "; ".join(f"{abstraction.examples.get(rep, rep)}" for rep in culprits[:10])
    return SignatureCheck(False, f"{result.message}\nThe contradiction involves: {named}")


def _small_check(graph: Graph) -> ConsistencyResult:
    """HermiT on a graph of a few thousand triples: its JVM needs no more than ``SMALL_JVM_MB``."""
    saved = owlready2.reasoning.JAVA_MEMORY
    owlready2.reasoning.JAVA_MEMORY = SMALL_JVM_MB
    try:
        return check_consistency(graph)
    finally:
        owlready2.reasoning.JAVA_MEMORY = saved


def _check_everything(lines: list[str], ontology: Graph) -> SignatureCheck:
    """The old way, for what the abstraction does not cover: every triple to HermiT."""
    data = Graph()
    data.parse(data="".join(line + " .\n" for line in lines), format="nt")
    result = check_consistency(ontology + data)
    return SignatureCheck(result.consistent, result.message)


def _narrow(abstraction: Abstraction) -> list[str]:
    """The representatives (each with the fresh nodes around it) whose triples alone are inconsistent."""
    groups: dict[str, list[tuple[Node, Node, Node]]] = defaultdict(list)
    owner = ""
    for s, p, o in sorted(abstraction.graph, key=lambda t: _number(t[0])):
        if str(s) in abstraction.examples:
            owner = str(s)
        groups[owner].append((s, p, o))
    # Each representative is written with its fresh nodes right after it, so ordering by number groups them;
    # triples about the ontology's own terms (owner "") go with every half.
    shared = groups.pop("", [])
    candidates = sorted(groups, key=_number)
    while len(candidates) > 1:
        half = candidates[: len(candidates) // 2]
        rest = candidates[len(candidates) // 2:]
        if not _consistent(abstraction.ontology, shared, groups, half):
            candidates = half
        elif not _consistent(abstraction.ontology, shared, groups, rest):
            candidates = rest
        else:
            break
    return candidates


def _number(node: Node | str) -> int:
    text = str(node)
    return int(text[len(BASE):]) if text.startswith(BASE) and text[len(BASE):].isdigit() else 0


def _consistent(ontology: Graph, shared: list, groups: dict[str, list], chosen: list[str]) -> bool:
    graph = Graph()
    for triple in shared:
        graph.add(triple)
    for rep in chosen:
        for triple in groups[rep]:
            graph.add(triple)
    return _small_check(ontology + graph).consistent
