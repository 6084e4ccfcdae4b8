"""The entity index's schema, shared by its writer (the build, a replica) and its reader (the API).

Why an index file written by the build? Search, labels on every page and relationship paths need an
index of every name and every entity-to-entity edge. Rebuilding it from SPARQL rows at server start
took 46 s and 1.2 GiB at 10^6 triples; written once by the build (streamed, a few seconds) it opens
in milliseconds and lives in SQLite's page cache instead of Python objects. Here: the format version,
the tables, the five SPARQL questions the rows come from, and the name normalisation both sides use.
"""

from __future__ import annotations

import re
import unicodedata

from kg.vocab import terms as bri
from kg.vocab.namespaces import DCTERMS, PROV, RDF_TYPE, RDFS, SKOS

FORMAT_VERSION = "2"  # 2: no separators between Chinese/Japanese characters in normalized names

LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")
LABEL_RANK = {SKOS + "prefLabel": 0, RDFS + "label": 1, SKOS + "altLabel": 2}  # the display label comes first
DESCRIPTION_RANK = {DCTERMS + "description": 0, SKOS + "definition": 1, RDFS + "comment": 2}
# Edges that record where a fact comes from, not a relationship between things: paths skip them.
PROVENANCE_PROPERTIES = frozenset(
    {
        bri.evidence,
        bri.sourceDocument,
        bri.mentions,
        bri.supportsProperty,
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


# Han ideographs and kana: scripts written without spaces between words. Korean (Hangul) uses spaces.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def normalize(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, drop combining marks, casefold, squeeze spaces.

    Letters of every script are kept (``\\w`` is Unicode-aware), so 成都 stays searchable; between two
    Chinese or Japanese characters punctuation and spaces are dropped, since those scripts do not
    separate words: 「一带一路」科技 and 一带一路 科技 both become 一带一路科技."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = " ".join(re.sub(r"[^\w]+", " ", stripped.casefold()).split())
    return _CJK_GAP.sub("", spaced)


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def is_entity(iri: str, id_base: str) -> bool:
    """Things the graph is about: IRIs under the id base, except the evidence annotations and the
    parts of a node (``#during``: a membership's interval), which are details of their entity."""
    return iri.startswith(id_base) and not iri.startswith(id_base + "evidence/") and "#" not in iri
