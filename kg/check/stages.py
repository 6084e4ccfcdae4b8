"""The validating stages of a build, each failing with problems in a curator's words.

Shared by ``bri-kg build`` (the whole corpus, then publish) and ``bri-kg check FILE`` (one file
against the corpus, nothing published): load -> map (quotes, references, values) -> SHACL -> OWL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.check.axioms import Axioms
from kg.check.explain import explain_shacl
from kg.check.owl import Triple, explain_clashes, explain_facts, find_clashes, minimal_inconsistent
from kg.check.records import RecordIndex
from kg.config import Settings
from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import LoadedDocument
from kg.ingest.gazetteer import Gazetteer, add_gazetteer, load_gazetteer
from kg.ingest.mapping import CorpusMapper, graph_iri
from kg.ingest.names import NamesFile, add_names, load_names
from kg.owl.ontology import OntologyIndex
from kg.owl.reason import check_consistency
from kg.publish.dcat import add_dataset_graph
from kg.shacl import ShaclReport, ShapesError, validate


def validate_shacl(data: Graph | ox.Store, shapes: Graph, ontology: Graph | None) -> ShaclReport:
    """SHACL with kg.shacl, the validator of `bri-kg validate`; shapes that are not well-formed SHACL
    Core fail the stage naming the shape."""
    try:
        return validate(data, shapes, ontology)
    except ShapesError as exc:
        raise BuildError("SHACL validation", detail=f"shapes/: {exc}") from exc


def union_graph(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


@dataclass
class Validated:
    """What the stages produced: the per-document dataset and its union."""

    dataset: Dataset
    data: Graph


@dataclass(frozen=True)
class ReferenceData:
    """What the corpus is mapped with besides its annotations: the gazetteer (coordinates, GeoNames
    ids) and names and identifiers from other sources (``data/names``)."""

    gazetteer: Gazetteer | None = None
    names: dict[str, NamesFile] = field(default_factory=dict)
    id_base: str = ""

    @classmethod
    def load(cls, settings: Settings) -> ReferenceData:
        return cls(load_gazetteer(settings.data_dir), load_names(settings.data_dir), settings.id_base)


def map_corpus(corpus: list[LoadedDocument], ontology: Graph, reference: ReferenceData | None = None) -> Validated:
    """The corpus as RDF (one graph per document), with the reference data's graphs and the dataset
    graph every dump carries (licence and provenance)."""
    reference = reference or ReferenceData()
    dataset = CorpusMapper(OntologyIndex(ontology)).map(corpus)
    if reference.gazetteer is not None:
        add_gazetteer(dataset, reference.gazetteer, reference.id_base)
    add_names(dataset, reference.names, reference.id_base)
    add_dataset_graph(dataset)
    return Validated(dataset, union_graph(dataset))


def shacl_stage(data: Graph, shapes: Graph, ontology: Graph, records: RecordIndex,
                prefer_file: str | None = None) -> None:
    report = validate_shacl(data, shapes, ontology)
    if not report.conforms:
        raise BuildError("SHACL validation", explain_shacl(report.violations, records, data, prefer_file))


def owl_stage(ontology: Graph, validated: Validated, records: RecordIndex, focus_slug: str | None = None,
              prefer_file: str | None = None) -> None:
    """HermiT over ontology + data; an inconsistency is explained down to the facts responsible."""
    result = check_consistency(ontology + validated.data)
    if result.consistent:
        return
    axioms = Axioms.of(ontology)
    focus = validated.dataset.graph(graph_iri(focus_slug)) if focus_slug else validated.data
    clashes = find_clashes(validated.data, axioms)
    mine = [c for c in clashes if (c.subject, c.prop, c.obj) in focus] or clashes
    if mine:
        raise BuildError("OWL consistency", explain_clashes(mine, axioms, records, prefer_file))
    raise BuildError("OWL consistency", _bisect(ontology, validated.data, focus, records, prefer_file)
                     or [DataProblem("data/annotations", "corpus", result.message or "inconsistent",
                                     "no smaller set of facts was found; check the last change")])


def _bisect(ontology: Graph, data: Graph, focus: Graph, records: RecordIndex,
            prefer_file: str | None) -> list[DataProblem]:
    """The smallest set of the focus graph's entity facts that HermiT still rejects."""
    candidates: list[Triple] = sorted((t for t in focus if "/evidence/" not in str(t[0])), key=str)
    background = Graph()
    for t in data:
        if t not in focus or "/evidence/" in str(t[0]):
            background.add(t)
    background += ontology

    def inconsistent(subset: list[Triple]) -> bool:
        trial = Graph() + background
        for t in subset:
            trial.add(t)
        return not check_consistency(trial).consistent

    return explain_facts(minimal_inconsistent(candidates, inconsistent), records, prefer_file)


def check_documents(corpus: list[LoadedDocument], ontology: Graph, shapes: Graph,
                    focus: LoadedDocument | None = None, reference: ReferenceData | None = None) -> Validated:
    """Map, SHACL and OWL over *corpus*; raise BuildError (explained) at the first failing stage."""
    records = RecordIndex(corpus)
    prefer = focus.name if focus else None
    validated = map_corpus(corpus, ontology, reference)
    shacl_stage(validated.data, shapes, ontology, records, prefer)
    owl_stage(ontology, validated, records, focus.model.document.slug if focus else None, prefer)
    return validated


def corpus_with(corpus: list[LoadedDocument], doc: LoadedDocument) -> list[LoadedDocument]:
    """The corpus with *doc* in place of the file of the same name (or added), for `bri-kg check`."""
    kept = [d for d in corpus if Path(d.path).name != Path(doc.path).name]
    return kept + [doc]
