"""Dereferenceable entity IRIs: /id/... with content negotiation, HTML pages, 404s."""

from __future__ import annotations

import json
import re

import httpx
import pytest
import rdflib

from tests.api.conftest import BRI, ID

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what a browser sends
CHENGDU = ID + "place/chengdu"
CONF = ID + "conference/mini-conference-2026"


def ctype(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        (None, "text/turtle", "turtle"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_rdf_by_accept_keeps_canonical_iris(client: httpx.Client, accept: str | None, media: str, fmt: str) -> None:
    response = client.get("/id/place/chengdu", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and ctype(response) == media
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.content, format=fmt)
    chengdu = rdflib.URIRef(CHENGDU)
    assert (chengdu, rdflib.RDF.type, rdflib.URIRef(BRI + "City")) in graph
    assert (chengdu, rdflib.URIRef(BRI + "locatedIn"), rdflib.URIRef(ID + "place/china")) in graph
    # incoming links and the labels of neighbours make the description self-contained
    assert (rdflib.URIRef(CONF), rdflib.URIRef(BRI + "heldIn"), chengdu) in graph
    assert (
        rdflib.URIRef(CONF),
        rdflib.RDFS.label,
        rdflib.Literal("Second Mini Science Conference", lang="en"),
    ) in graph
    assert "127.0.0.1" not in response.text  # RDF keeps the canonical IRIs


def test_format_parameter(client: httpx.Client) -> None:
    assert ctype(client.get("/id/place/chengdu", params={"format": "jsonld"})) == "application/ld+json"
    assert ctype(client.get("/id/place/chengdu", params={"format": "html"})) == "text/html"
    json.loads(client.get("/id/place/chengdu", params={"format": "jsonld"}).text)


def test_html_page_for_browsers(client: httpx.Client) -> None:
    response = client.get("/id/conference/mini-conference-2026", headers={"Accept": HTML})
    assert response.status_code == 200 and ctype(response) == "text/html"
    assert "Accept" in response.headers["vary"]
    page = response.text
    assert '<h1 id="label">Second Mini Science Conference</h1>' in page
    assert "Also known as: Second Mini Conference" in page
    assert "The second edition of the mini conference series" in page  # description
    assert 'href="/ontology#Conference"' in page  # type, linked to the ontology page on this server
    assert 'href="/id/place/chengdu">Chengdu</a>' in page  # outgoing relation, labelled, local link
    assert 'href="/id/alliance/mini-food-security-alliance">Mini Food Security Alliance</a>' in page  # incoming
    assert "launched at" in page
    # statistics reported at this conference, with their source passage
    assert "Delegates at the Second Mini Science Conference" in page
    assert "More than 1,200 delegates attended" in page
    # evidence quotes with their documents
    assert "<mark>May 20, 2026</mark>" in page
    assert 'href="/id/document/second-bulletin">Second Mini Conference Bulletin</a>' in page
    assert 'href="/ontology#startDate">start date</a>' in page  # which property the quote supports
    assert not re.search(r'href="https://w3id\.org/bri-kg/id/', page)  # links stay on this server


def test_accented_names_render(client: httpx.Client) -> None:
    page = client.get("/id/person/zhang-wei", headers={"Accept": HTML}).text
    assert '<h1 id="label">Zhāng Wěi</h1>' in page
    assert "Zhang Wei" in page


def test_document_page(client: httpx.Client) -> None:
    page = client.get("/id/document/mini-report", headers={"Accept": HTML}).text
    assert "Mini Conference Report" in page
    assert 'href="/id/place/chengdu"' in page  # mentions


def test_evidence_iri_resolves_with_its_selectors(client: httpx.Client) -> None:
    path = "/id/evidence/mini-report/place/chengdu/q1"
    response = client.get(path, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    exact = rdflib.URIRef("http://www.w3.org/ns/oa#exact")
    assert rdflib.Literal("held in Chengdu") in set(graph.objects(None, exact))
    assert client.get(path, headers={"Accept": HTML}).status_code == 200


def test_unknown_iri_is_404(client: httpx.Client) -> None:
    page = client.get("/id/place/atlantis", headers={"Accept": HTML})
    assert page.status_code == 404 and ctype(page) == "text/html"
    assert "https://w3id.org/bri-kg/id/place/atlantis" in page.text
    rdf = client.get("/id/place/atlantis", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 404 and "Not found" in rdf.text


def test_head_on_entities(client: httpx.Client) -> None:
    head = client.head("/id/place/chengdu", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b"" and ctype(head) == "text/turtle"
    assert client.head("/id/place/atlantis").status_code == 404


def test_not_acceptable(client: httpx.Client) -> None:
    assert client.get("/id/place/chengdu", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_terms_resolve_on_the_ontology_page(client: httpx.Client) -> None:
    """/ontology#City: the fragment is an anchor on the ontology page."""
    page = client.get("/ontology", headers={"Accept": HTML}).text
    assert 'id="City"' in page and 'id="heldIn"' in page
