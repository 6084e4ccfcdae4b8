"""The corpus mapped to N-Triples lines, one named graph per document, on every core the machine has.

The corpus-wide checks (one type and one preferred label per entity, unique slugs) run once in this
process; the documents are then mapped by forked workers, each with its own copy of the mapper (the
corpus and the definitions are inherited, not sent), and come back as text. Problems are reported in
corpus order, whatever worker found them, so the output does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from kg.build.ntriples import DocumentSink
from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import LoadedDocument
from kg.ingest.mapping import CorpusMapper, graph_iri
from kg.publish.stats import DatasetStats

PARALLEL_FROM = 64  # documents: below this, forking costs more than it saves


@dataclass(frozen=True)
class MappedDocument:
    """One document's graph: its IRI and its distinct triples as sorted N-Triples lines (no `` .``)."""

    graph: str
    lines: list[str]

    @property
    def graph_key(self) -> str:
        """The graph's N-Triples form, by which the quad dumps are ordered."""
        return f"<{self.graph}>"


@dataclass
class MappedCorpus:
    """Every document graph of a corpus, in the dumps' order (by graph IRI's N-Triples form)."""

    documents: list[MappedDocument]

    def __post_init__(self) -> None:
        self.documents.sort(key=lambda d: d.graph_key)

    def quad_lines(self) -> Iterator[str]:
        """The N-Quads dump's lines, in its order."""
        for doc in self.documents:
            suffix = f" {doc.graph_key} .\n"
            for line in doc.lines:
                yield line + suffix

    @cached_property
    def union(self) -> list[str]:
        """The distinct triples of all graphs, sorted: the N-Triples dump's lines (no `` .``)."""
        union: set[str] = set()
        for doc in self.documents:
            union.update(doc.lines)
        return sorted(union)

    def stats(self) -> DatasetStats:
        """What VoID says of these graphs."""
        return DatasetStats.of_lines(self.union, {d.graph: len(d.lines) for d in self.documents})

    @property
    def quads(self) -> int:
        return sum(len(d.lines) for d in self.documents)


def workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


# The job a forked worker maps from: set just before the pool forks, inherited by the workers.
_JOB: tuple[CorpusMapper, list[LoadedDocument]] | None = None


def _map_one(index: int) -> tuple[int, str, str, list[DataProblem]]:
    assert _JOB is not None
    mapper, corpus = _JOB
    doc = corpus[index]
    before = len(mapper.problems)
    sink = DocumentSink()
    mapper.map_document(doc, sink)
    problems = mapper.problems[before:]
    del mapper.problems[before:]
    return index, str(graph_iri(doc.model.document.slug)), "\n".join(sink.sorted_lines()), problems


def map_documents(mapper: CorpusMapper, corpus: list[LoadedDocument], indexes: list[int],
                  processes: int | None = None) -> tuple[list[MappedDocument], list[DataProblem]]:
    """Map the documents at *indexes* of *corpus* (definitions already added): their graphs and problems,
    both in corpus order."""
    global _JOB
    processes = processes or workers()
    _JOB = (mapper, corpus)
    try:
        if processes == 1 or len(indexes) < PARALLEL_FROM:
            results = [_map_one(i) for i in indexes]
        else:
            with mp.get_context("fork").Pool(processes) as pool:
                results = pool.map(_map_one, indexes, chunksize=max(1, len(indexes) // (processes * 8)))
    finally:
        _JOB = None
    results.sort(key=lambda r: r[0])
    documents = [MappedDocument(graph, text.split("\n") if text else []) for _, graph, text, _ in results]
    return documents, [p for *_, problems in results for p in problems]


def map_corpus(mapper: CorpusMapper, corpus: list[LoadedDocument], processes: int | None = None) -> MappedCorpus:
    """Map every document of *corpus*; BuildError with every problem of the corpus if there are any.

    The checks and their order are those of ``CorpusMapper.map``: definitions, slugs, then each document."""
    mapper.add_definitions(corpus)
    mapper.check_definitions()
    mapper._check_unique_slugs(corpus)  # noqa: SLF001 - the same corpus-wide check CorpusMapper.map runs
    documents, problems = map_documents(mapper, corpus, list(range(len(corpus))), processes)
    mapper.problems.extend(problems)
    if mapper.problems:
        raise BuildError("mapping annotations to RDF", mapper.problems)
    return MappedCorpus(documents)
