"""Writing a validated build into a fresh directory and switching ``var/current`` to it atomically.

The store, the dumps, the counts, the entity index and VERSION are written into a new directory
under ``var/builds`` (``kg.layout`` names them); only then do ``var/current`` and the ``dist``
symlink move, each by an atomic rename. A failure deletes the new directory and leaves the
previous build serving. Old builds are pruned, never the current one nor one a running server
holds a lease on (``kg.build.lease``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.build.background import Background, Command
from kg.build.corpus import MappedCorpus
from kg.build.dumps import finish_dumps, serialize_dumps, write_line_dumps
from kg.build.lease import lease_holders
from kg.build.state import BuildState
from kg.build.store import write_counts
from kg.config import Settings
from kg.errors import BuildError
from kg.index.writer import rows_from_store, write_index
from kg.layout import DIST_DIR, NQUADS_DUMP, NTRIPLES_DUMP, SOURCES_DIR, BuildLayout, current_build

KEEP_BUILDS = 3
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    build_dir: Path
    version: str
    counts: dict[str, int]
    seconds: float


Checks = Callable[[], ox.Store]  # SHACL and OWL (BuildError if they fail); the store the index is read from


def new_build_dir(settings: Settings, version: str) -> Path:
    settings.builds_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() // 1000 % 1_000_000:06d}"
    # mkdtemp: unique even for two builds in the same microsecond; the stamp keeps names time-ordered.
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-{version.split('+')[-1]}-", dir=settings.builds_dir))


def publish(settings: Settings, corpus: MappedCorpus, ontology: Graph, version: str, progress: Progress,
            started: float, checks: Checks, state: BuildState | None = None) -> BuildResult:
    """Write *corpus* (the document graphs as sorted lines) as a build and switch to it once *checks* pass.

    The line dumps are written first; the on-disk store and the other dumps are then written by two
    forked processes while this one runs the checks and the entity index, so the cores are busy with
    both; nothing is switched unless everything passed, and a failure removes the whole directory."""
    build_dir = new_build_dir(settings, version)
    layout = BuildLayout(build_dir)
    children: list[Background | Command] = []
    try:
        progress("Writing dumps, VoID/DCAT and checksums; the store beside the checks")
        write_line_dumps(corpus, layout.dist)
        ontology_nt = ontology.serialize(format="nt", encoding="utf-8")
        nquads, ntriples = layout.dist / NQUADS_DUMP, layout.dist / NTRIPLES_DUMP
        ontology_file = build_dir / "ontology.nt.partial"
        ontology_file.write_bytes(ontology_nt)
        children.append(Command("writing the store", "kg.build.store",
                                [str(nquads), str(ntriples), str(ontology_file), str(layout.store)]).start())
        children.append(Background("writing the Turtle, TriG, JSON-LD and compacted JSON-LD dumps", serialize_dumps,
                                   (layout.dist, _single_ttl(settings.ontology_dir))).start())
        data = checks()
        progress("Writing the entity index (search, labels, paths)")
        write_index(layout.index, rows_from_store(data, settings.id_base), settings.id_base)
        default_triples = len(data)
        del data
        progress("Waiting for the store and the dumps")
        for child in children:
            child.join()
        ontology_file.unlink()
        stats = corpus.stats()
        counts = finish_dumps(stats, layout.dist, _single_ttl(settings.ontology_dir),
                              _single_ttl(settings.shapes_dir), version)
        write_counts(layout, default_triples, default_triples + counts["quads"] + len(ontology))
        if state is not None:
            state.stats = stats
            state.write(layout.state_file)
        copy_sources(settings.data_dir / SOURCES_DIR, layout.sources)
        layout.version_file.write_text(version + "\n", encoding="utf-8")
        switch_current(settings, build_dir)
    except BaseException:
        for child in children:
            child.kill()
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    prune_builds(settings)
    return BuildResult(build_dir, version, counts, time.perf_counter() - started)


def copy_sources(folder: Path, target: Path) -> None:
    """The documents' texts into the build, so the server shows them (and their passages) from the build alone."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        shutil.copyfile(path, target / path.name)


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
    target = os.path.relpath(settings.current_link / DIST_DIR, dist.parent)
    if dist.is_symlink() and os.readlink(dist) == target:
        return
    if dist.exists() and not dist.is_symlink():
        raise BuildError("publishing", detail=f"{dist} exists and is not a symlink; move it away")
    tmp_dist = dist.parent / f".dist-{os.getpid()}"
    tmp_dist.unlink(missing_ok=True)
    tmp_dist.symlink_to(target)
    os.replace(tmp_dist, dist)


def prune_builds(settings: Settings, keep: int = KEEP_BUILDS) -> list[Path]:
    """Delete old builds; return them. Kept: the newest *keep*, the current one, and every build a
    running server holds a lease on (``kg.build.lease``), so no server ever loses the build it answers from."""
    serving = current_build(settings)
    current = serving.root if serving else None
    builds = sorted((p for p in settings.builds_dir.iterdir() if p.is_dir()), key=lambda p: p.name)
    pruned = []
    for old in builds[:-keep] if keep else builds:
        if old != current and not lease_holders(old):
            shutil.rmtree(old, ignore_errors=True)
            pruned.append(old)
    return pruned
