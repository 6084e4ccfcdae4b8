"""The dataset's description for catalogues: VoID statistics and a DCAT-AP 3.0 catalogue.

Data portals harvest DCAT-AP; the description written here passes the official DCAT-AP 3.0.0 SHACL
shapes (vendored in ``shapes/dcat-ap-3.0.0``, run by the tests and by ``bri-kg release``) with no
violation: a catalogue with its record, the dataset with publisher, contact point, dates, keywords,
themes, licence, rights and provenance, every distribution with access and download URLs, byte size
(``xsd:decimal``, as DCAT-AP 3.0.0 wants), media type and EU file-type format, checksum, licence,
and the two data services (the SPARQL endpoint, the reconciliation service). Controlled terms come
from the EU vocabularies DCAT-AP names; each is typed and labelled here, since a harvester reads this
file without the vocabularies themselves. No blank nodes: every node has an IRI under the base.

The same licence and provenance also travel inside the dumps (``dataset_graph``): a reader of
``bri-kg.nt`` alone learns what covers the statements, what the quoted passages are and who owns them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef

from kg.layout import COMPACT_JSONLD, CONTEXT_FILE, DUMP_FILES, EXTRA_FILES, ONTOLOGY_FILE, SHAPES_FILE, sha256_of
from kg.publish.stats import DatasetStats
from kg.vocab.namespaces import BASE, BRI, DCAT, DCTERMS, FOAF, GRAPH, PREFIXES, RDF_TYPE, RDFS, SKOS, SPDX, VOID, XSD

DATASET_IRI = BASE + "dataset"
CATALOG_IRI = BASE + "catalog"
RECORD_IRI = BASE + "catalog/record"
PUBLISHER_IRI = BASE + "publisher"
CONTACT_IRI = BASE + "contact"
RIGHTS_IRI = BASE + "dataset/rights"
PROVENANCE_IRI = BASE + "dataset/provenance"
SPARQL_IRI = BASE + "sparql"
RECONCILE_IRI = BASE + "reconcile"
DUMPS_BASE = BASE + "dumps/"
DATASET_GRAPH = GRAPH + "dataset"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
ADMS = "http://www.w3.org/ns/adms#"
DCATAP = "http://data.europa.eu/r5r/"
PROV = "http://www.w3.org/ns/prov#"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
RECONCILIATION_SPEC = "https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/"
DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/"

TITLE = "BRI-KG: Belt and Road Initiative science, technology and innovation cooperation"
DESCRIPTION = (
    "Conferences, declarations, commitments, joint laboratories, alliances, programs, organizations, people, "
    "places, topics and statistics of BRI STI cooperation, each fact tied to a verbatim source passage.")
RIGHTS = (
    "Our statements (entities, relations, labels, identifiers, annotations and their structure) are licensed "
    "CC BY 4.0. The quoted passages (the oa:exact, oa:prefix and oa:suffix of evidence selectors) are short "
    "verbatim excerpts of third-party documents, reproduced as quotations to show the evidence for each "
    "statement; their copyright stays with the documents' publishers and CC BY 4.0 does not cover them. The "
    "source texts belong to their publishers and are not distributed in the dumps: each is identified by its "
    "title, publisher, date and SHA-256 digest. Names and identifiers from other sources carry those sources' "
    "licences (named graphs graph/gazetteer and graph/names-*).")
PROVENANCE = (
    "Curated by hand from the source documents listed as prov:wasDerivedFrom: every entity and relation was "
    "annotated in YAML with the verbatim passage that states it (character offsets checked at build time), "
    "mapped to RDF, validated with SHACL and checked for OWL 2 consistency. Each document's statements are "
    "in its own named graph.")
KEYWORDS = ("Belt and Road Initiative", "science and technology cooperation", "innovation", "knowledge graph",
            "linked data", "international cooperation")
KEYWORDS_ZH = ("一带一路", "科技合作")
# EU controlled vocabularies (https://op.europa.eu/en/web/eu-vocabularies): IRI -> (scheme, English label)
THEMES = {EU + "data-theme/TECH": "Science and technology", EU + "data-theme/INTR": "International issues"}
FILE_TYPES = {"turtle": "RDF_TURTLE", "ntriples": "RDF_N_TRIPLES", "nquads": "RDF_N_QUADS", "trig": "RDF_TRIG",
              "jsonld": "JSON_LD", "text/turtle": "RDF_TURTLE", "application/ld+json": "JSON_LD"}


SCHEME_TITLES = {EU + "data-theme": "Data theme", EU + "language": "Language", EU + "file-type": "File type",
                 EU + "access-right": "Access right", EU + "planned-availability": "Planned availability",
                 "http://purl.org/adms/publishertype/1.0": "Publisher type",
                 "http://purl.org/adms/licencetype/1.0": "Licence type", "http://purl.org/adms/status/1.0": "Status"}


@dataclass(frozen=True)
class Publication:
    """Where and when one set of dumps is published: a build (``dist/``) or a dated release."""

    version: str
    issued: dt.date
    modified: dt.date
    dumps_base: str = DUMPS_BASE  # where the files are downloaded from
    dataset: str = DATASET_IRI  # a release has its own dataset IRI, a version of DATASET_IRI
    sparql_endpoint: str = SPARQL_IRI


class _Writer:
    """Collects triples with short helpers, so the description reads as a list of statements."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        self.triples.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj))

    def typed(self, s: str, *types: str) -> None:
        for t in types:
            self.add(s, RDF_TYPE, t)

    def text(self, s: str, p: str, value: str, lang: str = "en") -> None:
        self.add(s, p, ox.Literal(value, language=lang))

    def value(self, s: str, p: str, value: object, datatype: str) -> None:
        self.add(s, p, ox.Literal(str(value), datatype=ox.NamedNode(datatype)))

    def concept(self, iri: str, label: str, scheme: str) -> None:
        """A term of a controlled vocabulary, as DCAT-AP's shapes want it: typed, labelled, in its scheme."""
        self.typed(iri, SKOS + "Concept")
        self.text(iri, SKOS + "prefLabel", label)
        self.add(iri, SKOS + "inScheme", scheme)
        self.typed(scheme, SKOS + "ConceptScheme")
        self.text(scheme, DCTERMS + "title", SCHEME_TITLES.get(scheme, scheme.rstrip("/").rsplit("/", 1)[-1]))


