"""In-memory indexes built once at startup: names for search, labels for display, the entity graph.

Why in memory? A FILTER over every label is a full scan of the store (0.1-0.25 s at 10^6 triples,
measured); the store is immutable while the server runs, so one pass at startup buys
microsecond name search, label look-ups without OPTIONAL joins, and BFS for relationship paths.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from api.store import QueryStore, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
BRI = "https://w3id.org/bri-kg/ontology#"

LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")
# Edges that record where a fact comes from, not a relationship between things: paths skip them.
PROVENANCE_PROPERTIES = frozenset(
    {
        BRI + "evidence",
        BRI + "sourceDocument",
        BRI + "mentions",
        BRI + "supportsProperty",
        PROV + "wasDerivedFrom",
        SKOS + "inScheme",
        RDF_TYPE,
    }
)

# Oxigraph binds a substituted variable through the SELECT projection, so ?base is projected.
LABELS_QUERY = """
SELECT ?s ?p ?label WHERE {
  VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel>
              <http://www.w3.org/2004/02/skos/core#altLabel> }
  ?s ?p ?label .
  FILTER(isIRI(?s))
}"""
TYPES_QUERY = "SELECT DISTINCT ?s ?type ?base WHERE { ?s a ?type FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?base)) }"
EDGES_QUERY = """
SELECT DISTINCT ?s ?p ?o ?base WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?o) && STRSTARTS(STR(?s), ?base) && STRSTARTS(STR(?o), ?base))
}"""
SUBCLASS_QUERY = """
SELECT DISTINCT ?class ?super WHERE { ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?super
  FILTER(isIRI(?class) && isIRI(?super)) }"""
DESCRIPTION_QUERY = """
SELECT ?s ?d WHERE { VALUES ?p { <http://purl.org/dc/terms/description> <http://www.w3.org/2004/02/skos/core#definition>
  <http://www.w3.org/2000/01/rdf-schema#comment> } ?s ?p ?d FILTER(isIRI(?s)) }"""


def normalize(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, drop combining marks, casefold, squeeze spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", stripped.casefold()).split())


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


@dataclass
class Entity:
    iri: str
    label: str = ""
    names: list[str] = field(default_factory=list)  # every label, preferred first
    types: list[str] = field(default_factory=list)
    description: str = ""


@dataclass(frozen=True)
class Edge:
    predicate: str
    target: str
    outgoing: bool  # True: source --predicate--> target; False: target --predicate--> source


@dataclass(frozen=True)
class SearchHit:
    entity: Entity
    matched: str
    score: float


class GraphIndex:
    """Labels of every IRI, the entities under the id base, their types and the edges between them."""

    def __init__(self, id_base: str):
        self.id_base = id_base
        self.labels: dict[str, str] = {}
        self.entities: dict[str, Entity] = {}
        self.adjacency: dict[str, list[Edge]] = defaultdict(list)
        self.superclasses: dict[str, set[str]] = defaultdict(set)
        self._names: list[tuple[str, str, str]] = []  # (normalised name, iri, name)

    def is_entity(self, iri: str) -> bool:
        return iri.startswith(self.id_base) and not iri.startswith(self.id_base + "evidence/")

    async def load(self, store: QueryStore, timeout_s: float) -> None:
        base = {"base": Term.literal(self.id_base)}
        labels = await store.select(LABELS_QUERY, timeout_s=timeout_s)
        types = await store.select(TYPES_QUERY, base, timeout_s=timeout_s)
        edges = await store.select(EDGES_QUERY, base, timeout_s=timeout_s)
        subclasses = await store.select(SUBCLASS_QUERY, timeout_s=timeout_s)
        descriptions = await store.select(DESCRIPTION_QUERY, timeout_s=timeout_s)
        self.build(
            ((r["s"].value, r["p"].value, r["label"]) for r in labels.rows),
            ((r["s"].value, r["type"].value) for r in types.rows),
            ((r["s"].value, r["p"].value, r["o"].value) for r in edges.rows),
            ((r["class"].value, r["super"].value) for r in subclasses.rows),
            ((r["s"].value, r["d"]) for r in descriptions.rows),
        )

    def build(
        self,
        labels: Iterable[tuple[str, str, Term]],
        types: Iterable[tuple[str, str]],
        edges: Iterable[tuple[str, str, str]],
        subclasses: Iterable[tuple[str, str]],
        descriptions: Iterable[tuple[str, Term]] = (),
    ) -> None:
        rank = {RDFS + "label": 1, SKOS + "prefLabel": 0, SKOS + "altLabel": 2}
        names: dict[str, list[tuple[int, bool, str]]] = defaultdict(list)
        for iri, prop, label in labels:
            names[iri].append((rank.get(prop, 3), label.lang not in ("", "en"), label.value))
        for iri, found in names.items():
            ordered = [n for _, _, n in sorted(found)]
            unique = list(dict.fromkeys(ordered))
            self.labels[iri] = unique[0]
            if self.is_entity(iri):
                self.entities[iri] = Entity(iri, unique[0], unique)
        for iri, type_iri in types:
            if self.is_entity(iri):
                entity = self.entities.setdefault(iri, Entity(iri, local_name(iri), []))
                entity.types.append(type_iri)
        for iri, text in descriptions:
            if iri in self.entities and not self.entities[iri].description and text.lang in ("", "en"):
                self.entities[iri].description = text.value
        for cls, sup in subclasses:
            self.superclasses[cls].add(sup)
        for s, p, o in edges:
            if p in PROVENANCE_PROPERTIES or not (self.is_entity(s) and self.is_entity(o)) or s == o:
                continue
            self.adjacency[s].append(Edge(p, o, True))
            self.adjacency[o].append(Edge(p, s, False))
        for edge_list in self.adjacency.values():
            edge_list.sort(key=lambda e: (e.predicate, e.target, e.outgoing))
        self._names = sorted((normalize(n), iri, n) for iri, e in self.entities.items() for n in e.names)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or local_name(iri)

    def has_type(self, entity: Entity, type_iri: str) -> bool:
        """True if one of the entity's types is *type_iri* or a subclass of it."""
        return any(t == type_iri or type_iri in self.superclasses.get(t, ()) for t in entity.types)

    def search(self, query: str, type_iri: str | None = None) -> list[SearchHit]:
        """Entities any of whose names contains every word of *query* (case and accents ignored).

        Ranked: exact name, then names starting with the query, then the rest; shorter names first."""
        wanted = normalize(query)
        if not wanted:
            return []
        words = wanted.split()
        best: dict[str, SearchHit] = {}
        for norm, iri, name in self._names:
            if wanted in norm:
                score = 3.0 if norm == wanted else 2.0 if norm.startswith(wanted) else 1.5
            elif all(w in norm for w in words):
                score = 1.0
            else:
                continue
            score -= min(len(norm), 200) / 1000.0
            entity = self.entities[iri]
            if type_iri and not self.has_type(entity, type_iri):
                continue
            if iri not in best or score > best[iri].score:
                best[iri] = SearchHit(entity, name, round(score, 3))
        return sorted(best.values(), key=lambda h: (-h.score, h.entity.label.casefold(), h.entity.iri))

    def shortest_paths(self, source: str, target: str, max_depth: int, limit: int) -> list[list[tuple[str, Edge]]]:
        """All shortest paths (up to *limit*) from source to target, as lists of (node, edge taken)."""
        if source == target:
            return [[]]
        parents: dict[str, list[tuple[str, Edge]]] = {source: []}
        depth = {source: 0}
        frontier = deque([source])
        found = False
        while frontier and not found:
            next_frontier: deque[str] = deque()
            for node in frontier:
                if depth[node] >= max_depth:
                    continue
                for edge in self.adjacency.get(node, ()):
                    nxt = edge.target
                    if nxt not in depth:
                        depth[nxt] = depth[node] + 1
                        parents[nxt] = [(node, edge)]
                        next_frontier.append(nxt)
                    elif depth[nxt] == depth[node] + 1:
                        parents[nxt].append((node, edge))
                    if nxt == target:
                        found = True
            frontier = next_frontier
        if target not in parents:
            return []
        paths: list[list[tuple[str, Edge]]] = []

        def walk(node: str, suffix: list[tuple[str, Edge]]) -> None:
            if len(paths) >= limit:
                return
            if node == source:
                paths.append(list(reversed(suffix)))
                return
            for parent, edge in parents[node]:
                walk(parent, [*suffix, (parent, edge)])

        walk(target, [])
        return paths
