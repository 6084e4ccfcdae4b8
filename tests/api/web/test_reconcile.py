"""The Reconciliation Service API 0.2 at /reconcile, over a real server and both stores.

Requests are re-expressed from the specification (the W3C Entity Reconciliation Community Group's
0.2 text and its examples, vendored with their JSON schemas in tests/api/fixtures/reconciliation-0.2)
and from what OpenRefine sends: a form-encoded POST of ``queries`` in batches, a GET of the manifest,
suggest and preview requests, and data extension. Every answer is validated with the official schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPEC = Path(__file__).parents[1] / "fixtures" / "reconciliation-0.2"
SCHEMAS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (SPEC / "schemas").glob("*.json")}
SCHEMA_BASE = "https://reconciliation-api.github.io/specs/0.2/schemas/"
REGISTRY = Registry().with_resources(
    (SCHEMA_BASE + name + ".json", Resource.from_contents(schema, default_specification=DRAFT7))
    for name, schema in SCHEMAS.items()
)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def valid(kind: str, payload: Any) -> Any:
    jsonschema.Draft7Validator(SCHEMAS[kind], registry=REGISTRY).validate(payload)
    return payload


def reconcile(client: httpx.Client, queries: dict[str, Any]) -> dict[str, Any]:
    """As OpenRefine sends them: a form-encoded POST with the batch in ``queries``."""
    response = client.post("/reconcile", data={"queries": json.dumps(queries)}, headers=FORM)
    assert response.status_code == 200, response.text
    return valid("reconciliation-result-batch", response.json())


def test_the_manifest_is_valid_0_2_and_names_every_service(client: httpx.Client) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200
    manifest = valid("manifest", response.json())
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == "https://w3id.org/bri-kg/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/bri-kg/ontology#"
    assert manifest["view"]["url"] == "https://w3id.org/bri-kg/id/{{id}}"
    assert {"id": "City", "name": "City"} in manifest["defaultTypes"]
    assert manifest["suggest"]["entity"]["service_url"] == str(client.base_url) + "/reconcile"
    cors = client.get("/reconcile", headers={"Origin": "http://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"  # the specification requires CORS


def test_a_batch_gets_ranked_typed_candidates_and_an_exact_name_is_a_match(client: httpx.Client) -> None:
    results = reconcile(client, {
        "q0": {"query": "Chengdu", "type": "City", "limit": 3},
        "q1": {"query": "chengdu city"},
        "q2": {"query": "Mini Food Security Alliance", "type": "bri:Alliance", "type_strict": "any"},
    })
    [chengdu] = results["q0"]["result"]
    assert chengdu["id"] == "place/chengdu" and chengdu["name"] == "Chengdu"
    assert chengdu["score"] == 100 and chengdu["match"] is True
    assert {"id": "City", "name": "City"} in chengdu["type"]
    fuzzy = results["q1"]["result"]
    assert fuzzy[0]["id"] == "place/chengdu" and fuzzy[0]["match"] is False and 50 < fuzzy[0]["score"] < 100
    scores = [c["score"] for c in fuzzy]
    assert scores == sorted(scores, reverse=True)
    assert results["q2"]["result"][0]["id"] == "alliance/mini-food-security-alliance"


def test_alternative_and_chinese_names_find_the_entity(client: httpx.Client) -> None:
    results = reconcile(client, {"zh": {"query": "成都"}, "zh2": {"query": "成都市"}, "alt": {"query": "Chéngdū"},
                                 "person": {"query": "Zhang Wei", "type": "Person"}})
    for key in ("zh", "zh2", "alt"):
        assert results[key]["result"][0]["id"] == "place/chengdu", key
    assert results["zh"]["result"][0]["match"] is True
    assert results["person"]["result"][0]["id"] == "person/zhang-wei"


def test_a_type_constraint_filters_and_should_only_ranks(client: httpx.Client) -> None:
    results = reconcile(client, {
        "strict": {"query": "Chengdu", "type": "Conference"},
        "should": {"query": "Chengdu", "type": "Conference", "type_strict": "should"},
        "all": {"query": "Chengdu", "type": ["City", "Place"], "type_strict": "all"},
    })
    assert all(c["id"] != "place/chengdu" for c in results["strict"]["result"])
    assert results["should"]["result"][0]["id"] == "place/chengdu"
    assert results["should"]["result"][0]["score"] < 100  # wrong type: ranked lower, not dropped
    assert results["all"]["result"][0]["id"] == "place/chengdu"


def test_property_values_raise_the_score_of_candidates_that_have_them(client: httpx.Client) -> None:
    results = reconcile(client, {
        "plain": {"query": "Mini Science Conference", "type": "Conference"},
        "held": {"query": "Mini Science Conference", "type": "Conference",
                 "properties": [{"pid": "heldIn", "v": {"id": "place/chengdu", "name": "Chengdu"}},
                                {"pid": "editionNumber", "v": 2}]},
        "by-name": {"query": "Mini Science Conference", "properties": [{"pid": "heldIn", "v": "Chengdu"}]},
    })
    held = results["held"]["result"]
    assert held[0]["id"] == "conference/mini-conference-2026"  # the only one of edition 2
    assert {f["id"]: f["value"] for f in held[0]["features"]}["properties"] == 1.0
    assert held[0]["score"] > held[1]["score"]
    assert results["by-name"]["result"][0]["features"][1] == {"id": "properties", "value": 1.0}


def test_a_query_of_property_values_alone_finds_by_value(client: httpx.Client) -> None:
    """The specification's no-query-string example: candidates found by a property value."""
    results = reconcile(client, {"q1": {"properties": [{"pid": "skos:exactMatch",
                                                         "v": "http://www.wikidata.org/entity/Q30002"}]}})
    [hit] = results["q1"]["result"]
    assert hit["id"] == "place/chengdu" and hit["match"] is True


