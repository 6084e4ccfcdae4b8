"""pySHACL, the reference implementation the validator is tested and benchmarked against (not used by
the build or ``bri-kg validate``; pySHACL is a test dependency).

Its report is turned into the same :class:`~kg.shacl.report.ShaclReport` rows, so the two can be
compared row for row: pySHACL called as the build used to call it (data plus ontology,
``inference="none"``, advanced features on, warnings allowed).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node as RDFNode

from kg.shacl.paths import parse_path
from kg.shacl.report import ShaclReport, Shortener, Violation

SH = Namespace("http://www.w3.org/ns/shacl#")


def _path(results: Graph, node: RDFNode | None, short: Shortener) -> str:
    if node is None:
        return ""
    return parse_path(results, node).render(short)


def validate_pyshacl(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ShaclReport:
    """pySHACL's report on *data* (plus *ontology*) against *shapes*, as ShaclReport rows."""
    from pyshacl import validate

    conforms, results, _text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                        advanced=True, allow_warnings=True)
    assert isinstance(results, Graph)
    return from_results_graph(bool(conforms), results, shapes)


def from_results_graph(conforms: bool, results: Graph, shapes: Graph) -> ShaclReport:
    """ShaclReport rows of a validation report graph (every sh:ValidationResult in it, details included,
    as pySHACL and validators with its API return them)."""
    short = Shortener(shapes)
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        assert isinstance(component, URIRef) and isinstance(severity, URIRef) and focus is not None
        violations.append(Violation(
            focus=str(focus),
            path=_path(results, results.value(result, SH.resultPath), short),
            component=str(component).removeprefix(str(SH)).removesuffix("ConstraintComponent"),
            message=str(message) if message is not None else "",
            value=str(value) if value is not None else "",
            severity=short(ox.NamedNode(str(severity))).removeprefix("sh:"),
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.component, v.value, v.message))
    return ShaclReport(conforms, violations)