# DCAT-AP 3.0.0's vocabulary shapes want the algorithm under https://spdx.org/rdf/terms (the SPDX
# namespace itself is http://...): the profile's spelling, typed with SPDX's class.
SHA256 = "https://spdx.org/rdf/terms#checksumAlgorithm_sha256"


def _agents(w: _Writer) -> None:
    w.typed(PUBLISHER_IRI, FOAF + "Agent", FOAF + "Organization")
    w.text(PUBLISHER_IRI, FOAF + "name", "BRI-KG project")
    w.add(PUBLISHER_IRI, FOAF + "homepage", BASE)
    publisher_type = "http://purl.org/adms/publishertype/Academia-ScientificOrganisation"
    w.add(PUBLISHER_IRI, DCTERMS + "type", publisher_type)
    w.concept(publisher_type, "Academia/Scientific organisation", "http://purl.org/adms/publishertype/1.0")
    w.typed(CONTACT_IRI, VCARD + "Kind", VCARD + "Organization")
    w.text(CONTACT_IRI, VCARD + "fn", "BRI-KG maintainers")
    w.add(CONTACT_IRI, VCARD + "hasURL", BASE)


def _shared_terms(w: _Writer) -> None:
    """The licence, language, themes and standards the description points at, typed and labelled."""
    w.typed(LICENSE, DCTERMS + "LicenseDocument")
    w.add(LICENSE, DCTERMS + "type", "http://purl.org/adms/licencetype/Attribution")
    w.concept("http://purl.org/adms/licencetype/Attribution", "Attribution", "http://purl.org/adms/licencetype/1.0")
    english = EU + "language/ENG"
    w.typed(english, DCTERMS + "LinguisticSystem")
    w.concept(english, "English", EU + "language")
    for theme, label in THEMES.items():
        w.concept(theme, label, EU + "data-theme")
    standards = {BASE + "ontology": "The BRI-KG OWL ontology", BASE + "shapes": "The BRI-KG SHACL shapes",
                 "https://www.w3.org/TR/sparql11-protocol/": "SPARQL 1.1 Protocol",
                 RECONCILIATION_SPEC: "Reconciliation Service API 0.2", DCAT_AP: "DCAT-AP 3.0.0"}
    for iri, title in standards.items():
        w.typed(iri, DCTERMS + "Standard")
        w.text(iri, DCTERMS + "title", title)
    w.typed(BASE, FOAF + "Document")
    w.typed(RIGHTS_IRI, DCTERMS + "RightsStatement")
    w.text(RIGHTS_IRI, RDFS + "label", RIGHTS)
    w.typed(PROVENANCE_IRI, DCTERMS + "ProvenanceStatement")
    w.text(PROVENANCE_IRI, RDFS + "label", PROVENANCE)
    public = EU + "access-right/PUBLIC"
    w.typed(public, DCTERMS + "RightsStatement")
    w.concept(public, "public", EU + "access-right")
    stable = EU + "planned-availability/STABLE"
    w.concept(stable, "stable", EU + "planned-availability")
    w.typed(SHA256, SPDX + "ChecksumAlgorithm")
    w.text(SHA256, RDFS + "label", "SHA-256")


