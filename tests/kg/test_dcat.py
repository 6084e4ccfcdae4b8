"""The dataset's description passes the official DCAT-AP 3.0.0 shapes, and every dump states its licence."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, XSD

from kg.config import Settings
from kg.layout import current_build
from kg.shacl import ShapesError
from kg.shacl import validate as kg_validate

SHAPES = Path(__file__).parents[2] / "shapes" / "dcat-ap-3.0.0"
FILES = ("shapes", "range", "shapes_recommended", "mdr-vocabularies.shape")
BASE = "https://w3id.org/bri-kg/"


def _void(settings: Settings) -> rdflib.Graph:
    build = current_build(settings)
    assert build is not None
    return rdflib.Graph().parse(build.dist / "void.ttl")


def top_level(report: rdflib.Graph) -> list[tuple[str, str, str]]:
    """(severity, focus, message) of the results a report gives, not those nested as sh:detail."""
    nested = set(report.objects(None, SH.detail))
    return [(str(report.value(r, SH.resultSeverity)).split("#")[-1], str(report.value(r, SH.focusNode)),
             str(report.value(r, SH.resultMessage)))
            for r in report.subjects(RDF.type, SH.ValidationResult) if r not in nested]


@pytest.mark.parametrize("name", FILES)
def test_the_description_has_no_dcat_ap_violation(corpus_settings: Settings, name: str) -> None:
    """pySHACL over each official shapes file: no violation; warnings are only what cannot apply to us
    (no spatial or temporal extent stated; a publisher that is not an EU corporate body)."""
    shapes = rdflib.Graph().parse(SHAPES / f"{name}.ttl")
    _, report, _ = pyshacl_validate(_void(corpus_settings), shacl_graph=shapes, inference="none")
    results = top_level(report)
    assert [r for r in results if r[0] == "Violation"] == []
    allowed = ("dct:spatial", "dct:temporal", "CorporateBodyRestriction")
    assert all(any(a in message for a in allowed) for _, _, message in results), results


@pytest.mark.parametrize("name", ["range", "shapes_recommended", "mdr-vocabularies.shape"])
def test_the_projects_own_validator_agrees(corpus_settings: Settings, name: str) -> None:
    report = kg_validate(_void(corpus_settings), rdflib.Graph().parse(SHAPES / f"{name}.ttl"), None)
    assert report.conforms  # kg.shacl decides on top-level results; warnings do not fail


def test_the_core_shapes_file_uses_a_term_that_is_not_shacl(corpus_settings: Settings) -> None:
    """shapes.ttl says ``sh:shape`` twice (for sh:node): pySHACL ignores it, kg.shacl refuses to guess."""
    with pytest.raises(ShapesError, match="sh:shape"):
        kg_validate(_void(corpus_settings), rdflib.Graph().parse(SHAPES / "shapes.ttl"), None)


def test_the_catalogue_names_dataset_services_record_and_typed_distributions(corpus_settings: Settings) -> None:
    g = _void(corpus_settings)
    catalog, dataset = rdflib.URIRef(BASE + "catalog"), rdflib.URIRef(BASE + "dataset")
    assert (catalog, DCAT.dataset, dataset) in g
    services = set(g.objects(catalog, DCAT.service))
    assert {rdflib.URIRef(BASE + "sparql"), rdflib.URIRef(BASE + "reconcile")} == services
    for service in services:
        assert (service, DCAT.servesDataset, dataset) in g and g.value(service, DCAT.endpointURL) is not None
    record = g.value(catalog, DCAT.record)
    assert g.value(record, rdflib.FOAF.primaryTopic) == dataset
    for p in (DCTERMS.publisher, DCAT.contactPoint, DCTERMS.issued, DCTERMS.modified, DCAT.keyword, DCAT.theme,
              DCTERMS.license, DCTERMS.rights, DCTERMS.provenance):
        assert g.value(dataset, p) is not None, p
    assert set(g.objects(dataset, DCTERMS.conformsTo)) == {rdflib.URIRef(BASE + "ontology"),
                                                           rdflib.URIRef(BASE + "shapes")}
    distributions = list(g.objects(dataset, DCAT.distribution))
    assert len(distributions) >= 9
    for d in distributions:
        assert g.value(d, DCAT.byteSize).datatype == XSD.decimal
        assert str(g.value(d, DCTERMS["format"])).startswith("http://publications.europa.eu/resource/authority/file-type/")
        assert g.value(d, DCAT.accessURL) is not None and g.value(d, DCAT.downloadURL) is not None


def test_every_dump_states_licence_rights_and_provenance(corpus_settings: Settings) -> None:
    build = current_build(corpus_settings)
    assert build is not None
    for name, fmt in (("bri-kg.nt", "nt"), ("bri-kg.ttl", "turtle")):
        g = rdflib.Graph().parse(build.dist / name, format=fmt)
        dataset = rdflib.URIRef(BASE + "dataset")
        assert (dataset, DCTERMS.license, rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
        rights = g.value(g.value(dataset, DCTERMS.rights), rdflib.RDFS.label)
        assert "quoted passages" in rights and "not distributed in the dumps" in rights
        assert len(list(g.objects(dataset, rdflib.PROV.wasDerivedFrom))) == 5  # the five source documents
