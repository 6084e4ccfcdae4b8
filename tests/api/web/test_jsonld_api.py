"""JSON-LD on the server: the published context at its stable path, entity answers compacted with it."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
from pyld import jsonld


def _triples(nquads: str) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}


def test_the_context_is_served_at_its_stable_path(client: httpx.Client) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    terms = response.json()["@context"]
    assert terms["id"] == "@id" and terms["heldIn"] == {"@id": "bri:heldIn", "@type": "@id"}
    assert client.get("/dumps/context.jsonld").json() == response.json()


def test_an_entity_as_json_ld_is_one_compacted_node_with_the_same_triples_as_its_turtle(client: httpx.Client) -> None:
    answer = client.get("/id/place/chengdu", headers={"Accept": "application/ld+json"}).json()
    assert answer["@context"] == client.get("/context.jsonld").json()["@context"]
    [chengdu] = [n for n in answer["@graph"] if n["id"] == "place/chengdu"]
    assert chengdu["type"] == "City" and chengdu["prefLabel"] == {"en": "Chengdu"}
    assert chengdu["altLabel"]["zh-hans"] == "成都"
    as_nt = client.get("/id/place/chengdu", headers={"Accept": "application/n-triples"}).text
    assert _triples(jsonld.to_rdf(answer, {"format": "application/n-quads"})) == _triples(as_nt)
