"""Deterministic dumps of a build, their VoID/DCAT description and SHA-256 checksums.

Determinism: the corpus mints no blank nodes, and every dump is written from quads sorted by
their N-Triples form (the lines of ``kg.build.corpus.MappedCorpus``), so two builds of the same inputs
are byte-identical and diff cleanly.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.build.corpus import MappedCorpus
from kg.layout import DUMP_FILES, ONTOLOGY_FILE, SHAPES_FILE, SUMS_FILE, VOID_FILE, DumpFile, sha256_of
from kg.vocab.rdf import BRI, DCAT, PREFIXES, SPDX, VOID

DATASET_IRI = "https://w3id.org/bri-kg/dataset"
DUMPS_BASE = "https://w3id.org/bri-kg/dumps/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass
class DatasetStats:
    """What VoID says of the data: counted over the union's triples and the document graphs' quads."""

    triples: int
    subjects: int
    objects: int
    properties: int
    class_counts: Counter[str]  # class IRI -> triples ``?x rdf:type <class>``
    graph_sizes: dict[str, int]  # graph IRI -> quads

    @classmethod
    def of(cls, corpus: MappedCorpus, union: list[str]) -> DatasetStats:
        subjects: set[str] = set()
        properties: set[str] = set()
        objects: set[str] = set()
        classes: Counter[str] = Counter()
        type_prefix = f"{RDF_TYPE} <"
        for line in union:
            s, rest = line.split(" ", 1)
            subjects.add(s)
            p, o = rest.split(" ", 1)
            properties.add(p)
            objects.add(o)
            if rest.startswith(type_prefix):
                classes[o[1:-1]] += 1
        return cls(len(union), len(subjects), len(objects), len(properties), classes,
                   {d.graph: len(d.lines) for d in corpus.documents})


def _serialize(job: tuple[str, str, str, str]) -> None:
    """Write one dump from the N-Triples or N-Quads dump already written (in a worker process)."""
    source, source_format, target, target_format = job
    dump = next(d for d in DUMP_FILES if d.format == target_format)
    ox.serialize(ox.parse(path=source, format=RDF_FORMATS[source_format]), target, RDF_FORMATS[target_format],
                 prefixes=_prefixes_for(dump))


def write_line_dumps(corpus: MappedCorpus, dist: Path) -> None:
    """The N-Quads and N-Triples dumps: the sorted lines themselves."""
    dist.mkdir(parents=True, exist_ok=True)
    by_format = {d.format: dist / d.filename for d in DUMP_FILES}
    with open(by_format["nquads"], "w", encoding="utf-8") as out:
        out.writelines(corpus.quad_lines())
    with open(by_format["ntriples"], "w", encoding="utf-8") as out:
        out.writelines(line + " .\n" for line in corpus.union)


def serialize_dumps(dist: Path, processes: int = 1) -> None:
    """Turtle, TriG and JSON-LD: Oxigraph's serialisations of the line dumps, read back in their order."""
    by_format = {d.format: str(dist / d.filename) for d in DUMP_FILES}
    jobs = [(by_format["ntriples"], "ntriples", by_format["turtle"], "turtle")]
    jobs += [(by_format["nquads"], "nquads", by_format[f], f) for f in ("trig", "jsonld")]
    if processes > 1:
        with mp.get_context("fork").Pool(min(processes, len(jobs))) as pool:
            pool.map(_serialize, jobs, chunksize=1)
    else:
        for job in jobs:
            _serialize(job)


def finish_dumps(stats: DatasetStats, dist: Path, ontology_ttl: Path, shapes_ttl: Path,
                 version: str) -> dict[str, int]:
    """Once every dump is written: the ontology and shapes beside them, VoID/DCAT and SHA256SUMS; the counts."""
    (dist / ONTOLOGY_FILE).write_bytes(ontology_ttl.read_bytes())
    (dist / SHAPES_FILE).write_bytes(shapes_ttl.read_bytes())
    counts = {"triples": stats.triples, "quads": sum(stats.graph_sizes.values()), "graphs": len(stats.graph_sizes)}
    digests = Digests(dist)
    digests.prefetch([d.filename for d in DUMP_FILES])
    void = describe(stats, dist, version, digests)
    ox.serialize(sorted(void, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))),
                 str(dist / VOID_FILE), ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES)
    names = sorted(p.name for p in dist.iterdir() if p.name != SUMS_FILE)
    (dist / SUMS_FILE).write_text("".join(f"{digests(n)}  {n}\n" for n in names), encoding="utf-8")
    return counts