def _dataset(w: _Writer, pub: Publication) -> None:
    ds = pub.dataset
    w.typed(ds, VOID + "Dataset", DCAT + "Dataset")
    w.text(ds, DCTERMS + "title", TITLE)
    w.text(ds, DCTERMS + "description", DESCRIPTION)
    for p, o in ((DCTERMS + "publisher", PUBLISHER_IRI), (DCAT + "contactPoint", CONTACT_IRI),
                 (DCTERMS + "license", LICENSE), (DCTERMS + "rights", RIGHTS_IRI),
                 (DCTERMS + "provenance", PROVENANCE_IRI), (DCTERMS + "accessRights", EU + "access-right/PUBLIC"),
                 (DCTERMS + "language", EU + "language/ENG"), (DCAT + "landingPage", BASE),
                 (DCTERMS + "conformsTo", BASE + "ontology"), (DCTERMS + "conformsTo", BASE + "shapes")):
        w.add(ds, p, o)
    for theme in THEMES:
        w.add(ds, DCAT + "theme", theme)
    for keyword in KEYWORDS:
        w.text(ds, DCAT + "keyword", keyword)
    for keyword in KEYWORDS_ZH:
        w.text(ds, DCAT + "keyword", keyword, "zh-Hans")
    w.value(ds, DCTERMS + "issued", pub.issued.isoformat(), XSD + "date")
    w.value(ds, DCTERMS + "modified", pub.modified.isoformat(), XSD + "date")
    w.add(ds, DCAT + "version", ox.Literal(pub.version))
    if ds != DATASET_IRI:
        w.add(ds, DCTERMS + "isVersionOf", DATASET_IRI)
    w.add(ds, VOID + "vocabulary", BRI)
    w.add(ds, VOID + "uriSpace", ox.Literal(BASE + "id/"))
    w.add(ds, VOID + "sparqlEndpoint", pub.sparql_endpoint)


def _services(w: _Writer, pub: Publication) -> None:
    services = (
        (SPARQL_IRI, "BRI-KG SPARQL endpoint (read-only)", "https://www.w3.org/TR/sparql11-protocol/"),
        (RECONCILE_IRI, "BRI-KG reconciliation service (OpenRefine)", RECONCILIATION_SPEC),
    )
    for iri, title, standard in services:
        w.typed(iri, DCAT + "DataService")
        w.text(iri, DCTERMS + "title", title)
        w.add(iri, DCAT + "endpointURL", iri)
        w.add(iri, DCAT + "endpointDescription", iri)  # the service description / the manifest
        w.add(iri, DCTERMS + "conformsTo", standard)
        w.add(iri, DCAT + "servesDataset", pub.dataset)
        for p, o in ((DCTERMS + "publisher", PUBLISHER_IRI), (DCAT + "contactPoint", CONTACT_IRI),
                     (DCTERMS + "license", LICENSE)):
            w.add(iri, p, o)
        for theme in THEMES:
            w.add(iri, DCAT + "theme", theme)
        for keyword in KEYWORDS[:2]:
            w.text(iri, DCAT + "keyword", keyword)


