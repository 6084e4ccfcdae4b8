"""The /sparql endpoint with real clients: every result format parsed back, negotiation, limits, safety."""

from __future__ import annotations

import csv
import io
import json
import time

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.api.conftest import BRI, ID, MAX_REQUEST_BYTES, MAX_ROWS, Server

CONFERENCES = f"""
PREFIX bri: <{BRI}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?conference ?label ?start WHERE {{
  ?conference a bri:Conference ; rdfs:label ?label ; bri:startDate ?start .
}} ORDER BY ?start"""
EXPECTED = [
    (ID + "conference/mini-conference-2025", "First Mini Science Conference", "2025-06-10"),
    (ID + "conference/mini-conference-2026", "Second Mini Science Conference", "2026-05-20"),
]
CHENGDU = ID + "place/chengdu"
DESCRIBE_CHENGDU = f"CONSTRUCT {{ <{CHENGDU}> ?p ?o }} WHERE {{ <{CHENGDU}> ?p ?o }}"


def get(client: httpx.Client, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


def ctype(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


# --- SELECT in every results format, parsed back ------------------------------------------------


def test_select_json(client: httpx.Client) -> None:
    response = get(client, CONFERENCES, "application/sparql-results+json")
    assert ctype(response) == "application/sparql-results+json"
    rows = [
        (b["conference"]["value"], b["label"]["value"], b["start"]["value"])
        for b in response.json()["results"]["bindings"]
    ]
    assert rows == EXPECTED
    label = response.json()["results"]["bindings"][0]["label"]
    assert label["xml:lang"] == "en" and label["type"] == "literal"


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_select_formats_parse_back_with_oxigraph(client: httpx.Client, accept: str, fmt: ox.QueryResultsFormat) -> None:
    response = get(client, CONFERENCES, accept)
    assert response.status_code == 200 and ctype(response) == accept
    solutions = ox.parse_query_results(response.content, fmt)
    rows = [(s["conference"].value, s["label"].value, s["start"].value) for s in solutions]
    assert rows == EXPECTED


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
)
def test_select_formats_parse_back_with_rdflib(client: httpx.Client, accept: str, fmt: str) -> None:
    response = get(client, CONFERENCES, accept)
    result = rdflib.query.Result.parse(io.BytesIO(response.content), format=fmt)
    rows = [(str(r["conference"]), str(r["label"]), str(r["start"])) for r in result]
    assert rows == EXPECTED


def test_select_csv_and_tsv_shapes(client: httpx.Client) -> None:
    csv_rows = list(csv.reader(io.StringIO(get(client, CONFERENCES, "text/csv").text)))
    assert csv_rows[0] == ["conference", "label", "start"]
    assert csv_rows[1] == list(EXPECTED[0])
    tsv = get(client, CONFERENCES, "text/tab-separated-values").text.splitlines()
    assert tsv[0] == "?conference\t?label\t?start"
    assert tsv[1] == (
        f'<{EXPECTED[0][0]}>\t"First Mini Science Conference"@en\t"2025-06-10"^^<http://www.w3.org/2001/XMLSchema#date>'
    )


def test_ask_json_and_xml(client: httpx.Client) -> None:
    query = f"ASK {{ <{CHENGDU}> a <{BRI}City> }}"
    assert get(client, query, "application/sparql-results+json").json()["boolean"] is True
    xml = get(client, query, "application/sparql-results+xml")
    assert ox.parse_query_results(xml.content, ox.QueryResultsFormat.XML).__bool__() is True
    # no CSV for booleans: a client accepting only a tabular format gets the boolean default, JSON
    assert ctype(get(client, query, "text/csv")) == "application/sparql-results+json"


# --- CONSTRUCT/DESCRIBE in every RDF format, parsed back ----------------------------------------


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_formats_parse_back_with_rdflib(client: httpx.Client, accept: str, rdflib_format: str) -> None:
    response = get(client, DESCRIBE_CHENGDU, accept)
    assert response.status_code == 200 and ctype(response) == accept
    graph = rdflib.Dataset() if rdflib_format in ("nquads", "trig") else rdflib.Graph()
    graph.parse(data=response.content, format=rdflib_format)
    triples = (
        set(graph.triples((None, None, None)))
        if isinstance(graph, rdflib.Graph) and not isinstance(graph, rdflib.Dataset)
        else {(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))}
    )
    assert (rdflib.URIRef(CHENGDU), rdflib.RDF.type, rdflib.URIRef(BRI + "City")) in triples
    assert (rdflib.URIRef(CHENGDU), rdflib.SKOS.altLabel, rdflib.Literal("Chéngdū", lang="en")) in triples


