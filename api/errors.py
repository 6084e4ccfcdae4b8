"""Every error a request can end in, turned into a response in one place.

Routers and views raise; they do not catch. Store errors carry their status (``api.store.errors``),
protocol errors theirs (``api.sparql.protocol``); negotiation failures are 406. The body is JSON
(``{"detail": ...}``) under ``/api/``, where clients read JSON, and plain text elsewhere (the
SPARQL endpoint, entity IRIs, dumps), as SPARQL clients expect; a browser asking for a page that
does not exist gets the HTML 404 page.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import pinned_services
from api.sparql.protocol import ProtocolError
from api.store.errors import QueryTimeout, StoreError
from api.views.reconcile import ReconcileError
from api.web import negotiation as neg
from api.web.pages import render


def _wants_json(request: Request) -> bool:
    return neg.errors_in_json(request.url.path)


def error_response(request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The error body a client of this path reads: JSON under /api/, plain text elsewhere."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=dict(headers or {}))
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=dict(headers or {}))


def store_error_message(exc: StoreError, timeout_s: float | None) -> str:
    message = exc.prefix + str(exc)
    if isinstance(exc, QueryTimeout) and timeout_s:
        message += f" (limit {timeout_s:g} s). Narrow the query or add a LIMIT."
    return message


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        services = pinned_services(request)
        timeout = services.settings.query_timeout_s if services is not None else None
        headers = {"Retry-After": str(getattr(exc, "retry_after_s", 5))} if exc.status == 503 else {}
        return error_response(request, exc.status, store_error_message(exc, timeout), headers)

    @app.exception_handler(ProtocolError)
    async def protocol_error(request: Request, exc: ProtocolError) -> Response:
        return error_response(request, exc.status, str(exc), exc.headers)

    @app.exception_handler(ReconcileError)
    async def reconcile_error(request: Request, exc: ReconcileError) -> Response:
        return JSONResponse({"detail": str(exc)}, status_code=400)  # reconciliation clients read JSON

    @app.exception_handler(neg.NotAcceptable)
    async def not_acceptable(request: Request, exc: neg.NotAcceptable) -> Response:
        return error_response(request, 406, f"Not acceptable: {exc}", {"Vary": "Accept"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and neg.prefers_html(request.headers.get("accept")) and not _wants_json(request):
            return render(request, "not_found.html", status_code=404, path=request.url.path)
        return error_response(request, exc.status_code, str(exc.detail), headers)
