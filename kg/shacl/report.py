"""Validation results and the report a person reads (SHACL §3.6).

:class:`Result` is one validation result as the engine produces it (terms, the path object, the source
shape); :class:`ShaclReport` with its :class:`Violation` rows is what the build and ``bri-kg validate``
print: IRIs shortened with the shapes graph's prefixes, one row per result, results nested under a
``sh:node`` result (``sh:detail``) listed after it, as pySHACL lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.shacl.terms import Term, text

if TYPE_CHECKING:
    from kg.shacl.paths import Path
    from kg.shacl.shapes import Shape

SH = "http://www.w3.org/ns/shacl#"
VIOLATION = ox.NamedNode(f"{SH}Violation")


@dataclass(frozen=True, slots=True)
class Result:
    """One validation result (§3.6.2): focus node, path, value, source shape and component."""

    focus: Term
    path: Path | None
    component: str          # local name without "ConstraintComponent", e.g. "MinCount"
    value: Term | None
    shape: Shape
    default_message: str
    details: tuple[Result, ...] = ()

    @property
    def component_iri(self) -> str:
        return f"{SH}{self.component}ConstraintComponent"

    @property
    def severity(self) -> ox.NamedNode:
        return self.shape.severity

    def walk(self) -> Iterator[Result]:
        """This result, then its details, depth first."""
        yield self
        for detail in self.details:
            yield from detail.walk()


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
    """``conforms`` is false when there is a result of severity sh:Violation (warnings and infos are
    reported but do not fail a build)."""

    conforms: bool
    violations: list[Violation]

    def render(self, limit: int = 50) -> str:
        if not self.violations:
            return "Conforms: no SHACL violations."
        count = len(self.violations)
        lines = [f"Conforms, with {count} warning(s) or info(s)." if self.conforms
                 else f"Does not conform: {count} violation(s)."]
        lines += [str(v) for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines)

    def keys(self) -> list[tuple[str, str, str, str]]:
        """(focus, path, component, value) of every row: what comparisons between validators use."""
        return [(v.focus, v.path, v.component, v.value) for v in self.violations]


def message_of(result: Result) -> str:
    """The shape's sh:message (English or untagged preferred when there are several), else the
    component's own wording."""
    messages = result.shape.messages
    if not messages:
        return result.default_message
    preferred = [m for m in messages if m.language in (None, "en")] or list(messages)
    return str(sorted(preferred, key=str)[0])


class Shortener:
    """IRIs written with the shapes graph's prefixes (``bri:value``), full IRIs otherwise."""

    def __init__(self, shapes: Graph) -> None:
        self.manager = shapes.namespace_manager
        self.cache: dict[ox.NamedNode, str] = {}

    def __call__(self, term: ox.NamedNode) -> str:
        known = self.cache.get(term)
        if known is None:
            known = term.value
            with suppress(Exception):   # an IRI that makes no valid prefixed name stays whole
                known = self.manager.normalizeUri(URIRef(known))
            if known.startswith("<") and known.endswith(">"):
                known = known[1:-1]
            self.cache[term] = known
        return known


def make_report(results: Iterable[Result], shapes: Graph) -> ShaclReport:
    """The report of *results*, details flattened after their parent, sorted for reading. It conforms
    unless a result (a top-level one: details explain a result, they are not results of the report)
    has severity sh:Violation."""
    short = Shortener(shapes)
    violations: list[Violation] = []
    failed = False
    for top in results:
        failed = failed or top.severity == VIOLATION
        for result in top.walk():
            severity = short(result.severity).removeprefix("sh:")
            violations.append(Violation(
                focus=text(result.focus),
                path=result.path.render(short) if result.path is not None else "",
                component=result.component,
                message=message_of(result),
                value=text(result.value) if result.value is not None else "",
                severity=severity,
            ))
    violations.sort(key=lambda v: (v.focus, v.path, v.component, v.value, v.message))
    return ShaclReport(not failed, violations)


__all__ = ["Result", "ShaclReport", "Violation", "make_report", "message_of"]
