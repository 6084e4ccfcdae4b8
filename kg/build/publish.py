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

from rdflib import Dataset, Graph

from kg.build.dumps import write_dumps
from kg.build.lease import lease_holders
from kg.build.store import dataset_to_nquads, record_counts, write_store
from kg.config import Settings
from kg.errors import BuildError
from kg.index.writer import rows_from_store, write_index
from kg.layout import DIST_DIR, SOURCES_DIR, BuildLayout, current_build

KEEP_BUILDS = 3
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    build_dir: Path
    version: str
    counts: dict[str, int]
    seconds: float


def publish(settings: Settings, dataset: Dataset, ontology: Graph, version: str, progress: Progress,
            started: float) -> BuildResult:
    settings.builds_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() // 1000 % 1_000_000:06d}"
    # mkdtemp: unique even for two builds in the same microsecond; the stamp keeps names time-ordered.
    build_dir = Path(tempfile.mkdtemp(prefix=f"{stamp}-{version.split('+')[-1]}-", dir=settings.builds_dir))
    layout = BuildLayout(build_dir)
    try:
        progress("Writing the embedded Oxigraph store")
        store = write_store(layout.store, dataset_to_nquads(dataset), ontology)
        progress("Writing dumps, VoID/DCAT and checksums")
        counts = write_dumps(store, layout.dist, _single_ttl(settings.ontology_dir),
                             _single_ttl(settings.shapes_dir), version)
        record_counts(store, layout)
        progress("Writing the entity index (search, labels, paths)")
        write_index(layout.index, rows_from_store(store, settings.id_base), settings.id_base)
        copy_sources(settings.data_dir / SOURCES_DIR, layout.sources)
        del store
        layout.version_file.write_text(version + "\n", encoding="utf-8")
        switch_current(settings, build_dir)
    except BaseException:
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
