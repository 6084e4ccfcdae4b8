"""A readable view of the ontology: classes and properties with labels, definitions, domains, ranges.

Read from the build's ontology.ttl with pyoxigraph's parser (no query engine needed) and cached per
file, since the build is immutable while the server runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.index.schema import local_name
from kg.vocab.namespaces import DCTERMS, OWL, RDF_TYPE, RDFS, SKOS


@dataclass
class OntologyTerm:
    iri: str
    name: str
    label: str
    definition: str = ""
    kinds: list[str] = field(default_factory=list)
    superclasses: list[str] = field(default_factory=list)
    superproperties: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    subclasses: list[str] = field(default_factory=list)
    in_domain_of: list[str] = field(default_factory=list)  # properties whose domain is this class (as pyLODE)
    in_range_of: list[str] = field(default_factory=list)
    subproperties: list[str] = field(default_factory=list)


@dataclass
class OntologyView:
    iri: str
    title: str
    description: str
    version: str
    classes: list[OntologyTerm]
    object_properties: list[OntologyTerm]
    datatype_properties: list[OntologyTerm]
    other_properties: list[OntologyTerm]
    individuals: list[OntologyTerm]
    labels: dict[str, str]
    metadata: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, value, value is an IRI)
    version_iri: str = ""


Facts = dict[str, dict[str, list[str]]]
Literals = dict[str, dict[str, str]]


def _read(path: str) -> tuple[Facts, Literals]:
    """IRI-valued facts and English (or untagged) literals of every named subject of the file."""
    facts: Facts = defaultdict(lambda: defaultdict(list))
    literals: Literals = defaultdict(dict)
    for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        if not isinstance(triple.subject, ox.NamedNode):
            continue
        s, p, o = triple.subject.value, triple.predicate.value, triple.object
        if isinstance(o, ox.Literal) and (not o.language or o.language == "en"):
            literals[s].setdefault(p, o.value)
        elif isinstance(o, ox.NamedNode):
            facts[s][p].append(o.value)
    return facts, literals


def _term(iri: str, facts: Facts, literals: Literals, labels: dict[str, str]) -> OntologyTerm:
    f, lit = facts[iri], literals[iri]
    return OntologyTerm(
        iri,
        local_name(iri),
        labels.get(iri, local_name(iri)),
        lit.get(SKOS + "definition") or lit.get(RDFS + "comment", ""),
        [local_name(k) for k in f.get(RDF_TYPE, [])],
        sorted(f.get(RDFS + "subClassOf", [])),
        sorted(f.get(RDFS + "subPropertyOf", [])),
        sorted(f.get(RDFS + "domain", [])),
        sorted(f.get(RDFS + "range", [])),
        sorted(f.get(OWL + "inverseOf", [])),
    )


def _view(path: str, mtime: float, namespace: str) -> OntologyView:
    facts, literals = _read(path)
    labels = {s: lit.get(RDFS + "label") or local_name(s) for s, lit in literals.items()}
    onto_iri = next((s for s, f in facts.items() if OWL + "Ontology" in f.get(RDF_TYPE, [])), namespace)
    ours = sorted((s for s in facts if s.startswith(namespace)), key=lambda s: local_name(s).casefold())

    def of_type(type_iri: str) -> list[OntologyTerm]:
        return [_term(s, facts, literals, labels) for s in ours if type_iri in facts[s].get(RDF_TYPE, [])]

    classes = of_type(OWL + "Class")
    for cls in classes:
        cls.subclasses = sorted(s for s in ours if cls.iri in facts[s].get(RDFS + "subClassOf", []))
    obj, data = of_type(OWL + "ObjectProperty"), of_type(OWL + "DatatypeProperty")
    known = {t.iri for t in classes + obj + data}
    other = [t for t in of_type(OWL + "AnnotationProperty") if t.iri not in known]
    known |= {t.iri for t in other}
    individuals = [_term(s, facts, literals, labels) for s in ours if s not in known]
    _cross_reference(classes, obj + data)
    meta = literals.get(onto_iri, {})
    title = meta.get(DCTERMS + "title") or meta.get(RDFS + "label", "Ontology")
    view = OntologyView(onto_iri, title, meta.get(DCTERMS + "description", ""), meta.get(OWL + "versionInfo", ""),
                        classes, obj, data, other, individuals, labels)
    view.version_iri = next(iter(facts[onto_iri].get(OWL + "versionIRI", [])), "")
    view.metadata = _metadata(onto_iri, facts[onto_iri], meta, view)
    return view


def _cross_reference(classes: list[OntologyTerm], properties: list[OntologyTerm]) -> None:
    """Each class's "in domain of" and "in range of", each property's subproperties (as pyLODE shows)."""
    by_iri = {c.iri: c for c in classes}
    for prop in properties:
        for cls in prop.domains:
            if cls in by_iri:
                by_iri[cls].in_domain_of.append(prop.iri)
        for cls in prop.ranges:
            if cls in by_iri:
                by_iri[cls].in_range_of.append(prop.iri)
    by_prop = {p.iri: p for p in properties}
    for prop in properties:
        for parent in prop.superproperties:
            if parent in by_prop:
                by_prop[parent].subproperties.append(prop.iri)


def _metadata(iri: str, facts: dict[str, list[str]], literals: dict[str, str],
              view: OntologyView) -> list[tuple[str, str, bool]]:
    rows = [("IRI", iri, True)]
    rows += [("Version IRI", v, True) for v in facts.get(OWL + "versionIRI", [])]
    if view.version:
        rows.append(("Version", view.version, False))
    for label, prop in (("Created", DCTERMS + "created"), ("Modified", DCTERMS + "modified"),
                        ("Preferred prefix", "http://purl.org/vocab/vann/preferredNamespacePrefix"),
                        ("Namespace", "http://purl.org/vocab/vann/preferredNamespaceUri")):
        if literals.get(prop):
            rows.append((label, literals[prop], prop.endswith("Uri")))
    rows += [("Licence", v, True) for v in facts.get(DCTERMS + "license", [])]
    rows += [("Imports", v, True) for v in facts.get(OWL + "imports", [])]
    counts = (f"{len(view.classes)} classes, {len(view.object_properties)} object properties, "
              f"{len(view.datatype_properties)} datatype properties, {len(view.other_properties)} annotation "
              f"properties, {len(view.individuals)} individuals")
    rows.append(("Terms", counts, False))
    return rows


_cached = lru_cache(maxsize=4)(_view)


def ontology_view(path: Path, base_iri: str) -> OntologyView | None:
    if not path.is_file():
        return None
    return _cached(str(path), path.stat().st_mtime, base_iri + "ontology#")
