"""The files of a build, named once: the build writes them, the CLI and the API read them.

A build is a directory under ``var/builds/``; ``var/current`` (a symlink, swapped atomically)
names the one being served, and ``dist`` points at its dumps::

    <build>/store/          the on-disk Oxigraph store (document graphs, ontology graph, union)
    <build>/dist/           dumps, compacted JSON-LD and its context, VoID/DCAT, ontology.ttl, shapes.ttl, SHA256SUMS
    <build>/index.sqlite    the entity index (names, labels, types, entity-to-entity edges)
    <build>/sources/        the source documents' texts, as bri:sourceFile names them (sources/NAME.txt)
    <build>/COUNTS.json     triples and quads, so a server need not count them
    <build>/VERSION         code version + input digest
    <build>/STATE.pickle    what an incremental build reuses: the loaded annotations, their digests,
                            the OWL signatures checked (kg.build.incremental)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings

STORE_DIR = "store"
DIST_DIR = "dist"
INDEX_FILE = "index.sqlite"
SOURCES_DIR = "sources"  # the texts, so a server shows a document without the data directory
COUNTS_FILE = "COUNTS.json"
VERSION_FILE = "VERSION"
STATE_FILE = "STATE.pickle"
SUMS_FILE = "SHA256SUMS"
NQUADS_DUMP = "bri-kg.nq"
NTRIPLES_DUMP = "bri-kg.nt"
ONTOLOGY_FILE = "ontology.ttl"
SHAPES_FILE = "shapes.ttl"
VOID_FILE = "void.ttl"
COMPACT_JSONLD = "bri-kg.compact.jsonld"  # one node per entity, compacted with CONTEXT_FILE (kg.publish.jsonld)
CONTEXT_FILE = "context.jsonld"  # the JSON-LD @context, served at https://w3id.org/bri-kg/context.jsonld


@dataclass(frozen=True)
class DumpFile:
    """One dump of a build: its file name, media type, title, and whether it keeps the named graphs."""

    filename: str
    format: str  # a key of the RDF formats (turtle, ntriples, nquads, trig, jsonld)
    media_type: str
    keeps_graphs: bool
    title: str


DUMP_FILES: tuple[DumpFile, ...] = (
    DumpFile("bri-kg.ttl", "turtle", "text/turtle", False, "Turtle, union of all graphs"),
    DumpFile(NTRIPLES_DUMP, "ntriples", "application/n-triples", False, "N-Triples, union of all graphs"),
    DumpFile(NQUADS_DUMP, "nquads", "application/n-quads", True, "N-Quads, one graph per document"),
    DumpFile("bri-kg.trig", "trig", "application/trig", True, "TriG, one graph per document"),
    DumpFile("bri-kg.jsonld", "jsonld", "application/ld+json", True, "JSON-LD, one graph per document"),
)
# The other files of dist/: media type and title.
EXTRA_FILES: dict[str, tuple[str, str]] = {
    ONTOLOGY_FILE: ("text/turtle", "The OWL ontology (Turtle)"),
    SHAPES_FILE: ("text/turtle", "SHACL shapes (Turtle)"),
    VOID_FILE: ("text/turtle", "VoID/DCAT description of the dataset (Turtle)"),
    COMPACT_JSONLD: ("application/ld+json", "JSON-LD compacted with the context, one node per entity (union)"),
    CONTEXT_FILE: ("application/ld+json", "The JSON-LD @context of the compacted JSON-LD"),
    SUMS_FILE: ("text/plain", "SHA-256 checksums of every file"),
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildLayout:
    """The paths of one build directory."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / STORE_DIR

    @property
    def dist(self) -> Path:
        return self.root / DIST_DIR

    @property
    def index(self) -> Path:
        return self.root / INDEX_FILE

    @property
    def sources(self) -> Path:
        return self.root / SOURCES_DIR

    def source_text(self, source_file: str) -> str | None:
        """The text of a document whose ``bri:sourceFile`` is *source_file* (``sources/NAME.txt``), if
        this build has it; None for a name that would leave the sources folder."""
        name = source_file.removeprefix(SOURCES_DIR + "/")
        path = self.sources / name
        if "/" in name or name.startswith(".") or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")

    @property
    def counts_file(self) -> Path:
        return self.root / COUNTS_FILE

    @property
    def version_file(self) -> Path:
        return self.root / VERSION_FILE

    @property
    def state_file(self) -> Path:
        return self.root / STATE_FILE

    def version(self) -> str:
        return self.version_file.read_text(encoding="utf-8").strip() if self.version_file.is_file() else ""

    def counts(self) -> dict[str, int]:
        """Triples and quads the build recorded (empty for a store built otherwise)."""
        if not self.counts_file.is_file():
            return {}
        counts: dict[str, int] = json.loads(self.counts_file.read_text(encoding="utf-8"))
        return counts

    def open_store(self) -> ox.Store:
        """The build's store, read-only; FileNotFoundError if it has none."""
        if not self.store.is_dir():
            raise FileNotFoundError(f"no store at {self.store}: run `bri-kg build` first")
        return ox.Store.read_only(str(self.store))


def current_build(settings: Settings) -> BuildLayout | None:
    """The build ``var/current`` points at, if there is one."""
    link = settings.current_link
    return BuildLayout(link.resolve()) if link.is_symlink() and link.resolve().is_dir() else None
