"""The OpenAPI description, made true: every status and content type an operation can answer is declared.

FastAPI documents what a route declares (its response model, ``responses=``) and its 422. The rest
comes from machinery every route shares, so it is added here to every operation, including routes
added later: the errors of ``api.errors`` and ``api.web.guard`` (400 bad input, 404 unknown, 406 no
acceptable format, 414 over-long URL, 502 a remote store down, 503 busy or timed out, with
Retry-After), as JSON ``{"detail": ...}`` under ``/api/`` and plain text elsewhere (a browser asking
for a missing page gets HTML). A route that answers other content declares it itself.
``tests/api/test_openapi.py`` runs schemathesis against a real server to keep this so.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.web import negotiation as neg

ERRORS = {
    "400": "Bad request: a parameter or query that cannot be used, with the reason",
    "404": "Not found: no such resource (or entity, dump, named query)",
    "406": "Not acceptable: no format the client accepts (the body lists the available ones)",
    "414": "URI too long: send long queries with POST",
    "502": "The remote store cannot be reached",
    "503": "Busy (a full queue), a query over the time limit, or the index still loading: retry after Retry-After",
}
HTTP_ERROR = {
    "title": "HTTPError",
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, and what to do about it"}},
    "required": ["detail"],
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}}


Responses = dict[int | str, dict[str, Any]]


def content(*media_types: str) -> Responses:
    """``responses=`` for a route whose 200 answer comes in these media types (besides its model's JSON)."""
    return {200: {"content": {m: {} for m in media_types}}}


RDF_TYPES = tuple(f.content_type for f in (neg.TURTLE, neg.JSONLD, neg.NTRIPLES, neg.RDFXML, neg.NQUADS, neg.TRIG))
RDF_OR_PAGE = content(*RDF_TYPES, "text/html")
CSV_TOO = content("text/csv")
JSONLD = content("application/ld+json; charset=utf-8")
JSONP_TOO = content("application/javascript; charset=utf-8")  # JSON, or JSONP with ``callback``


def error_content(path: str, status: str) -> dict[str, Any]:
    if neg.errors_in_json(path):
        return {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPError"}}}
    content: dict[str, Any] = {"text/plain": {"schema": {"type": "string"}}}
    if status == "404":
        content["text/html"] = {"schema": {"type": "string"}}
    return content


def describe(app: FastAPI) -> dict[str, Any]:
    """FastAPI's description with the shared error answers added to every operation."""
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    schema.setdefault("components", {}).setdefault("schemas", {})["HTTPError"] = HTTP_ERROR
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                response = responses.setdefault(status, {"description": description})
                response.setdefault("content", error_content(path, status))
                if status == "503":
                    response.setdefault("headers", RETRY_AFTER)
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
