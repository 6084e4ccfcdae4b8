"""Publishing over the real server: releases listed and served, merged IRIs redirecting, VoID naming the
endpoint that served it, protocol details (a POST without a query, CSV for spreadsheets), 成都 found."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
import rdflib

from tests.api.conftest import PROJECT, Server, run_cli

OLD = "/id/organization/mini-academy"
NEW = "/id/organization/mini-academy-of-sciences"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@pytest.mark.parametrize("accept", [HTML, "text/turtle", "application/ld+json", None])
def test_a_merged_iri_answers_301_to_its_successor(client: httpx.Client, accept: str | None) -> None:
    response = client.get(OLD, headers={"Accept": accept} if accept else {}, follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == NEW
    followed = client.get(OLD, headers={"Accept": accept} if accept else {}, follow_redirects=True)
    assert followed.status_code == 200 and followed.url.path == NEW


def test_the_merged_iri_stays_in_the_data_as_a_deprecated_resource(client: httpx.Client) -> None:
    ask = """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX dct: <http://purl.org/dc/terms/>
    ASK { <https://w3id.org/bri-kg/id/organization/mini-academy> owl:deprecated true ;
          dct:isReplacedBy <https://w3id.org/bri-kg/id/organization/mini-academy-of-sciences> }"""
    response = client.get("/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"})
    assert response.json()["boolean"] is True


def test_chinese_names_are_found(client: httpx.Client) -> None:
    hits = client.get("/api/search", params={"q": "成都"}).json()["items"]
    assert hits[0]["entity"]["id"].endswith("/place/chengdu") and hits[0]["matched_label"] == "成都"


def test_void_names_the_endpoint_that_served_it_and_the_canonical_one(client: httpx.Client, server: Server) -> None:
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        response = client.get("/.well-known/void", headers={"Accept": accept})
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        endpoints = set(graph.objects(rdflib.URIRef("https://w3id.org/bri-kg/dataset"), VOID.sparqlEndpoint))
        assert endpoints == {rdflib.URIRef("https://w3id.org/bri-kg/sparql"), rdflib.URIRef(server.url + "/sparql")}


@pytest.mark.parametrize("body", [b"", b"default-graph-uri=http%3A%2F%2Fexample.org%2Fg", b"format=json"])
def test_a_form_post_without_a_query_is_a_400(client: httpx.Client, body: bytes) -> None:
    response = client.post("/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400 and "needs a query" in response.text
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200  # GET: the description


def test_csv_with_a_byte_order_mark_for_spreadsheets(client: httpx.Client) -> None:
    plain = client.get("/api/search", params={"q": "成都", "format": "csv"})
    marked = client.get("/api/search", params={"q": "成都", "format": "csv-bom"})
    assert marked.headers["content-type"].startswith("text/csv")
    assert marked.content == b"\xef\xbb\xbf" + plain.content and not plain.content.startswith(b"\xef\xbb\xbf")
    query = ("SELECT ?l WHERE { <https://w3id.org/bri-kg/id/place/chengdu> "
             "<http://www.w3.org/2004/02/skos/core#altLabel> ?l } ORDER BY ?l")
    sparql = client.get("/sparql", params={"query": query, "format": "csv-bom"})
    assert sparql.status_code == 200 and sparql.content.startswith(b"\xef\xbb\xbfl\r\n")
    assert "成都" in sparql.content.decode("utf-8-sig")


def test_releases_are_listed_and_served_beside_the_current_dumps(client: httpx.Client, server: Server) -> None:
    releases = client.get("/releases/").json()
    if not releases["releases"]:  # the first test to ask makes one, as an operator would
        run_cli(["release", "--date", "2026-12-01"], server.env, server.log)
        releases = client.get("/releases/").json()
    assert releases["latest"] == "2026.12.0" and releases["releases"][0]["href"] == "/releases/2026.12.0/"
    listing = client.get("/releases/2026.12.0/").json()
    names = {f["name"] for f in listing["files"]}
    assert {"bri-kg.nq", "bri-kg.compact.jsonld", "void.ttl", "ontology.ttl", "release.json"} <= names
    nq = client.get("/releases/2026.12.0/bri-kg.nq", headers={"Accept-Encoding": "identity"})
    assert nq.status_code == 200 and nq.headers["etag"].strip('"') == next(
        f["sha256"] for f in listing["files"] if f["name"] == "bri-kg.nq")
    again = client.get("/releases/2026.12.0/bri-kg.nq", headers={"If-None-Match": nq.headers["etag"],
                                                              "Accept-Encoding": "identity"})
    assert again.status_code == 304
    assert nq.content == client.get("/dumps/bri-kg.nq").content  # nothing changed since the release
    assert "## 2026.12.0 (2026-12-01)" in client.get("/releases/CHANGELOG.md").text
    described = client.get("/dataset/2026.12.0", follow_redirects=False)
    assert described.status_code == 303 and described.headers["location"] == "/releases/2026.12.0/void.ttl"
    assert "https://w3id.org/bri-kg/releases/2026.12.0/bri-kg.nq" in client.get("/releases/2026.12.0/void.ttl").text
    assert client.get("/releases/2026.12.0/", headers={"Accept": HTML}).text.count("<tr>") >= 8
    assert client.get("/releases/2099.01.0/").status_code == 404
    assert client.get("/releases/2026.12.0/../../etc/passwd").status_code == 404


def test_bri_kg_version(server: Server) -> None:
    done = subprocess.run([sys.executable, "-m", "bri_kg", "--version"], cwd=PROJECT, env=server.env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("bri-kg 0.") and "build: 0." in done.stdout and "data release:" in done.stdout
