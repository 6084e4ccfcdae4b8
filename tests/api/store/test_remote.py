"""The remote store answers exactly like the embedded one: same rows, same bytes, same errors.

Both stores hold the real corpus (data/, built once per session): the embedded store of the build,
and a real Oxigraph server on a free loopback port loaded with ``load_into_server``. Two in-process
apps (one per store) are asked the same things and must agree:

- every named query of queries/ (and the test fixtures' queries), without and with parameters,
  including hostile strings full of quotes, backslashes, braces, newlines and comment signs: the
  embedded store pre-binds them (Oxigraph ``substitutions``), the remote one writes them as
  checked terms (``api.binding``); the rows, compared as RDF terms, must be identical;
- every analyst endpoint, entity descriptions in RDF, SPARQL results in every format, dataset
  parameters, error messages.

Failures of the remote store itself (unreachable at startup, gone after it) are checked at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.catalog import NamedQuery, bind_params, load_queries
from api.config import ApiSettings, api_settings
from api.store import QueryStore, Term
from api.store.errors import StoreError
from api.store.remote.binding import BindingError, bind_parameters, drop_unbound_coalesce, render_term
from kg.config import PROJECT_ROOT, RemoteEndpoints, Settings
from kg.layout import BuildLayout, current_build
from kg.publish.remote import load_into_server
from tests.servers import VIRTUOSO_USER, free_port, oxigraph_server, virtuoso_binary, virtuoso_server

ID = "https://w3id.org/bri-kg/id/"
BRI = "https://w3id.org/bri-kg/ontology#"
UNION_GRAPH = "https://w3id.org/bri-kg/graph/union"
QUERY_DIRS = (PROJECT_ROOT / "queries", PROJECT_ROOT / "tests" / "fixtures" / "queries")
HOSTILE = [
    '"} } DROP ALL #',
    "') . ?s ?p ?o . FILTER('",
    'mini" || true || "',
    "back\\slash",
    "\\u0022 escaped quote",
    "\\",
    'x"',
    "}",
    "{ ?s ?p ?o }",
    "line\nbreak",
    "carriage\rreturn\ttab",
    "# not a comment",
    "'''",
    '"""',
    "<http://example.org/x>",
    "?name",
    "Zhāng 张 Chéngdū",
]
# The API-level comparisons add nothing per way of holding the union that the store-level ones miss
# (on Oxigraph); on another engine they do.
standard_load_only = pytest.mark.parametrize("pair", ["default-graph", "virtuoso"], indirect=True)
REPRESENTATIVE = {
    "string": ["Chengdu", "declaration", "belt and road", *HOSTILE],
    "decimal": ["28", "0", "-1.5", "1000000", "8.00"],
    "integer": ["1", "2", "-3"],
    "date": ["2023-11-08", "2025-06-12", "1999-01-01"],
}


@dataclass
class Pair:
    embedded: TestClient
    remote: TestClient
    settings: Settings
    kind: str = "default-graph"  # how the remote server holds the build: default-graph, union-graph, virtuoso

    def store(self, client: TestClient) -> QueryStore:
        return client.app.state.services.store

    def select(self, client: TestClient, sparql: str, bindings: dict[str, Term]) -> object:
        """Rows as sorted tuples of RDF terms (``()`` unbound; blank node labels are each store's own, so masked)."""
        store = self.store(client)
        result = client.portal.call(lambda: store.select(sparql, bindings, max_rows=10_000, timeout_s=30))
        rows = sorted(
            tuple(
                () if (t := row.get(v)) is None else ("bnode",) if t.kind == "bnode" else tuple(t)
                for v in result.variables
            )
            for row in result.rows
        )
        return result.variables, rows, result.truncated

    def both(self, method: str, url: str, **kwargs: object) -> tuple[httpx.Response, httpx.Response]:
        return (
            self.embedded.request(method, url, **kwargs),  # type: ignore[arg-type]
            self.remote.request(method, url, **kwargs),  # type: ignore[arg-type]
        )


