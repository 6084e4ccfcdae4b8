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

from api.index import local_name

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"


@dataclass
class Term:
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


@dataclass
class OntologyView:
    iri: str
    title: str
    description: str
    version: str
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    other_properties: list[Term]
    individuals: list[Term]
    labels: dict[str, str]


def _view(path: str, mtime: float, namespace: str) -> OntologyView:
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    literals: dict[str, dict[str, str]] = defaultdict(dict)
    for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        if not isinstance(triple.subject, ox.NamedNode):
            continue
        s, p, o = triple.subject.value, triple.predicate.value, triple.object
        if isinstance(o, ox.Literal):
            if not o.language or o.language == "en":
                literals[s].setdefault(p, o.value)
        elif isinstance(o, ox.NamedNode):
            facts[s][p].append(o.value)
    labels = {s: lit.get(RDFS + "label") or local_name(s) for s, lit in literals.items()}
    onto_iri = next((s for s, f in facts.items() if OWL + "Ontology" in f.get(RDF_TYPE, [])), namespace)

    def term(iri: str) -> Term:
        f, lit = facts[iri], literals[iri]
        return Term(
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

    ours = sorted((s for s in facts if s.startswith(namespace)), key=lambda s: local_name(s).casefold())

    def of_type(type_iri: str) -> list[Term]:
        return [term(s) for s in ours if type_iri in facts[s].get(RDF_TYPE, [])]

    classes = of_type(OWL + "Class")
    for cls in classes:
        cls.subclasses = sorted(s for s in ours if cls.iri in facts[s].get(RDFS + "subClassOf", []))
    obj, data = of_type(OWL + "ObjectProperty"), of_type(OWL + "DatatypeProperty")
    known = {t.iri for t in classes + obj + data}
    other = [t for t in of_type(OWL + "AnnotationProperty") if t.iri not in known]
    known |= {t.iri for t in other}
    individuals = [term(s) for s in ours if s not in known]
    meta = literals.get(onto_iri, {})
    return OntologyView(
        onto_iri,
        meta.get(DCTERMS + "title") or meta.get(RDFS + "label", "Ontology"),
        meta.get(DCTERMS + "description", ""),
        meta.get(OWL + "versionInfo", ""),
        classes,
        obj,
        data,
        other,
        individuals,
        labels,
    )


_cached = lru_cache(maxsize=4)(_view)


def ontology_view(path: Path, base_iri: str) -> OntologyView | None:
    if not path.is_file():
        return None
    return _cached(str(path), path.stat().st_mtime, base_iri + "ontology#")
