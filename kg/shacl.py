"""SHACL validation with pyshacl, and a report a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which path, which constraint, and what to do."""

    focus: str
    path: str
    component: str
    message: str
    value: str
    severity: str

    def __str__(self) -> str:
        parts = [f"{self.severity}: {self.focus}"]
        if self.path:
            parts.append(f"path {self.path}")
        parts.append(f"constraint {self.component}")
        if self.value:
            parts.append(f"value {self.value}")
        return " | ".join(parts) + f"\n    {self.message}"


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    violations: list[Violation]

    def render(self, limit: int = 50) -> str:
        if self.conforms:
            return "Conforms: no SHACL violations."
        lines = [f"Does not conform: {len(self.violations)} violation(s)."]
        lines += [str(v) for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def load_shapes(shapes_dir: Path) -> Graph:
    graph = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _short(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - fall back to the full IRI
            return str(node)
    return str(node)


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ShaclReport:
    """Validate *data* (plus the ontology, so sh:class sees subclasses) against *shapes*."""
    conforms, results_graph, _ = pyshacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    results_graph.namespace_manager = shapes.namespace_manager
    violations = []
    for result in results_graph.subjects(SH.resultSeverity, None):
        message = results_graph.value(result, SH.resultMessage)
        violations.append(Violation(
            focus=str(results_graph.value(result, SH.focusNode)),
            path=_short(results_graph.value(result, SH.resultPath), shapes),
            component=_short(results_graph.value(result, SH.sourceConstraintComponent), shapes).replace(
                "sh:", "").replace("ConstraintComponent", ""),
            message=str(message) if message is not None else "",
            value=str(results_graph.value(result, SH.value) or ""),
            severity=_short(results_graph.value(result, SH.resultSeverity), shapes).replace("sh:", ""),
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.component, v.value))
    return ShaclReport(bool(conforms), violations)
