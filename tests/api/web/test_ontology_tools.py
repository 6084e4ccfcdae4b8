"""The ontology for OWL tools and people: owlready2 loads it by URL from the real server; suffixes, the
version IRI, RDF/XML with its prefixes for clients with no preference, and the readable page."""

from __future__ import annotations

import httpx
import owlready2
import pytest
import rdflib

from tests.api.conftest import Server

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ONTOLOGY = "https://w3id.org/bri-kg/ontology"


def test_owlready2_loads_the_ontology_by_url(server: Server) -> None:
    """owlready2 fetches with urllib and no Accept header, then sniffs the syntax: it must get RDF/XML
    it recognises (namespace prefixes declared), and find our classes and properties in it."""
    world = owlready2.World()
    try:
        onto = world.get_ontology(server.url + "/ontology").load()
        assert onto.loaded
        conference = world.search_one(iri=ONTOLOGY + "#Conference")
        assert conference is not None and conference.label.en == ["Conference"] or conference.label
        held_in = world.search_one(iri=ONTOLOGY + "#heldIn")
        assert held_in is not None and any(issubclass(conference, domain) for domain in held_in.domain)
        assert len(list(world.classes())) > 30
    finally:
        world.close()


@pytest.mark.parametrize("headers", [{}, {"Accept": "*/*"}])
def test_clients_with_no_preference_get_rdf_xml_with_prefixes(client: httpx.Client, headers: dict) -> None:
    request = client.build_request("GET", "/ontology", headers=headers)
    if not headers:
        del request.headers["accept"]  # as urllib (owlready2) sends it: no Accept at all
    response = client.send(request)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/rdf+xml")
    head = response.text[:2000]
    assert "<rdf:RDF" in head and 'xmlns:owl="http://www.w3.org/2002/07/owl#"' in head
    assert 'xmlns:bri="https://w3id.org/bri-kg/ontology#"' in head
    graph = rdflib.Graph().parse(data=response.content, format="xml")
    assert (rdflib.URIRef(ONTOLOGY), rdflib.RDF.type, rdflib.OWL.Ontology) in graph


@pytest.mark.parametrize(("suffix", "media", "fmt"), [
    ("owl", "application/rdf+xml", "xml"), ("rdf", "application/rdf+xml", "xml"), ("ttl", "text/turtle", "turtle"),
    ("jsonld", "application/ld+json", "json-ld"), ("nt", "application/n-triples", "nt")])
def test_suffixes_name_the_syntax(client: httpx.Client, suffix: str, media: str, fmt: str) -> None:
    response = client.get(f"/ontology.{suffix}", headers={"Accept": "text/html"})  # the suffix wins
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    graph = rdflib.Graph().parse(data=response.content, format=fmt)
    assert (rdflib.URIRef(ONTOLOGY + "#Conference"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert client.get("/ontology.exe").status_code == 404


def test_turtle_by_accept_and_the_version_iri_dereferences(client: httpx.Client) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    version_iri = graph.value(rdflib.URIRef(ONTOLOGY), rdflib.OWL.versionIRI)
    local = str(version_iri).replace("https://w3id.org/bri-kg", "")
    versioned = client.get(local, headers={"Accept": "text/turtle"})
    assert versioned.status_code == 200 and versioned.text == turtle.text
    assert client.get(local).headers["content-type"].startswith("application/rdf+xml")
    assert client.get("/ontology/0.0.9").status_code == 404


def test_the_page_has_contents_metadata_and_domain_and_range_cross_references(client: httpx.Client) -> None:
    page = client.get("/ontology", headers={"Accept": HTML}).text
    assert 'id="contents"' in page and 'id="metadata"' in page
    assert "Version IRI" in page and ONTOLOGY + "/" in page and "Licence" in page
    conference = page[page.index('<section class="term" id="Conference">'):]
    conference = conference[: conference.index("</section>")]
    assert "In domain of" in conference and 'href="/ontology#editionNumber"' in conference
    series = page[page.index('<section class="term" id="ConferenceSeries">'):]
    assert "In range of" in series[: series.index("</section>")]
    event = page[page.index('<section class="term" id="Event">'):]
    assert 'href="/ontology#heldIn"' in event[: event.index("</section>")]
