"""Write the SHACL shapes that catch domain and range clashes: ``python -m kg.check.domain_shapes``.

Before these, a fact such as ``organizer`` on a report passed SHACL and only the reasoner failed,
with "inconsistent" and nothing else. The ontology's axioms say which classes can never be in a
property's domain (they are disjoint with it): each such class gets ``sh:maxCount 0`` for that
property, with a message in words. Properties without a domain get their range as ``sh:class`` on
every curated entity. Only core SHACL (targetClass, maxCount, class), so every validator runs them.
The output is the tail of ``shapes/bri-shapes.ttl`` below the MARKER line (one shapes file, as the
published dumps carry one): a test fails if it differs from what this writes.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

from kg.check.axioms import Axioms, article
from kg.index.schema import local_name
from kg.owl.ontology import load_ontology
from kg.vocab import namespaces

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "shapes" / "bri-shapes.ttl"
MARKER = "# ---- GENERATED below this line by `python -m kg.check.domain_shapes`: do not edit by hand ----\n"
HEADER = MARKER + """# Domain clashes: a class disjoint with a property's domain may not have the property (maxCount 0).
# Range clashes: a property without a domain must point to its range, whatever has it (sh:class).

"""


# Written by the build, not by curators: a clash on them is the build's own bug, found by its tests.
BUILD_PROPERTIES = frozenset(local for local in (
    "mentions", "evidence", "sourceDocument", "sourceFile", "sha256", "inferred", "reasoning", "inferredFrom",
    "retrievedOn", "supportsProperty", "reports"))


def _bri(term: URIRef) -> bool:
    return str(term).startswith(namespaces.BRI)


def _classes(axioms: Axioms) -> list[URIRef]:
    return sorted(c for c in axioms.graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and _bri(c))


def _properties(axioms: Axioms) -> list[URIRef]:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({p for k in kinds for p in axioms.graph.subjects(RDF.type, k)
                   if isinstance(p, URIRef) and _bri(p) and local_name(str(p)) not in BUILD_PROPERTIES})


def domain_rules(axioms: Axioms) -> dict[URIRef, list[tuple[URIRef, frozenset[URIRef]]]]:
    """class -> the properties (and their domains) it may never have; only the most general class
    of each branch is listed, as SHACL's targetClass reaches its subclasses."""
    rules: dict[URIRef, list[tuple[URIRef, frozenset[URIRef]]]] = defaultdict(list)
    classes = _classes(axioms)
    for prop in _properties(axioms):
        for domain in axioms.domains.get(prop, []):
            excluded = [k for k in classes if all(axioms.are_disjoint(k, d) for d in domain)]
            for k in excluded:
                if not any(s in excluded for s in axioms.supers.get(k, ())):
                    rules[k].append((prop, domain))
    return rules


def range_rules(axioms: Axioms) -> list[tuple[URIRef, URIRef]]:
    """(property, range class) for object properties without a domain whose range is one bri: class."""
    found = []
    for prop in _properties(axioms):
        if prop in axioms.domains or (prop, RDF.type, OWL.ObjectProperty) not in axioms.graph:
            continue
        for rng in axioms.ranges.get(prop, []):
            if len(rng) == 1 and _bri(next(iter(rng))):
                found.append((prop, next(iter(rng))))
    return found


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def shapes_text(ontology: Graph) -> str:
    axioms = Axioms.of(ontology)
    out = [HEADER]
    for cls, rules in sorted(domain_rules(axioms).items()):
        name = local_name(str(cls))
        out.append(f"brish:{name}DomainClashShape a sh:NodeShape ;\n"
                   f"    rdfs:label {_q('What ' + article(axioms.label(cls).lower()) + ' cannot have')}@en ;\n"
                   f"    sh:targetClass bri:{name}")
        for prop, domain in sorted(rules, key=lambda r: str(r[0])):
            words = axioms.words(domain)
            message = (f"{local_name(str(prop))} applies to {words}; {article(axioms.label(cls).lower())} cannot be "
                       f"{article(words)}: remove the fact or correct the type")
            out.append(f" ;\n    sh:property [ sh:path bri:{local_name(str(prop))} ; sh:maxCount 0 ;\n"
                       f"        sh:message {_q(message)} ]")
        out.append(" .\n\n")
    targets = ", ".join(f"bri:{local_name(str(c))}" for c in _classes(axioms)
                        if not any(_bri(s) for s in axioms.supers.get(c, ())))
    out.append("brish:RangeShape a sh:NodeShape ;\n    rdfs:label \"Ranges of properties without a domain\"@en ;\n"
               f"    sh:targetClass {targets}")
    for prop, rng in range_rules(axioms):
        name, target = local_name(str(prop)), local_name(str(rng))
        message = f"{name} points to {article(axioms.label(rng).lower())}: link to one, or correct the id"
        out.append(f" ;\n    sh:property [ sh:path bri:{name} ; sh:class bri:{target} ;\n"
                   f"        sh:message {_q(message)} ]")
    out.append(" .\n")
    return "".join(out)


def with_generated(current: str, ontology: Graph) -> str:
    """The shapes file with its generated tail replaced (or appended)."""
    hand_written = current.split(MARKER, 1)[0].rstrip("\n") + "\n\n"
    return hand_written + shapes_text(ontology)


def main() -> int:
    current = OUTPUT.read_text(encoding="utf-8")
    OUTPUT.write_text(with_generated(current, load_ontology(ROOT / "ontology")), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
