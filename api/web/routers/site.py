"""The site's own pages and probes: the home page, /healthz, and the API documentation (/docs, /redoc)
served with vendored assets, so it works with no internet access."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import ServicesDep
from api.services import Services
from api.store.errors import StoreError
from api.web import negotiation as neg
from api.web.models import Health
from api.web.pages import render

router = APIRouter()
HOME_LINKS = {
    "sparql": "/sparql",
    "search": "/api/search?q=",
    "entities": "/id/{type}/{slug}",
    "dumps": "/dumps/",
    "void": "/.well-known/void",
    "ontology": "/ontology",
    "reconcile": "/reconcile",
    "releases": "/releases/",
    "context": "/context.jsonld",
    "openapi": "/openapi.json",
    "health": "/healthz",
}


@router.get("/", include_in_schema=False)
async def home(request: Request, svc: ServicesDep) -> Response:
    if not neg.prefers_html(request.headers.get("accept")):
        return JSONResponse({**HOME_LINKS, "version": svc.build.version})
    return render(request, "home.html", entities=svc.index.entity_count, triples=svc.triples, graphs=len(svc.graphs))


async def _quads(svc: Services, reachable: bool) -> int:
    """The store's quad count (recorded by the build, or counted once); an estimate if it cannot be had."""
    estimate = svc.build.counts.get("quads", svc.triples)
    if not reachable:
        return estimate
    try:
        return await svc.store.quad_count()
    except StoreError:  # a report, not a query: keep the estimate
        return estimate


@router.api_route(
    "/healthz",
    methods=["GET", "HEAD"],
    response_model=Health,
    tags=["health"],
    summary="Store, triple count and build version",
    responses={503: {"model": Health, "description": "The store does not answer (or holds nothing)"}},
)
async def healthz(svc: ServicesDep) -> Response:
    """Probes the store with a real query (short timeout): 200 when it answers, 503 otherwise.

    ``store`` names it (the embedded path or the remote server's URL), ``store_reachable`` says
    whether the probe got an answer: a replica over a remote store that is down reports 503."""
    health = await svc.store.health(min(2.0, svc.settings.query_timeout_s))
    quads = await _quads(svc, health.reachable)
    report = Health(
        status="ok" if health.reachable and svc.triples > 0 else "degraded",
        store=svc.store.description,
        store_kind="remote" if svc.store.kind == "remote" else "embedded",
        store_reachable=health.reachable,
        triples=svc.triples,
        quads=quads,
        version=svc.build.version,
        graphs=len(svc.graphs),
        entities=svc.index.entity_count,
        index="ready" if svc.live_index.ready.is_set() else "loading",
        query_workers=health.workers,
        idle_workers=health.idle_workers,
        killed_queries=health.killed_queries,
        long_queries=health.long_queries,
        queued_queries=health.queued,
        refused_queries=health.refused,
        retried_queries=health.retried,
    )
    return JSONResponse(report.model_dump(), status_code=200 if report.status == "ok" else 503)


@router.get("/docs", include_in_schema=False)
async def swagger_ui() -> HTMLResponse:
    """Swagger UI from /static (no CDN); no validator badge, which would call validator.swagger.io."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="BRI-KG API",
        swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/redoc", include_in_schema=False)
async def redoc() -> HTMLResponse:
    """Redoc from /static, without its web fonts from another host."""
    return get_redoc_html(
        openapi_url="/openapi.json",
        title="BRI-KG API",
        redoc_js_url="/static/redoc/redoc.standalone.js",
        redoc_favicon_url="/static/favicon.svg",
        with_google_fonts=False,
    )
