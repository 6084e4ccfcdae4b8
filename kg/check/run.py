"""``bri-kg check FILE.yaml``: one annotation file against the current corpus, nothing published.

The file takes the place of the annotation file of the same name (or joins the corpus if new), and
the build's validating stages run: loading, mapping (quotes, references, values), SHACL, OWL. The
first failing stage reports every problem it finds, each naming file, record (line), fact and fix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.check.stages import ReferenceData, check_documents, corpus_with
from kg.config import Settings
from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import LoadedDocument, load_annotation_file, load_corpus
from kg.owl.ontology import load_ontology
from kg.shacl import load_shapes


@dataclass
class CheckReport:
    """The outcome of a check: passed, or the stage that failed and its problems."""

    file: str
    stage: str = ""
    problems: list[DataProblem] = field(default_factory=list)
    seconds: float = 0.0
    triples: int = 0

    @property
    def ok(self) -> bool:
        return not self.stage

    def render(self) -> str:
        if self.ok:
            return (f"{self.file}: passes loading, quotes, references, SHACL and OWL against the corpus "
                    f"({self.triples} triples, {self.seconds:.1f}s); nothing was published")
        lines = [f"{self.file}: {self.stage} failed ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def _other_files(settings: Settings, path: Path) -> list[LoadedDocument]:
    """The corpus without the checked file (which may live outside data/annotations)."""
    return [d for d in load_corpus(settings.data_dir) if d.path.resolve() != path.resolve()]


def check_file(settings: Settings, path: Path) -> CheckReport:
    """Check *path* against the corpus of *settings*; never writes a build."""
    started = time.perf_counter()
    report = CheckReport(str(path))
    try:
        doc = load_annotation_file(path, settings.data_dir)
        corpus = corpus_with(_other_files(settings, path), doc)
        ontology = load_ontology(settings.ontology_dir)
        validated = check_documents(corpus, ontology, load_shapes(settings.shapes_dir), focus=doc,
                                    reference=ReferenceData.load(settings))
        report.triples = len(validated.data)
    except BuildError as exc:
        report.stage = exc.stage
        mine = [p for p in exc.problems if doc_name_in(p, path)]
        report.problems = mine + [p for p in exc.problems if p not in mine]
        if exc.detail and not exc.problems:
            report.problems = [DataProblem(str(path), "file", exc.detail)]
    report.seconds = time.perf_counter() - started
    return report


def doc_name_in(problem: DataProblem, path: Path) -> bool:
    return path.name in problem.file