def test_describe_defaults_to_turtle(client: httpx.Client) -> None:
    response = get(client, f"DESCRIBE <{CHENGDU}>")
    assert ctype(response) == "text/turtle"
    assert "Chéngdū" in response.text


# --- negotiation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*", "text/csv"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_negotiation(client: httpx.Client, accept: str | None, expected: str) -> None:
    response = get(client, CONFERENCES, accept)
    assert ctype(response) == expected
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "text/csv"),
        ("xml", "application/sparql-results+xml"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
    ],
)
def test_format_parameter_overrides_accept(client: httpx.Client, fmt: str, expected: str) -> None:
    assert ctype(get(client, CONFERENCES, "application/sparql-results+json", format=fmt)) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("json", "application/ld+json"),
        ("xml", "application/rdf+xml"),
    ],
)
def test_format_parameter_for_graphs(client: httpx.Client, fmt: str, expected: str) -> None:
    assert ctype(get(client, DESCRIBE_CHENGDU, format=fmt)) == expected


def test_not_acceptable(client: httpx.Client) -> None:
    response = get(client, CONFERENCES, "image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    assert get(client, CONFERENCES, format="pdf").status_code == 406
    assert get(client, DESCRIBE_CHENGDU, format="csv").status_code == 406


def test_one_accept_for_all_forms_gets_each_forms_default(client: httpx.Client) -> None:
    """rdflib's SPARQLStore sends Accept: application/sparql-results+json for a CONSTRUCT too."""
    response = get(client, DESCRIBE_CHENGDU, "application/sparql-results+json")
    assert response.status_code == 200 and ctype(response) == "text/turtle"


# --- real clients ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_formats(server: Server, method: str) -> None:
    for fmt in (JSON, XML, CSV, TSV):
        sparql = SPARQLWrapper(server.endpoint())
        sparql.setMethod(method)
        sparql.setQuery(CONFERENCES)
        sparql.setReturnFormat(fmt)
        result = sparql.query().convert()
        if fmt == JSON:
            assert [b["label"]["value"] for b in result["results"]["bindings"]] == [e[1] for e in EXPECTED]
        elif fmt == XML:
            labels = [
                n.firstChild.data for n in result.getElementsByTagName("literal") if n.getAttribute("xml:lang") == "en"
            ]
            assert labels == [e[1] for e in EXPECTED]
        else:
            text = result.decode() if isinstance(result, bytes) else result
            assert "First Mini Science Conference" in text


def test_sparqlwrapper_graph_formats(server: Server) -> None:
    for fmt in (TURTLE, N3, XML, JSONLD):
        sparql = SPARQLWrapper(server.endpoint())
        sparql.setQuery(DESCRIBE_CHENGDU)
        sparql.setReturnFormat(fmt)
        result = sparql.query().convert()
        graph = (
            result
            if isinstance(result, rdflib.Graph)
            else rdflib.Graph().parse(data=result, format="json-ld" if fmt == JSONLD else "turtle")
        )
        assert (rdflib.URIRef(CHENGDU), rdflib.RDF.type, rdflib.URIRef(BRI + "City")) in graph


def test_sparqlwrapper_ask_and_bad_query(server: Server) -> None:
    sparql = SPARQLWrapper(server.endpoint())
    sparql.setReturnFormat(JSON)
    sparql.setQuery(f"ASK {{ <{CHENGDU}> ?p ?o }}")
    assert sparql.query().convert()["boolean"] is True
    sparql.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        sparql.query()


def test_rdflib_sparqlstore(server: Server) -> None:
    store = SPARQLStore(server.endpoint(), returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(CONFERENCES))
    assert [(str(r.conference), str(r.label), str(r.start)) for r in rows] == EXPECTED
    assert graph.query(f"ASK {{ <{CHENGDU}> ?p ?o }}").askAnswer is True
    constructed = graph.query(DESCRIBE_CHENGDU).graph
    assert (rdflib.URIRef(CHENGDU), rdflib.RDFS.label, rdflib.Literal("Chengdu", lang="en")) in constructed
    store.close()


# --- dataset ------------------------------------------------------------------------------------


def test_default_graph_is_the_union_without_duplicates(client: httpx.Client) -> None:
    """Chengdu is typed in two document graphs; the default graph counts it once."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{CHENGDU}> a ?t }}"
    assert get(client, query).json()["results"]["bindings"][0]["n"]["value"] == "1"
    per_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{CHENGDU}> a ?t }} }}"
    assert get(client, per_graph).json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_invalid_graph_iri(client: httpx.Client) -> None:
    response = get(client, "ASK {}", **{"default-graph-uri": "not an iri"})
    assert response.status_code == 400


# --- service description, YASGUI, HEAD, OPTIONS, CORS ----------------------------------------------


def test_service_description_for_rdf_clients(client: httpx.Client, server: Server) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and ctype(response) == "text/turtle"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(server.endpoint())
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    names = set(graph.objects(None, sd.name))
    assert rdflib.URIRef("https://w3id.org/bri-kg/graph/mini-report") in names
    # curl's */* gets Turtle too; JSON-LD on request
    assert ctype(client.get("/sparql")) == "text/turtle"
    assert ctype(client.get("/sparql", headers={"Accept": "application/ld+json"})) == "application/ld+json"


def test_yasgui_page_for_browsers_uses_local_assets(client: httpx.Client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and ctype(page) == "text/html"
    assert '<script src="/static/yasgui/yasgui.min.js"></script>' in page.text
    assert "cdn" not in page.text.lower() and "unpkg" not in page.text.lower()
    asset = client.get("/static/yasgui/yasgui.min.js")
    assert asset.status_code == 200 and len(asset.content) > 500_000
    assert client.get("/static/yasgui/yasgui.min.css").status_code == 200
    assert "MIT License" in client.get("/static/yasgui/LICENSE").text


def test_head_and_options(client: httpx.Client) -> None:
    head = client.head("/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200 and head.content == b""
    assert ctype(head) == "application/sparql-results+json"
    options = client.options("/sparql")
    assert options.status_code == 204
    assert set(options.headers["allow"].split(", ")) >= {"GET", "HEAD", "POST", "OPTIONS"}


def test_cors(client: httpx.Client) -> None:
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "POST" in preflight.headers["access-control-allow-methods"]
    simple = (
        get(client, "ASK {}", None)
        if False
        else client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    )
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "X-Result-Truncated" in simple.headers["access-control-expose-headers"]


# --- safety and limits ----------------------------------------------------------------------------


def test_service_is_refused_without_fetching(client: httpx.Client) -> None:
    response = get(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 403
    assert "SERVICE" in response.text and "BRI_KG_ALLOW_SERVICE" in response.text


def test_service_word_inside_strings_and_names_is_not_refused(client: httpx.Client) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) }'
    assert get(client, query).status_code == 200


def test_row_cap_truncates_and_says_so(client: httpx.Client) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-row-limit"] == str(MAX_ROWS)
    small = get(client, CONFERENCES)
    assert "x-result-truncated" not in small.headers
    assert small.headers["x-result-count"] == "2"
    construct = get(client, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert len(construct.text.strip().splitlines()) == MAX_ROWS
    assert construct.headers["x-result-truncated"] == "true"


def test_request_size_limit(client: httpx.Client) -> None:
    big = "ASK {} #" + "x" * MAX_REQUEST_BYTES
    response = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert str(MAX_REQUEST_BYTES) in response.text

    def chunks():  # no Content-Length: counted while read
        for _ in range(MAX_REQUEST_BYTES // 1000 + 2):
            yield b"#" + b"x" * 999

    chunked = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert chunked.status_code == 413


def test_evaluation_error_is_a_clear_error_not_a_partial_answer(client: httpx.Client) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p ?o } ORDER BY (1/0) LIMIT 1")
    assert response.status_code in (200, 500)  # an error in ORDER BY is not an error in SPARQL
    json.loads(response.text) if response.status_code == 200 else None


def test_remote_from_never_fetches(client: httpx.Client) -> None:
    """FROM names a graph in the store; a graph IRI that is not there is just empty, nothing is fetched."""
    started = time.monotonic()
    response = get(client, "ASK FROM <http://127.0.0.1:9/remote.ttl> { ?s ?p ?o }")
    assert response.status_code == 200 and response.json()["boolean"] is False
    assert time.monotonic() - started < 2
