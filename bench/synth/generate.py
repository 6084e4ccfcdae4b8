"""Streaming the synthetic corpus to N-Quads: :func:`generate`, :func:`corpus` and :class:`SynthResult`.

Documents are generated, mapped with the build's own :class:`kg.ingest.mapping.CorpusMapper` and written to
N-Quads one at a time, so memory stays bounded by the entity index, and generation stops as soon as
the target number of distinct triples is reached. The same seed gives byte-identical output; a larger
target extends the smaller corpus of the same seed.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef

from bench.synth.editions import Writer
from bench.synth.violations import ExpectedResult, InjectedViolation, Injector, Triple
from bench.synth.world import World
from kg.config import PROJECT_ROOT
from kg.errors import BuildError
from kg.ingest.annotations import LoadedDocument
from kg.ingest.mapping import CorpusMapper, graph_iri
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.vocab.rdf import ID

Progress = Callable[[str], None]

MAX_OVERSHOOT = 500   # documents generated past the target while waiting for a victim of a pending violation


# ------------------------------------------------------------------------------------------------
# N-Quads output
# ------------------------------------------------------------------------------------------------
def _escape(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def nt_term(term: URIRef | Literal) -> str:
    """The N-Triples form of an IRI or literal, as rdflib's N-Quads serializer writes it."""
    if isinstance(term, Literal):
        if term.language:
            return f'"{_escape(str(term))}"@{term.language}'
        if term.datatype is not None:
            return f'"{_escape(str(term))}"^^<{term.datatype}>'
        return f'"{_escape(str(term))}"'
    return f"<{term}>"


class _Buffer(set[Triple]):
    """A per-document TripleSink (``add`` is set.add): rdflib Graph indexing would triple the cost."""


# Subjects that only ever occur in their own document's graph (their IRI carries the document slug);
# their triples need no corpus-wide de-duplication, which keeps the memory for counting small.
_PER_DOCUMENT = ("<" + str(ID) + "evidence/", "<" + str(ID) + "document/")


class _Tally:
    """Exact counts of what has been written: lines, documents, records and distinct triples."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.per_document = self.quads = self.documents = self.records = 0

    def add(self, doc: LoadedDocument, lines: list[str]) -> None:
        for line in lines:
            if line.startswith(_PER_DOCUMENT):
                self.per_document += 1
            else:
                self.seen.add(hash(line))
        self.quads += len(lines)
        self.documents += 1
        self.records += len(doc.model.entities)

    @property
    def triples(self) -> int:
        """Distinct (s, p, o) over all graphs."""
        return self.per_document + len(self.seen)


# ------------------------------------------------------------------------------------------------
# The entry points
# ------------------------------------------------------------------------------------------------
@dataclass
class SynthResult:
    """What was generated, with exact counts."""

    nquads: Path
    target: int
    seed: int
    triples: int          # distinct (s, p, o) over all graphs: what a validator of the union sees
    quads: int            # lines of the N-Quads file (a triple stated by two documents counts twice)
    documents: int
    records: int
    entities: int
    conferences: int
    seconds: float
    injected: list[InjectedViolation] = field(default_factory=list)

    @property
    def expected_results(self) -> list[ExpectedResult]:
        return [r for v in self.injected for r in v.results]

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data["nquads"] = str(self.nquads)
        return data


def iter_documents(seed: int = 0) -> Iterator[LoadedDocument]:
    """The endless, deterministic stream of synthetic documents for *seed* (each refers only to
    entities defined in it or before it)."""
    writer = Writer(seed)
    for doc in writer.documents():
        yield doc.loaded()


def _mapper() -> CorpusMapper:
    return CorpusMapper(OntologyIndex(load_ontology(PROJECT_ROOT / "ontology")))


def _mapped_lines(mapper: CorpusMapper, doc: LoadedDocument, injector: Injector | None, world: World) -> list[str]:
    """The document's triples as sorted N-Triples lines (without graph and final dot), defects injected."""
    mapper.add_definitions([doc])
    buffer = _Buffer()
    mapper.map_document(doc, buffer)
    if mapper.problems:
        raise BuildError("generating the synthetic corpus", mapper.problems)
    if injector is not None:
        injector.apply(doc, buffer, world)
    return sorted(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in buffer)


