"""The entity index: names, labels, types and the entity graph of a build, in one SQLite file.

Why a file written by the build? Search, labels on every page and relationship paths need an index
of every name and every entity-to-entity edge. Rebuilding it from SPARQL rows at server start took
46 s and 1.2 GiB at 10^6 triples; written once by the build (streamed, a few seconds) it opens in
milliseconds and lives in SQLite's page cache instead of Python objects. A server over a remote
store, which has no build directory, writes the same file from the same SPARQL at startup.

``write_index(path, rows, id_base)`` writes the file from the five row streams of ``IndexRows``;
``rows_from_store`` produces them from an Oxigraph store in-process. ``api.index.GraphIndex`` reads it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

FORMAT_VERSION = "1"
INDEX_FILE = "index.sqlite"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
BRI = "https://w3id.org/bri-kg/ontology#"

LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")
LABEL_RANK = {SKOS + "prefLabel": 0, RDFS + "label": 1, SKOS + "altLabel": 2}  # the display label comes first
DESCRIPTION_RANK = {DCTERMS + "description": 0, SKOS + "definition": 1, RDFS + "comment": 2}
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

# Plain patterns without DISTINCT: the tables' primary keys drop repeats for free. ?base and ?evidence
# are bound to the id base and its evidence/ prefix (``index_bindings``), so a store filters for us:
# at 10^6 triples 93 thousand entity-to-entity edges come back instead of 721 thousand IRI links.
LABELS_QUERY = """
SELECT ?s ?p ?label WHERE {
  VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel>
              <http://www.w3.org/2004/02/skos/core#altLabel> }
  ?s ?p ?label .
  FILTER(isIRI(?s) && isLiteral(?label))
}"""
TYPES_QUERY = """
SELECT ?s ?type ?base ?evidence WHERE {
  ?s a ?type FILTER(isIRI(?type) && STRSTARTS(STR(?s), ?base) && !STRSTARTS(STR(?s), ?evidence))
}"""
EDGES_QUERY = """
SELECT ?s ?p ?o ?base ?evidence WHERE {
  ?s ?p ?o
  FILTER(isIRI(?o) && STRSTARTS(STR(?s), ?base) && STRSTARTS(STR(?o), ?base)
         && !STRSTARTS(STR(?s), ?evidence) && !STRSTARTS(STR(?o), ?evidence) && ?s != ?o)
}"""
# One or more steps: a zero-length path would pair every IRI of the graph with itself (192 thousand
# rows at 10^6 triples); GraphIndex.is_a checks "the class itself" on its own.
SUBCLASS_QUERY = """
SELECT DISTINCT ?class ?super WHERE { ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super
  FILTER(isIRI(?class) && isIRI(?super)) }"""
DESCRIPTION_QUERY = """
SELECT ?s ?p ?d WHERE { VALUES ?p { <http://purl.org/dc/terms/description> <http://www.w3.org/2004/02/skos/core#definition>
  <http://www.w3.org/2000/01/rdf-schema#comment> } ?s ?p ?d FILTER(isIRI(?s) && isLiteral(?d)) }"""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE label (iri TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entity (iri TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
CREATE TABLE name (iri TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL,
                   PRIMARY KEY (iri, position)) WITHOUT ROWID;
CREATE TABLE type (iri TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (iri, type)) WITHOUT ROWID;
CREATE TABLE edge (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, PRIMARY KEY (s, p, o)) WITHOUT ROWID;
CREATE TABLE superclass (class TEXT NOT NULL, super TEXT NOT NULL, PRIMARY KEY (class, super)) WITHOUT ROWID;
"""
STAGING = """
CREATE TEMP TABLE raw_label (iri TEXT, rank INTEGER, foreign_lang INTEGER, label TEXT,
                             PRIMARY KEY (iri, rank, foreign_lang, label)) WITHOUT ROWID;
CREATE TEMP TABLE raw_description (iri TEXT, rank INTEGER, text TEXT, PRIMARY KEY (iri, rank, text)) WITHOUT ROWID;
"""
AFTER_LOAD = """
CREATE INDEX edge_by_object ON edge (o, p, s);
CREATE INDEX type_by_class ON type (type, iri);
"""


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
    bound = {ox.Variable(k): ox.Literal(v) for k, v in index_bindings(id_base).items()}

    def select(query: str, convert: Callable[[ox.QuerySolution], tuple], filtered: bool = False) -> Iterator[tuple]:
        return (convert(row) for row in store.query(query, substitutions=bound if filtered else None))

    return IndexRows(
        labels=select(LABELS_QUERY, lambda r: (r["s"].value, r["p"].value, r["label"].value,
                                               r["label"].language or "")),
        types=select(TYPES_QUERY, lambda r: (r["s"].value, r["type"].value), filtered=True),
        edges=select(EDGES_QUERY, lambda r: (r["s"].value, r["p"].value, r["o"].value), filtered=True),
        subclasses=select(SUBCLASS_QUERY, lambda r: (r["class"].value, r["super"].value)),
        descriptions=select(DESCRIPTION_QUERY, lambda r: (r["s"].value, r["p"].value, r["d"].value,
                                                          r["d"].language or "")),
    )


def is_entity(iri: str, id_base: str) -> bool:
    """Things the graph is about: IRIs under the id base, except the evidence annotations."""
    return iri.startswith(id_base) and not iri.startswith(id_base + "evidence/")


def write_index(path: Path, rows: IndexRows, id_base: str) -> Path:
    """Write the index of *rows* to *path* (atomically: a temporary file renamed into place)."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:  # a failure leaves no partial file and the previous index in place
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;")
        db.executescript(SCHEMA + STAGING)
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT_VERSION), ("id_base", id_base)])
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
        db.executescript(AFTER_LOAD + "DROP TABLE raw_label; DROP TABLE raw_description;")
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
