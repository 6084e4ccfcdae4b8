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

from api import negotiation as neg
from api.describe import describe, ref, statistics
from api.executor import QueryTimeout, WorkerFailure
from api.index import BRI, DCTERMS, local_name, normalize
from api.models import (
    EntityDetail,
    Page,
    PathOut,
    PathsOut,
    PathStep,
    SearchHitOut,
    StatisticOut,
    TimelineEvent,
)
from api.services import Services, services
from api.store import QueryError, StoreUnavailable
from api.tabular import csv_response, wants_csv

router = APIRouter(prefix="/api", tags=["analyst"])

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]
Format = Annotated[str | None, Query(description="json (default) or csv")]

TIMELINE_QUERY = """
PREFIX bri: <https://w3id.org/bri-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?s ?p ?d WHERE {
  VALUES ?p { bri:startDate bri:endDate bri:date dcterms:issued bri:year bri:referenceDate }
  ?s ?p ?d .
}"""
LAUNCH_QUERY = """
PREFIX bri: <https://w3id.org/bri-kg/ontology#>
SELECT DISTINCT ?s ?conf ?d WHERE { ?s bri:launchedAt ?conf . OPTIONAL { ?conf bri:startDate ?d } }"""
DATE_PROPERTIES = [BRI + "startDate", BRI + "date", DCTERMS + "issued", BRI + "referenceDate", BRI + "year"]


def resolve(svc: Services, ident: str) -> str:
    """An entity IRI from a full IRI or an id like ``place/chengdu``; 404 if the graph lacks it."""
    ident = ident.strip()
    iri = ident if ident.startswith(("http://", "https://", "urn:")) else svc.settings.id_base + ident.lstrip("/")
    if not svc.index.has_entity(iri):
        raise HTTPException(404, f"no entity {ident!r}; try /api/search?q=...")
    return iri


def resolve_type(svc: Services, type_name: str | None) -> str | None:
    if not type_name:
        return None
    if type_name.startswith(("http://", "https://")):
        return type_name
    return BRI + type_name.removeprefix("bri:")


async def guarded(coro):  # type: ignore[no-untyped-def]
    """Map store failures to HTTP errors with a clear message."""
    try:
        return await coro
    except QueryTimeout as exc:
        raise HTTPException(503, str(exc)) from None
    except StoreUnavailable as exc:
        raise HTTPException(502, f"the store is unavailable: {exc}") from None
    except (QueryError, WorkerFailure) as exc:
        raise HTTPException(500, f"query failed: {exc}") from None


@router.get(
    "/search",
    response_model=Page[SearchHitOut],
    summary="Search entities by name",
    description="Matches every word of q against rdfs:label, skos:prefLabel and skos:altLabel, ignoring "
    "case and accents ('chengdu' finds 'Chéngdū'). type filters by class, subclasses included "
    "(e.g. Organization, Conference, bri:Place, or a full IRI).",
)
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    type: str | None = None,
    limit: Limit = 20,
    offset: Offset = 0,  # noqa: A002
    format: Format = None,
) -> Response | Page[SearchHitOut]:  # noqa: A002
    svc = services(request)
    hits = svc.index.search(q, resolve_type(svc, type))
    page = hits[offset : offset + limit]
    items = [SearchHitOut(entity=ref(svc, h.iri), matched_label=h.matched, score=h.score) for h in page]
    if _csv(request, format):
        return csv_response(
            ["id", "label", "matched_label", "types", "score"],
            [[i.entity.id, i.entity.label, i.matched_label, " ".join(i.entity.types), i.score] for i in items],
            "search",
            {"X-Total-Count": str(len(hits))},
        )
    return Page[SearchHitOut](total=len(hits), limit=limit, offset=offset, items=items)


def _csv(request: Request, format_param: str | None) -> bool:
    try:
        return wants_csv(request, format_param)
    except neg.NotAcceptable as exc:
        raise HTTPException(406, str(exc)) from None


@router.get(
    "/entities/{ident:path}",
    response_model=EntityDetail,
    summary="One entity with its neighbours and sources",
    description="ident is an entity id (conference/...) or a full IRI. Relations (both directions, labelled) "
    "are paginated; facts, sources (evidence quotes with their documents) and statistics are not.",
)
async def entity(request: Request, ident: str, limit: Limit = 100, offset: Offset = 0) -> EntityDetail:
    svc = services(request)
    iri = resolve(svc, ident)
    facts = await guarded(describe(svc, iri))
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
    request: Request,
    source: Annotated[str, Query(alias="from")],
    target: Annotated[str, Query(alias="to")],
    max_depth: Annotated[int, Query(ge=1, le=8)] = 4,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> PathsOut:
    svc = services(request)
    a, b = resolve(svc, source), resolve(svc, target)
    found = svc.index.shortest_paths(a, b, max_depth, limit)
    out = []
    for path in found:
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


