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

from kg.build.corpus import MappedCorpus, map_corpus
from kg.build.failures import explained
from kg.build.incremental import incremental_build, usable_state
from kg.build.publish import BuildResult, Progress, publish
from kg.build.reference import reference_documents
from kg.build.state import BuildState, context_digest, definition_keys, reference_folders
from kg.check.stages import ReferenceData, union_graph
from kg.config import Settings
from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import load_corpus
from kg.ingest.mapping import CorpusMapper
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.owl.signatures import Sig, check_by_signature
from kg.shacl import ShaclReport, ShapesError, load_shapes
from kg.shacl import validate as validate_shacl

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
               settings.data_dir / "sources", *reference_folders(settings)]
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


def memory_store(corpus: MappedCorpus, ontology: Graph) -> ox.Store:
    """The union of the document graphs and the ontology, in an in-memory store's default graph: what SHACL
    validates, and what the entity index is read from (in memory, about twice as fast as on disk)."""
    store = ox.Store()
    store.bulk_load(input="".join(line + " .\n" for line in corpus.union).encode(), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(input=ontology.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def check_shacl(data: ox.Store, shapes: Graph) -> None:
    """BuildError naming every violation, if the data does not conform."""
    report = validate(data, shapes, None)
    if not report.conforms:
        raise BuildError("SHACL validation", [
            DataProblem("data/annotations", v.focus, f"{v.path or 'node'}: {v.message} [{v.component}]"
                        + (f" value={v.value}" if v.value else ""))
            for v in report.violations
        ])


def check_owl(corpus: MappedCorpus, ontology: Graph) -> frozenset[Sig]:
    """BuildError with the reasoner's message, if ontology and data are inconsistent (kg.owl.signatures);
    else the signatures found consistent."""
    consistency = check_by_signature(corpus.union, ontology)
    if not consistency.consistent:
        raise BuildError("OWL consistency", detail=consistency.message)
    return consistency.signatures


def build(settings: Settings, progress: Progress = lambda _msg: None, incremental: bool = True) -> BuildResult:
    """Run the pipeline; raise BuildError (naming file, record, problem) on failure.

    With *incremental* (the default) and a current build made from the same ontology, shapes and code,
    only what changed is mapped and checked again (kg.build.incremental); the result is the same."""
    started = time.perf_counter()
    version = f"{code_version()}+{input_digest(settings)}"
    progress("Loading ontology and annotations")
    ontology = load_ontology(settings.ontology_dir)
    context = context_digest(settings, code_version())
    usable = usable_state(settings, context) if incremental else None
    if usable is not None:
        return incremental_build(settings, *usable, ontology, version, progress, started)
    corpus = load_corpus(settings.data_dir)
    state = BuildState.of(context, corpus)
    progress(f"Mapping {len(corpus)} documents to RDF")
    mapper = CorpusMapper(OntologyIndex(ontology))
    documents = map_corpus(mapper, corpus)
    state.definitions = definition_keys(mapper)
    del mapper
    mapped = MappedCorpus(documents.documents
                          + reference_documents(ReferenceData.load(settings), state.definitions, corpus))
    shapes = load_shapes(settings.shapes_dir)

    def checks() -> ox.Store:
        try:
            data = memory_store(mapped, ontology)
            progress(f"Validating {len(mapped.union)} triples against the SHACL shapes")
            check_shacl(data, shapes)
            progress("Checking OWL consistency with HermiT (one individual per signature)")
            state.signatures = set(check_owl(mapped, ontology))
        except BuildError as exc:
            progress("A check failed: checking again record by record to explain it")
            raise explained(settings, corpus, ontology, exc) from None
        return data

    return publish(settings, mapped, ontology, version, progress, started, checks, state)