def test_a_retired_iri_is_never_a_candidate_its_successor_is(client: httpx.Client) -> None:
    results = reconcile(client, {"q": {"query": "Mini Academy", "type": "Organization"}})
    ids = [c["id"] for c in results["q"]["result"]]
    assert ids[0] == "organization/mini-academy-of-sciences"
    assert "organization/mini-academy" not in ids


def test_get_and_jsonp_are_supported(client: httpx.Client) -> None:
    response = client.get("/reconcile", params={"queries": json.dumps({"q": {"query": "Chengdu"}})})
    assert valid("reconciliation-result-batch", response.json())["q"]["result"][0]["id"] == "place/chengdu"
    jsonp = client.get("/reconcile", params={"callback": "jQuery123_cb"})
    assert jsonp.headers["content-type"].startswith("application/javascript")
    assert jsonp.text.startswith("jQuery123_cb(") and jsonp.text.endswith(");")
    assert client.get("/reconcile", params={"callback": "alert(1)//"}).status_code == 400


@pytest.mark.parametrize("path", sorted((SPEC / "examples").glob("reconciliation-query-batch--*.json")),
                         ids=lambda p: p.stem)
def test_the_specification_examples_are_answered_or_refused(client: httpx.Client, path: Path) -> None:
    """Valid example batches get a valid result batch (their GND types match nothing here: no
    candidates); invalid ones are a 400 that says what is wrong."""
    response = client.post("/reconcile", data={"queries": path.read_text(encoding="utf-8")}, headers=FORM)
    if "--invalid--" in path.name:
        assert response.status_code == 400
        assert response.json()["detail"]
    else:
        assert response.status_code == 200, response.text
        valid("reconciliation-result-batch", response.json())


@pytest.mark.parametrize("body", ["not json", "[]", "{}", json.dumps({"q": {"query": "x", "limit": -1}}),
                                  json.dumps({"q": {"query": "x", "type_strict": "sometimes"}})])
def test_malformed_batches_are_a_400_with_the_reason(client: httpx.Client, body: str) -> None:
    response = client.post("/reconcile", data={"queries": body}, headers=FORM)
    assert response.status_code == 400
    assert "queries" in response.json()["detail"] or "query" in response.json()["detail"]


def test_suggest_entities_types_and_properties(client: httpx.Client) -> None:
    entities = valid("suggest-entities-response",
                     client.get("/reconcile/suggest/entity", params={"prefix": "chen"}).json())
    assert entities["result"][0]["id"] == "place/chengdu"
    assert {"id": "City", "name": "City"} in entities["result"][0]["notable"]
    zh = client.get("/reconcile/suggest/entity", params={"prefix": "成都"}).json()
    assert zh["result"][0]["id"] == "place/chengdu"
    types = valid("suggest-types-response", client.get("/reconcile/suggest/type", params={"prefix": "conf"}).json())
    assert "Conference" in [t["id"] for t in types["result"]]
    props = valid("suggest-properties-response",
                  client.get("/reconcile/suggest/property", params={"prefix": "held"}).json())
    assert "heldIn" in [p["id"] for p in props["result"]]


def test_preview_is_a_small_html_card(client: httpx.Client) -> None:
    response = client.get("/reconcile/preview", params={"id": "place/chengdu"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Chengdu" in response.text and "成都" in response.text and 'href="/id/place/chengdu"' in response.text
    assert client.get("/reconcile/preview", params={"id": "place/atlantis"}).status_code == 404


def test_data_extension_proposes_properties_and_returns_their_values(client: httpx.Client) -> None:
    proposal = valid("data-extension-property-proposal",
                     client.get("/reconcile/propose_properties", params={"type": "Conference"}).json())
    assert "heldIn" in [p["id"] for p in proposal["properties"]]
    query = {"ids": ["conference/mini-conference-2026", "place/chengdu"],
             "properties": [{"id": "heldIn"}, {"id": "startDate"}, {"id": "skos:altLabel", "settings": {"limit": "1"}},
                            {"id": "editionNumber"}]}
    valid("data-extension-query", query)
    response = client.post("/reconcile", data={"extend": json.dumps(query)}, headers=FORM)
    assert response.status_code == 200, response.text
    answer = valid("data-extension-response", response.json())
    conference = answer["rows"]["conference/mini-conference-2026"]
    assert conference["heldIn"] == [{"id": "place/chengdu", "name": "Chengdu"}]
    assert conference["startDate"] == [{"date": "2026-05-20T00:00:00+00:00"}]
    assert conference["editionNumber"] == [{"int": 2}]
    assert len(answer["rows"]["place/chengdu"]["skos:altLabel"]) == 1
    bad = client.post("/reconcile", data={"extend": json.dumps({"ids": "x"})}, headers=FORM)
    assert bad.status_code == 400 and "extend" in bad.json()["detail"]
