"""The SPARQL 1.1 Protocol's request side: one query and its dataset out of any of the three request
shapes (GET, POST form, POST direct), checked before any store sees it.

``default-graph-uri`` / ``named-graph-uri`` override the query's own FROM / FROM NAMED. Problems are
``ProtocolError``s carrying the status the Protocol asks for: 400 malformed, 405 update operations,
413 too large, 415 wrong media type or charset (406 is negotiation's, see the router).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request

from api.sparql.text import Operation
from api.store.contract import QueryRequest

ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update operations are not accepted. "
    "Download the dumps at /dumps/ to load the data into a store of your own."
)
READ_ONLY_ALLOW = {"Allow": "GET, HEAD, POST, OPTIONS"}


class ProtocolError(Exception):
    """A request the Protocol says to refuse; ``status`` and ``headers`` go into the answer."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        self.status = status
        self.headers = dict(headers or {})
        super().__init__(message)


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format_param: str | None


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


def _direct_query(body: bytes, charset: str) -> str:
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"Unsupported charset {charset!r}: send the query as UTF-8.")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The query is not valid UTF-8: {exc}") from None


async def _read_post(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """The form pairs or the direct query of a POST body (one of them is empty)."""
    media_type, params = _media_type(request)
    body = await request.body()
    if media_type == UPDATE_TYPE:
        raise ProtocolError(405, READ_ONLY, READ_ONLY_ALLOW)
    if media_type == FORM_TYPE:
        return _decode_pairs(body, "form body"), None
    if media_type == QUERY_TYPE:
        return [], _direct_query(body, params.get("charset", "utf-8"))
    if not media_type:
        raise ProtocolError(
            415,
            "A POST needs a Content-Type: application/x-www-form-urlencoded "
            "(query=...) or application/sparql-query (the query as the body).",
        )
    raise ProtocolError(
        415,
        f"Unsupported Content-Type {media_type!r}: use application/x-www-form-urlencoded or application/sparql-query.",
    )


def _the_query(pairs: list[tuple[str, str]], direct: str | None, max_bytes: int) -> str | None:
    if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in pairs):
        raise ProtocolError(405, READ_ONLY, READ_ONLY_ALLOW)
    queries = [value for name, value in pairs if name == "query"]
    if direct is not None:
        queries.append(direct)
    if len(queries) > 1:
        raise ProtocolError(400, "More than one query in the request: send exactly one.")
    query = queries[0] if queries else None
    if query is not None and len(query.encode("utf-8")) > max_bytes:
        raise ProtocolError(413, f"The query is larger than the {max_bytes} byte limit.")
    return query


async def parse_request(request: Request, max_bytes: int) -> ProtocolRequest:
    """Extract the query and dataset from any of the Protocol's request shapes, or raise ProtocolError."""
    pairs = _decode_pairs(request.scope.get("query_string", b""), "query string")
    direct: str | None = None
    if request.method == "POST":
        body_pairs, direct = await _read_post(request)
        pairs += body_pairs
    query = _the_query(pairs, direct, max_bytes)
    default_graphs = tuple(v for n, v in pairs if n == "default-graph-uri")
    named_graphs = tuple(v for n, v in pairs if n == "named-graph-uri")
    for iri in (*default_graphs, *named_graphs):
        if not ABSOLUTE_IRI.match(iri):
            raise ProtocolError(400, f"Graph IRI {iri!r} is not an absolute IRI.")
    formats = [v for n, v in pairs if n in ("format", "output")]
    return ProtocolRequest(query, default_graphs, named_graphs, formats[-1] if formats else None)


def check_operation(operation: Operation, allow_service: bool) -> None:
    """Refuse what this endpoint never runs: updates, and SERVICE unless the operator allows it."""
    if operation.is_update:
        raise ProtocolError(400, "This is a SPARQL Update, not a query. " + READ_ONLY)
    if operation.uses_service and not allow_service:
        raise ProtocolError(
            403,
            "SERVICE (federated query) is disabled on this endpoint: it never fetches "
            "remote data unless the operator sets BRI_KG_ALLOW_SERVICE=true.",
        )


def query_request(
    proto: ProtocolRequest,
    operation: Operation,
    format_key: str,
    *,
    max_rows: int,
    prefixes: Mapping[str, str],
    base_iri: str,
) -> QueryRequest:
    """The store request: the protocol dataset overrides FROM / FROM NAMED; given only named graphs,
    the default graph stays this service's default (the union of all graphs)."""
    explicit = bool(proto.default_graphs or proto.named_graphs)
    return QueryRequest(
        proto.query or "",
        format_key,
        default_graphs=(proto.default_graphs or None) if explicit else None,
        named_graphs=(proto.named_graphs or None) if explicit else None,
        union_default_graph=not proto.default_graphs if explicit else not operation.has_dataset_clause,
        max_rows=max_rows,
        prefixes=prefixes,
        base_iri=base_iri,
        kind="query",
    )
