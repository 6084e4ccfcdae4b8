"""Analyst endpoints: search, entity in context, paths, timeline, statistics; JSON, CSV, pagination."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tests.api.conftest import BRI, ID


def ids(page: dict) -> list[str]:
    return [item["entity"]["id"] for item in page["items"]]


@pytest.mark.parametrize("q", ["chengdu", "CHENGDU", "Chéngdū", "chéngdu", "  chengdu "])
def test_search_is_case_and_accent_insensitive(client: httpx.Client, q: str) -> None:
    page = client.get("/api/search", params={"q": q}).json()
    assert ids(page) == [ID + "place/chengdu"]


def test_search_matches_alternative_labels_and_reports_which(client: httpx.Client) -> None:
    page = client.get("/api/search", params={"q": "zhang wei"}).json()
    assert ids(page) == [ID + "person/zhang-wei"]
    assert page["items"][0]["matched_label"] == "Zhang Wei"
    assert page["items"][0]["entity"]["label"] == "Zhāng Wěi"
    by_words = client.get("/api/search", params={"q": "conference second"}).json()  # any word order
    assert ID + "conference/mini-conference-2026" in ids(by_words)


def test_search_ranks_exact_then_prefix(client: httpx.Client) -> None:
    page = client.get("/api/search", params={"q": "mini declaration"}).json()
    assert ids(page)[0] == ID + "policy/mini-declaration"


def test_search_type_filter_includes_subclasses(client: httpx.Client) -> None:
    conferences = client.get("/api/search", params={"q": "mini", "type": "Conference"}).json()
    assert set(ids(conferences)) == {ID + "conference/mini-conference-2025", ID + "conference/mini-conference-2026"}
    organizations = client.get("/api/search", params={"q": "mini", "type": "bri:Organization"}).json()
    assert set(ids(organizations)) == {
        ID + "organization/mini-academy-of-sciences",
        ID + "alliance/mini-food-security-alliance",
    }  # Alliance ⊑ Organization
    places = client.get("/api/search", params={"q": "chengdu", "type": BRI + "Place"}).json()
    assert ids(places) == [ID + "place/chengdu"]


def test_search_pagination_and_csv(client: httpx.Client) -> None:
    full = client.get("/api/search", params={"q": "mini", "limit": 100}).json()
    assert full["total"] >= 6
    page = client.get("/api/search", params={"q": "mini", "limit": 2, "offset": 2}).json()
    assert page["total"] == full["total"] and page["limit"] == 2 and page["offset"] == 2
    assert ids(page) == ids(full)[2:4]
    response = client.get("/api/search", params={"q": "mini", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == ids(full)[:20]
    assert response.headers["x-total-count"] == str(full["total"])
    by_accept = client.get("/api/search", params={"q": "mini"}, headers={"Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")


def test_search_validation(client: httpx.Client) -> None:
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "x", "limit": 0}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "format": "pdf"}).status_code == 406
    assert client.get("/api/search", params={"q": "nothing-like-this"}).json()["total"] == 0


def test_entity_with_neighbours_and_sources(client: httpx.Client) -> None:
    body = client.get("/api/entities/conference/mini-conference-2026").json()
    assert body["label"] == "Second Mini Science Conference"
    assert body["alt_labels"] == ["Second Mini Conference"]
    assert [t["id"] for t in body["types"]] == [BRI + "Conference"]
    relations = {(r["direction"], r["property"], r["entity"]["id"]) for r in body["relations"]}
    assert ("out", BRI + "heldIn", ID + "place/chengdu") in relations
    assert ("in", BRI + "launchedAt", ID + "alliance/mini-food-security-alliance") in relations
    labelled = next(r for r in body["relations"] if r["property"] == BRI + "heldIn")
    assert labelled["property_label"] == "held in" and labelled["entity"]["label"] == "Chengdu"
    facts = {(r["property"], r["literal"]["value"]) for r in body["properties"]}
    assert (BRI + "startDate", "2026-05-20") in facts
    quotes = {s["quote"]: s for s in body["sources"]}
    assert quotes["May 22, 2026"]["supports_property"] == BRI + "endDate"
    assert quotes["May 22, 2026"]["document"]["id"] == ID + "document/second-bulletin"
    assert quotes["May 22, 2026"]["start"] is not None
    assert [s["id"] for s in body["statistics"]] == [ID + "statistic/second-conference-delegates"]
    by_iri = client.get("/api/entities/" + ID + "conference/mini-conference-2026").json()
    assert by_iri["id"] == body["id"]


def test_entity_relations_are_paginated(client: httpx.Client) -> None:
    full = client.get("/api/entities/place/chengdu").json()
    page = client.get("/api/entities/place/chengdu", params={"limit": 1, "offset": 1}).json()
    assert page["relations_total"] == full["relations_total"] >= 3
    assert page["relations"] == full["relations"][1:2]


def test_unknown_entity(client: httpx.Client) -> None:
    response = client.get("/api/entities/place/atlantis")
    assert response.status_code == 404
    assert "atlantis" in response.json()["detail"]


def test_paths_between_entities(client: httpx.Client) -> None:
    body = client.get(
        "/api/paths", params={"from": "policy/mini-declaration", "to": "alliance/mini-food-security-alliance"}
    ).json()
    assert body["paths"], body
    lengths = {p["length"] for p in body["paths"]}
    assert lengths == {3}  # shortest only
    routes = [
        [(s["from"]["id"], s["property"], s["direction"], s["to"]["id"]) for s in p["steps"]] for p in body["paths"]
    ]
    via_topic = [
        ID + "policy/mini-declaration",
        ID + "commitment/mini-declaration-joint-labs",
        ID + "topic/food-security",
        ID + "alliance/mini-food-security-alliance",
    ]
    assert any([r[0][0], r[0][3], r[1][3], r[2][3]] == via_topic for r in routes)
    step = body["paths"][0]["steps"][-1]
    assert step["direction"] == "backward" and step["property"] == BRI + "topic"  # alliance --topic--> topic
    for route in routes:  # provenance edges are not relationships
        assert not any(
            p in (BRI + "mentions", BRI + "evidence", "http://www.w3.org/ns/prov#wasDerivedFrom")
            for _, p, _, _ in route
        )


def test_paths_respect_max_depth(client: httpx.Client) -> None:
    params = {"from": "policy/mini-declaration", "to": "place/china"}
    deep = client.get("/api/paths", params=params).json()
    assert {p["length"] for p in deep["paths"]} == {3}  # declaration -> conference -> Chengdu -> China
    shallow = client.get("/api/paths", params={**params, "max_depth": 2}).json()
    assert shallow["paths"] == []
    assert client.get("/api/paths", params={**params, "max_depth": 99}).status_code == 422
    assert client.get("/api/paths", params={"from": "place/nowhere", "to": "place/china"}).status_code == 404


def test_timeline(client: httpx.Client) -> None:
    body = client.get("/api/timeline").json()
    events = [(e["date"], e["kind"], e["entity"]["id"]) for e in body["items"]]
    assert events == sorted(events)
    assert ("2025-06-10", "conference", ID + "conference/mini-conference-2025") in events
    assert ("2025-06-11", "document", ID + "document/mini-report") in events
    assert ("2026-05-20", "launch", ID + "alliance/mini-food-security-alliance") in events
    second = next(e for e in body["items"] if e["entity"]["id"] == ID + "conference/mini-conference-2026")
    assert second["end_date"] == "2026-05-22"
    in_2026 = client.get("/api/timeline", params={"from": "2026", "to": "2026-12-31"}).json()
    assert all(e["date"].startswith("2026") for e in in_2026["items"]) and in_2026["total"] == 3
    launches = client.get("/api/timeline", params={"kind": "launch"}).json()
    assert launches["total"] == 1 and "launched at Second Mini Science Conference" in launches["items"][0]["note"]
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/timeline", params={"format": "csv"}).text)))
    assert len(csv_rows) == body["total"]
    assert client.get("/api/timeline", params={"from": "June 2025"}).status_code == 400


def test_statistics_with_sources(client: httpx.Client) -> None:
    body = client.get("/api/statistics").json()
    assert body["total"] == 2
    china = next(s for s in body["items"] if s["id"] == ID + "statistic/china-science-agreements")
    assert china["value"] == "80" and china["qualifier_label"] == "more than"
    assert china["measure"] == "science agreements signed by China"
    assert china["statistic_of"]["label"] == "China"
    assert china["sources"][0]["quote"] == "China has signed more than 80 science agreements."
    assert china["sources"][0]["document"]["label"] == "Mini Conference Report"
    about = client.get("/api/statistics", params={"about": "conference/mini-conference-2026"}).json()
    assert [s["id"] for s in about["items"]] == [ID + "statistic/second-conference-delegates"]
    words = client.get("/api/statistics", params={"q": "Delegates"}).json()
    assert words["total"] == 1
    rows = list(csv.DictReader(io.StringIO(client.get("/api/statistics", params={"format": "csv"}).text)))
    assert {r["qualifier"] for r in rows} == {"more than"}
    assert any("1,200 delegates" in r["quote"] for r in rows)


def test_openapi_documents_the_analyst_endpoints(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/search",
        "/api/entities/{ident}",
        "/api/paths",
        "/api/timeline",
        "/api/statistics",
        "/api/queries",
        "/api/queries/{name}",
        "/api/queries/{name}/run",
        "/healthz",
    ):
        assert path in schema["paths"], path
    components = schema["components"]["schemas"]
    for model in ("EntityDetail", "SearchHitOut", "PathsOut", "TimelineEvent", "StatisticOut", "NamedQueryResult"):
        assert model in components, model
    params = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "type", "limit", "offset", "format"} <= params