def _kind(svc: Services, iri: str) -> str:
    types = svc.index.types(iri)
    for cls, kind in (
        (BRI + "Conference", "conference"),
        (BRI + "SourceDocument", "document"),
        (BRI + "PolicyDocument", "policy"),
        (BRI + "Statistic", "statistic"),
        (BRI + "JointLabBatch", "joint-lab-batch"),
    ):
        if svc.index.is_a(types, cls):
            return kind
    return local_name(types[0]).lower() if types else "thing"


async def timeline_events(svc: Services) -> list[TimelineEvent]:
    dated = await guarded(svc.store.select(TIMELINE_QUERY, timeout_s=svc.settings.query_timeout_s))
    launches = await guarded(svc.store.select(LAUNCH_QUERY, timeout_s=svc.settings.query_timeout_s))
    by_subject: dict[str, dict[str, str]] = {}
    for row in dated.rows:
        by_subject.setdefault(row["s"].value, {}).setdefault(row["p"].value, row["d"].value)
    events: list[TimelineEvent] = []
    for iri, props in by_subject.items():
        if not svc.index.is_entity(iri):
            continue
        prop = next((p for p in DATE_PROPERTIES if p in props), None)
        if prop is None:
            continue
        events.append(
            TimelineEvent(
                date=props[prop],
                end_date=props.get(BRI + "endDate"),
                kind=_kind(svc, iri),
                property=prop,
                entity=ref(svc, iri),
            )
        )
    for row in launches.rows:
        if "d" not in row:
            continue
        conf = row["conf"].value
        events.append(
            TimelineEvent(
                date=row["d"].value,
                kind="launch",
                property=BRI + "launchedAt",
                entity=ref(svc, row["s"].value),
                note=f"launched at {svc.index.label(conf)}",
            )
        )
    events.sort(key=lambda e: (e.date, e.kind, e.entity.label.casefold()))
    return events


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
)
async def timeline(
    request: Request,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    kind: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
) -> Response | Page[TimelineEvent]:  # noqa: A002
    svc = services(request)
    lo, hi = _date_bound(start, "from"), _date_bound(end, "to")
    events = [
        e
        for e in await svc.view("timeline", lambda: timeline_events(svc))
        if (lo is None or e.date >= lo) and (hi is None or e.date[: len(hi)] <= hi) and (kind is None or e.kind == kind)
    ]
    page = events[offset : offset + limit]
    if _csv(request, format):
        return csv_response(
            ["date", "end_date", "kind", "id", "label", "property", "note"],
            [[e.date, e.end_date, e.kind, e.entity.id, e.entity.label, e.property, e.note] for e in page],
            "timeline",
            {"X-Total-Count": str(len(events))},
        )
    return Page[TimelineEvent](total=len(events), limit=limit, offset=offset, items=page)


@router.get(
    "/statistics",
    response_model=Page[StatisticOut],
    summary="Statistics with their sources",
    description="Each statistic's value, qualifier (e.g. 'more than'), measure, whose statistic it is, "
    "and the verbatim source passages with their documents. Filter by about (an entity id or "
    "IRI it is of / reported at / refers to) or q (words in the measure or label).",
)
async def statistics_endpoint(
    request: Request,
    about: str | None = None,
    q: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
) -> Response | Page[StatisticOut]:  # noqa: A002
    svc = services(request)
    iri = resolve(svc, about) if about else None
    # About one entity: an index look-up, fast; every statistic: a whole-corpus view, kept.
    stats = await guarded(statistics(svc, iri) if iri else svc.view("statistics", lambda: statistics(svc)))
    if q:
        words = normalize(q).split()
        stats = [s for s in stats if all(w in normalize(f"{s.label} {s.measure or ''}") for w in words)]
    page = stats[offset : offset + limit]
    if _csv(request, format):
        return csv_response(
            [
                "id",
                "label",
                "qualifier",
                "value",
                "unit",
                "measure",
                "statistic_of",
                "reported_at",
                "year",
                "reference_date",
                "quote",
                "document",
            ],
            [
                [
                    s.id,
                    s.label,
                    s.qualifier_label,
                    s.value,
                    s.unit,
                    s.measure,
                    s.statistic_of.label if s.statistic_of else None,
                    s.reported_at.label if s.reported_at else None,
                    s.year,
                    s.reference_date,
                    " | ".join(src.quote for src in s.sources),
                    " | ".join(src.document.id for src in s.sources),
                ]
                for s in page
            ],
            "statistics",
            {"X-Total-Count": str(len(stats))},
        )
    return Page[StatisticOut](total=len(stats), limit=limit, offset=offset, items=page)
