"""``bri-kg release``: a dated, versioned copy of the current build that is kept, beside earlier ones.

A build is replaced by the next one; a release is not. ``var/releases/{version}/`` holds the data
dumps, the compacted JSON-LD and its context, the ontology and shapes, a VoID/DCAT-AP description of
*that* release (its version, dates and download URLs under ``https://w3id.org/bri-kg/releases/{version}/``),
``release.json``, the changes since the previous release (``CHANGES.md`` and the N-Quads +/- patch
``CHANGES.patch``) and ``SHA256SUMS``. ``var/releases/CHANGELOG.md`` gets a new entry at the top, made
from the diff. Versions are data versions ``YYYY.MM.N``: the year and month of the release, then a
counter within the month (``2026.12.0``, ``2026.12.1``, ``2027.01.0``).

A release is written into a temporary folder and renamed into place, so a half-written release is
never listed; a release whose description breaks the DCAT-AP 3.0.0 shapes, or that would repeat the
previous one unchanged, is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.config import Settings
from kg.errors import BuildError
from kg.layout import (
    COMPACT_JSONLD,
    CONTEXT_FILE,
    DUMP_FILES,
    NQUADS_DUMP,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    SUMS_FILE,
    VOID_FILE,
    BuildLayout,
    current_build,
    sha256_of,
)
from kg.publish.dcat import DATASET_IRI, Publication, describe
from kg.publish.diff import Diff, Statement, diff, patch, read_statements, summary
from kg.publish.stats import DatasetStats
from kg.vocab.namespaces import BASE, PREFIXES

VERSION_RE = re.compile(r"^(\d{4})\.(\d{2})\.(\d+)$")
RELEASE_FILE = "release.json"
CHANGES_FILE = "CHANGES.md"
PATCH_FILE = "CHANGES.patch"
CHANGELOG = "CHANGELOG.md"
RELEASES_BASE = BASE + "releases/"
COPIED = tuple(f.filename for f in DUMP_FILES) + (COMPACT_JSONLD, CONTEXT_FILE, ONTOLOGY_FILE, SHAPES_FILE)
DCAT_AP_CHECKED = ("range", "mdr-vocabularies.shape")  # kg.shacl refuses shapes.ttl's sh:shape (see its README)


@dataclass(frozen=True)
class Release:
    version: str
    date: dt.date
    path: Path
    build_version: str
    previous: str | None
    changes: dict[str, int]

    @property
    def key(self) -> tuple[int, int, int]:
        return version_key(self.version)


def version_key(version: str) -> tuple[int, int, int]:
    match = VERSION_RE.match(version)
    if not match:
        raise ValueError(f"{version!r} is not a data version YYYY.MM.N (e.g. 2026.12.0)")
    return int(match[1]), int(match[2]), int(match[3])


def releases_dir(settings: Settings) -> Path:
    return settings.var_dir / "releases"


def read_release(path: Path) -> Release | None:
    meta_path = path / RELEASE_FILE
    if not meta_path.is_file() or not VERSION_RE.match(path.name):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return Release(meta["version"], dt.date.fromisoformat(meta["date"]), path, meta["build_version"],
                   meta.get("previous"), meta.get("changes", {}))


def list_releases(settings: Settings) -> list[Release]:
    """Every complete release, oldest first."""
    folder = releases_dir(settings)
    found = [read_release(p) for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []
    return sorted((r for r in found if r is not None), key=lambda r: r.key)


def latest_release(settings: Settings) -> Release | None:
    releases = list_releases(settings)
    return releases[-1] if releases else None


def next_version(existing: list[Release], day: dt.date) -> str:
    same_month = [r.key[2] for r in existing if r.key[:2] == (day.year, day.month)]
    return f"{day.year}.{day.month:02d}.{max(same_month) + 1 if same_month else 0}"


def _check_dcat(void: Path, shapes_dir: Path) -> None:
    """The release's description against the DCAT-AP 3.0.0 shapes the project vendors (kg.shacl)."""
    from kg.shacl import validate

    folder = shapes_dir / "dcat-ap-3.0.0"
    if not folder.is_dir():
        return
    data = rdflib.Graph().parse(void)
    for name in DCAT_AP_CHECKED:
        report = validate(data, rdflib.Graph().parse(folder / f"{name}.ttl"), None)
        if not report.conforms:
            raise BuildError("release", detail=f"the description breaks DCAT-AP 3.0.0 ({name}.ttl):\n"
                                                + report.render(limit=20))


def _describe(folder: Path, version: str, issued: dt.date, day: dt.date) -> None:
    stats = DatasetStats.of_quads(ox.parse(path=str(folder / NQUADS_DUMP), format=ox.RdfFormat.N_QUADS))
    publication = Publication(version=version, issued=issued, modified=day,
                              dumps_base=f"{RELEASES_BASE}{version}/", dataset=f"{DATASET_IRI}/{version}")
    void = describe(stats, folder, publication)
    prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
    ox.serialize(void, str(folder / VOID_FILE), ox.RdfFormat.TURTLE, prefixes=prefixes)


