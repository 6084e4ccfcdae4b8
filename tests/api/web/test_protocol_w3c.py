"""The W3C SPARQL 1.1 Protocol test manifest, re-expressed against our endpoint.

Source: w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl (the ``query_*``, ``bad_*`` and
``update_*`` entries). Each test names its manifest case. The manifest's data graphs
(http://kasei.us/.../data1.rdf, data2.rdf, data3.rdf, each holding ``<itself> a ?type``) map to
our graphs, which have the same shape: the two document graphs hold ``<document> a
bri:SourceDocument``, the ontology graph holds ``<ontology> a owl:Ontology``. Requests go to
``/sparql/`` as in the manifest. The ``update_*`` cases expect an updatable endpoint; ours is
read-only, so for them we check the opposite: every update is refused (4xx) and nothing changes.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import httpx
import pytest

from tests.api.conftest import ID

G1 = "https://w3id.org/bri-kg/graph/mini-report"
G2 = "https://w3id.org/bri-kg/graph/second-bulletin"
G3 = "https://w3id.org/bri-kg/graph/ontology"
D1 = ID + "document/mini-report"
D2 = ID + "document/second-bulletin"
D3 = "https://w3id.org/bri-kg/ontology"
PATH = "/sparql/"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def boolean(response: httpx.Response) -> bool:
    """The boolean of an ASK answer in whichever boolean format the server chose."""
    assert response.is_success, response.text
    kind = media_type(response)
    assert kind in BOOLEAN_TYPES
    if kind.endswith("json"):
        return json.loads(response.content)["boolean"]
    return ET.fromstring(response.content).find(f"{SPARQL_NS}boolean").text == "true"


def ask_get(client: httpx.Client, query: str, **dataset: list[str]) -> httpx.Response:
    params = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in dataset.items() for v in vs]
    return client.get(PATH, params=params)


def ask_direct(client: httpx.Client, query: str, **dataset: list[str]) -> httpx.Response:
    params = [(k.replace("_", "-"), v) for k, vs in dataset.items() for v in vs]
    return client.post(
        PATH, params=params, content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )


def test_query_post_form(client: httpx.Client) -> None:
    """query_post_form: query via URL-encoded POST, default-graph-uri in the URL."""
    response = client.post(
        PATH,
        params={"default-graph-uri": G1},
        content=b"query=ASK%20%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert boolean(response) is True


def test_query_dataset_default_graphs_get(client: httpx.Client) -> None:
    """query_dataset_default_graphs_get: GET with two protocol-specified default graphs."""
    query = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
    assert boolean(ask_get(client, query, default_graph_uri=[G1, G2])) is True
    # and the protocol dataset is really used: with one of the two graphs the ASK fails
    assert boolean(ask_get(client, query, default_graph_uri=[G1])) is False


def test_query_dataset_default_graphs_post(client: httpx.Client) -> None:
    """query_dataset_default_graphs_post: direct POST, default graphs in the URL."""
    query = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
    assert boolean(ask_direct(client, query, default_graph_uri=[G1, G2])) is True
    assert boolean(ask_direct(client, query, default_graph_uri=[G2])) is False


def test_query_dataset_named_graphs_post(client: httpx.Client) -> None:
    """query_dataset_named_graphs_post: direct POST with two protocol-specified named graphs."""
    query = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    assert boolean(ask_direct(client, query, named_graph_uri=[G1, G2])) is True
    assert boolean(ask_direct(client, query, named_graph_uri=[G1])) is False


def test_query_dataset_named_graphs_get(client: httpx.Client) -> None:
    """query_dataset_named_graphs_get: GET with two protocol-specified named graphs."""
    query = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    assert boolean(ask_get(client, query, named_graph_uri=[G1, G2])) is True
    assert boolean(ask_get(client, query, named_graph_uri=[G2])) is False


def test_query_dataset_full(client: httpx.Client) -> None:
    """query_dataset_full: both default (data3 -> ontology graph) and named graphs given.

    Our data3 stand-in has a different type than the two documents, so each gets its own variable."""
    query = f"""ASK {{
      <{D3}> a ?t3
      GRAPH ?g1 {{ <{D1}> a ?type }}
      GRAPH ?g2 {{ <{D2}> a ?type }}
    }}"""
    assert boolean(ask_direct(client, query, default_graph_uri=[G3], named_graph_uri=[G1, G2])) is True
    assert boolean(ask_direct(client, query, default_graph_uri=[G1], named_graph_uri=[G1, G2])) is False


def test_query_multiple_dataset(client: httpx.Client) -> None:
    """query_multiple_dataset: dataset in both query (FROM) and protocol; the protocol's wins.

    (The manifest's URL percent-encodes the '&' between its two named-graph-uri values, a known
    erratum; here they are sent as the two parameters the description intends.)"""
    query = f"ASK FROM <{G3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    assert boolean(ask_direct(client, query, named_graph_uri=[G1, G2])) is True
    # the same override for the default graph: FROM <ontology> is replaced by default-graph-uri
    from_query = f"ASK FROM <{G3}> {{ <{D1}> a ?type }}"
    assert boolean(ask_direct(client, from_query, default_graph_uri=[G1])) is True
    assert boolean(ask_direct(client, from_query)) is False  # without it, FROM <ontology> holds


def test_query_get(client: httpx.Client) -> None:
    """query_get: query via GET."""
    assert boolean(ask_get(client, "ASK {}", default_graph_uri=[G1])) is True


def test_query_post_direct(client: httpx.Client) -> None:
    """query_post_direct: query via POST directly."""
    assert boolean(ask_direct(client, "ASK {}")) is True


def test_query_content_type_select(client: httpx.Client) -> None:
    """query_content_type_select: tabular results in XML, JSON, CSV or TSV."""
    response = ask_direct(client, "SELECT (1 AS ?value) {}", default_graph_uri=[G1])
    assert response.status_code == 200
    assert media_type(response) in TABULAR_TYPES


def test_query_content_type_ask(client: httpx.Client) -> None:
    """query_content_type_ask: boolean results in XML or JSON."""
    response = ask_direct(client, "ASK {}", default_graph_uri=[G1])
    assert response.status_code == 200
    assert media_type(response) in BOOLEAN_TYPES


def test_query_content_type_describe(client: httpx.Client) -> None:
    """query_content_type_describe: an RDF media type for DESCRIBE."""
    response = ask_direct(client, "DESCRIBE <http://example.org/>", default_graph_uri=[G1])
    assert response.status_code == 200
    assert media_type(response) in RDF_TYPES


def test_query_content_type_construct(client: httpx.Client) -> None:
    """query_content_type_construct: an RDF media type for CONSTRUCT (relative IRIs resolve against
    the service's base, which is the endpoint)."""
    response = ask_direct(client, "CONSTRUCT { <s> <p> 1 } WHERE {}", default_graph_uri=[G1])
    assert response.status_code == 200, response.text
    assert media_type(response) in RDF_TYPES
    assert "/sparql/s" in response.text or "/s>" in response.text


def test_bad_query_method(client: httpx.Client) -> None:
    """bad_query_method: PUT is not a query method."""
    response = client.put(
        PATH,
        params={"query": "ASK {}", "default-graph-uri": G1},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert 400 <= response.status_code < 500
    assert response.status_code == 405


def test_bad_multiple_queries(client: httpx.Client) -> None:
    """bad_multiple_queries: two query strings."""
    response = client.get(PATH, params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert response.status_code == 400
    assert "more than one query" in response.text.lower()


def test_bad_query_wrong_media_type(client: httpx.Client) -> None:
    """bad_query_wrong_media_type: POST with text/plain."""
    response = client.post(PATH, content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_bad_query_missing_form_type(client: httpx.Client) -> None:
    """bad_query_missing_form_type: url-encoded body without its media type."""
    response = client.post(PATH, content=b"query=ASK%20%7B%7D")
    assert "content-type" not in response.request.headers
    assert response.status_code == 415


def test_bad_query_missing_direct_type(client: httpx.Client) -> None:
    """bad_query_missing_direct_type: SPARQL body without application/sparql-query."""
    response = client.post(PATH, content=b"ASK {}")
    assert response.status_code == 415


def test_bad_query_non_utf8(client: httpx.Client) -> None:
    """bad_query_non_utf8: direct POST in UTF-16 (with BOM)."""
    response = client.post(
        PATH, content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query; charset=UTF-16"}
    )
    assert response.status_code == 415
    # and UTF-16 bytes sent as if UTF-8 are refused too
    response = client.post(
        PATH, content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400


def test_bad_query_syntax(client: httpx.Client) -> None:
    """bad_query_syntax: 400 with the parser's message."""
    response = client.get(PATH, params={"query": "ASK {"})
    assert response.status_code == 400
    assert response.text.startswith("Malformed query:")
    assert "1:6" in response.text  # Oxigraph's position of the error


def _triple_count(client: httpx.Client) -> int:
    response = client.get(
        PATH,
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


UPDATE_CASES = {
    "update_dataset_default_graph": dict(
        params={"using-graph-uri": "http://kasei.us/2009/09/sparql/data/data1.rdf"},
        direct="CLEAR ALL ; INSERT DATA { GRAPH <http://example.org/g> { <s> <p> <o> } }",
    ),
    "update_dataset_default_graphs": dict(params={"using-graph-uri": G1}, direct="CLEAR ALL"),
    "update_dataset_named_graphs": dict(params={"using-named-graph-uri": G1}, direct="CLEAR ALL"),
    "update_dataset_full": dict(params={"using-graph-uri": G1, "using-named-graph-uri": G2}, direct="CLEAR ALL"),
    "update_post_form": dict(form="update=CLEAR+ALL"),
    "update_post_direct": dict(direct="CLEAR ALL"),
    "update_base_uri": dict(
        direct="INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
        "{ <http://example.org/s> <http://example.org/p> <test> } }"
    ),
    "bad_update_get": dict(get="CLEAR ALL"),
    "bad_multiple_updates": dict(form="update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"),
    "bad_update_syntax": dict(form="update=CLEAR%20XYZ"),
    "bad_update_dataset_conflict": dict(
        params={"using-named-graph-uri": "http://example/people"},
        direct="WITH <http://example/addresses> DELETE { ?p <x:n> 'Bill' } WHERE { ?p <x:n> 'Bill' }",
    ),
    "bad_update_non_utf8": dict(direct_utf16="CLEAR NAMED"),
}


@pytest.mark.parametrize("case", sorted(UPDATE_CASES))
def test_update_cases_are_refused(client: httpx.Client, case: str) -> None:
    """update_* / bad_update_*: this endpoint is read-only, so every update is refused with a 4xx
    (405 and a message saying so) and the store is unchanged."""
    spec = UPDATE_CASES[case]
    before = _triple_count(client)
    params = spec.get("params", {})
    if "form" in spec:
        response = client.post(
            PATH,
            params=params,
            content=spec["form"].encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    elif "get" in spec:
        response = client.get(PATH, params={"update": spec["get"]})
    elif "direct_utf16" in spec:
        response = client.post(
            PATH,
            content=spec["direct_utf16"].encode("utf-16"),
            headers={"Content-Type": "application/sparql-update; charset=UTF-16"},
        )
    else:
        response = client.post(
            PATH, params=params, content=spec["direct"].encode(), headers={"Content-Type": "application/sparql-update"}
        )
    assert 400 <= response.status_code < 500
    assert response.status_code == 405
    assert "read-only" in response.text
    assert _triple_count(client) == before


@pytest.mark.parametrize("wrong", ["text/plain", None])
def test_bad_update_wrong_or_missing_media_type(client: httpx.Client, wrong: str | None) -> None:
    """bad_update_wrong_media_type / bad_update_missing_form_type: 415."""
    headers = {"Content-Type": wrong} if wrong else {}
    body = b"CLEAR NAMED" if wrong else b"update=CLEAR%20NAMED"
    assert client.post(PATH, content=body, headers=headers).status_code == 415


def test_update_text_sent_as_a_query_is_refused(client: httpx.Client) -> None:
    """An update smuggled in as ``query=`` never runs: 400 naming the read-only policy."""
    response = client.get(PATH, params={"query": "DROP ALL"})
    assert response.status_code == 400
    assert "read-only" in response.text
