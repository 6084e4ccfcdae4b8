"""The build pipeline: annotations -> RDF -> SHACL -> OWL -> store + dumps, switched in atomically.

Each build is written into a fresh directory under ``var/builds``; only when every step has
passed does the ``var/current`` symlink move to it (an atomic rename). A failed build deletes
its own directory and leaves the previous store and dumps exactly as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.annotations import load_corpus
from kg.config import Settings
from kg.dump import write_dumps
from kg.entity_index import INDEX_FILE, rows_from_store, write_index
from kg.errors import BuildError, DataProblem
from kg.mapping import CorpusMapper
from kg.ontology import OntologyIndex, load_ontology
from kg.reason import check_consistency
from kg.shacl import ShaclReport, ShapesError, load_shapes
from kg.shacl import validate as validate_shacl
from kg.store import dataset_to_nquads, record_counts, write_store

KEEP_BUILDS = 3
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    build_dir: Path
    version: str
    counts: dict[str, int]
    seconds: float


def code_version() -> str:
    try:
        return package_version("bri-kg")
    except PackageNotFoundError:
        return "0.0.0"


def input_digest(settings: Settings) -> str:
    """A digest of everything a build reads: same inputs, same digest, same dumps."""
    digest = hashlib.sha256()
    folders = [settings.ontology_dir, settings.shapes_dir,
               settings.data_dir / "annotations", settings.data_dir / "sources"]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
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
    return _publish(settings, dataset, ontology, version, progress, started)


def _publish(settings: Settings, dataset: Dataset, ontology: Graph, version: str, progress: Progress,
             started: float) -> BuildResult:
    settings.builds_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() // 1000 % 1_000_000:06d}"
    # mkdtemp: unique even for two builds in the same microsecond; the stamp keeps names time-ordered.
    build_dir = Path(tempfile.mkdtemp(prefix=f"{stamp}-{version.split('+')[-1]}-", dir=settings.builds_dir))
    try:
        progress("Writing the embedded Oxigraph store")
        store = write_store(build_dir / "store", dataset_to_nquads(dataset), ontology)
        progress("Writing dumps, VoID/DCAT and checksums")
        counts = write_dumps(store, build_dir / "dist", _single_ttl(settings.ontology_dir),
                             _single_ttl(settings.shapes_dir), version)
        record_counts(store, build_dir)
        progress("Writing the entity index (search, labels, paths)")
        write_index(build_dir / INDEX_FILE, rows_from_store(store, settings.id_base), settings.id_base)
        del store
        (build_dir / "VERSION").write_text(version + "\n", encoding="utf-8")
        switch_current(settings, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    prune_builds(settings)
    return BuildResult(build_dir, version, counts, time.perf_counter() - started)


def _single_ttl(folder: Path) -> Path:
    files = sorted(folder.glob("*.ttl"))
    if len(files) != 1:
        raise BuildError("publishing", detail=f"{folder} must hold exactly one .ttl file, found {len(files)}")
    return files[0]


def switch_current(settings: Settings, build_dir: Path) -> None:
    """Point ``var/current`` (and ``dist``) at *build_dir* with atomic renames."""
    tmp = settings.var_dir / f".current-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(build_dir.relative_to(settings.var_dir))
    os.replace(tmp, settings.current_link)
    dist = settings.dist_dir
    target = os.path.relpath(settings.current_link / "dist", dist.parent)
    if dist.is_symlink() and os.readlink(dist) == target:
        return
    if dist.exists() and not dist.is_symlink():
        raise BuildError("publishing", detail=f"{dist} exists and is not a symlink; move it away")
    tmp_dist = dist.parent / f".dist-{os.getpid()}"
    tmp_dist.unlink(missing_ok=True)
    tmp_dist.symlink_to(target)
    os.replace(tmp_dist, dist)


def current_build(settings: Settings) -> Path | None:
    link = settings.current_link
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def prune_builds(settings: Settings) -> None:
    """Keep the newest few builds (never the current one), so a server still reading one is safe."""
    current = current_build(settings)
    builds = sorted((p for p in settings.builds_dir.iterdir() if p.is_dir()), key=lambda p: p.name)
    for old in builds[:-KEEP_BUILDS]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
