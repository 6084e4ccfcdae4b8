"""JSON-LD people can read: one published ``@context``, and triples compacted with it, one node per subject.

The expanded dump (``bri-kg.jsonld``) is exact but unreadable: full IRIs everywhere, a node object per
subject *per graph* (Chengdu appears once in every document that mentions it). Here:

- ``context(ontology)`` is the context, written as ``context.jsonld`` beside the dumps and served at
  ``https://w3id.org/bri-kg/context.jsonld``: ``id``/``type`` for ``@id``/``@type``, entity IRIs
  relative to ``@base`` (``place/chengdu``), a term for every class and property of the ontology
  (object properties coerced to IRIs, dates and numbers to their datatype), names as language maps
  (``"prefLabel": {"en": "Chengdu", "zh-hans": "成都"}``) and the prefixes of the vocabularies we use.
- ``compact(triples, ctx)`` writes the union of the graphs as ``{"@context", "@graph": [...]}`` with
  exactly one node object per subject, sorted: what JSON-LD framing with ``"@embed": "@never"`` gives,
  written directly, because a JSON-LD processor (pyld) needs minutes for 10^6 triples where this
  takes seconds. Values that do not fit a term's definition (a label without a language, a date typed
  otherwise) are written under the property's compact IRI, so nothing is lost: the test suite expands
  the dump with pyld and compares it with the N-Quads dump, triple for triple.

Named graphs (which document states what) are in the N-Quads, TriG and expanded JSON-LD dumps.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.vocab.namespaces import BASE, BRI, DCTERMS, ID, OA, OWL, PREFIXES, PROV, RDF_TYPE, RDFS, SKOS, XSD

CONTEXT_URL = BASE + "context.jsonld"
LANGUAGE_MAPS = {"label": RDFS + "label", "prefLabel": SKOS + "prefLabel", "altLabel": SKOS + "altLabel",
                 "description": DCTERMS + "description", "title": DCTERMS + "title", "comment": RDFS + "comment",
                 "definition": SKOS + "definition"}
# Terms beside the ontology's own: (name, IRI, coercion) with "@id" for links, a datatype, or None.
COMMON_TERMS = (
    ("exactMatch", SKOS + "exactMatch", "@id"), ("inScheme", SKOS + "inScheme", "@id"),
    ("wasDerivedFrom", PROV + "wasDerivedFrom", "@id"), ("isReplacedBy", DCTERMS + "isReplacedBy", "@id"),
    ("deprecated", OWL + "deprecated", XSD + "boolean"), ("issued", DCTERMS + "issued", XSD + "date"),
    ("publisher", DCTERMS + "publisher", "@id"), ("creator", DCTERMS + "creator", "@id"),
    ("source", DCTERMS + "source", "@id"), ("license", DCTERMS + "license", "@id"),
    ("language", DCTERMS + "language", None), ("hasBody", OA + "hasBody", "@id"),
    ("hasTarget", OA + "hasTarget", "@id"), ("hasSource", OA + "hasSource", "@id"),
    ("hasSelector", OA + "hasSelector", "@id"), ("motivatedBy", OA + "motivatedBy", "@id"),
    ("exact", OA + "exact", None), ("prefix", OA + "prefix", None), ("suffix", OA + "suffix", None),
    ("start", OA + "start", XSD + "integer"), ("end", OA + "end", XSD + "integer"),
    ("lat", "http://www.w3.org/2003/01/geo/wgs84_pos#lat", XSD + "decimal"),
    ("long", "http://www.w3.org/2003/01/geo/wgs84_pos#long", XSD + "decimal"),
)
CONTEXT_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id",)}


def context(ontology_ttl: Path) -> dict[str, Any]:
    """The ``@context`` object for the ontology in *ontology_ttl* (a Turtle file)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, str] = {}
    for triple in ox.parse(path=str(ontology_ttl), format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(BRI) or not isinstance(o, ox.NamedNode):
            continue
        if p == RDF_TYPE:
            kinds[s.value].add(o.value)
        elif p == RDFS + "range":
            ranges[s.value] = o.value
    terms: dict[str, Any] = {"@version": 1.1, "@base": ID, "id": "@id", "type": "@type"}
    terms.update(CONTEXT_PREFIXES)
    for iri in sorted(kinds):
        name = iri[len(BRI):]
        if OWL + "ObjectProperty" in kinds[iri]:
            terms[name] = {"@id": "bri:" + name, "@type": "@id"}
        elif OWL + "DatatypeProperty" in kinds[iri] and ranges.get(iri, XSD + "string") != XSD + "string":
            terms[name] = {"@id": "bri:" + name, "@type": _curie(ranges[iri])}
        else:
            terms[name] = "bri:" + name
    for name, iri in LANGUAGE_MAPS.items():
        terms[name] = {"@id": _curie(iri), "@container": "@language"}
    for name, iri, coercion in COMMON_TERMS:
        terms[name] = {"@id": _curie(iri), **({"@type": _curie(coercion) if coercion != "@id" else "@id"}
                                                if coercion else {})}
    return {"@context": terms}


def _curie(iri: str) -> str:
    for prefix, base in CONTEXT_PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


class Compactor:
    """Compacts RDF terms with one context: which key and which JSON value a triple's object becomes."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        terms = ctx["@context"]
        self.base = terms.get("@base", "")
        self.by_iri: dict[str, tuple[str, Any]] = {}  # property IRI -> (term, definition)
        self.language_maps: set[str] = set()
        self.class_terms: dict[str, str] = {}
        for name, definition in terms.items():
            if name.startswith("@") or name in ("id", "type") or name in CONTEXT_PREFIXES:
                continue
            target = self.expand(definition["@id"] if isinstance(definition, dict) else definition)
            if isinstance(definition, str) and target.startswith(BRI) and name[:1].isupper():
                self.class_terms[target] = name
            else:
                self.by_iri[target] = (name, definition)
                if isinstance(definition, dict) and definition.get("@container") == "@language":
                    self.language_maps.add(name)

    @staticmethod
    def expand(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return CONTEXT_PREFIXES[prefix] + local if prefix in CONTEXT_PREFIXES else curie

    def node_id(self, iri: str) -> str:
        """An IRI in an ``@id`` position: relative to ``@base`` when under it, else a compact IRI if a
        prefix fits (and the rest cannot be read as an authority), else whole."""
        if self.base and iri.startswith(self.base) and ":" not in iri[len(self.base):].split("/", 1)[0]:
            return iri[len(self.base):] or iri
        curie = _curie(iri)
        return iri if curie.split(":", 1)[1].startswith("//") else curie

    def node_iri(self, node_id: str) -> str:
        """The IRI ``node_id`` compacted: relative to ``@base``, a compact IRI, or whole."""
        head = node_id.split("/", 1)[0]
        if ":" not in head:
            return self.base + node_id if self.base else node_id
        prefix, _, local = node_id.partition(":")
        return CONTEXT_PREFIXES[prefix] + local if prefix in CONTEXT_PREFIXES and not local.startswith("//") \
            else node_id

    def type_value(self, iri: str) -> str:
        return self.class_terms.get(iri) or _curie(iri)

    def _value_object(self, term: ox.NamedNode | ox.Literal) -> Any:
        if isinstance(term, ox.NamedNode):
            return {"@id": self.node_id(term.value)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD + "string":
            return term.value
        return {"@value": term.value, "@type": _curie(term.datatype.value)}

    def entries(self, predicate: str, values: list[ox.NamedNode | ox.Literal]) -> dict[str, list[Any]]:
        """Key -> values for one predicate of one node: the term where a value fits it, else the CURIE."""
        out: dict[str, list[Any]] = defaultdict(list)
        fallback = _curie(predicate)
        term = self.by_iri.get(predicate)
        for value in values:
            key, item = fallback, self._value_object(value)
            if term is not None:
                name, definition = term
                fitted = self._fit(definition, value)
                if fitted is not None:
                    key, item = name, fitted
            out[key].append(item)
        return out

    def _fit(self, definition: Any, value: ox.NamedNode | ox.Literal) -> Any:
        if not isinstance(definition, dict):
            return self._value_object(value) if not isinstance(value, ox.NamedNode) else None
        if definition.get("@container") == "@language":
            return (value.language, value.value) if isinstance(value, ox.Literal) and value.language else None
        coercion = definition.get("@type")
        if coercion == "@id":
            return self.node_id(value.value) if isinstance(value, ox.NamedNode) else None
        if coercion and isinstance(value, ox.Literal) and not value.language \
                and value.datatype.value == self.expand(coercion):
            return value.value
        return None

    def node(self, subject: str, triples: list[ox.Triple]) -> dict[str, Any]:
        node: dict[str, Any] = {"id": self.node_id(subject)}
        by_predicate: dict[str, list[ox.NamedNode | ox.Literal]] = defaultdict(list)
        for t in triples:
            if isinstance(t.object, ox.NamedNode | ox.Literal):
                by_predicate[t.predicate.value].append(t.object)
        types = sorted(self.type_value(o.value) for o in by_predicate.pop(RDF_TYPE, []) if isinstance(o, ox.NamedNode))
        if types:
            node["type"] = types[0] if len(types) == 1 else types
        merged: dict[str, list[Any]] = defaultdict(list)
        for predicate in sorted(by_predicate):
            for key, items in self.entries(predicate, by_predicate[predicate]).items():
                merged[key] += items
        for key in sorted(merged):
            node[key] = _shape(merged[key], key in self.language_maps)
        return node


def _shape(items: list[Any], language_map: bool) -> Any:
    if language_map:
        by_lang: dict[str, list[str]] = defaultdict(list)
        for lang, text in items:
            by_lang[lang].append(text)
        return {lang: sorted(v)[0] if len(v) == 1 else sorted(v) for lang, v in sorted(by_lang.items())}
    items = sorted(items, key=lambda i: json.dumps(i, sort_keys=True, ensure_ascii=False))
    return items[0] if len(items) == 1 else items


def compact_nodes(triples: Iterable[ox.Triple], ctx: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """One node object per subject, in subject order (the triples must come sorted by subject)."""
    compactor = Compactor(ctx)
    current: str | None = None
    group: list[ox.Triple] = []
    for triple in triples:
        if not isinstance(triple.subject, ox.NamedNode):
            raise ValueError(f"blank node subject {triple.subject}: the corpus mints none")
        if triple.subject.value != current and group:
            yield compactor.node(current or "", group)
            group = []
        current = triple.subject.value
        group.append(triple)
    if group:
        yield compactor.node(current or "", group)


def write_compact(triples: Iterable[ox.Triple], path: Path, ctx: dict[str, Any], context_ref: Any = None) -> None:
    """The compacted dump: the context (inline, so the file stands alone, unless *context_ref* names one)
    and one node per subject, one node per line."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"@context": ' + json.dumps(context_ref or ctx["@context"], ensure_ascii=False, sort_keys=True))
        out.write(',\n "@graph": [')
        for n, node in enumerate(compact_nodes(triples, ctx)):
            out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(node, ensure_ascii=False))
        out.write("\n]}\n")


def compact_document(triples: list[ox.Triple], ctx: dict[str, Any], context_ref: Any = CONTEXT_URL) -> dict[str, Any]:
    """A small graph (an entity's description) compacted; ``@context`` is *context_ref*: the published
    context's URL, or the context itself."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    nodes = list(compact_nodes(ordered, ctx))
    return {"@context": context_ref, "@graph": nodes}


def write_context(ctx: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(ctx, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")

