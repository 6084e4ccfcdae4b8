"""The analyst's views as pages: search, source documents, relationship graph and path finder,
timeline, map and statistics. Each page is server-rendered (Jinja); the graph, timeline, map and
charts draw in the browser with vendored libraries from JSON this server computes (``api.views``).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from api.deps import ServicesDep
from api.views.search import search_page
from api.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/search")
async def search(request: Request, svc: ServicesDep, q: str = Query("", max_length=200),
                 type: str = Query("", max_length=300), page: int = Query(1, ge=1, le=10_000)) -> Response:  # noqa: A002
    return render(request, "search.html", s=search_page(svc, q, type, page))
