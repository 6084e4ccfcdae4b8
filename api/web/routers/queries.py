"""Named queries at /api/queries: listed, described (with their SPARQL) and run with typed parameters.

The catalog (``api.catalog``) checks each parameter against its declared type; the store binds the
values (never pasted text). ``limit``, ``offset`` and ``format`` are this endpoint's own parameters.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from api.catalog import NAME, RESERVED, NamedQuery, bind_params
from api.deps import QueriesDep, ServicesDep
from api.web.models import NamedQueryOut, NamedQueryResult, Page
from api.web.tabular import csv_response, wants_bom, wants_csv

router = APIRouter(prefix="/api/queries", tags=["named queries"])


def _describe(q: NamedQuery, with_sparql: bool) -> NamedQueryOut:
    return NamedQueryOut(
        name=q.name,
        title=q.title,
        description=q.description,
        params=list(q.params),
        href=f"/api/queries/{q.name}",
        sparql=q.sparql if with_sparql else None,
    )


def _get(queries: dict[str, NamedQuery], name: str) -> NamedQuery:
    if not NAME.match(name) or name not in queries:
        raise HTTPException(404, f"no named query {name!r}; see /api/queries")
    return queries[name]


@router.get("", response_model=Page[NamedQueryOut], summary="List the named queries")
async def list_queries(
    queries: QueriesDep, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)
) -> Page[NamedQueryOut]:
    listed = list(queries.values())
    items = [_describe(q, False) for q in listed[offset : offset + limit]]
    return Page[NamedQueryOut](total=len(listed), limit=limit, offset=offset, items=items)


@router.get("/{name}", response_model=NamedQueryOut, summary="Describe one named query (with its SPARQL)")
async def describe_query(queries: QueriesDep, name: str) -> NamedQueryOut:
    return _describe(_get(queries, name), True)


@router.get(
    "/{name}/run",
    response_model=NamedQueryResult,
    summary="Run a named query",
    description="Pass the query's parameters as query-string parameters (?conference=conference/x). "
    "JSON by default; CSV with ?format=csv or Accept: text/csv (?format=csv-bom: with a UTF-8 byte-order mark, "
    "for spreadsheet programs).",
    responses={200: {"content": {"text/csv": {}}}},
)
async def run_query(
    request: Request,
    svc: ServicesDep,
    name: str,
    limit: int = Query(100, ge=1, le=10_000),
    offset: int = Query(0, ge=0),
    format: str | None = None,  # noqa: A002
) -> Response | NamedQueryResult:
    query = _get(svc.queries, name)
    given = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    if len(request.query_params.getlist("format")) > 1:
        raise HTTPException(400, "give format at most once")
    try:
        bindings = bind_params(query, given, svc.settings.id_base)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    as_csv = wants_csv(request, format)
    result = await svc.store.select(
        query.sparql, bindings, max_rows=svc.settings.max_result_rows, timeout_s=svc.settings.query_timeout_s,
        kind="query",
    )
    page = result.rows[offset : offset + limit]
    rows = [{v: (row[v].python() if v in row else None) for v in result.variables} for row in page]
    headers = {"X-Total-Count": str(len(result.rows))}
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
    if as_csv:
        return csv_response(result.variables, [[r[v] for v in result.variables] for r in rows], name, headers,
                            bom=wants_bom(format))
    body = NamedQueryResult(query=name, columns=result.variables, total=len(result.rows), truncated=result.truncated,
                            limit=limit, offset=offset, rows=rows)
    return Response(
        body.model_dump_json().encode(), media_type="application/json", headers={**headers, "Vary": "Accept"}
    )