def _catalog(w: _Writer, pub: Publication) -> None:
    w.typed(CATALOG_IRI, DCAT + "Catalog")
    w.text(CATALOG_IRI, DCTERMS + "title", "BRI-KG catalogue")
    w.text(CATALOG_IRI, DCTERMS + "description", "The BRI-KG dataset and the services that answer from it.")
    for p, o in ((DCTERMS + "publisher", PUBLISHER_IRI), (DCAT + "dataset", pub.dataset),
                 (DCAT + "service", SPARQL_IRI), (DCAT + "service", RECONCILE_IRI), (DCAT + "record", RECORD_IRI),
                 (FOAF + "homepage", BASE), (DCTERMS + "language", EU + "language/ENG"),
                 (DCTERMS + "license", LICENSE), (DCAT + "themeTaxonomy", EU + "data-theme")):
        w.add(CATALOG_IRI, p, o)
    for p in (DCTERMS + "issued", DCTERMS + "modified"):
        w.value(CATALOG_IRI, p, (pub.issued if p.endswith("issued") else pub.modified).isoformat(), XSD + "date")
    w.typed(RECORD_IRI, DCAT + "CatalogRecord")
    w.add(RECORD_IRI, FOAF + "primaryTopic", pub.dataset)
    w.value(RECORD_IRI, DCTERMS + "issued", pub.issued.isoformat(), XSD + "date")
    w.value(RECORD_IRI, DCTERMS + "modified", pub.modified.isoformat(), XSD + "date")
    w.add(RECORD_IRI, DCTERMS + "conformsTo", DCAT_AP)
    status = "http://purl.org/adms/status/Completed"
    w.add(RECORD_IRI, ADMS + "status", status)
    w.concept(status, "Completed", "http://purl.org/adms/status/1.0")


def _distributions(w: _Writer, pub: Publication, dist: Path, digest: Callable[[str], str]) -> None:
    files = {f.filename: (f.format, f.media_type, f.title) for f in DUMP_FILES}
    files |= {ONTOLOGY_FILE: ("turtle", "text/turtle", "The OWL ontology"),
              SHAPES_FILE: ("turtle", "text/turtle", "SHACL shapes"),
              COMPACT_JSONLD: ("jsonld", "application/ld+json", EXTRA_FILES[COMPACT_JSONLD][1]),
              CONTEXT_FILE: ("jsonld", "application/ld+json", EXTRA_FILES[CONTEXT_FILE][1])}
    for name, (fmt, media_type, title) in sorted(files.items()):
        path = dist / name
        if not path.is_file():
            continue
        iri = pub.dumps_base + name
        w.add(pub.dataset, DCAT + "distribution", iri)
        if name.startswith("bri-kg."):
            w.add(pub.dataset, VOID + "dataDump", iri)
            w.add(iri, DCTERMS + "conformsTo", BASE + "ontology")
        w.typed(iri, DCAT + "Distribution")
        w.text(iri, DCTERMS + "title", title)
        w.text(iri, DCTERMS + "description", f"{title} ({media_type}), version {pub.version}.")
        w.add(iri, DCAT + "accessURL", pub.dumps_base)
        w.add(iri, DCAT + "downloadURL", iri)
        media = IANA + media_type
        w.add(iri, DCAT + "mediaType", media)
        w.typed(media, DCTERMS + "MediaType")
        file_type = EU + "file-type/" + FILE_TYPES[fmt]
        w.add(iri, DCTERMS + "format", file_type)
        w.typed(file_type, DCTERMS + "MediaTypeOrExtent")
        w.concept(file_type, FILE_TYPES[fmt].replace("_", " "), EU + "file-type")
        w.value(iri, DCAT + "byteSize", path.stat().st_size, XSD + "decimal")
        w.add(iri, DCTERMS + "license", LICENSE)
        w.add(iri, DCTERMS + "rights", RIGHTS_IRI)
        w.add(iri, DCATAP + "availability", EU + "planned-availability/STABLE")
        checksum = iri + "#sha256"
        w.add(iri, SPDX + "checksum", checksum)
        w.typed(checksum, SPDX + "Checksum")
        w.add(checksum, SPDX + "algorithm", SHA256)
        w.value(checksum, SPDX + "checksumValue", digest(name), XSD + "hexBinary")


