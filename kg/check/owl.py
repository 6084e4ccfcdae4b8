"""Why the reasoner says "inconsistent": the facts responsible, not just the verdict.

Two ways, cheapest first. (1) A fact whose subject or object has a type that the property's domain or
range excludes, read from the ontology's axioms (kg.check.axioms): "program/x has organizer
organization/y; organizer applies to events or programs; a report cannot be an event or a program".
(2) Otherwise, a minimal set of the file's facts that the reasoner still finds inconsistent, found by
taking facts away and re-running HermiT (delta debugging), reported record by record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.check.axioms import Axioms, article
from kg.check.records import RecordIndex, entity_id, fact_name, short
from kg.errors import DataProblem

Triple = tuple[Node, Node, Node]
MAX_REASONER_RUNS = 40


@dataclass(frozen=True)
class Clash:
    """One fact that the ontology's domain or range rules out, and why."""

    subject: URIRef
    prop: URIRef
    obj: Node
    side: str  # "domain": the subject cannot be what the property needs; "range": the object cannot
    excluded: URIRef
    required: frozenset[URIRef]

    def explain(self, axioms: Axioms) -> str:
        name = axioms.label(self.prop)
        holder = entity_id(str(self.subject) if self.side == "domain" else str(self.obj))
        needs = axioms.words(self.required)
        role = "applies to" if self.side == "domain" else "points to"
        obj = entity_id(str(self.obj)) if isinstance(self.obj, URIRef) else repr(str(self.obj))
        return (f"{entity_id(str(self.subject))} has {name} {obj}; {name} {role} {needs}; "
                f"{holder} is {article(axioms.label(self.excluded).lower())}, which cannot be {article(needs)}")


def find_clashes(data: Graph, axioms: Axioms) -> list[Clash]:
    """Every fact of *data* whose subject or object is of a type its property's domain or range excludes."""
    types: dict[Node, set[URIRef]] = defaultdict(set)
    for s, o in data.subject_objects(RDF.type):
        if isinstance(o, URIRef):
            types[s].add(o)
    clashes = []
    for s, p, o in data:
        if p == RDF.type or not isinstance(s, URIRef) or not isinstance(p, URIRef):
            continue
        for required in axioms.domains_of(p):
            if (t := axioms.excluded(types.get(s, set()), required)) is not None:
                clashes.append(Clash(s, p, o, "domain", t, required))
        if isinstance(o, Literal):
            continue
        for required in axioms.ranges_of(p):
            if (t := axioms.excluded(types.get(o, set()), required)) is not None:
                clashes.append(Clash(s, p, o, "range", t, required))
    return sorted(set(clashes), key=lambda c: (str(c.subject), str(c.prop), str(c.obj)))


def minimal_inconsistent(candidates: list[Triple], inconsistent: Callable[[list[Triple]], bool],
                         max_runs: int = MAX_REASONER_RUNS) -> list[Triple]:
    """A small subset of *candidates* that is still inconsistent (ddmin by complements), within
    *max_runs* reasoner calls; the caller knows the whole set is inconsistent."""
    current, n, runs = list(candidates), 2, 0
    while len(current) >= 2 and runs < max_runs:
        size = -(-len(current) // n)
        chunks = [current[i:i + size] for i in range(0, len(current), size)]
        for chunk in chunks:
            rest = [t for t in current if t not in set(chunk)]
            runs += 1
            if inconsistent(rest):
                current, n = rest, max(n - 1, 2)
                break
            if runs >= max_runs:
                break
        else:
            if n >= len(current):
                break
            n = min(2 * n, len(current))
    return current


def explain_clashes(clashes: list[Clash], axioms: Axioms, records: RecordIndex,
                    prefer_file: str | None = None) -> list[DataProblem]:
    problems = []
    for clash in clashes:
        ident = entity_id(str(clash.subject))
        fact = fact_name(short(str(clash.prop)))
        place = records.locate(ident, fact, prefer_file)
        obj = entity_id(str(clash.obj)) if isinstance(clash.obj, URIRef) else str(clash.obj)
        fix = (f"remove or correct `{fact}` of {ident}, or correct the type of "
               f"{entity_id(str(clash.subject if clash.side == 'domain' else clash.obj))}")
        problems.append(DataProblem(place.file if place else "data/annotations",
                                    f"entity {ident}, fact {fact}: {obj}", clash.explain(axioms), fix,
                                    place.line_of(fact) if place else None))
    return problems


def explain_facts(facts: list[Triple], records: RecordIndex, prefer_file: str | None = None) -> list[DataProblem]:
    """The facts of a minimal inconsistent set, each at its record."""
    problems = []
    for s, p, o in facts:
        ident = entity_id(str(s))
        fact = fact_name(short(str(p)))
        place = records.locate(ident, fact, prefer_file)
        value = entity_id(str(o)) if isinstance(o, URIRef) else repr(str(o))
        problems.append(DataProblem(
            place.file if place else "data/annotations", f"entity {ident}, fact {fact}: {value}",
            f"the reasoner finds these {len(facts)} facts contradictory together with the ontology "
            "(no single domain or range rule explains it: check disjoint types, functional properties)",
            f"remove or correct one of them (`{fact}` of {ident} here)", place.line_of(fact) if place else None))
    return problems