@contextmanager
def loaded_server(kind: str, build_dir: BuildLayout, location: Path) -> Iterator[dict[str, str]]:
    """A real server of *kind* holding the build; yield the store settings the API needs for it."""
    if kind == "virtuoso":
        if virtuoso_binary() is None:
            pytest.skip("virtuoso-t is not installed (Debian's virtuoso-opensource; scripts/setup.sh installs it)")
        with virtuoso_server(location) as base:
            endpoints = RemoteEndpoints(base + "/sparql", base + "/sparql-graph-crud-auth")
            load_into_server(build_dir, endpoints, union_graph=UNION_GRAPH, auth=httpx.DigestAuth(*VIRTUOSO_USER))
            yield {"store_query_url": endpoints.query_url, "store_default_graph": UNION_GRAPH}
        return
    union = UNION_GRAPH if kind == "union-graph" else ""
    with oxigraph_server(location, timeout_s=30) as base:
        load_into_server(build_dir, RemoteEndpoints.for_base(base), union_graph=union or None)
        yield {"store": base, "store_default_graph": union}


@pytest.fixture(scope="module", params=["default-graph", "union-graph", "virtuoso"])
def pair(
    request: pytest.FixtureRequest, corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    """The embedded store and a real server: an Oxigraph server holding the union either in its default
    graph (the standard way) or in a named graph (the way for servers whose default graph is a union of
    all graphs: the server's own default graph is then left empty, to show it is not used), and
    OpenLink Virtuoso, such a server, in the mode the README documents for it (BRI_KG_STORE_DEFAULT_GRAPH,
    loaded over its authenticated Graph Store Protocol)."""
    build_dir = current_build(corpus_settings)
    assert build_dir is not None
    with loaded_server(request.param, build_dir, tmp_path_factory.mktemp(f"{request.param}-corpus")) as store:
        limits = {"query_timeout_s": 30.0, "max_result_rows": 500}
        embedded = api_settings(corpus_settings, query_workers=2, **limits)
        remote = api_settings(corpus_settings, **store, **limits)
        with TestClient(create_app(embedded)) as one, TestClient(create_app(remote)) as other:
            yield Pair(one, other, corpus_settings, request.param)


# --- named queries -------------------------------------------------------------------------------


def _examples(text: str) -> list[str]:
    return [m.rstrip(").,;") for m in re.findall(r"https?://\S+", text)]


def parameter_sets(query: NamedQuery) -> list[dict[str, str]]:
    """No parameters, each parameter alone with representative values, and all of them together."""
    sets: list[dict[str, str]] = [{}]
    firsts: dict[str, str] = {}
    for param in query.params:
        if param.type == "iri":
            values = [*_examples(param.description), ID + "nothing/here", BRI + "Statistic", "place/chengdu"]
        else:
            values = REPRESENTATIVE[param.type]
        firsts[param.name] = values[0]
        sets += [{param.name: v} for v in values]
    if len(query.params) > 1:
        sets.append(firsts)
    required = {p.name for p in query.params if p.required}
    return [s for s in sets if required <= set(s)]


NAMED = [q for folder in QUERY_DIRS for q in load_queries(folder).values()]


# Named queries OpenLink Virtuoso 7.2.5 (Debian 12's virtuoso-opensource) answers differently from the
# embedded store, measured: it evaluates them differently, the API sends it the same query and dataset.
# What it gets wrong (see the README's Virtuoso row): zero-or-more paths (skos:broader*) in a group of
# their own (commitments-by-topic, topic-overview, ...); OPTIONAL groups with filters give rows the
# embedded store does not (programs); SUBSTR counts differently in non-ASCII text (figure-source's
# context); some string matches differ (entities-named). FILTER(sameTerm(COALESCE(?param, ?x), ?x)) with
# the parameter unbound, which it answered with no rows, is now sent as COALESCE(?x)
# (``drop_unbound_coalesce``, the same query), so alliances, timeline and five more answer alike.
VIRTUOSO_DIFFERS = {
    "commitments-by-topic", "commitments-of-document", "conference-outcomes", "conference-participants",
    "conferences", "document-mentions", "figure-source", "joint-lab-batches", "policy-documents-by-place",
    "programs", "topic-overview", "entities-named", "statistics-since",
}


@pytest.mark.parametrize("query", NAMED, ids=[f"{q.path.parent.name}/{q.name}" for q in NAMED])
def test_named_query_answers_are_identical(pair: Pair, query: NamedQuery) -> None:
    id_base = pair.settings.base_iri + "id/"
    known = pair.kind == "virtuoso" and query.name in VIRTUOSO_DIFFERS
    differs = []
    # Virtuoso: the unbound case and two values each (the full matrix on Oxigraph, which should agree exactly)
    for given in parameter_sets(query)[:3] if pair.kind == "virtuoso" else parameter_sets(query):
        bindings = bind_params(query, given, id_base)
        embedded = pair.select(pair.embedded, query.sparql, bindings)
        try:
            remote = pair.select(pair.remote, query.sparql, bindings)
        except StoreError as exc:  # Virtuoso fails on some (figure-source, 8.00: "Numeric value out of range")
            if not known:
                raise
            differs.append(f"{given!r}: {type(exc).__name__}")
            continue
        if remote != embedded:
            differs.append(repr(given))
        assert known or remote == embedded, f"{query.name} with {given!r}"
    if differs:  # some of these answer identically at times (a SAMPLE may pick either quote): no strict xpass
        pytest.xfail(f"Virtuoso 7.2.5 answers {query.name} differently with {', '.join(differs)[:300]}")


def test_named_queries_find_something(pair: Pair) -> None:
    """The comparisons above are not vacuous: without parameters every project query has rows."""
    for query in load_queries(QUERY_DIRS[0]).values():
        if not any(p.required for p in query.params):
            _, rows, _ = pair.select(pair.embedded, query.sparql, {})
            assert rows, query.name


@standard_load_only
def test_named_query_endpoint_is_identical(pair: Pair) -> None:
    for query in load_queries(QUERY_DIRS[0]).values():
        if pair.kind == "virtuoso" and query.name in VIRTUOSO_DIFFERS:
            continue
        for n, given in enumerate(parameter_sets(query)[:3]):
            for fmt in ("json", "csv") if n == 0 else ("json",):
                one, other = pair.both("GET", f"/api/queries/{query.name}/run", params={**given, "format": fmt})
                assert (one.status_code, one.headers.get("x-total-count")) == (
                    other.status_code,
                    other.headers.get("x-total-count"),
                ), (query.name, given)
                if fmt == "csv":
                    assert sorted(one.text.splitlines()) == sorted(other.text.splitlines())
                else:
                    a, b = one.json(), other.json()
                    assert a["columns"] == b["columns"] and a["total"] == b["total"]
                    key = repr
                    assert sorted(map(key, a["rows"])) == sorted(map(key, b["rows"]))


@pytest.mark.parametrize(("query", "sent"), [
    ("SELECT ?x ?p WHERE { ?x ?q ?o FILTER(sameTerm(COALESCE(?p, ?o), ?o)) }",
     "SELECT ?x ?p WHERE { ?x ?q ?o FILTER(sameTerm(COALESCE( ?o), ?o)) }"),
    ("SELECT ?x WHERE { ?x ?q ?p FILTER(COALESCE(?p, ?x) = ?x) }", None),  # ?p is bound by the pattern
    ("SELECT ?x WHERE { ?x ?q ?o FILTER(COALESCE(?p) = ?x) }", None),  # the only argument: left as written
    ("SELECT (COALESCE(?f, 1) AS ?g) WHERE { OPTIONAL { SELECT ?f WHERE { ?a ?b ?f } } }", None),
    ('SELECT ?x WHERE { ?x ?q "COALESCE(?p, 1)" }', None),  # text in a string is not syntax
])
def test_a_never_bound_variable_leaves_coalesce(query: str, sent: str | None) -> None:
    assert drop_unbound_coalesce(query) == (sent or query)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_round_trip_as_one_literal(pair: Pair, value: str) -> None:
    sparql = "SELECT ?v (STRLEN(?v) AS ?n) (COUNT(*) AS ?rows) WHERE { ?s ?p ?o FILTER(?o = ?v) } GROUP BY ?v"
    bindings = {"v": Term.literal(value)}
    embedded = pair.select(pair.embedded, sparql, bindings)
    assert pair.select(pair.remote, sparql, bindings) == embedded
    _, rows, _ = embedded
    assert rows == [] or rows[0][0] == ("literal", value, "http://www.w3.org/2001/XMLSchema#string", "")


# --- analyst endpoints, entities, SPARQL ------------------------------------------------------------


def sample_entities(client: TestClient) -> list[str]:
    """One entity of each type (and a few extra), as ids under the id base."""
    index = client.app.state.services.index
    by_type: dict[str, str] = {}
    for iri in index.entity_iris():
        for type_iri in index.types(iri) or ["-"]:
            by_type.setdefault(type_iri, iri)
    chosen = sorted(set(by_type.values()))
    return [iri.removeprefix(index.id_base) for iri in chosen]


def test_startup_indexes_are_identical(pair: Pair) -> None:
    pair.both("GET", "/api/search?q=chengdu")  # the index loads in the background: this waits for it
    one, other = pair.embedded.app.state.services, pair.remote.app.state.services
    assert (one.triples, one.graphs) == (other.triples, other.graphs)
    assert one.index.path != other.index.path  # the build's file, and the one the replica wrote
    assert one.index.contents() == other.index.contents()
    assert one.index.entity_count > 200
    a, b = pair.both("GET", "/healthz")
    assert a.json()["triples"] == b.json()["triples"]
    assert a.json()["quads"] >= a.json()["triples"]  # a remote server's quads are not ours to count
    assert a.json()["store_kind"] == "embedded" and b.json()["store_kind"] == "remote"


@standard_load_only
def test_analyst_endpoints_are_identical(pair: Pair) -> None:
    entities = sample_entities(pair.embedded)
    assert len(entities) > 15
    urls = [
        ("/api/search", {"q": "chengdu"}),
        ("/api/search", {"q": "belt road", "type": "Organization"}),
        ("/api/search", {"q": "declaration", "format": "csv"}),
        ("/api/timeline", {}),
        ("/api/timeline", {"from": "2023", "to": "2025-06-30", "format": "csv"}),
        ("/api/statistics", {}),
        ("/api/statistics", {"format": "csv"}),
        ("/api/statistics", {"q": "laboratories"}),
        ("/api/paths", {"from": entities[0], "to": entities[-1]}),
        ("/api/paths", {"from": entities[1], "to": entities[len(entities) // 2], "max_depth": 6}),
        *[(f"/api/entities/{e}", {}) for e in entities],
        *[("/api/statistics", {"about": e}) for e in entities[:5]],
    ]
    for url, params in urls:
        one, other = pair.both("GET", url, params=params)
        assert one.status_code == other.status_code, (url, params, other.text[:500])
        assert one.content == other.content, (url, params)


@standard_load_only
def test_entity_rdf_and_pages_are_identical(pair: Pair) -> None:
    for entity in sample_entities(pair.embedded)[:12]:
        for accept in ("text/turtle", "application/n-triples", "application/ld+json", "text/html"):
            one, other = pair.both("GET", f"/id/{entity}", headers={"Accept": accept})
            assert one.status_code == other.status_code == 200
            if accept == "application/n-triples":  # blank-node-free descriptions: compare as sets of lines
                assert sorted(one.text.splitlines()) == sorted(other.text.splitlines())
            elif accept == "text/html":
                assert one.text == other.text
    one, other = pair.both("GET", "/id/nothing/here", headers={"Accept": "text/turtle"})
    assert one.status_code == other.status_code == 404
    one, other = pair.both("GET", "/id/not%20an%20iri", headers={"Accept": "text/turtle"})
    assert one.status_code == other.status_code == 404


SPARQL_CASES = [
    ("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label", {}),
    # past the row cap: truncated the same way (IRI subjects: blank node labels are each store's own)
    ("SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s)) } ORDER BY ?s ?t", {}),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", {}),
    ("ASK { ?s a <https://w3id.org/bri-kg/ontology#Conference> }", {}),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/bri-kg/ontology#Conference> ; ?p ?o }", {}),
    ("DESCRIBE <https://w3id.org/bri-kg/id/place/chengdu>", {}),
    ("SELECT ?x WHERE { BIND(<relative/iri> AS ?x) }", {}),  # resolved against the endpoint as base
    # the Protocol's dataset: default graphs only, named graphs only, both, and the query's own FROM
    (
        "SELECT ?g ?s WHERE { GRAPH ?g { ?s a <https://w3id.org/bri-kg/ontology#SourceDocument> } } ORDER BY ?g",
        {"default-graph-uri": "https://w3id.org/bri-kg/graph/ontology"},
    ),
    (
        "SELECT ?s WHERE { ?s a <https://w3id.org/bri-kg/ontology#SourceDocument> } ORDER BY ?s",
        {"named-graph-uri": "https://w3id.org/bri-kg/graph/ontology"},
    ),
    (
        "SELECT DISTINCT ?g ?t WHERE { ?d a ?t GRAPH ?g { ?d ?p ?o } } ORDER BY ?g ?t",
        {
            "default-graph-uri": "https://w3id.org/bri-kg/graph/ontology",
            "named-graph-uri": "https://w3id.org/bri-kg/graph/cas-2016-beijing-declaration",
        },
    ),
    (
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/bri-kg/graph/ontology> "
        "FROM NAMED <https://w3id.org/bri-kg/graph/ontology> WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        {"named-graph-uri": "https://w3id.org/bri-kg/graph/cas-2016-beijing-declaration"},
    ),
    (
        "PREFIX g: <https://w3id.org/bri-kg/graph/> SELECT (COUNT(*) AS ?n) FROM NAMED g:ontology "
        "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        {"default-graph-uri": "https://w3id.org/bri-kg/graph/cas-2016-beijing-declaration"},
    ),
]
FORMATS = {
    "SELECT": ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"],
    "ASK": ["application/sparql-results+json", "application/sparql-results+xml"],
    "GRAPH": ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
              "application/n-quads", "application/trig"],
}


def triples(response: httpx.Response) -> list[str]:
    """A graph answer as its sorted triples: a graph has no order, so serialisations may group them differently."""
    fmt = ox.RdfFormat.from_media_type(response.headers["content-type"].split(";")[0])
    assert fmt is not None
    return sorted(str(q.triple) for q in ox.parse(response.content, format=fmt))


@pytest.mark.parametrize(("query", "dataset"), SPARQL_CASES)
def test_sparql_answers_are_identical_in_every_format(pair: Pair, query: str, dataset: dict[str, str]) -> None:
    form = "GRAPH" if query.startswith(("CONSTRUCT", "DESCRIBE")) else "ASK" if query.startswith("ASK") else "SELECT"
    if pair.kind == "virtuoso" and query.startswith("DESCRIBE"):
        pytest.skip("what DESCRIBE answers is up to each server (SPARQL 1.1, 16.4): Virtuoso's is not Oxigraph's")
    if pair.kind == "virtuoso" and "FROM NAMED" in query and "named-graph-uri" in dataset:
        pytest.xfail("Virtuoso 7.2.5 adds the query's FROM NAMED to the protocol's named-graph-uri; the Protocol "
                     "says the parameter replaces it")
    for accept in FORMATS[form]:
        one, other = pair.both("GET", "/sparql", params={"query": query, **dataset}, headers={"Accept": accept})
        assert one.status_code == other.status_code == 200, other.text
        for header in ("content-type", "x-result-count", "x-result-truncated", "x-result-row-limit"):
            assert one.headers.get(header) == other.headers.get(header), header
        if form == "GRAPH" and "ORDER BY" not in query:
            assert triples(one) == triples(other), accept
        else:
            assert one.content == other.content, accept


def test_errors_are_identical(pair: Pair) -> None:
    for query in ("SELECT * WHERE { ?s ?p }", "SELECT ?x WHERE { ?x <undeclared:thing ?y }", "ASK { FILTER( }"):
        one, other = pair.both("GET", "/sparql", params={"query": query})
        assert one.status_code == other.status_code == 400
        if pair.kind == "virtuoso":  # the message is the server's own parser's
            assert other.text.startswith("Malformed query: Virtuoso 37000 Error SP030: SPARQL compiler"), other.text
        else:
            assert one.text == other.text
    one, other = pair.both("GET", "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }"})
    assert one.status_code == other.status_code == 403
    one, other = pair.both("POST", "/sparql", content=b"LOAD <http://127.0.0.1:9/x>",
                           headers={"Content-Type": "application/sparql-query"})
    assert one.status_code == other.status_code == 400
    one, other = pair.both("GET", "/api/queries/entities-by-name/run")
    assert one.status_code == other.status_code == 400


# --- binding, unit by unit --------------------------------------------------------------------------


def test_render_term_checks_and_escapes() -> None:
    assert render_term(Term.iri("https://x.org/a#b")) == "<https://x.org/a#b>"
    assert render_term(Term.literal('a"b\\c\nd')) == '"a\\"b\\\\c\\nd"'
    assert render_term(Term.literal("5", "http://www.w3.org/2001/XMLSchema#integer")) == (
        '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    assert render_term(Term.literal("chat", lang="fr")) == '"chat"@fr'
    for bad in (
        Term.iri("https://x.org/a> . ?s ?p ?o . <x:y"),
        Term.iri("relative"),
        Term.iri("https://x.org/a b"),
        Term.iri("https://x.org/{x}"),
        Term.literal("x", lang="en } #"),
        Term.literal("x", "https://x.org/dt> ?p"),
        Term("bnode", "b0"),
    ):
        with pytest.raises(BindingError):
            render_term(bad)


def test_bind_parameters_shapes() -> None:
    iri = {"p": Term.iri("https://x.org/p")}
    assert bind_parameters("SELECT ?s ?p WHERE { ?s ?p ?o }", iri) == (
        "SELECT ?s (<https://x.org/p> AS ?p) WHERE { ?s <https://x.org/p> ?o }"
    )
    # strings, IRIs and comments that mention ?p are left alone
    assert bind_parameters('SELECT ?p WHERE { ?s <x:?p> "?p" } # ?p', iri) == (
        'SELECT (<https://x.org/p> AS ?p) WHERE { ?s <x:?p> "?p" } # ?p'
    )
    assert bind_parameters("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p DESC(?p)", iri) == (
        "SELECT (<https://x.org/p> AS ?p) (COUNT(*) AS ?n) WHERE { ?s <https://x.org/p> ?o } "
        "GROUP BY (<https://x.org/p>) ORDER BY (<https://x.org/p>) DESC(<https://x.org/p>)"
    )
    assert bind_parameters("SELECT ?p WHERE { ?s ?q ?o FILTER(BOUND(?p) && ?q != $p) }", iri) == (
        "SELECT (<https://x.org/p> AS ?p) WHERE { ?s ?q ?o FILTER(true && ?q != <https://x.org/p>) }"
    )
    # a sub-SELECT that does not project ?p has a variable of its own
    inner = "SELECT ?p ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } ?s ?q ?p }"
    assert bind_parameters(inner, iri) == (
        "SELECT (<https://x.org/p> AS ?p) ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } ?s ?q <https://x.org/p> }"
    )
    assert bind_parameters("ASK { ?s ?p ?o }", iri) == "ASK { ?s <https://x.org/p> ?o }"
    for refused in (
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o }",
        "SELECT ?p WHERE { BIND(<x:y> AS ?p) }",
        "SELECT ?p WHERE { VALUES ?p { <x:y> } }",
    ):
        with pytest.raises(BindingError):
            bind_parameters(refused, iri)


# --- the remote store failing --------------------------------------------------------------------------


def test_startup_fails_clearly_when_the_remote_store_is_unreachable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    settings = ApiSettings(root=tmp_path, var_dir=tmp_path / "var", dist_dir=tmp_path / "dist", store=url)
    with (
        pytest.raises(RuntimeError, match=r"remote store at .* does not answer.*bri-kg load"),
        TestClient(create_app(settings)),
    ):
        pass


def test_startup_fails_clearly_when_the_remote_store_is_empty(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "empty") as base:
        settings = ApiSettings(root=tmp_path, var_dir=tmp_path / "var", dist_dir=tmp_path / "dist", store=base)
        with pytest.raises(RuntimeError, match="holds no triples"), TestClient(create_app(settings)):
            pass


def test_a_store_that_goes_away_is_a_502_and_healthz_says_so(corpus_settings: Settings, tmp_path: Path) -> None:
    build_dir = current_build(corpus_settings)
    assert build_dir is not None
    with oxigraph_server(tmp_path / "oxi") as base:
        load_into_server(build_dir, RemoteEndpoints.for_base(base))
        client = TestClient(create_app(api_settings(corpus_settings, store=base)))
        client.__enter__()
        assert client.get("/healthz").json()["store_reachable"] is True
    try:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["store_reachable"] is False and base in health.json()["store"]
        response = client.get("/sparql", params={"query": "ASK {}"})
        assert response.status_code == 502
        assert response.text.startswith("The store is unavailable: the remote store at ") and "unreachable" in (
            response.text
        )
        assert client.get("/api/queries/timeline/run").status_code == 502
        assert client.get("/api/timeline").status_code == 502
        assert client.get("/api/search", params={"q": "chengdu"}).status_code == 200  # the index is in memory
    finally:
        client.__exit__(None, None, None)
