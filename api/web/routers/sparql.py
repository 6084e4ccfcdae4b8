"""The SPARQL 1.1 Protocol endpoint at /sparql: query operation only, read-only by construction.

The request is read by ``api.sparql.protocol``; the query's form decides which formats fit; the
store answers. With no query, RDF clients get the Service Description and browsers YASGUI.
Errors are plain text with the status the Protocol asks for (``api.errors``): 400 malformed (the
parser's message), 403 SERVICE, 405 updates, 406 no acceptable format, 413 too large, 415 wrong
media type or charset, 502 a remote store that cannot be reached, 503 timeout.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request, Response

from api.deps import ServicesDep
from api.services import Services
from api.sparql.description import SD_PREFIXES, service_description
from api.sparql.guard import check_query_shape
from api.sparql.protocol import ProtocolError, ProtocolRequest, check_operation, parse_request, query_request
from api.sparql.text import Operation, classify
from api.store.formats import serialize_graph
from api.web import negotiation as neg
from api.web.pages import render
from api.web.tabular import UTF8_BOM, wants_bom
from kg.vocab.namespaces import RDF_PREFIXES

router = APIRouter()

TRUNCATED_HEADER = "X-Result-Truncated"
ROW_LIMIT_HEADER = "X-Result-Row-Limit"


def _offers(operation: Operation) -> tuple[neg.Format, ...]:
    if operation.returns_graph:
        return neg.GRAPH_FORMATS
    if operation.form == "ASK":
        return neg.BOOLEAN_FORMATS
    return neg.SELECT_FORMATS


def _result_format(request: Request, proto: ProtocolRequest, operation: Operation) -> neg.Format:
    """The client's format for this query form. A client that accepts some SPARQL format, just not one
    for this form (rdflib's SPARQLStore sends one Accept for every query), gets the form's default."""
    offers = _offers(operation)
    accept = request.headers.get("accept")
    try:
        return neg.choose(accept, proto.format_param, offers)
    except neg.NotAcceptable:
        if proto.format_param or neg.negotiate(accept, neg.SELECT_FORMATS + neg.GRAPH_FORMATS) is None:
            raise
        return offers[0]


def endpoint_url(svc: Services) -> str:
    """This endpoint's absolute URL, from the configured public base: never from the request's Host header."""
    return svc.settings.public_base + "sparql"


async def run_sparql(request: Request, svc: Services, proto: ProtocolRequest) -> Response:
    """Check, negotiate, execute: the only path from an HTTP request to the store."""
    bom = wants_bom(proto.format_param)
    if bom:  # CSV results for a spreadsheet program: the same CSV, with a UTF-8 byte-order mark
        proto = replace(proto, format_param="csv")
    text = proto.query or ""
    if not text.strip():
        raise ProtocolError(400, "The query is empty.")
    limits = svc.settings
    check_query_shape(text, limits.max_query_bytes, limits.max_query_depth, limits.max_query_operators)
    operation = classify(text)
    check_operation(operation, svc.settings.allow_service)
    fmt = _result_format(request, proto, operation)
    store_request = query_request(proto, operation, fmt.key, max_rows=svc.settings.max_result_rows,
                                  prefixes=RDF_PREFIXES, base_iri=endpoint_url(svc))
    result = await svc.store.query(store_request)
    out = neg.ALL_FORMATS.get(result.format, fmt)
    headers = {"Vary": "Accept"}
    if result.count is not None:  # None: serialized natively by Oxigraph, rows not counted
        headers["X-Result-Count"] = str(result.count)
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[ROW_LIMIT_HEADER] = str(svc.settings.max_result_rows)
    body = UTF8_BOM + result.body if bom and out.key == "csv" else result.body
    return Response(body, media_type=out.content_type, headers=headers)


def yasgui_page(request: Request, query: str | None = None) -> Response:
    """The editor queries "/sparql" on whatever host the browser used: a relative URL, nothing to reflect."""
    return render(request, "yasgui.html", endpoint="/sparql", initial_query=query or "")


def describe_service(request: Request, svc: Services, proto: ProtocolRequest) -> Response:
    accept = request.headers.get("accept")
    if neg.prefers_html(accept) and not proto.format_param:
        return yasgui_page(request)
    fmt = neg.choose(accept, proto.format_param, neg.GRAPH_FORMATS)
    triples = service_description(endpoint_url(svc), svc.triples, svc.graphs, svc.settings.allow_service)
    return Response(serialize_graph(triples, fmt.key, SD_PREFIXES), media_type=fmt.content_type,
                    headers={"Vary": "Accept"})


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], include_in_schema=False)
@router.api_route("/sparql/", methods=["GET", "HEAD", "POST"], include_in_schema=False)
async def sparql_endpoint(request: Request, svc: ServicesDep) -> Response:
    proto = await parse_request(request, svc.settings.max_request_bytes)
    if proto.query is None and request.method == "POST":
        # The Protocol's POST operations carry a query; a body without one is a client error (the W3C
        # protocol tests expect 4xx), not a request for the service description (that is a GET).
        raise ProtocolError(400, "A POST to the SPARQL endpoint needs a query (query=... in the form body, or "
                                 "the query itself as application/sparql-query). GET it for the service description.")
    if proto.query is None:
        return describe_service(request, svc, proto)
    return await run_sparql(request, svc, proto)


@router.get("/yasgui", include_in_schema=False)
async def yasgui(request: Request, query: str | None = None) -> Response:
    """The query editor; ``?query=`` pre-fills it (handy for links to a ready-made query)."""
    return yasgui_page(request, query)
