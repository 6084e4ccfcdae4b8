"""The SPARQL 1.1 Protocol endpoint at /sparql: query operation only, read-only by construction.

Request parsing follows the Protocol's three ways to send a query (GET, POST form, POST direct),
with ``default-graph-uri`` / ``named-graph-uri`` overriding the query's own FROM / FROM NAMED.
Errors are plain text with the status the Protocol asks for: 400 malformed (Oxigraph's parser
message, or a remote store's), 405 update operations, 406 no acceptable format, 413 too large, 415
wrong media type or charset, 502 a remote store that cannot be reached, 503 timeout. With no
query, RDF clients get the Service Description and browsers YASGUI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from api import negotiation as neg
from api.executor import QueryTimeout, WorkerFailure
from api.pages import render
from api.services import Services, services
from api.sparql_text import Operation, classify
from api.store import QueryError, QueryRequest, StoreUnavailable
from api.worker import GRAPH_RDF_FORMATS
from kg.vocab import PREFIXES

router = APIRouter()

ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update operations are not accepted. "
    "Download the dumps at /dumps/ to load the data into a store of your own."
)
TRUNCATED_HEADER = "X-Result-Truncated"
ROW_LIMIT_HEADER = "X-Result-Row-Limit"
RDF_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.status = status
        self.headers = headers or {}
        super().__init__(message)


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format_param: str | None


def error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def _decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("ascii", errors="strict") if raw else "",
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(400, f"The {where} is not valid percent-encoded UTF-8: {exc}") from None


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    main, *params = [p.strip() for p in header.split(";")]
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    return main.lower(), parsed


async def parse_request(request: Request, max_bytes: int) -> ProtocolRequest:
    """Extract the query and dataset from any of the Protocol's request shapes, or raise ProtocolError."""
    url_pairs = _decode_pairs(request.scope.get("query_string", b""), "query string")
    body_pairs: list[tuple[str, str]] = []
    direct_query: str | None = None
    if request.method == "POST":
        media_type, params = _media_type(request)
        charset = params.get("charset", "utf-8")
        body = await request.body()
        if media_type == UPDATE_TYPE:
            raise ProtocolError(405, READ_ONLY, {"Allow": "GET, HEAD, POST, OPTIONS"})
        if media_type == FORM_TYPE:
            body_pairs = _decode_pairs(body, "form body")
        elif media_type == QUERY_TYPE:
            if charset not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"Unsupported charset {charset!r}: send the query as UTF-8.")
            try:
                direct_query = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"The query is not valid UTF-8: {exc}") from None
        elif not media_type:
            raise ProtocolError(
                415,
                "A POST needs a Content-Type: application/x-www-form-urlencoded "
                "(query=...) or application/sparql-query (the query as the body).",
            )
        else:
            raise ProtocolError(
                415,
                f"Unsupported Content-Type {media_type!r}: use "
                "application/x-www-form-urlencoded or application/sparql-query.",
            )
    pairs = url_pairs + body_pairs
    if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in pairs):
        raise ProtocolError(405, READ_ONLY, {"Allow": "GET, HEAD, POST, OPTIONS"})
    queries = [value for name, value in pairs if name == "query"]
    if direct_query is not None:
        queries.append(direct_query)
    if len(queries) > 1:
        raise ProtocolError(400, "More than one query in the request: send exactly one.")
    query = queries[0] if queries else None
    if query is not None and len(query.encode("utf-8")) > max_bytes:
        raise ProtocolError(413, f"The query is larger than the {max_bytes} byte limit.")
    default_graphs = tuple(v for n, v in pairs if n == "default-graph-uri")
    named_graphs = tuple(v for n, v in pairs if n == "named-graph-uri")
    for iri in (*default_graphs, *named_graphs):
        if not ABSOLUTE_IRI.match(iri):
            raise ProtocolError(400, f"Graph IRI {iri!r} is not an absolute IRI.")
    formats = [v for n, v in pairs if n in ("format", "output")]
    return ProtocolRequest(query, default_graphs, named_graphs, formats[-1] if formats else None)


def _offers(operation: Operation) -> tuple[neg.Format, ...]:
    if operation.returns_graph:
        return neg.GRAPH_FORMATS
    if operation.form == "ASK":
        return neg.BOOLEAN_FORMATS
    return neg.SELECT_FORMATS


def build_query_request(
    proto: ProtocolRequest, operation: Operation, fmt: neg.Format, svc: Services, base_iri: str
) -> QueryRequest:
    """The store request: the protocol dataset overrides FROM / FROM NAMED; given only named graphs,
    the default graph stays this service's default (the union of all graphs)."""
    common = {"max_rows": svc.settings.max_result_rows, "prefixes": RDF_PREFIXES, "base_iri": base_iri}
    if proto.default_graphs or proto.named_graphs:
        return QueryRequest(
            proto.query or "",
            fmt.key,
            default_graphs=proto.default_graphs or None,
            named_graphs=proto.named_graphs or None,
            union_default_graph=not proto.default_graphs,
            **common,
        )
    return QueryRequest(proto.query or "", fmt.key, union_default_graph=not operation.has_dataset_clause, **common)


