"""Dumps, VoID, ontology and shapes: media types, ETags from SHA256SUMS, 304s, gzip, pages."""

from __future__ import annotations

import gzip
import hashlib

import httpx
import pytest
import rdflib

from tests.api.conftest import Server

DUMPS = {
    "bri-kg.ttl": ("text/turtle", "turtle"),
    "bri-kg.nt": ("application/n-triples", "nt"),
    "bri-kg.nq": ("application/n-quads", "nquads"),
    "bri-kg.trig": ("application/trig", "trig"),
    "bri-kg.jsonld": ("application/ld+json", "json-ld"),
}
HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
IDENTITY = {"Accept-Encoding": "identity"}


def sums(server: Server) -> dict[str, str]:
    text = (server.var_dir / "current" / "dist" / "SHA256SUMS").read_text()
    return {name: digest for digest, name in (line.split("  ") for line in text.splitlines())}


def test_listing_json_and_html(client: httpx.Client, server: Server) -> None:
    listing = client.get("/dumps/").json()
    names = {f["name"] for f in listing["files"]}
    assert set(DUMPS) | {"void.ttl", "ontology.ttl", "shapes.ttl", "SHA256SUMS"} <= names
    nt = next(f for f in listing["files"] if f["name"] == "bri-kg.nt")
    assert nt["sha256"] == sums(server)["bri-kg.nt"] and nt["media_type"] == "application/n-triples"
    assert listing["version"] == (server.var_dir / "current" / "VERSION").read_text().strip()
    page = client.get("/dumps/", headers={"Accept": HTML})
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="/dumps/bri-kg.ttl"' in page.text and nt["sha256"] in page.text
    assert client.get("/dumps", follow_redirects=False).status_code == 301


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_each_dump(client: httpx.Client, server: Server, name: str) -> None:
    media, fmt = DUMPS[name]
    response = client.get(f"/dumps/{name}", headers=IDENTITY)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["etag"] == f'"{sums(server)[name]}"'
    assert int(response.headers["content-length"]) == len(response.content)
    assert hashlib.sha256(response.content).hexdigest() == sums(server)[name]
    graph = rdflib.Dataset() if fmt in ("nquads", "trig", "json-ld") else rdflib.Graph()
    graph.parse(data=response.content, format=fmt)
    assert len(graph) > 0 or sum(1 for _ in graph.quads((None, None, None, None))) > 0


def test_conditional_get(client: httpx.Client, server: Server) -> None:
    etag = f'"{sums(server)["bri-kg.ttl"]}"'
    response = client.get("/dumps/bri-kg.ttl", headers={**IDENTITY, "If-None-Match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["etag"] == etag
    assert client.get("/dumps/bri-kg.ttl", headers={**IDENTITY, "If-None-Match": '"other"'}).status_code == 200
    assert client.get("/dumps/bri-kg.ttl", headers={**IDENTITY, "If-None-Match": '"x", ' + etag}).status_code == 304


def test_gzip(client: httpx.Client, server: Server) -> None:
    with (
        httpx.Client(base_url=server.url) as raw,  # read the bytes as sent, not decoded
        raw.stream("GET", "/dumps/bri-kg.nt", headers={"Accept-Encoding": "gzip"}) as response,
    ):
        body = b"".join(response.iter_raw())
        headers = response.headers
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(body)
    assert headers["etag"] == f'"{sums(server)["bri-kg.nt"]}-gzip"'
    assert "Accept-Encoding" in headers["vary"]
    assert hashlib.sha256(gzip.decompress(body)).hexdigest() == sums(server)["bri-kg.nt"]
    again = client.get("/dumps/bri-kg.nt", headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert again.status_code == 304
    no_gzip = client.get("/dumps/bri-kg.nt", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in no_gzip.headers


def test_head_and_unknown(client: httpx.Client) -> None:
    head = client.head("/dumps/bri-kg.ttl", headers=IDENTITY)
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0
    assert client.get("/dumps/nope.ttl").status_code == 404
    assert client.get("/dumps/..%2Fstore").status_code in (404, 405)  # never a file outside dist/
    assert client.get("/dumps/SHA256SUMS").text.count("  ") >= 8


def test_void(client: httpx.Client) -> None:
    response = client.get("/.well-known/void")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef("https://w3id.org/bri-kg/dataset")
    assert (dataset, rdflib.RDF.type, void.Dataset) in graph
    assert int(graph.value(dataset, void.triples)) > 0
    as_jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert rdflib.Graph().parse(data=as_jsonld.text, format="json-ld").isomorphic(graph)
    assert client.get("/.well-known/void", headers={"Accept": HTML}).headers["content-type"].startswith("text/html")


def test_ontology_for_rdf_clients_and_browsers(client: httpx.Client) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    owl_ontology = rdflib.URIRef("http://www.w3.org/2002/07/owl#Ontology")
    assert (rdflib.URIRef("https://w3id.org/bri-kg/ontology"), rdflib.RDF.type, owl_ontology) in graph
    # curl's */* is no preference: RDF/XML, what OWL tools read (tests/api/web/test_ontology_tools.py)
    assert client.get("/ontology").headers["content-type"].startswith("application/rdf+xml")
    rdfxml = client.get("/ontology", headers={"Accept": "application/rdf+xml"})
    assert len(rdflib.Graph().parse(data=rdfxml.text, format="xml")) == len(graph)
    page = client.get("/ontology", headers={"Accept": HTML}).text
    assert "Conference" in page and 'id="Conference"' in page
    assert "The first day of a conference or other event." in page  # definition of bri:startDate
    assert "Domain" in page and "Range" in page and 'href="/ontology#Conference"' in page


def test_shapes(client: httpx.Client) -> None:
    response = client.get("/shapes")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    shacl = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert any(graph.subjects(rdflib.RDF.type, shacl.NodeShape))
    assert client.get("/shapes", headers={"Accept": HTML}).headers["content-type"].startswith("text/html")


def test_every_iri_the_description_mints_dereferences(client: httpx.Client) -> None:
    """Dataset, catalogue, record, publisher, contact, rights, provenance, partitions, distributions:
    each IRI under the base in void.ttl answers (303 to its description, or the file itself)."""
    void = rdflib.Graph().parse(data=client.get("/.well-known/void?format=ttl").text, format="turtle")
    base = "https://w3id.org/bri-kg/"
    minted = {str(t) for triple in void for t in triple
              if isinstance(t, rdflib.URIRef) and str(t).startswith(base)
              and not str(t).startswith((base + "ontology", base + "id/", base + "graph/", base + "sparql",
                                         base + "reconcile"))}
    assert {base + "dataset", base + "catalog", base + "dataset/rights"} <= minted
    for iri in sorted(minted):
        path = iri[len(base) - 1:].split("#", 1)[0]
        response = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert response.status_code in (200, 303), (iri, response.status_code)
        if response.status_code == 303:
            assert client.get(response.headers["location"], headers={"Accept": "text/turtle"}).status_code == 200