def _changelog_entry(version: str, day: dt.date, previous: Release | None, changes: Diff | None,
                     text: str) -> str:
    head = f"## {version} ({day.isoformat()})\n\n"
    if previous is None or changes is None:
        return head + "First release.\n\n"
    return head + text.replace(f"Changes from {previous.version} to {version}: ", "") + "\n"


def _plan(settings: Settings, version: str | None, day: dt.date) -> tuple[str, Release | None]:
    """The version to release and the release before it; BuildError if this release may not be made."""
    existing = list_releases(settings)
    version = version or next_version(existing, day)
    version_key(version)
    if any(r.version == version for r in existing):
        raise BuildError("release", detail=f"release {version} exists already; releases are never replaced")
    previous = existing[-1] if existing else None
    if previous is not None and version_key(version) <= previous.key:
        raise BuildError("release", detail=f"{version} is not after the latest release {previous.version}")
    return version, previous


def _counts(new: set[Statement], changes: Diff | None) -> dict[str, int]:
    counts = {"statements": len(new)}
    if changes is not None:
        counts |= {"statements_added": len(changes.added), "statements_removed": len(changes.removed),
                   "entities_added": len(changes.entities_added), "entities_removed": len(changes.entities_removed),
                   "entities_changed": len(changes.entities_changed)}
    return counts


def _write(tmp: Path, settings: Settings, build: BuildLayout, meta: dict[str, object], first_day: dt.date,
           changes: Diff | None, text: str) -> None:
    """Everything of one release into *tmp*: copies, its description (checked), changes, metadata, sums."""
    version, day = str(meta["version"]), dt.date.fromisoformat(str(meta["date"]))
    for name in COPIED:
        if (build.dist / name).is_file():
            shutil.copyfile(build.dist / name, tmp / name)
    _describe(tmp, version, first_day, day)
    _check_dcat(tmp / VOID_FILE, settings.shapes_dir)
    if changes is not None:
        (tmp / CHANGES_FILE).write_text(f"# {version}\n\n{text}", encoding="utf-8")
        (tmp / PATCH_FILE).write_text(patch(changes), encoding="utf-8")
    (tmp / RELEASE_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    names = sorted(p.name for p in tmp.iterdir() if p.name != SUMS_FILE)
    (tmp / SUMS_FILE).write_text("".join(f"{sha256_of(tmp / n)}  {n}\n" for n in names), encoding="utf-8")


def make_release(settings: Settings, version: str | None = None, day: dt.date | None = None) -> Release:
    """Release the current build (see the module docstring); BuildError says why not."""
    build = current_build(settings)
    if build is None or not (build.dist / NQUADS_DUMP).is_file():
        raise BuildError("release", detail="no build to release: run `bri-kg build` first")
    day = day or dt.datetime.now(dt.UTC).date()
    version, previous = _plan(settings, version, day)
    new = read_statements(build.dist)
    changes = diff(read_statements(previous.path), new, settings.id_base) if previous else None
    if previous is not None and changes is not None and changes.empty:
        raise BuildError("release", detail=f"nothing changed since release {previous.version}")
    text = summary(changes, previous.version, version, settings.id_base) if changes and previous else ""
    meta: dict[str, object] = {"version": version, "date": day.isoformat(), "build_version": build.version(),
                               "previous": previous.version if previous else None, "changes": _counts(new, changes)}
    folder = releases_dir(settings)
    tmp = folder / f".{version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        first_day = list_releases(settings)[0].date if previous else day
        _write(tmp, settings, build, meta, first_day, changes, text)
        tmp.rename(folder / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _add_to_changelog(folder / CHANGELOG, _changelog_entry(version, day, previous, changes, text))
    release = read_release(folder / version)
    assert release is not None
    return release


def _add_to_changelog(path: Path, entry: str) -> None:
    title = "# BRI-KG data releases\n\nNewest first; written by `bri-kg release` from `bri-kg diff`.\n\n"
    old = path.read_text(encoding="utf-8").removeprefix(title) if path.is_file() else ""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(title + entry + old, encoding="utf-8")
    tmp.replace(path)


def resolve_side(settings: Settings, name: str) -> tuple[str, Path]:
    """A side of ``bri-kg diff``: a release version, ``current`` (the current build) or a path."""
    if name == "current":
        build = current_build(settings)
        if build is None:
            raise FileNotFoundError("no current build: run `bri-kg build` first")
        return f"the current build ({build.version()})", build.root
    if VERSION_RE.match(name) and (releases_dir(settings) / name).is_dir():
        return name, releases_dir(settings) / name
    path = Path(name)
    if not path.exists():
        known = ", ".join(r.version for r in list_releases(settings)) or "none yet"
        raise FileNotFoundError(f"{name}: neither a release ({known}), `current`, nor a file or folder")
    return name, path
