"""The ontology: consistent under HermiT, every term documented, aligned to known vocabularies."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from kg.config import PROJECT_ROOT
from kg.owl.ontology import load_ontology
from kg.owl.reason import check_consistency, reasoning_copy
from kg.vocab.rdf import BRI, ID

BRI_NS = str(BRI._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(PROJECT_ROOT / "ontology")


def bri_terms(ontology: Graph) -> set[URIRef]:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    return {s for s, _, k in ontology.triples((None, RDF.type, None))
            if k in kinds and isinstance(s, URIRef) and str(s).startswith(BRI_NS)}


def test_ontology_is_consistent_under_hermit(ontology: Graph) -> None:
    result = check_consistency(ontology)
    assert result.consistent, result.message


def test_contradictory_individual_is_reported_inconsistent(ontology: Graph) -> None:
    """A thing that is both a person and an organization violates the disjointness axioms."""
    broken = Graph() + ontology
    thing = ID["person/both"]
    broken.add((thing, RDF.type, BRI.Person))
    broken.add((thing, RDF.type, BRI.Organization))
    result = check_consistency(broken)
    assert not result.consistent


def test_conference_used_as_place_is_inconsistent(ontology: Graph) -> None:
    """bri:heldIn's range is Place, and Place is disjoint with Conference: a reasoner must catch it."""
    broken = Graph() + ontology
    conf, other = ID["conference/a"], ID["conference/b"]
    broken.add((conf, RDF.type, BRI.Conference))
    broken.add((other, RDF.type, BRI.Conference))
    broken.add((conf, BRI.heldIn, other))
    assert not check_consistency(broken).consistent


def test_dates_do_not_stop_the_reasoner(ontology: Graph) -> None:
    """HermiT rejects xsd:date; the reasoning copy leaves dates to SHACL instead of failing."""
    data = Graph() + ontology
    conf = ID["conference/dated"]
    data.add((conf, RDF.type, BRI.Conference))
    data.add((conf, BRI.startDate, Literal("2025-06-10", datatype=XSD.date)))
    copy = reasoning_copy(data)
    assert (conf, BRI.startDate, None) not in copy
    assert (BRI.startDate, RDFS.range, RDFS.Literal) in copy
    assert check_consistency(data).consistent


def test_every_term_has_a_label_and_a_definition(ontology: Graph) -> None:
    terms = bri_terms(ontology)
    assert len(terms) > 60
    missing = sorted(str(t) for t in terms
                     if ontology.value(t, RDFS.label) is None or ontology.value(t, SKOS.definition) is None)
    assert missing == []


def test_every_property_has_a_domain_or_range(ontology: Graph) -> None:
    props = {s for s in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(s).startswith(BRI_NS)}
    props |= {s for s in ontology.subjects(RDF.type, OWL.DatatypeProperty) if str(s).startswith(BRI_NS)}
    bare = sorted(str(p) for p in props
                  if ontology.value(p, RDFS.domain) is None and ontology.value(p, RDFS.range) is None
                  and p not in {BRI.refersTo, BRI.implements})
    assert bare == []


def test_every_class_is_aligned_to_a_standard_vocabulary(ontology: Graph) -> None:
    """A consumer who knows only schema.org / ORG / PROV / SKOS / OA still understands each class."""
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(BRI_NS):
            continue
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert any(not str(s).startswith(BRI_NS) for s in supers), f"{cls} has no external superclass"


def test_required_classes_exist(ontology: Graph) -> None:
    required = ["ConferenceSeries", "Conference", "Declaration", "Initiative", "ActionPlan", "Commitment",
                "JointLab", "JointLabBatch", "Alliance", "Program", "Organization", "Person", "Role", "City",
                "Province", "Country", "Report", "Topic", "Statistic", "SourceDocument", "Evidence"]
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    assert [c for c in required if BRI[c] not in classes] == []


def test_ontology_metadata(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/bri-kg/ontology")
    assert ontology.value(header, OWL.versionIRI) is not None
    assert ontology.value(header, DCTERMS.license) is not None
    assert ontology.value(header, DCTERMS.modified) is not None


# -- what real articles say (ontology 1.1) -------------------------------------------------------------
def _with(ontology: Graph, *triples: tuple) -> Graph:
    data = Graph() + ontology
    for t in triples:
        data.add(t)
    return data


def test_a_region_acts_without_a_second_entity(ontology: Graph) -> None:
    """ASEAN launches a program and pledges: one Region entity, also an agent."""
    asean, program = ID["place/asean"], ID["program/p"]
    data = _with(ontology, (asean, RDF.type, BRI.Region), (program, RDF.type, BRI.Program),
                 (program, BRI.launchedBy, asean))
    assert check_consistency(data).consistent
    assert (BRI.Region, RDFS.subClassOf, BRI.Agent) in ontology


def test_programs_and_events_have_organizers_reports_do_not(ontology: Graph) -> None:
    org, program, ceremony, report = ID["organization/o"], ID["program/p"], ID["event/e"], ID["report/r"]
    base = [(org, RDF.type, BRI.Organization), (program, RDF.type, BRI.Program), (ceremony, RDF.type, BRI.Event),
            (report, RDF.type, BRI.Report)]
    ok = _with(ontology, *base, (program, BRI.organizer, org), (ceremony, BRI.organizer, org))
    assert check_consistency(ok).consistent
    assert not check_consistency(_with(ontology, *base, (report, BRI.organizer, org))).consistent


def test_a_conference_is_an_event_with_sub_events(ontology: Graph) -> None:
    conference, ceremony = ID["conference/c"], ID["event/opening"]
    data = _with(ontology, (conference, RDF.type, BRI.Conference), (ceremony, RDF.type, BRI.Event),
                 (ceremony, BRI.subEventOf, conference),
                 (ceremony, BRI.date, Literal("2025-06-11", datatype=XSD.date)))
    assert check_consistency(data).consistent


def test_a_pledge_in_a_speech_and_a_joint_labs_program(ontology: Graph) -> None:
    pledge, speech, lab, program = ID["commitment/c"], ID["participation/p"], ID["joint-lab/l"], ID["program/p"]
    data = _with(ontology, (pledge, RDF.type, BRI.Commitment), (speech, RDF.type, BRI.Participation),
                 (pledge, BRI.pledgedDuring, speech), (lab, RDF.type, BRI.JointLab), (program, RDF.type, BRI.Program),
                 (lab, BRI.inProgram, program))
    assert check_consistency(data).consistent
    assert not check_consistency(_with(data, (lab, BRI.inProgram, speech))).consistent


def test_dated_positions_and_inferred_facts_reason(ontology: Graph) -> None:
    aff, ev, doc = ID["affiliation/a"], ID["evidence/d/x/q1"], ID["document/d"]
    data = _with(ontology, (aff, RDF.type, BRI.Affiliation),
                 (aff, BRI.heldFrom, Literal("2018", datatype=XSD.gYear)),
                 (ev, RDF.type, BRI.Evidence), (ev, BRI.inferred, Literal(True)),
                 (ev, BRI.reasoning, Literal("The dateline gives no year.")), (doc, RDF.type, BRI.SourceDocument),
                 (ev, BRI.inferredFrom, doc))
    assert check_consistency(data).consistent
    assert (BRI.heldFrom, RDFS.range, RDFS.Literal) in reasoning_copy(data)  # dates and years go to SHACL
