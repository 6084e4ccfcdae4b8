"""Deterministic dumps of a build, their VoID/DCAT description and SHA-256 checksums.

Determinism: the corpus mints no blank nodes, and every dump is written from quads sorted by
their N-Triples form (the lines of ``kg.build.corpus.MappedCorpus``), so two builds of the same inputs
are byte-identical and diff cleanly.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.build.corpus import MappedCorpus
from kg.layout import (
    COMPACT_JSONLD,
    CONTEXT_FILE,
    DUMP_FILES,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    SUMS_FILE,
    VOID_FILE,
    DumpFile,
    sha256_of,
)
from kg.publish.dcat import Publication, describe
from kg.publish.jsonld import context as jsonld_context
from kg.publish.jsonld import write_compact, write_context
from kg.publish.stats import DatasetStats
from kg.vocab.rdf import PREFIXES

__all__ = ["DUMP_PREFIXES", "DatasetStats", "finish_dumps", "serialize_dumps", "write_compact_dump", "write_dumps",
           "write_line_dumps", "publication"]

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _serialize(source: str, source_format: str, target: str, target_format: str) -> None:
    """Write one dump from the N-Triples or N-Quads dump already written."""
    dump = next(d for d in DUMP_FILES if d.format == target_format)
    ox.serialize(ox.parse(path=source, format=RDF_FORMATS[source_format]), target, RDF_FORMATS[target_format],
                 prefixes=_prefixes_for(dump))


Job = tuple[Callable[..., None], tuple[str | Path, ...]]


def _run(job: Job) -> None:
    """One job of ``serialize_dumps`` (in a worker process when there are several)."""
    step, args = job
    step(*args)


def write_line_dumps(corpus: MappedCorpus, dist: Path) -> None:
    """The N-Quads and N-Triples dumps: the sorted lines themselves."""
    dist.mkdir(parents=True, exist_ok=True)
    by_format = {d.format: dist / d.filename for d in DUMP_FILES}
    with open(by_format["nquads"], "w", encoding="utf-8") as out:
        out.writelines(corpus.quad_lines())
    with open(by_format["ntriples"], "w", encoding="utf-8") as out:
        out.writelines(line + " .\n" for line in corpus.union)


def write_compact_dump(ntriples: Path, ontology_ttl: Path, dist: Path) -> None:
    """The JSON-LD context (from the ontology) and the compacted JSON-LD dump, one node per subject, from
    the N-Triples dump (sorted, so each subject's triples come together)."""
    ctx = jsonld_context(ontology_ttl)
    write_context(ctx, dist / CONTEXT_FILE)
    triples = (q.triple for q in ox.parse(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES))
    write_compact(triples, dist / COMPACT_JSONLD, ctx)


def serialize_dumps(dist: Path, ontology_ttl: Path, processes: int = 1) -> None:
    """Turtle, TriG and JSON-LD (Oxigraph's serialisations of the line dumps, read back in their order) and
    the compacted JSON-LD with its context."""
    by_format = {d.format: str(dist / d.filename) for d in DUMP_FILES}
    jobs: list[Job] = [(_serialize, (by_format["ntriples"], "ntriples", by_format["turtle"], "turtle"))]
    jobs += [(_serialize, (by_format["nquads"], "nquads", by_format[f], f)) for f in ("trig", "jsonld")]
    jobs.append((write_compact_dump, (Path(by_format["ntriples"]), ontology_ttl, dist)))
    if processes > 1:
        with mp.get_context("fork").Pool(min(processes, len(jobs))) as pool:
            pool.map(_run, jobs, chunksize=1)
    else:
        for job in jobs:
            _run(job)


def finish_dumps(stats: DatasetStats, dist: Path, ontology_ttl: Path, shapes_ttl: Path,
                 version: str) -> dict[str, int]:
    """Once every dump is written: the ontology and shapes beside them, VoID/DCAT and SHA256SUMS; the counts."""
    (dist / ONTOLOGY_FILE).write_bytes(ontology_ttl.read_bytes())
    (dist / SHAPES_FILE).write_bytes(shapes_ttl.read_bytes())
    counts = {"triples": stats.triples, "quads": sum(stats.graph_sizes.values()), "graphs": len(stats.graph_sizes)}
    digests = Digests(dist)
    digests.prefetch([d.filename for d in DUMP_FILES] + [COMPACT_JSONLD])
    void = describe(stats, dist, publication(version, stats), digests)
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
    serialize_dumps(dist, ontology_ttl, processes)
    return finish_dumps(corpus.stats(), dist, ontology_ttl, shapes_ttl, version)


def publication(version: str, stats: DatasetStats) -> Publication:
    """A build's dates come from its inputs (``SOURCE_DATE_EPOCH`` if set, the reproducible-builds
    convention, else the newest date the data states), so the same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else stats.latest_date()
    return Publication(version=version, issued=day, modified=day)


DUMP_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}  # "id:" would force \/ escapes in names


def _prefixes_for(dump: DumpFile) -> dict[str, str] | None:
    return DUMP_PREFIXES if dump.format in ("turtle", "trig", "jsonld") else None
