"""Analyst endpoints under /api: search by name, one entity in context, paths, timeline, statistics.

JSON by default (pydantic models, so the OpenAPI schema documents them), CSV for the tabular ones
(``?format=csv`` or ``Accept: text/csv``), paginated with ``limit``/``offset`` and a ``total``.
Entities may be named by full IRI or by id (``place/chengdu``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from api.deps import ServicesDep
from api.services import Services
from api.views.entity import describe
from api.views.refs import ref
from api.views.retired import retired
from api.views.statistics import statistics
from api.views.timeline import timeline_events
from api.web.models import (
    EntityDetail,
    Page,
    PathOut,
    PathsOut,
    PathStep,
    SearchHitOut,
    StatisticOut,
    TimelineEvent,
)
from api.web.openapi import CSV_TOO
from api.web.tabular import csv_response, wants_bom, wants_csv
from kg.index.schema import normalize
from kg.vocab.namespaces import BRI

router = APIRouter(prefix="/api", tags=["analyst"])

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]
Format = Annotated[str | None, Query(description="json (default), csv, or csv-bom (CSV with a UTF-8 byte-order "
                                                 "mark, for spreadsheet programs)")]
STATISTIC_COLUMNS = ["id", "label", "qualifier", "value", "unit", "measure", "statistic_of", "reported_at", "year",
                     "reference_date", "quote", "document"]


def resolve(svc: Services, ident: str) -> str:
    """An entity IRI from a full IRI or an id like ``place/chengdu``; 404 if the graph lacks it."""
    ident = ident.strip()
    iri = ident if ident.startswith(("http://", "https://", "urn:")) else svc.settings.id_base + ident.lstrip("/")
    if not svc.index.has_entity(iri):
        raise HTTPException(404, f"no entity {ident!r}; try /api/search?q=...")
    return iri


def resolve_type(type_name: str | None) -> str | None:
    if not type_name:
        return None
    if type_name.startswith(("http://", "https://")):
        return type_name
    return BRI + type_name.removeprefix("bri:")


@router.get(
    "/search",
    response_model=Page[SearchHitOut],
    summary="Search entities by name",
    description="Matches every word of q against rdfs:label, skos:prefLabel and skos:altLabel, ignoring "
    "case and accents ('chengdu' finds 'Chéngdū'). type filters by class, subclasses included "
    "(e.g. Organization, Conference, bri:Place, or a full IRI).",
    responses=CSV_TOO,
)
async def search(
    request: Request,
    svc: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    type: str | None = None,  # noqa: A002
    limit: Limit = 20,
    offset: Offset = 0,
    format: Format = None,  # noqa: A002
) -> Response | Page[SearchHitOut]:
    gone = await retired(svc)  # merged or renamed: found through their successors
    hits = [h for h in svc.index.search(q, resolve_type(type)) if h.iri not in gone]
    page = hits[offset : offset + limit]
    items = [SearchHitOut(entity=ref(svc, h.iri), matched_label=h.matched, score=h.score) for h in page]
    if wants_csv(request, format):
        return csv_response(
            ["id", "label", "matched_label", "types", "score"],
            [[i.entity.id, i.entity.label, i.matched_label, " ".join(i.entity.types), i.score] for i in items],
            "search",
            {"X-Total-Count": str(len(hits))},
            bom=wants_bom(format),
        )
    return Page[SearchHitOut](total=len(hits), limit=limit, offset=offset, items=items)


@router.get(
    "/entities/{ident:path}",
    response_model=EntityDetail,
    summary="One entity with its neighbours and sources",
    description="ident is an entity id (conference/...) or a full IRI. Relations (both directions, labelled) "
    "are paginated; facts, sources (evidence quotes with their documents) and statistics are not.",
)
async def entity(svc: ServicesDep, ident: str, limit: Limit = 100, offset: Offset = 0) -> EntityDetail:
    iri = resolve(svc, ident)
    facts = await describe(svc, iri)
    if facts is None:
        raise HTTPException(404, f"no entity {ident!r}")
    return EntityDetail(
        id=iri,
        label=facts.label,
        href=ref(svc, iri).href,
        types=[ref(svc, t) for t in facts.types],
        alt_labels=facts.alt_labels,
        description=facts.description,
        properties=facts.properties,
        relations_total=len(facts.relations),
        limit=limit,
        offset=offset,
        relations=facts.relations[offset : offset + limit],
        sources=facts.sources,
        statistics=facts.statistics,
    )


@router.get(
    "/paths",
    response_model=PathsOut,
    summary="Shortest relationship paths between two entities",
    description="Breadth-first search over links between entities in either direction, skipping evidence "
    "and provenance edges (bri:evidence, bri:mentions, prov:wasDerivedFrom, ...).",
)
async def paths(
    svc: ServicesDep,
    source: Annotated[str, Query(alias="from")],
    target: Annotated[str, Query(alias="to")],
    max_depth: Annotated[int, Query(ge=1, le=8)] = 4,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> PathsOut:
    a, b = resolve(svc, source), resolve(svc, target)
    out = []
    for path in svc.index.shortest_paths(a, b, max_depth, limit):
        steps = [
            PathStep(
                **{"from": ref(svc, node)},
                property=edge.predicate,
                property_label=svc.index.label(edge.predicate),
                direction="forward" if edge.outgoing else "backward",
                to=ref(svc, edge.target),
            )
            for node, edge in path
        ]
        out.append(PathOut(length=len(steps), steps=steps))
    return PathsOut(source=ref(svc, a), target=ref(svc, b), max_depth=max_depth, paths=out)


def _date_bound(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) > 4 else str(int(value))
    except ValueError:
        raise HTTPException(400, f"{name} must be YYYY or YYYY-MM-DD, got {value!r}") from None


@router.get(
    "/timeline",
    response_model=Page[TimelineEvent],
    summary="Conferences, documents, launches by date",
    description="Dated things (bri:startDate/endDate, bri:date, dcterms:issued, bri:year, bri:referenceDate) "
    "and launches (bri:launchedAt a dated conference), oldest first. kind filters "
    "(conference, document, launch, policy, statistic, ...).",
    responses=CSV_TOO,
)
async def timeline(
    request: Request,
    svc: ServicesDep,
    start: Annotated[str | None, Query(alias="from", description="YYYY or YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(alias="to", description="YYYY or YYYY-MM-DD")] = None,
    kind: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,  # noqa: A002
) -> Response | Page[TimelineEvent]:
    lo, hi = _date_bound(start, "from"), _date_bound(end, "to")
    events = [
        e
        for e in await svc.views.get("timeline", lambda: timeline_events(svc))
        if (lo is None or e.date >= lo) and (hi is None or e.date[: len(hi)] <= hi) and (kind is None or e.kind == kind)
    ]
    page = events[offset : offset + limit]
    if wants_csv(request, format):
        return csv_response(
            ["date", "end_date", "kind", "id", "label", "property", "note"],
            [[e.date, e.end_date, e.kind, e.entity.id, e.entity.label, e.property, e.note] for e in page],
            "timeline",
            {"X-Total-Count": str(len(events))},
            bom=wants_bom(format),
        )
    return Page[TimelineEvent](total=len(events), limit=limit, offset=offset, items=page)


def _statistic_row(s: StatisticOut) -> list[object]:
    return [
        s.id, s.label, s.qualifier_label, s.value, s.unit, s.measure,
        s.statistic_of.label if s.statistic_of else None, s.reported_at.label if s.reported_at else None,
        s.year, s.reference_date, " | ".join(src.quote for src in s.sources),
        " | ".join(src.document.id for src in s.sources),
    ]


@router.get(
    "/statistics",
    response_model=Page[StatisticOut],
    summary="Statistics with their sources",
    description="Each statistic's value, qualifier (e.g. 'more than'), measure, whose statistic it is, "
    "and the verbatim source passages with their documents. Filter by about (an entity id or "
    "IRI it is of / reported at / refers to) or q (words in the measure or label).",
    responses=CSV_TOO,
)
async def statistics_endpoint(
    request: Request,
    svc: ServicesDep,
    about: str | None = None,
    q: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,  # noqa: A002
) -> Response | Page[StatisticOut]:
    iri = resolve(svc, about) if about else None
    # About one entity: an index look-up, fast; every statistic: a whole-corpus view, kept.
    stats = await (statistics(svc, iri) if iri else svc.views.get("statistics", lambda: statistics(svc)))
    if q:
        words = normalize(q).split()
        stats = [s for s in stats if all(w in normalize(f"{s.label} {s.measure or ''}") for w in words)]
    page = stats[offset : offset + limit]
    if wants_csv(request, format):
        return csv_response(STATISTIC_COLUMNS, [_statistic_row(s) for s in page], "statistics",
                            {"X-Total-Count": str(len(stats))}, bom=wants_bom(format))
    return Page[StatisticOut](total=len(stats), limit=limit, offset=offset, items=page)