class Digests(dict[str, str]):
    """SHA-256 of the files of a folder, each read once (VoID and SHA256SUMS both list them)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __call__(self, name: str) -> str:
        if name not in self:
            self[name] = sha256_of(self.folder / name)
        return self[name]

    def prefetch(self, names: list[str]) -> None:
        """Hash *names* in threads (hashlib lets go of the GIL on large buffers): one per core."""
        with ThreadPoolExecutor(max(1, len(os.sched_getaffinity(0)))) as pool:
            self.update(zip(names, pool.map(lambda n: sha256_of(self.folder / n), names), strict=True))


def write_dumps(corpus: MappedCorpus, dist: Path, ontology_ttl: Path, shapes_ttl: Path, version: str,
                processes: int = 1) -> dict[str, int]:
    """Write every dump, the ontology and shapes, VoID/DCAT and SHA256SUMS into *dist*; return counts."""
    write_line_dumps(corpus, dist)
    serialize_dumps(dist, processes)
    return finish_dumps(DatasetStats.of(corpus, corpus.union), dist, ontology_ttl, shapes_ttl, version)


DUMP_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}  # "id:" would force \/ escapes in names


def _prefixes_for(dump: DumpFile) -> dict[str, str] | None:
    return DUMP_PREFIXES if dump.format in ("turtle", "trig", "jsonld") else None


def describe(stats: DatasetStats, dist: Path, version: str, digests: Callable[[str], str] | None = None
             ) -> list[ox.Triple]:
    """A VoID + DCAT description of the dataset and its distributions (no blank nodes)."""
    digest = digests or (lambda name: sha256_of(dist / name))
    ds = ox.NamedNode(DATASET_IRI)
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def lit(value: object, datatype: str | None = None) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(str(value))

    xsd = "http://www.w3.org/2001/XMLSchema#"
    dct = "http://purl.org/dc/terms/"
    rdf_type = RDF_TYPE.value
    add(ds, rdf_type, ox.NamedNode(str(VOID.Dataset)))
    add(ds, rdf_type, ox.NamedNode(str(DCAT.Dataset)))
    add(ds, dct + "title", ox.Literal("BRI-KG: Belt and Road Initiative science, technology and innovation cooperation",
                                      language="en"))
    add(ds, dct + "description", ox.Literal(
        "Conferences, declarations, commitments, joint laboratories, alliances, programs, organizations, people, "
        "places, topics and statistics of BRI STI cooperation, each fact tied to a verbatim source passage.",
        language="en"))
    add(ds, dct + "license", ox.NamedNode(LICENSE))
    add(ds, str(DCAT.version), lit(version))
    add(ds, str(VOID.vocabulary), ox.NamedNode(str(BRI._NS)))
    add(ds, str(VOID.uriSpace), lit("https://w3id.org/bri-kg/id/"))
    add(ds, str(VOID.sparqlEndpoint), ox.NamedNode("https://w3id.org/bri-kg/sparql"))
    add(ds, str(VOID.triples), lit(stats.triples, xsd + "integer"))
    add(ds, str(VOID.distinctSubjects), lit(stats.subjects, xsd + "integer"))
    add(ds, str(VOID.distinctObjects), lit(stats.objects, xsd + "integer"))
    add(ds, str(VOID.properties), lit(stats.properties, xsd + "integer"))
    graphs = sorted(stats.graph_sizes)
    add(ds, str(VOID.documents), lit(len(graphs), xsd + "integer"))
    class_counts = stats.class_counts
    add(ds, str(VOID.classes), lit(len(class_counts), xsd + "integer"))
    add(ds, str(VOID.entities), lit(sum(class_counts.values()), xsd + "integer"))
    for cls, count in sorted(class_counts.items()):
        part = ox.NamedNode(f"{DATASET_IRI}/class/{_slug(cls)}")
        add(ds, str(VOID.classPartition), part)
        add(part, str(VOID["class"]), ox.NamedNode(cls))
        add(part, str(VOID.entities), lit(count, xsd + "integer"))
    graph_sizes = stats.graph_sizes
    for graph in graphs:
        sub = ox.NamedNode(f"{DATASET_IRI}/graph/{graph.rsplit('/', 1)[-1]}")
        add(ds, str(VOID.subset), sub)
        add(sub, rdf_type, ox.NamedNode(str(VOID.Dataset)))
        add(sub, "http://www.w3.org/ns/sparql-service-description#name", ox.NamedNode(graph))
        add(sub, str(VOID.triples), lit(graph_sizes[graph], xsd + "integer"))
    media = {f.filename: (f.media_type, f.title) for f in DUMP_FILES}
    media.update({ONTOLOGY_FILE: ("text/turtle", "The OWL ontology"), SHAPES_FILE: ("text/turtle", "SHACL shapes")})
    for name, (media_type, title) in sorted(media.items()):
        dist_iri = ox.NamedNode(f"{DUMPS_BASE}{name}")
        add(ds, str(DCAT.distribution), dist_iri)
        if name.startswith("bri-kg."):
            add(ds, str(VOID.dataDump), dist_iri)
        add(dist_iri, rdf_type, ox.NamedNode(str(DCAT.Distribution)))
        add(dist_iri, dct + "title", ox.Literal(title, language="en"))
        add(dist_iri, str(DCAT.downloadURL), dist_iri)
        add(dist_iri, str(DCAT.mediaType), ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}"))
        add(dist_iri, dct + "format", lit(media_type))
        add(dist_iri, str(DCAT.byteSize), lit((dist / name).stat().st_size, xsd + "nonNegativeInteger"))
        add(dist_iri, dct + "license", ox.NamedNode(LICENSE))
        checksum = ox.NamedNode(f"{DUMPS_BASE}{name}#sha256")
        add(dist_iri, str(SPDX.checksum), checksum)
        add(checksum, rdf_type, ox.NamedNode(str(SPDX.Checksum)))
        add(checksum, str(SPDX.algorithm), ox.NamedNode(str(SPDX.checksumAlgorithm_sha256)))
        add(checksum, str(SPDX.checksumValue), lit(digest(name), xsd + "hexBinary"))
    return out


def _slug(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}-{iri[len(base):]}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]
