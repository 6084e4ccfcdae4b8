"""The W3C Reconciliation Service API (0.2) at /reconcile, for OpenRefine and other spreadsheet tools.

One endpoint answers three requests, by parameter, in the query string or a form-encoded POST body:
``queries`` (a batch of reconciliation queries), ``extend`` (data extension), neither (the manifest).
``callback`` wraps any answer as JSONP. Suggest, preview and property proposals have paths of their
own under /reconcile, named in the manifest. A malformed request is a 400 saying what is wrong
(``api.errors``); CORS is open, as the specification requires, by the app's middleware.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import ServicesDep
from api.views.reconcile import ReconcileError, parse_batch, parse_json, reconcile
from api.views.reconcile_services import (
    extend,
    manifest,
    preview,
    propose_properties,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from api.web.openapi import JSONP_TOO

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])
CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,100}$")
Cursor = Annotated[int, Query(ge=0, le=10_000, description="How many suggestions to skip")]
Prefix = Annotated[str, Query(max_length=200, description="What the user has typed so far")]


async def _params(request: Request) -> dict[str, str]:
    """The request's parameters: the query string, then a form-encoded (or JSON object) POST body."""
    params = dict(request.query_params)
    if request.method != "POST":
        return params
    body = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ReconcileError("the request body is not UTF-8") from None
    if media == "application/json":
        payload = parse_json(text or "{}", "body")
        if not isinstance(payload, dict):
            raise ReconcileError("a JSON body must be an object, e.g. {\"queries\": {...}}")
        params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()})
    elif body:
        params.update(dict(parse_qsl(text, keep_blank_values=True)))
    return params


def _answer(payload: Any, callback: str | None) -> Response:
    if callback is None:
        return JSONResponse(payload)
    if not CALLBACK.fullmatch(callback):
        raise ReconcileError("`callback` must be a JavaScript identifier")
    body = f"{callback}({json.dumps(payload, ensure_ascii=False)});"
    return Response(body, media_type="application/javascript; charset=utf-8")


@router.api_route(
    "",
    methods=["GET", "POST"],
    summary="Reconciliation endpoint (W3C Reconciliation Service API 0.2)",
    responses=JSONP_TOO,
    description="With `queries` (a JSON batch: {\"q0\": {\"query\": \"Chengdu\", \"type\": \"City\", \"limit\": 3, "
    "\"properties\": [{\"pid\": \"locatedIn\", \"v\": \"place/china\"}]}}) it answers ranked, typed "
    "candidates; with `extend` ({\"ids\": [...], \"properties\": [{\"id\": \"heldIn\"}]}) property values; "
    "with neither the service manifest. Parameters in the query string or a form-encoded POST body; "
    "`callback` for JSONP.",
)
async def endpoint(request: Request, svc: ServicesDep) -> Response:
    params = await _params(request)
    service_url = svc.settings.public_base + "reconcile"  # configured, never the Host header
    if "queries" in params:
        payload: Any = await reconcile(svc, parse_batch(params["queries"]))
    elif "extend" in params:
        payload = await extend(svc, params["extend"])
    else:
        payload = manifest(svc, service_url)
    return _answer(payload, params.get("callback"))


@router.get("/suggest/entity", summary="Suggest entities whose name contains the prefix", responses=JSONP_TOO)
async def suggest_entity(svc: ServicesDep, prefix: Prefix = "", cursor: Cursor = 0, type: str | None = None,  # noqa: A002
                         callback: str | None = None) -> Response:
    return _answer(await suggest_entities(svc, prefix, cursor, type), callback)


@router.get("/suggest/type", summary="Suggest classes of the ontology", responses=JSONP_TOO)
async def suggest_type(svc: ServicesDep, prefix: Prefix = "", cursor: Cursor = 0,
                       callback: str | None = None) -> Response:
    return _answer(suggest_types(svc, prefix, cursor), callback)


@router.get("/suggest/property", summary="Suggest properties of the ontology (and names, exact matches)",
            responses=JSONP_TOO)
async def suggest_property(svc: ServicesDep, prefix: Prefix = "", cursor: Cursor = 0,
                           callback: str | None = None) -> Response:
    return _answer(suggest_properties(svc, prefix, cursor), callback)


@router.get("/preview", summary="A small HTML card about one entity", response_class=HTMLResponse,
            responses={404: {"description": "No such entity", "content": {"text/html": {}}}})
async def preview_card(svc: ServicesDep, id: Annotated[str, Query(max_length=500)]) -> Response:  # noqa: A002
    try:
        return HTMLResponse(preview(svc, id))
    except LookupError as exc:
        return HTMLResponse(f"<p>{exc}</p>".replace("<p>'", "<p>").replace("'", ""), status_code=404)


@router.get("/propose_properties", summary="Properties to fetch for entities of a type (data extension)",
            responses=JSONP_TOO)
async def propose(svc: ServicesDep, type: Annotated[str, Query(max_length=500)],  # noqa: A002
                  limit: Annotated[int | None, Query(ge=1, le=1000)] = None, callback: str | None = None) -> Response:
    return _answer(await propose_properties(svc, type, limit), callback)
