"""The namespaces the project speaks, as plain strings: one place, no rdflib needed to read them.

The API compares and builds IRIs as ``str`` (``RDFS + "label"``), so it imports this module rather
than rdflib's namespace classes; the build's rdflib terms (``kg.vocab.BRI``...) are made from the
same strings. ``PREFIXES`` is what Turtle dumps and answers declare.
"""

from __future__ import annotations

from typing import Final

BASE: Final = "https://w3id.org/bri-kg/"
BRI: Final = BASE + "ontology#"
ID: Final = BASE + "id/"
GRAPH: Final = BASE + "graph/"
ONTOLOGY_GRAPH: Final = GRAPH + "ontology"

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
DCTERMS: Final = "http://purl.org/dc/terms/"
SCHEMA: Final = "https://schema.org/"
ORG: Final = "http://www.w3.org/ns/org#"
PROV: Final = "http://www.w3.org/ns/prov#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
OA: Final = "http://www.w3.org/ns/oa#"
VOID: Final = "http://rdfs.org/ns/void#"
DCAT: Final = "http://www.w3.org/ns/dcat#"
SPDX: Final = "http://spdx.org/rdf/terms#"
GEO: Final = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEONAMES: Final = "https://sws.geonames.org/"

RDF_TYPE: Final = RDF + "type"

PREFIXES: Final[dict[str, str]] = {
    "bri": BRI,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "foaf": FOAF,
    "oa": OA,
    "void": VOID,
    "dcat": DCAT,
    "spdx": SPDX,
    "geo": GEO,
}
# For Turtle answers and dumps: "id:" would force \/ escapes in local names.
RDF_PREFIXES: Final[dict[str, str]] = {k: v for k, v in PREFIXES.items() if k != "id"}
