"""The analyst's views as pages: search, source documents, relationship graph and path finder,
timeline, map and statistics. Each page is server-rendered (Jinja); the graph, timeline, map and
charts draw in the browser with vendored libraries from JSON this server computes (``api.views``).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request, Response

from api.deps import ServicesDep
from api.views.charts import statistics_page
from api.views.document import LISTED, document_list, passage_anchor
from api.views.gallery import run_gallery
from api.views.refs import ref
from api.views.retired import retired
from api.views.search import search_page
from api.web.pages import render
from api.web.routers.analyst import resolve
from kg.vocab import terms as bri

router = APIRouter(include_in_schema=False)


@router.get("/search")
async def search(request: Request, svc: ServicesDep, q: str = Query("", max_length=200),
                 type: str = Query("", max_length=300), page: int = Query(1, ge=1, le=10_000)) -> Response:  # noqa: A002
    return render(request, "search.html", s=search_page(svc, q, type, page, await retired(svc)))


@router.get("/graph")
async def graph(request: Request, svc: ServicesDep, focus: str = Query("", max_length=2000),
                hops: int = Query(1, ge=1, le=2), max_nodes: int = Query(500, ge=2, le=2000)) -> Response:
    center = resolve(svc, focus) if focus.strip() else None
    examples = [] if center else [ref(svc, h.iri) for h in svc.index.search("conference", bri.Conference)[:8]]
    return render(request, "graph.html", focus=ref(svc, center) if center else None,
                  focus_id=center.removeprefix(svc.settings.id_base) if center else "",
                  hops=hops, max_nodes=max_nodes, examples=examples)


@router.get("/paths")
async def paths(request: Request, svc: ServicesDep, source: str = Query("", alias="from", max_length=2000),
                target: str = Query("", alias="to", max_length=2000)) -> Response:
    a = resolve(svc, source) if source.strip() else None
    b = resolve(svc, target) if target.strip() else None
    return render(request, "paths.html", source=ref(svc, a) if a else None, target=ref(svc, b) if b else None,
                  source_id=source.strip(), target_id=target.strip())


TIMELINE_KINDS = [("conference", "Conferences"), ("policy", "Policy documents"), ("launch", "Launches"),
                  ("document", "Source documents"), ("statistic", "Statistics"),
                  ("joint-lab-batch", "Joint lab batches")]


@router.get("/timeline")
async def timeline(request: Request, svc: ServicesDep, focus: str = Query("", max_length=2000)) -> Response:
    center = resolve(svc, focus) if focus.strip() else None
    return render(request, "timeline.html", focus=ref(svc, center) if center else None, kinds=TIMELINE_KINDS,
                  limit=1000)


MAP_REGIONS = [("asia", "Asia"), ("china", "China"), ("world", "World")]


@router.get("/map")
async def map_view(request: Request, svc: ServicesDep, focus: str = Query("", max_length=2000),
                   region: str = Query("asia", max_length=20)) -> Response:
    center = resolve(svc, focus) if focus.strip() else None
    return render(request, "map.html", focus=ref(svc, center) if center else None, regions=MAP_REGIONS, region=region)


@router.get("/statistics")
async def statistics_view(request: Request, svc: ServicesDep, about: str = Query("", max_length=2000),
                          q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=100_000)) -> Response:
    iri = resolve(svc, about) if about.strip() else None
    view = await statistics_page(svc, iri, about.strip(), q, page)
    base = svc.settings.id_base
    return render(request, "statistics.html", p=view, about=ref(svc, iri) if iri else None,
                  anchor=lambda ev: passage_anchor(ev, base))


@router.get("/queries")
async def gallery(request: Request, svc: ServicesDep) -> Response:
    return render(request, "queries.html", queries=list(svc.queries.values()))


@router.get("/queries/{name}")
async def gallery_query(request: Request, svc: ServicesDep, name: str) -> Response:
    query = svc.queries.get(name)
    if query is None:
        raise HTTPException(404, f"no named query {name!r}")
    declared = {p.name for p in query.params}
    given = {k: v for k, v in request.query_params.items() if k in declared}
    run = "run" in request.query_params or not any(p.required for p in query.params)
    view = await run_gallery(svc, query, given, run)
    return render(request, "query.html", status_code=400 if view.error else 200, r=view)


@router.get("/documents")
async def documents(request: Request, svc: ServicesDep) -> Response:
    listed = await svc.views.get("documents", lambda: document_list(svc))
    return render(request, "documents.html", documents=listed[:LISTED], total=len(listed), more=len(listed) > LISTED)