def _check_request(target_triples: int, violations: int, data_root: Path | None) -> None:
    if target_triples < 1:
        raise ValueError("target_triples must be positive")
    if data_root is not None and violations:
        raise ValueError("data_root is for clean corpora: the build refuses injected defects")


def generate(target_triples: int, out: Path, seed: int = 0, violations: int = 0,
             data_root: Path | None = None, kinds: list[str] | None = None,
             progress: Progress | None = None) -> SynthResult:
    """Write a corpus of about *target_triples* distinct triples to the N-Quads file *out*.

    Stops after the first document that reaches the target, so the count exceeds it by less than one
    document. ``violations`` injects that many defects (kinds cycle through *kinds*, default all of
    :data:`VIOLATION_KINDS`); the expected SHACL results are in the returned ``injected`` and in
    ``<out>.violations.json``. ``data_root`` also writes ``data/sources``, ``data/annotations`` (YAML)
    and copies of ``ontology/`` and ``shapes/`` there, so ``BRI_KG_ROOT=<data_root> bri-kg build``
    builds the same graphs (clean corpora only: injected defects cannot be written as annotations).
    """
    _check_request(target_triples, violations, data_root)
    started = time.perf_counter()
    mapper = _mapper()
    writer = Writer(seed)
    injector = Injector(violations, kinds) if violations else None
    if data_root is not None:
        _prepare_root(data_root)
    tally = _Tally()
    overshoot = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    next_report = 0.0
    with out.open("w", encoding="utf-8", newline="\n") as sink:
        for draft in writer.documents():
            doc = draft.loaded()
            lines = _mapped_lines(mapper, doc, injector, writer.w)
            graph = f" <{graph_iri(doc.model.document.slug)}> .\n"
            sink.writelines(line + graph for line in lines)
            tally.add(doc, lines)
            if data_root is not None:
                _write_annotation(data_root, doc)
            if progress is not None and time.perf_counter() >= next_report:
                progress(f"{tally.documents} documents, {tally.triples:,} triples")
                next_report = time.perf_counter() + 2.0
            if tally.triples >= target_triples:
                if injector is None or not injector.pending:
                    break
                overshoot += 1
                _check_overshoot(overshoot, injector)
    mapper.check_definitions()
    if mapper.problems:
        raise BuildError("generating the synthetic corpus", mapper.problems)
    injected = injector.done if injector else []
    result = SynthResult(out, target_triples, seed, tally.triples, tally.quads, tally.documents, tally.records,
                         len(writer.w.defined), writer.w.units, round(time.perf_counter() - started, 3), injected)
    if injector is not None:
        Path(f"{out}.violations.json").write_text(json.dumps(
            [asdict(v) for v in injected], indent=1) + "\n", encoding="utf-8")
    return result


def _check_overshoot(overshoot: int, injector: Injector) -> None:
    if overshoot > MAX_OVERSHOOT:
        raise ValueError(f"no victim found for injected violations {injector.pending} "
                         f"(some kinds need entities first defined late, e.g. a new topic): "
                         f"inject fewer, or fewer of those kinds")


def _prepare_root(root: Path) -> None:
    for sub in ("ontology", "shapes"):
        shutil.rmtree(root / sub, ignore_errors=True)
        shutil.copytree(PROJECT_ROOT / sub, root / sub)
    for sub in ("data/sources", "data/annotations"):
        shutil.rmtree(root / sub, ignore_errors=True)
        (root / sub).mkdir(parents=True)


def _write_annotation(root: Path, doc: LoadedDocument) -> None:
    header = doc.model.document
    (root / "data" / header.file).write_bytes(doc.text.encode("utf-8"))
    data = doc.model.model_dump(mode="json", exclude_defaults=True)
    (root / "data" / "annotations" / f"{header.slug}.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def corpus(target_triples: int, seed: int = 0) -> list[LoadedDocument]:
    """The in-memory documents :func:`generate` would write for this target (for tests at small sizes):
    as many documents of :func:`iter_documents` as it takes, counted the same way."""
    mapper = _mapper()
    docs: list[LoadedDocument] = []
    seen: set[tuple[Any, ...]] = set()
    for doc in iter_documents(seed):
        docs.append(doc)
        mapper.add_definitions([doc])
        buffer = _Buffer()
        mapper.map_document(doc, buffer)
        seen.update(buffer)
        if len(seen) >= target_triples:
            return docs
    raise AssertionError("unreachable: the document stream is endless")
