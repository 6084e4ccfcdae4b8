"""The site's own pages and probes: the home page, the search page, /healthz (OPTIONS: ``api.web.guard``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.deps import ServicesDep
from api.services import Services
from api.store.errors import StoreError
from api.views.refs import ref
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
    "openapi": "/openapi.json",
    "health": "/healthz",
}


@router.get("/", include_in_schema=False)
async def home(request: Request, svc: ServicesDep) -> Response:
    if not neg.prefers_html(request.headers.get("accept")):
        return JSONResponse({**HOME_LINKS, "version": svc.build.version})
    return render(request, "home.html", entities=svc.index.entity_count, triples=svc.triples, graphs=len(svc.graphs))


@router.get("/search", include_in_schema=False)
async def search_page(request: Request, svc: ServicesDep, q: str = Query("", max_length=200)) -> Response:
    hits = svc.index.search(q) if q.strip() else []
    view = [{"entity": ref(svc, h.iri), "matched_label": h.matched} for h in hits[:100]]
    return render(request, "search.html", q=q, hits=view, total=len(hits))


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
