"""The build pipeline: annotations -> RDF -> SHACL -> OWL -> store + dumps, switched in atomically.

Each build is written into a fresh directory under ``var/builds`` (``kg.build.publish``); only when
every step has passed does the ``var/current`` symlink move to it (an atomic rename). A failed build
deletes its own directory and leaves the previous store and dumps exactly as they were.
"""

from __future__ import annotations

import hashlib
import time
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.build.publish import BuildResult, Progress, publish
from kg.config import Settings
from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import load_corpus
from kg.ingest.gazetteer import add_gazetteer, load_gazetteer
from kg.ingest.mapping import CorpusMapper
from kg.ingest.names import add_names, load_names
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.owl.reason import check_consistency
from kg.publish.dcat import add_dataset_graph
from kg.shacl import ShaclReport, ShapesError, load_shapes
from kg.shacl import validate as validate_shacl


def code_version() -> str:
    try:
        return package_version("bri-kg")
    except PackageNotFoundError:
        return "0.0.0"


def input_digest(settings: Settings) -> str:
    """A digest of everything a build reads: same inputs, same digest, same dumps."""
    digest = hashlib.sha256()
    folders = [settings.ontology_dir, settings.shapes_dir, settings.data_dir / "annotations",
               settings.data_dir / "sources", settings.data_dir / "gazetteer",
               settings.data_dir / "names"]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
            digest.update(str(path.relative_to(settings.root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def validate(data: Graph | ox.Store, shapes: Graph, ontology: Graph | None) -> ShaclReport:
    """SHACL validation of the data (an rdflib Graph, or a Store: the union of its graphs) plus the
    ontology, for sh:class, with kg.shacl, the same validator as ``bri-kg validate``. Shapes that are
    not well-formed SHACL Core fail the build naming the shape."""
    try:
        return validate_shacl(data, shapes, ontology)
    except ShapesError as exc:
        raise BuildError("SHACL validation", detail=f"shapes/: {exc}") from exc


def union_graph(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def build(settings: Settings, progress: Progress = lambda _msg: None) -> BuildResult:
    """Run the whole pipeline; raise BuildError (naming file, record, problem) on failure."""
    started = time.perf_counter()
    version = f"{code_version()}+{input_digest(settings)}"
    progress("Loading ontology and annotations")
    ontology = load_ontology(settings.ontology_dir)
    corpus = load_corpus(settings.data_dir)
    progress(f"Mapping {len(corpus)} documents to RDF")
    dataset = CorpusMapper(OntologyIndex(ontology)).map(corpus)
    gazetteer = load_gazetteer(settings.data_dir)
    if gazetteer is not None:
        add_gazetteer(dataset, gazetteer, settings.id_base)
    add_names(dataset, load_names(settings.data_dir), settings.id_base)
    add_dataset_graph(dataset)  # every dump states its licence and provenance
    data = union_graph(dataset)
    progress(f"Validating {len(data)} triples against the SHACL shapes")
    report = validate(data, load_shapes(settings.shapes_dir), ontology)
    if not report.conforms:
        raise BuildError("SHACL validation", [
            DataProblem("data/annotations", v.focus, f"{v.path or 'node'}: {v.message} [{v.component}]"
                        + (f" value={v.value}" if v.value else ""))
            for v in report.violations
        ])
    progress("Checking OWL consistency with HermiT")
    consistency = check_consistency(ontology + data)
    if not consistency.consistent:
        raise BuildError("OWL consistency", detail=consistency.message)
    return publish(settings, dataset, ontology, version, progress, started)


