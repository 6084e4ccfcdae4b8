"""The entity index as the API reads it: names for search, labels for display, the entity graph for paths.

The build writes it (``kg.index.writer``: one SQLite file beside the store); the server opens that
file read-only in milliseconds, whatever the corpus size. A FILTER over every label would be a
full scan of the store per request (0.1-0.25 s at 10^6 triples); here a name search is one scan
of a narrow table, a label is a primary-key look-up and a path is a breadth-first search over an
indexed edge table. The store is immutable while the server runs, so the index never goes stale.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.index.schema import FORMAT_VERSION, SCHEMA, is_entity, local_name, normalize


class IndexMismatch(Exception):
    """The index file was written for another format version or id base: it must be rewritten."""


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
    iri: str
    label: str  # the entity's display label
    matched: str  # the name that matched
    score: float


class GraphIndex:
    """Read-only view of an index file (or of an empty index while the real one is being written)."""

    def __init__(self, db: sqlite3.Connection, id_base: str, path: Path | None = None):
        self._db = db
        self.id_base = id_base
        self.path = path
        self.superclasses: dict[str, set[str]] = defaultdict(set)
        for cls, sup in db.execute("SELECT class, super FROM superclass"):
            self.superclasses[cls].add(sup)
        self.entity_count: int = db.execute("SELECT COUNT(*) FROM entity").fetchone()[0]

    @classmethod
    def open(cls, path: Path, id_base: str) -> GraphIndex:
        """Open *path* read-only; IndexMismatch if it was written for another format or id base."""
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT_VERSION or meta.get("id_base") != id_base:
            db.close()
            raise IndexMismatch(f"{path}: format {meta.get('format')} for {meta.get('id_base')}, "
                                f"wanted format {FORMAT_VERSION} for {id_base}")
        return cls(db, id_base, path)

    @classmethod
    def empty(cls, id_base: str) -> GraphIndex:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.executescript(SCHEMA)
        return cls(db, id_base)

    def close(self) -> None:
        self._db.close()

    def is_entity(self, iri: str) -> bool:
        return is_entity(iri, self.id_base)

    def has_entity(self, iri: str) -> bool:
        return self._db.execute("SELECT 1 FROM entity WHERE iri = ?", (iri,)).fetchone() is not None

    def entity(self, iri: str) -> Entity | None:
        row = self._db.execute("SELECT label, description FROM entity WHERE iri = ?", (iri,)).fetchone()
        if row is None:
            return None
        names = [n for (n,) in self._db.execute("SELECT name FROM name WHERE iri = ? ORDER BY position", (iri,))]
        return Entity(iri, row[0], names, self.types(iri), row[1])

    def entity_iris(self) -> list[str]:
        return [iri for (iri,) in self._db.execute("SELECT iri FROM entity ORDER BY iri")]

    def contents(self) -> dict[str, list[tuple[object, ...]]]:
        """Every row of every table but ``meta``, sorted: what two indexes are compared by."""
        tables = [t for (t,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(self._db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables if t != "meta"}

    def types(self, iri: str) -> list[str]:
        return [t for (t,) in self._db.execute("SELECT type FROM type WHERE iri = ? ORDER BY type", (iri,))]

    def label(self, iri: str) -> str:
        row = self._db.execute("SELECT label FROM label WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else local_name(iri)

    def is_a(self, types: Iterable[str], type_iri: str) -> bool:
        """True if one of *types* is *type_iri* or a subclass of it."""
        return any(t == type_iri or type_iri in self.superclasses.get(t, ()) for t in types)

    def neighbours(self, iri: str, limit: int = -1) -> list[Edge]:
        """Entity-to-entity edges of *iri*, both directions, ordered by property, then neighbour
        (at most *limit*: a hub's thousands of edges are not all wanted in a picture)."""
        rows = self._db.execute(
            "SELECT p, o, 1 FROM edge WHERE s = ? UNION ALL SELECT p, s, 0 FROM edge WHERE o = ? "
            "ORDER BY 1, 2, 3 LIMIT ?",
            (iri, iri, limit),
        )
        return [Edge(p, target, bool(out)) for p, target, out in rows]

    def entities_of(self, type_iri: str, limit: int = -1) -> list[str]:
        """Entities typed *type_iri* or one of its subclasses, in IRI order (at most *limit*)."""
        classes = self._classes_under(type_iri)
        marks = ", ".join("?" * len(classes))
        rows = self._db.execute(
            f"SELECT DISTINCT t.iri FROM type t JOIN entity e ON e.iri = t.iri WHERE t.type IN ({marks}) "  # noqa: S608
            "ORDER BY t.iri LIMIT ?", (*classes, limit))
        return [iri for (iri,) in rows]

    def pairs(self, predicate: str) -> dict[str, str]:
        """Subject -> object of every entity-to-entity edge along *predicate* (one object per subject)."""
        return dict(self._db.execute("SELECT s, o FROM edge WHERE p = ? ORDER BY s, o", (predicate,)))

    def _classes_under(self, type_iri: str) -> list[str]:
        return sorted({type_iri} | {c for c, sups in self.superclasses.items() if type_iri in sups})

    @staticmethod
    def _words(query: str) -> list[str]:
        return normalize(query).split()

    def search(self, query: str, type_iri: str | None = None) -> list[SearchHit]:
        """Entities any of whose names contains every word of *query* (case and accents ignored).

        Ranked: exact name, then names starting with the query, then the rest; shorter names first."""
        wanted = normalize(query)
        words = wanted.split()
        if not words:
            return []
        sql = "SELECT n.norm, n.iri, n.name, e.label FROM name n JOIN entity e ON e.iri = n.iri WHERE "
        sql += " AND ".join("instr(n.norm, ?) > 0" for _ in words)
        params: list[str] = list(words)
        if type_iri:
            classes = self._classes_under(type_iri)
            sql += f" AND n.iri IN (SELECT iri FROM type WHERE type IN ({', '.join('?' * len(classes))}))"
            params += classes
        best: dict[str, SearchHit] = {}
        for norm, iri, name, label in self._db.execute(sql, params):
            score = 3.0 if norm == wanted else 2.0 if norm.startswith(wanted) else 1.5 if wanted in norm else 1.0
            score = round(score - min(len(norm), 200) / 1000.0, 3)
            known = best.get(iri)
            if known is None or score > known.score or (score == known.score and name < known.matched):
                best[iri] = SearchHit(iri, label, name, score)
        return sorted(best.values(), key=lambda h: (-h.score, h.label.casefold(), h.iri))

    def type_counts(self, query: str) -> dict[str, int]:
        """For the entities *query* finds: how many have each asserted type (the search page's facets)."""
        words = self._words(query)
        if not words:
            return {}
        sql = ("SELECT t.type, COUNT(DISTINCT n.iri) FROM name n JOIN type t ON t.iri = n.iri WHERE "
               + " AND ".join("instr(n.norm, ?) > 0" for _ in words) + " GROUP BY t.type")
        return dict(self._db.execute(sql, words).fetchall())

    def names_within(self, text: str, limit: int = 50) -> list[str]:
        """Entities with a name (two characters or more) that occurs inside *text*: 成都 for 成都市, the
        candidates a search for every word of the text misses in scripts written without spaces."""
        wanted = normalize(text)
        if not wanted:
            return []
        rows = self._db.execute(
            "SELECT DISTINCT iri FROM name WHERE length(norm) >= 2 AND instr(?, norm) > 0 ORDER BY iri LIMIT ?",
            (wanted, limit),
        )
        return [iri for (iri,) in rows]

    def names_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Display labels of entities with a name containing a word that starts with *prefix* (hints)."""
        wanted = normalize(prefix)
        if not wanted:
            return []
        rows = self._db.execute(
            "SELECT DISTINCT e.label FROM name n JOIN entity e ON e.iri = n.iri "
            "WHERE n.norm LIKE ? OR n.norm LIKE ? ORDER BY length(e.label) LIMIT ?",
            (wanted + "%", "% " + wanted + "%", limit),
        )
        return [label for (label,) in rows]

    def _levels(self, frontier: list[str], seen: dict[str, int]) -> list[str]:
        """One breadth-first level: the unseen neighbours of *frontier*, recorded in *seen* at the next depth."""
        found: list[str] = []
        for node in frontier:
            for edge in self.neighbours(node):
                if edge.target not in seen:
                    seen[edge.target] = seen[node] + 1
                    found.append(edge.target)
        return found

    def _distance(self, source: str, target: str, max_depth: int) -> tuple[int, dict[str, int]] | None:
        """The length of a shortest path (searching from both ends, the smaller frontier first) and the
        distances to *target* of the nodes the backward search reached; None beyond *max_depth*."""
        ahead, behind = {source: 0}, {target: 0}
        fwd, bwd = [source], [target]
        depth_f = depth_b = 0
        while fwd and bwd and depth_f + depth_b < max_depth:
            if len(fwd) <= len(bwd):
                fwd, depth_f = self._levels(fwd, ahead), depth_f + 1
                met = [ahead[n] + behind[n] for n in fwd if n in behind]
            else:
                bwd, depth_b = self._levels(bwd, behind), depth_b + 1
                met = [ahead[n] + behind[n] for n in bwd if n in ahead]
            if met:
                return min(met), behind
        return None

    def shortest_paths(self, source: str, target: str, max_depth: int, limit: int) -> list[list[tuple[str, Edge]]]:
        """All shortest paths (up to *limit*) from source to target, as lists of (node, edge taken).

        A search from both ends finds the length first, so the forward search that collects the paths
        keeps only nodes still that many steps from the target: around a hub (a topic linked to
        thousands of records) it no longer expands everything within four steps of the source."""
        if source == target:
            return [[]]
        found_distance = self._distance(source, target, max_depth)
        if found_distance is None:
            return []
        length, to_target = found_distance
        known = max(to_target.values())  # distances to the target known exactly up to here
        parents: dict[str, list[tuple[str, Edge]]] = {source: []}
        depth = {source: 0}
        frontier = deque([source])
        found = False
        while frontier and not found:
            next_frontier: deque[str] = deque()
            for node in frontier:
                if depth[node] >= length:
                    continue
                for edge in self.neighbours(node):
                    nxt, step = edge.target, depth[node] + 1
                    if length - step <= known and to_target.get(nxt) != length - step:
                        continue  # cannot reach the target in the steps left
                    if nxt not in depth:
                        depth[nxt] = step
                        parents[nxt] = [(node, edge)]
                        next_frontier.append(nxt)
                    elif depth[nxt] == step:
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
