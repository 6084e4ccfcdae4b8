"""Writing the entity index: names, labels, types and the entity graph of a build, in one SQLite file.

Why a file written by the build? Search, labels on every page and relationship paths need an index
of every name and every entity-to-entity edge. Rebuilding it from SPARQL rows at server start took
46 s and 1.2 GiB at 10^6 triples; written once by the build (streamed, a few seconds) it opens in
milliseconds and lives in SQLite's page cache instead of Python objects. A server over a remote
store, which has no build directory, writes the same file from the same SPARQL at startup.

``write_index(path, rows, id_base)`` writes the file from the five row streams of ``IndexRows``;
``rows_from_store`` produces them from an Oxigraph store in-process. ``api.index.graph.GraphIndex`` reads it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

from kg.index.schema import (
    AFTER_LOAD,
    DESCRIPTION_QUERY,
    DESCRIPTION_RANK,
    EDGES_QUERY,
    FORMAT_VERSION,
    LABEL_RANK,
    LABELS_QUERY,
    PROVENANCE_PROPERTIES,
    RDF_TYPE,
    SCHEMA,
    STAGING,
    SUBCLASS_QUERY,
    TYPES_QUERY,
    is_entity,
    local_name,
    normalize,
)


@dataclass
class IndexRows:
    """What the index is made of, as streams of plain strings (from any SPARQL store).

    labels: (subject, label property, label text, language); types: (subject, class);
    edges: (subject, property, object IRI); subclasses: (class, superclass, transitive);
    descriptions: (subject, property, text, language)."""

    labels: Iterable[tuple[str, str, str, str]]
    types: Iterable[tuple[str, str]]
    edges: Iterable[tuple[str, str, str]]
    subclasses: Iterable[tuple[str, str]]
    descriptions: Iterable[tuple[str, str, str, str]]


def index_bindings(id_base: str) -> dict[str, str]:
    """Values of the ?base and ?evidence variables of the index queries (plain string literals)."""
    return {"base": id_base, "evidence": id_base + "evidence/"}


def rows_from_store(store: ox.Store, id_base: str) -> IndexRows:
    """The index rows of an Oxigraph store's default graph, streamed (nothing is held in memory)."""
    bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): ox.Literal(v) for k, v in index_bindings(id_base).items()
    }

    def select(query: str, convert: Callable[[ox.QuerySolution], tuple], filtered: bool = False) -> Iterator[tuple]:
        solutions = store.query(query, substitutions=bound if filtered else None)
        assert isinstance(solutions, ox.QuerySolutions)  # every index query is a SELECT
        return (convert(row) for row in solutions)

    return IndexRows(
        labels=select(LABELS_QUERY, lambda r: (r["s"].value, r["p"].value, r["label"].value,
                                               r["label"].language or "")),
        types=select(TYPES_QUERY, lambda r: (r["s"].value, r["type"].value), filtered=True),
        edges=select(EDGES_QUERY, lambda r: (r["s"].value, r["p"].value, r["o"].value), filtered=True),
        subclasses=select(SUBCLASS_QUERY, lambda r: (r["class"].value, r["super"].value)),
        descriptions=select(DESCRIPTION_QUERY, lambda r: (r["s"].value, r["p"].value, r["d"].value,
                                                          r["d"].language or "")),
    )


def rows_from_triples(triples: Iterable[ox.Triple | ox.Quad], id_base: str) -> IndexRows:
    """The index rows of *triples* (all of some subjects' triples), filtered as the index queries filter:
    what an incremental build re-indexes for the subjects whose triples changed. No subclass rows: those
    come from the ontology, which an incremental build does not change."""
    labels, types, edges, descriptions = [], [], [], []
    evidence = id_base + "evidence/"
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode):
            continue
        if isinstance(o, ox.Literal):
            if p in LABEL_RANK:
                labels.append((s.value, p, o.value, o.language or ""))
            elif p in DESCRIPTION_RANK:
                descriptions.append((s.value, p, o.value, o.language or ""))
            continue
        if not isinstance(o, ox.NamedNode) or not s.value.startswith(id_base) or s.value.startswith(evidence):
            continue
        if p == RDF_TYPE:
            types.append((s.value, o.value))
        if o.value.startswith(id_base) and not o.value.startswith(evidence) and s != o:
            edges.append((s.value, p, o.value))
    return IndexRows(labels, types, edges, [], descriptions)