async def run_sparql(request: Request, svc: Services, proto: ProtocolRequest) -> Response:
    """Check, negotiate, execute; the only path from an HTTP request to the store."""
    text = proto.query or ""
    if not text.strip():
        raise ProtocolError(400, "The query is empty.")
    operation = classify(text)
    if operation.is_update:
        raise ProtocolError(400, "This is a SPARQL Update, not a query. " + READ_ONLY)
    if operation.uses_service and not svc.settings.allow_service:
        raise ProtocolError(
            403,
            "SERVICE (federated query) is disabled on this endpoint: it never fetches "
            "remote data unless the operator sets BRI_KG_ALLOW_SERVICE=true.",
        )
    offers = _offers(operation)
    accept = request.headers.get("accept")
    try:
        fmt = neg.choose(accept, proto.format_param, offers)
    except neg.NotAcceptable as exc:
        # A client that accepts some SPARQL format, just not one for this query form (rdflib's
        # SPARQLStore sends one Accept for every query), gets this form's default; 406 otherwise.
        if proto.format_param or neg.negotiate(accept, neg.SELECT_FORMATS + neg.GRAPH_FORMATS) is None:
            raise ProtocolError(406, f"Not acceptable: {exc}") from None
        fmt = offers[0]
    try:
        result = await svc.store.query(build_query_request(proto, operation, fmt, svc, endpoint_url(request)))
    except QueryError as exc:
        status = 400 if exc.kind == "syntax" else 500
        prefix = "Malformed query: " if exc.kind == "syntax" else "Query failed: "
        raise ProtocolError(status, prefix + str(exc)) from None
    except QueryTimeout as exc:
        raise ProtocolError(
            503,
            f"Query timeout: {exc} (limit {svc.settings.query_timeout_s:g} s). Narrow the query or add a LIMIT.",
        ) from None
    except StoreUnavailable as exc:
        raise ProtocolError(502, f"The store is unavailable: {exc}") from None
    except WorkerFailure as exc:
        raise ProtocolError(500, f"Query failed: {exc}") from None
    out = neg.ALL_FORMATS.get(result.format, fmt)
    headers = {"Vary": "Accept"}
    if result.count is not None:  # None: serialized natively by Oxigraph, rows not counted
        headers["X-Result-Count"] = str(result.count)
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[ROW_LIMIT_HEADER] = str(svc.settings.max_result_rows)
    return Response(result.body, media_type=out.content_type, headers=headers)


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
SD_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)


def service_description(endpoint: str, svc: Services) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of this endpoint and its dataset (no blank nodes)."""
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service = ox.NamedNode(endpoint)
    dataset = ox.NamedNode(endpoint + "#dataset")
    default = ox.NamedNode(endpoint + "#default-graph")
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    add(service, rdf_type.value, ox.NamedNode(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    add(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    if svc.settings.allow_service:
        add(service, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery"))
    for name in SD_RESULT_FORMATS:
        add(service, SD + "resultFormat", ox.NamedNode(FORMATS + name))
    add(service, SD + "defaultEntailmentRegime", ox.NamedNode("http://www.w3.org/ns/entailment/Simple"))
    add(
        service,
        "http://purl.org/dc/terms/title",
        ox.Literal("BRI-KG SPARQL endpoint (read-only)", language="en"),
    )
    add(service, SD + "defaultDataset", dataset)
    add(dataset, rdf_type.value, ox.NamedNode(SD + "Dataset"))
    add(dataset, SD + "defaultGraph", default)
    add(default, rdf_type.value, ox.NamedNode(SD + "Graph"))
    add(
        default,
        "http://www.w3.org/2000/01/rdf-schema#comment",
        ox.Literal("The union of all named graphs (one per source document, plus the ontology).", language="en"),
    )
    add(
        default,
        "http://rdfs.org/ns/void#triples",
        ox.Literal(str(svc.triples), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    )
    for graph in svc.graphs:
        node = ox.NamedNode(f"{endpoint}#graph-{graph.rsplit('/', 1)[-1]}")
        add(dataset, SD + "namedGraph", node)
        add(node, rdf_type.value, ox.NamedNode(SD + "NamedGraph"))
        add(node, SD + "name", ox.NamedNode(graph))
    return out


RDF_OX_FORMATS = GRAPH_RDF_FORMATS  # one table of RDF formats, shared with the query workers


def serialize_triples(triples: list[ox.Triple], fmt: neg.Format, prefixes: dict[str, str] | None = None) -> bytes:
    rdf_format = RDF_OX_FORMATS[fmt.key]
    items: list[ox.Triple] | list[ox.Quad] = triples
    if rdf_format.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    use_prefixes = prefixes if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(items, format=rdf_format, prefixes=use_prefixes) or b""


def endpoint_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/sparql"


def yasgui_page(request: Request, query: str | None = None) -> Response:
    return render(request, "yasgui.html", endpoint=endpoint_url(request), initial_query=query or "")


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], include_in_schema=False)
@router.api_route("/sparql/", methods=["GET", "HEAD", "POST"], include_in_schema=False)
async def sparql_endpoint(request: Request) -> Response:
    svc = services(request)
    try:
        proto = await parse_request(request, svc.settings.max_request_bytes)
        if proto.query is None:
            accept = request.headers.get("accept")
            if neg.prefers_html(accept) and not proto.format_param:
                return yasgui_page(request)
            try:
                fmt = neg.choose(accept, proto.format_param, neg.GRAPH_FORMATS)
            except neg.NotAcceptable as exc:
                raise ProtocolError(406, f"Not acceptable: {exc}") from None
            body = serialize_triples(
                service_description(endpoint_url(request), svc),
                fmt,
                {
                    "sd": SD,
                    "formats": FORMATS,
                    "void": "http://rdfs.org/ns/void#",
                    "dcterms": "http://purl.org/dc/terms/",
                },
            )
            return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})
        return await run_sparql(request, svc, proto)
    except ProtocolError as exc:
        return error(exc.status, str(exc), exc.headers)


@router.get("/yasgui", include_in_schema=False)
async def yasgui(request: Request, query: str | None = None) -> Response:
    """The query editor; ``?query=`` pre-fills it (handy for links to a ready-made query)."""
    return yasgui_page(request, query)
