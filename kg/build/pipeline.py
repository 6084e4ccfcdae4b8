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
from rdflib import Graph

from kg.build.publish import BuildResult, Progress, publish
from kg.check.records import RecordIndex
from kg.check.stages import ReferenceData, map_corpus, owl_stage, shacl_stage, union_graph, validate_shacl
from kg.config import Settings
from kg.ingest.annotations import load_corpus
from kg.owl.ontology import load_ontology
from kg.shacl import ShaclReport, load_shapes

__all__ = ["build", "code_version", "input_digest", "union_graph", "validate"]


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
    ontology, for sh:class (see kg.check.stages.validate_shacl)."""
    return validate_shacl(data, shapes, ontology)


def build(settings: Settings, progress: Progress = lambda _msg: None) -> BuildResult:
    """Run the whole pipeline; raise BuildError (naming file, record, problem) on failure."""
    started = time.perf_counter()
    version = f"{code_version()}+{input_digest(settings)}"
    progress("Loading ontology and annotations")
    ontology = load_ontology(settings.ontology_dir)
    corpus = load_corpus(settings.data_dir)
    progress(f"Mapping {len(corpus)} documents to RDF")
    validated = map_corpus(corpus, ontology, ReferenceData.load(settings))
    records = RecordIndex(corpus)
    progress(f"Validating {len(validated.data)} triples against the SHACL shapes")
    shacl_stage(validated.data, load_shapes(settings.shapes_dir), ontology, records)
    progress("Checking OWL consistency with HermiT")
    owl_stage(ontology, validated, records)
    return publish(settings, validated.dataset, ontology, version, progress, started)