def _fill(db: sqlite3.Connection, rows: IndexRows, id_base: str) -> None:
    """Insert *rows* into the tables (the staging tables must exist)."""
    _load_labels(db, rows.labels, id_base)
    db.executemany(
        "INSERT OR IGNORE INTO type VALUES (?, ?)", ((s, t) for s, t in rows.types if is_entity(s, id_base))
    )
    unlabelled = db.execute("SELECT DISTINCT iri FROM type WHERE iri NOT IN (SELECT iri FROM entity)").fetchall()
    db.executemany("INSERT INTO entity (iri, label) VALUES (?, ?)", ((i, local_name(i)) for (i,) in unlabelled))
    db.executemany(
        "INSERT OR IGNORE INTO edge VALUES (?, ?, ?)",
        (
            (s, p, o)
            for s, p, o in rows.edges
            if s != o and p not in PROVENANCE_PROPERTIES and is_entity(s, id_base) and is_entity(o, id_base)
        ),
    )
    db.executemany("INSERT OR IGNORE INTO superclass VALUES (?, ?)", rows.subclasses)
    _load_descriptions(db, rows.descriptions)
    db.executescript("DROP TABLE raw_label; DROP TABLE raw_description;")


def write_index(path: Path, rows: IndexRows, id_base: str) -> Path:
    """Write the index of *rows* to *path* (atomically: a temporary file renamed into place)."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:  # a failure leaves no partial file and the previous index in place
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;")
        db.executescript(SCHEMA + STAGING)
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT_VERSION), ("id_base", id_base)])
        _fill(db, rows, id_base)
        db.executescript(AFTER_LOAD)
        db.commit()
        db.execute("VACUUM")
        db.execute("PRAGMA optimize")
    except BaseException:
        db.close()
        partial.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(partial, path)
    return path


def update_index(old: Path, path: Path, subjects: set[str], rows: IndexRows, id_base: str) -> Path:
    """A copy of the index *old* at *path* in which every row of *subjects* (IRIs) is replaced by *rows*
    (all of their rows): the rows of every table equal those a full ``write_index`` gives."""
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(old, partial)
    db = sqlite3.connect(partial)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;")
        db.execute("CREATE TEMP TABLE gone (iri TEXT PRIMARY KEY) WITHOUT ROWID")
        db.executemany("INSERT OR IGNORE INTO gone VALUES (?)", ((s,) for s in subjects))
        for table, column in (("label", "iri"), ("entity", "iri"), ("name", "iri"), ("type", "iri"), ("edge", "s")):
            db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT iri FROM gone)")  # noqa: S608 - fixed names
        db.executescript(STAGING)
        _fill(db, rows, id_base)
        db.commit()
    except BaseException:
        db.close()
        partial.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(partial, path)
    return path


def _load_labels(db: sqlite3.Connection, labels: Iterable[tuple[str, str, str, str]], id_base: str) -> None:
    """Every IRI's display label; every entity's names, preferred first (English before other languages)."""
    db.executemany(
        "INSERT OR IGNORE INTO raw_label VALUES (?, ?, ?, ?)",
        ((s, LABEL_RANK.get(p, 3), lang not in ("", "en"), text) for s, p, text, lang in labels),
    )
    ordered = db.execute("SELECT iri, label FROM raw_label ORDER BY iri, rank, foreign_lang, label")
    insert = db.cursor()
    for iri, group in groupby(ordered, key=lambda row: row[0]):
        names = list(dict.fromkeys(label for _, label in group))
        insert.execute("INSERT INTO label VALUES (?, ?)", (iri, names[0]))
        if is_entity(iri, id_base):
            insert.execute("INSERT INTO entity (iri, label) VALUES (?, ?)", (iri, names[0]))
            insert.executemany(
                "INSERT INTO name VALUES (?, ?, ?, ?)", ((iri, i, n, normalize(n)) for i, n in enumerate(names))
            )


def _load_descriptions(db: sqlite3.Connection, descriptions: Iterable[tuple[str, str, str, str]]) -> None:
    """An entity's description: English or untagged, dcterms:description before skos:definition, rdfs:comment."""
    db.executemany(
        "INSERT OR IGNORE INTO raw_description VALUES (?, ?, ?)",
        ((s, DESCRIPTION_RANK.get(p, 3), text) for s, p, text, lang in descriptions if lang in ("", "en")),
    )
    db.execute(
        """UPDATE entity SET description = (
             SELECT text FROM raw_description d WHERE d.iri = entity.iri ORDER BY rank, text LIMIT 1)
           WHERE iri IN (SELECT iri FROM raw_description)"""
    )
