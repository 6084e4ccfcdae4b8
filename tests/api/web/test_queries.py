"""Named queries: header parsing, typed parameter binding, and the /api/queries endpoints."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from api.catalog import QueryFileError, bind_params, bind_value, load_queries, parse_query_file
from api.web.models import QueryParam
from tests.api.conftest import ID, QUERIES

XSD = "http://www.w3.org/2001/XMLSchema#"
PROJECT_QUERIES = Path(__file__).resolve().parents[3] / "queries"


def param(kind: str, required: bool = True) -> QueryParam:
    return QueryParam(name="p", type=kind, required=required)  # type: ignore[arg-type]


def test_parse_header() -> None:
    query = parse_query_file(QUERIES / "statistics-since.rq")
    assert query.name == "statistics-since"
    assert query.title.startswith("Statistics at least a value")
    assert [(p.name, p.type, p.required) for p in query.params] == [
        ("minimum", "decimal", False),
        ("since", "date", False),
    ]
    assert "SELECT ?statistic" in query.sparql


def test_bad_header_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: x\n# param: p | float | required | nope\nSELECT * {}\n")
    with pytest.raises(QueryFileError, match="float"):
        parse_query_file(bad)
    assert load_queries(tmp_path) == {}  # skipped, not fatal


def test_project_queries_all_parse() -> None:
    """Every query in queries/ has a header this API understands."""
    files = sorted(PROJECT_QUERIES.glob("*.rq"))
    for path in files:
        query = parse_query_file(path)
        assert query.title and query.title != path.stem, path.name
    assert len(load_queries(PROJECT_QUERIES)) == len(files)


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("iri", "https://w3id.org/bri-kg/id/place/chengdu", ("uri", ID + "place/chengdu", "", "")),
        ("iri", "place/chengdu", ("uri", ID + "place/chengdu", "", "")),
        ("iri", "urn:isbn:123", ("uri", "urn:isbn:123", "", "")),
        ("integer", "42", ("literal", "42", XSD + "integer", "")),
        ("integer", "-007", ("literal", "-7", XSD + "integer", "")),
        ("decimal", "2.50", ("literal", "2.50", XSD + "decimal", "")),
        ("decimal", "1e3", ("literal", "1000", XSD + "decimal", "")),
        ("date", "2025-06-10", ("literal", "2025-06-10", XSD + "date", "")),
        ("string", '"} ; DROP ALL #', ("literal", '"} ; DROP ALL #', "", "")),
    ],
)
def test_bind_value_types(kind: str, raw: str, expected: tuple[str, ...]) -> None:
    assert tuple(bind_value(param(kind), raw, ID)) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("iri", "not an iri"),
        ("iri", "<http://x>"),
        ("iri", "http://x/a b"),
        ("iri", "javascript"),
        ("integer", "4.2"),
        ("integer", "12abc"),
        ("decimal", "NaN"),
        ("decimal", "x"),
        ("date", "2025-13-01"),
        ("date", "10 June 2025"),
    ],
)
def test_bind_value_rejects(kind: str, raw: str) -> None:
    with pytest.raises(ValueError, match="parameter 'p'"):
        bind_value(param(kind), raw, ID)


def test_bind_params_checks_names_and_required() -> None:
    query = parse_query_file(QUERIES / "conferences-in-place.rq")
    with pytest.raises(ValueError, match="missing required"):
        bind_params(query, {}, ID)
    with pytest.raises(ValueError, match="unknown parameter"):
        bind_params(query, {"place": "place/chengdu", "other": "1"}, ID)
    assert bind_params(query, {"place": "place/chengdu"}, ID)["place"].value == ID + "place/chengdu"


def test_list_and_describe(client: httpx.Client) -> None:
    listing = client.get("/api/queries").json()
    assert listing["total"] == 3
    names = [q["name"] for q in listing["items"]]
    assert names == ["conferences-in-place", "entities-named", "statistics-since"]
    assert all(q["sparql"] is None for q in listing["items"])
    one = client.get("/api/queries/conferences-in-place").json()
    assert one["params"] == [
        {
            "name": "place",
            "type": "iri",
            "required": True,
            "description": "The place, e.g. https://w3id.org/bri-kg/id/place/chengdu or place/chengdu",
        }
    ]
    assert "bri:heldIn ?place" in one["sparql"]
    assert client.get("/api/queries/nope").status_code == 404
    assert client.get("/api/queries/..%2F..%2Fetc%2Fpasswd").status_code in (404, 405)  # never a file


def test_run_with_an_iri_parameter(client: httpx.Client) -> None:
    body = client.get("/api/queries/conferences-in-place/run", params={"place": "place/chengdu"}).json()
    assert body["columns"] == ["conference", "label", "start", "place"]
    assert [r["conference"] for r in body["rows"]] == [
        ID + "conference/mini-conference-2025",
        ID + "conference/mini-conference-2026",
    ]
    none = client.get("/api/queries/conferences-in-place/run", params={"place": ID + "place/china"}).json()
    assert none["total"] == 0


def test_run_typed_optional_parameters(client: httpx.Client) -> None:
    run = "/api/queries/statistics-since/run"
    assert client.get(run).json()["total"] == 2
    assert [r["statistic"] for r in client.get(run, params={"minimum": "100"}).json()["rows"]] == [
        ID + "statistic/second-conference-delegates"
    ]
    assert client.get(run, params={"since": "2026-01-01"}).json()["total"] == 1
    assert client.get(run, params={"since": "2027-01-01"}).json()["total"] == 0
    edition = client.get("/api/queries/entities-named/run", params={"text": "mini", "edition": "2"}).json()
    assert [r["entity"] for r in edition["rows"]] == [ID + "conference/mini-conference-2026"]
    assert edition["rows"][0]["edition"] == 2


def test_string_parameters_are_bound_not_pasted(client: httpx.Client) -> None:
    """A value full of SPARQL syntax is just a string that matches nothing."""
    for hostile in ['"} } DROP ALL #', "') . ?s ?p ?o . FILTER('", 'mini" || true || "']:
        response = client.get("/api/queries/entities-named/run", params={"text": hostile})
        assert response.status_code == 200, response.text
        assert response.json()["total"] == 0
    assert client.get("/api/queries/entities-named/run", params={"text": "Zhāng"}).json()["total"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "missing required parameter(s): place"),
        ({"place": "not an iri"}, "must be an absolute IRI"),
        ({"place": "place/chengdu", "extra": "1"}, "unknown parameter(s) extra"),
    ],
)
def test_run_parameter_errors(client: httpx.Client, params: dict[str, str], message: str) -> None:
    response = client.get("/api/queries/conferences-in-place/run", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_run_type_errors(client: httpx.Client) -> None:
    response = client.get("/api/queries/statistics-since/run", params={"minimum": "lots"})
    assert response.status_code == 400 and "decimal" in response.json()["detail"]
    response = client.get("/api/queries/statistics-since/run", params={"since": "yesterday"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["detail"]


def test_run_csv_and_pagination(client: httpx.Client) -> None:
    run = "/api/queries/entities-named/run"
    full = client.get(run, params={"text": "mini"}).json()
    page = client.get(run, params={"text": "mini", "limit": 2, "offset": 1}).json()
    assert page["total"] == full["total"] and page["rows"] == full["rows"][1:3]
    response = client.get(run, params={"text": "mini", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["entity"] for r in rows] == [r["entity"] for r in full["rows"]]
    accept = client.get(run, params={"text": "mini"}, headers={"Accept": "text/csv"})
    assert accept.text == response.text
