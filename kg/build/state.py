"""What a build keeps for the next, incremental one: the loaded annotations with their digests, and the
OWL signatures found consistent. Everything else an incremental build reuses is in the build itself
(the N-Quads and N-Triples dumps hold every document's lines and the union; the store, the index).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import Settings
from kg.ingest.annotations import LoadedDocument
from kg.ingest.mapping import CorpusMapper
from kg.owl.signatures import Sig
from kg.publish.stats import DatasetStats

KG_PACKAGE = Path(__file__).resolve().parent.parent  # kg/
STATE_FORMAT = 4  # 4: the dates stated (VoID's modified date), reference data in the context


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_digest() -> str:
    """The build code's own text (every module of ``kg``): the package version stays 0.1.0 between
    commits, so a changed mapping or check must be noticed from the code itself."""
    digest = hashlib.sha256()
    for path in sorted(KG_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(KG_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def context_digest(settings: Settings, code_version: str) -> str:
    """What every document's mapping and checks depend on besides the documents: the ontology, the shapes,
    the reference data, the code. A change there means a full build."""
    digest = hashlib.sha256(f"{STATE_FORMAT} {code_version} {code_digest()} {settings.id_base}".encode())
    for folder in (settings.ontology_dir, settings.shapes_dir, *reference_folders(settings)):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
            digest.update(str(path.relative_to(folder.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def reference_folders(settings: Settings) -> list[Path]:
    """The reference data a build maps besides the annotations (``kg.build.reference``): a change there
    means a full build too."""
    return [settings.data_dir / "gazetteer", settings.data_dir / "names"]


@dataclass
class BuildState:
    """The state a build leaves for the next one (``kg.layout.BuildLayout.state_file``)."""

    context: str
    documents: dict[str, tuple[str, LoadedDocument]]  # annotation file path -> (its digest, the document)
    signatures: set[Sig] = field(default_factory=set)
    stats: DatasetStats | None = None  # what VoID says of the build, updated by an incremental one
    definitions: dict[str, tuple] = field(default_factory=dict)  # entity id -> what mapping reads of it

    @classmethod
    def of(cls, context: str, corpus: list[LoadedDocument]) -> BuildState:
        return cls(context, {str(doc.path): (file_digest(doc.path), doc) for doc in corpus})

    def write(self, path: Path) -> None:
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)

    @classmethod
    def read(cls, path: Path) -> BuildState | None:
        """The state at *path*, or None if there is none or it is unreadable (then: a full build)."""
        try:
            state = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, AttributeError, ImportError, EOFError):
            return None
        return state if isinstance(state, cls) else None


def definition_keys(mapper: CorpusMapper) -> dict[str, tuple]:
    """Per entity id, what other documents' mapping reads of its definition: its types and labels."""
    return {k: (sorted(d.types), sorted(d.labels)) for k, d in mapper.definitions.items()}
