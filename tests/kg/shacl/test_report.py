"""The report people read (SHACL §3.6): rows, severities, conformance, rendering."""

from __future__ import annotations

from rdflib import Graph

from kg.shacl import validate

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _report(shapes: str, data: str):  # noqa: ANN202 - a ShaclReport
    return validate(Graph().parse(data=PREFIXES + data, format="turtle"),
                    Graph().parse(data=PREFIXES + shapes, format="turtle"))


def test_conforming_data_renders_one_line() -> None:
    report = _report("ex:S sh:targetNode ex:a ; sh:nodeKind sh:IRI .", "ex:a ex:p 1 .")
    assert report.conforms and report.violations == []
    assert report.render() == "Conforms: no SHACL violations."


def test_violation_row_names_focus_path_component_value_and_message() -> None:
    report = _report("""ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ;
                        sh:message "p is text" ] .""", "ex:a ex:p 1 .")
    assert not report.conforms
    [row] = report.violations
    assert (row.focus, row.path, row.component, row.value, row.message, row.severity) == \
        ("http://example.org/a", "ex:p", "Datatype", "1", "p is text", "Violation")
    text = report.render()
    assert text.startswith("Does not conform: 1 violation(s).")
    assert "Violation: http://example.org/a | path ex:p | constraint Datatype | value 1\n    p is text" in text


def test_warnings_and_infos_are_reported_but_conform() -> None:
    report = _report("""ex:S sh:targetNode ex:a ; sh:severity sh:Warning ; sh:class ex:C ;
                        sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Info ] .""", "ex:a ex:p 1 .")
    assert report.conforms
    assert sorted(v.severity for v in report.violations) == ["Info", "Warning"]
    assert report.render().startswith("Conforms, with 2 warning(s) or info(s).")


def test_a_warning_node_shape_does_not_fail_on_its_nested_violations() -> None:
    """Conformance is decided on the top-level results: the sh:node result is a Warning; the nested
    result (a detail, listed after it) keeps its own shape's severity."""
    report = _report("""ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:T ; sh:severity sh:Warning ] .
                        ex:T sh:datatype xsd:string .""", "ex:a ex:p 1 .")
    assert [(v.component, v.severity) for v in report.violations] == [("Datatype", "Violation"), ("Node", "Warning")]
    assert report.conforms


def test_complex_paths_are_written_as_sparql_property_paths() -> None:
    report = _report("""ex:S sh:targetNode ex:a ;
        sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:minCount 1 ] ;
        sh:property [ sh:path [ sh:alternativePath ( ex:p [ sh:zeroOrMorePath ex:r ] ) ] ; sh:maxCount 0 ] .""",
                     "ex:a ex:p ex:b .")
    assert sorted(v.path for v in report.violations) == ["ex:p/^ex:q", "ex:p|ex:r*"]


def test_defaults_messages_when_the_shape_has_none() -> None:
    report = _report("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 2 ] .", "ex:a ex:p 1 .")
    assert [v.message for v in report.violations] == ["Fewer than 2 values"]