def _statistics(w: _Writer, ds: str, stats: DatasetStats) -> None:
    """VoID: sizes, class partitions, one subset per named graph."""
    integer = XSD + "integer"
    w.value(ds, VOID + "triples", stats.triples, integer)
    w.value(ds, VOID + "distinctSubjects", stats.subjects, integer)
    w.value(ds, VOID + "distinctObjects", stats.objects, integer)
    w.value(ds, VOID + "properties", stats.properties, integer)
    w.value(ds, VOID + "documents", len(stats.graph_sizes), integer)
    w.value(ds, VOID + "classes", len(stats.class_counts), integer)
    w.value(ds, VOID + "entities", sum(stats.class_counts.values()), integer)
    for cls, count in sorted(stats.class_counts.items()):
        part = f"{ds}/class/{_slug(cls)}"
        w.add(ds, VOID + "classPartition", part)
        w.add(part, VOID + "class", cls)
        w.value(part, VOID + "entities", count, integer)
    for graph in sorted(stats.graph_sizes):
        sub = f"{ds}/graph/{graph.rsplit('/', 1)[-1]}"
        w.add(ds, VOID + "subset", sub)
        w.typed(sub, VOID + "Dataset")
        w.add(sub, "http://www.w3.org/ns/sparql-service-description#name", graph)
        w.value(sub, VOID + "triples", stats.graph_sizes[graph], integer)


def _slug(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}-{iri[len(base):]}"
    import hashlib

    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def describe(stats: DatasetStats, dist: Path, pub: Publication,
             digests: Callable[[str], str] | None = None) -> list[ox.Triple]:
    """The VoID + DCAT-AP description of *pub*'s dataset and its files in *dist*, sorted, no blank nodes
    (*digests*: each file's SHA-256 by name, when the caller has them already)."""
    w = _Writer()
    _agents(w)
    _shared_terms(w)
    _dataset(w, pub)
    _statistics(w, pub.dataset, stats)
    _services(w, pub)
    _catalog(w, pub)
    _distributions(w, pub, dist, digests or (lambda name: sha256_of(dist / name)))
    unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in w.triples}
    return [unique[k] for k in sorted(unique)]


def dataset_statements(document_iris: Iterable[str]) -> list[tuple[str, str, str | ox.Literal]]:
    """What every dump says about itself (in the graph ``graph/dataset``): title, licence, rights,
    provenance, publisher and the documents it is derived from. Triples as (s, p, o) strings."""
    w = _Writer()
    w.typed(DATASET_IRI, DCAT + "Dataset", VOID + "Dataset")
    w.text(DATASET_IRI, DCTERMS + "title", TITLE)
    w.text(DATASET_IRI, DCTERMS + "description", DESCRIPTION)
    w.add(DATASET_IRI, DCTERMS + "license", LICENSE)
    w.add(DATASET_IRI, DCTERMS + "rights", RIGHTS_IRI)
    w.typed(RIGHTS_IRI, DCTERMS + "RightsStatement")
    w.text(RIGHTS_IRI, RDFS + "label", RIGHTS)
    w.add(DATASET_IRI, DCTERMS + "provenance", PROVENANCE_IRI)
    w.typed(PROVENANCE_IRI, DCTERMS + "ProvenanceStatement")
    w.text(PROVENANCE_IRI, RDFS + "label", PROVENANCE)
    w.add(DATASET_IRI, DCTERMS + "publisher", PUBLISHER_IRI)
    w.typed(PUBLISHER_IRI, FOAF + "Agent", FOAF + "Organization")
    w.text(PUBLISHER_IRI, FOAF + "name", "BRI-KG project")
    for doc in sorted(document_iris):
        w.add(DATASET_IRI, PROV + "wasDerivedFrom", doc)
    out: list[tuple[str, str, str | ox.Literal]] = []
    for t in w.triples:
        obj = t.object
        subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else str(t.subject)
        out.append((subject, t.predicate.value, obj if isinstance(obj, ox.Literal) else str(obj)[1:-1]))
    return out


def add_dataset_graph(dataset: Dataset, documents: set[str] | None = None) -> None:
    """Put ``dataset_statements`` into the build's graph ``graph/dataset``, so every dump carries them
    (*documents*: the source documents' IRIs, if not read from *dataset*)."""
    if documents is None:
        pattern = (None, URIRef(RDF_TYPE), URIRef(BRI + "SourceDocument"), None)
        documents = {str(s) for s, _, _, _ in dataset.quads(pattern)}
    graph = dataset.graph(URIRef(DATASET_GRAPH))
    for s, p, o in dataset_statements(documents):
        obj = Literal(o.value, lang=o.language) if isinstance(o, ox.Literal) else URIRef(o)
        graph.add((URIRef(s), URIRef(p), obj))
