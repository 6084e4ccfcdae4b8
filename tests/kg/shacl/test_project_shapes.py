"""The project's SHACL shapes: a shape for every class; the corpus conforms; broken records are rejected clearly."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from kg.build.pipeline import union_graph
from kg.config import PROJECT_ROOT, Settings
from kg.owl.ontology import OntologyIndex, load_ontology
from kg.shacl import load_shapes, validate
from kg.vocab.rdf import BRI, ID

SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(PROJECT_ROOT / "ontology")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PROJECT_ROOT / "shapes")


@pytest.fixture
def mini_graph(mini_settings: Settings, ontology: Graph) -> Graph:
    from kg.ingest.annotations import load_corpus
    from kg.ingest.mapping import CorpusMapper

    dataset = CorpusMapper(OntologyIndex(ontology)).map(load_corpus(mini_settings.data_dir))
    return union_graph(dataset)


def test_every_class_has_a_node_shape(ontology: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(BRI._NS))}
    assert sorted(str(c) for c in classes - targeted) == []


def test_mini_corpus_conforms(mini_graph: Graph, shapes: Graph, ontology: Graph) -> None:
    report = validate(mini_graph, shapes, ontology)
    assert report.conforms, report.render()


def test_real_corpus_conforms(corpus_settings: Settings, shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(corpus_settings.dist_dir / "bri-kg.nt", format="nt")
    report = validate(data, shapes, ontology)
    assert report.conforms, report.render()


STAT = ID["statistic/china-science-agreements"]
CONF = ID["conference/mini-conference-2025"]


def _violations(graph: Graph, shapes: Graph, ontology: Graph):
    report = validate(graph, shapes, ontology)
    assert not report.conforms
    return report


def test_statistic_without_value_names_node_and_constraint(mini_graph, shapes, ontology) -> None:
    mini_graph.remove((STAT, BRI.value, None))
    report = _violations(mini_graph, shapes, ontology)
    [v] = report.violations
    assert v.focus == str(STAT)
    assert v.component == "MinCount"
    assert "exactly one value" in v.message
    assert str(STAT) in report.render() and "MinCount" in report.render()


def test_conference_held_in_a_topic_is_rejected(mini_graph, shapes, ontology) -> None:
    mini_graph.set((CONF, BRI.heldIn, ID["topic/food-security"]))
    [v] = _violations(mini_graph, shapes, ontology).violations
    assert (v.focus, v.path, v.component) == (str(CONF), "bri:heldIn", "Class")


def test_ill_formed_date_is_rejected(mini_graph, shapes, ontology) -> None:
    mini_graph.set((CONF, BRI.startDate, Literal("10 June 2025", datatype=XSD.date)))
    components = {v.component for v in _violations(mini_graph, shapes, ontology).violations}
    assert {"Datatype", "Pattern"} <= components


def test_entity_without_evidence_is_rejected(mini_graph, shapes, ontology) -> None:
    mini_graph.remove((CONF, BRI.evidence, None))
    [v] = _violations(mini_graph, shapes, ontology).violations
    assert (v.focus, v.path, v.component) == (str(CONF), "bri:evidence", "MinCount")


def test_second_preferred_label_is_rejected(mini_graph, shapes, ontology) -> None:
    from rdflib.namespace import RDFS

    mini_graph.add((CONF, RDFS.label, Literal("Another name", lang="en")))
    [v] = _violations(mini_graph, shapes, ontology).violations
    assert (v.focus, v.component) == (str(CONF), "UniqueLang")


def test_start_after_end_is_rejected(mini_graph, shapes, ontology) -> None:
    mini_graph.add((CONF, BRI.endDate, Literal("2025-06-01", datatype=XSD.date)))
    [v] = _violations(mini_graph, shapes, ontology).violations
    assert (v.focus, v.component) == (str(CONF), "LessThanOrEquals")


def test_evidence_without_position_selector_is_rejected(mini_graph, shapes, ontology) -> None:
    ev = next(iter(mini_graph.objects(CONF, BRI.evidence)))
    target = URIRef(f"{ev}#target")
    mini_graph.remove((target, None, URIRef(f"{ev}#position")))
    report = _violations(mini_graph, shapes, ontology)
    assert {v.component for v in report.violations} >= {"QualifiedMinCount"} or \
        any("TextPositionSelector" in v.message for v in report.violations)


def test_new_terms_have_shapes(mini_graph, shapes, ontology) -> None:
    """A membership date is a date or a year; a region acts; a domain clash is caught before the reasoner."""
    aff = ID["affiliation/mini"]
    mini_graph.add((aff, RDF.type, BRI.Affiliation))
    mini_graph.add((aff, BRI.heldFrom, Literal("June 2018")))
    mini_graph.add((CONF, BRI.organizer, ID["place/china"]))          # a conference's organizer: fine
    mini_graph.add((ID["topic/food-security"], BRI.organizer, ID["place/china"]))  # a topic's: a clash
    report = validate(mini_graph, shapes, ontology)
    found = {(v.focus, v.path, v.component) for v in report.violations}
    assert (str(aff), "bri:heldFrom", "Pattern") in found
    assert (str(ID["topic/food-security"]), "bri:organizer", "MaxCount") in found
    assert not any(v.focus == str(CONF) for v in report.violations)


def test_shapes_outside_shacl_core_fail_the_build_naming_the_shape(mini_graph, ontology) -> None:
    from rdflib import Graph as RDFGraph

    from kg.build.pipeline import validate as build_validate
    from kg.errors import BuildError

    bad = RDFGraph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .""",
                           format="turtle")
    with pytest.raises(BuildError, match="ex:S uses sh:sparql"):
        build_validate(mini_graph, bad, ontology)
