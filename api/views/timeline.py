"""Dated things (conferences, documents, statistics...) and launches at dated conferences, oldest first."""

from __future__ import annotations

from api.services import Services
from api.views.refs import ref
from api.web.models import TimelineEvent
from kg.index.schema import local_name
from kg.vocab import terms as bri
from kg.vocab.namespaces import DCTERMS

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
# The first of these a thing has dates it; an end date alone (a conference the source says "concluded on
# the 7th") still places it.
DATE_PROPERTIES = [bri.startDate, bri.date, DCTERMS + "issued", bri.referenceDate, bri.year, bri.endDate]
KINDS = (
    (bri.Conference, "conference"),
    (bri.SourceDocument, "document"),
    (bri.PolicyDocument, "policy"),
    (bri.Statistic, "statistic"),
    (bri.JointLabBatch, "joint-lab-batch"),
)


def kind_of(svc: Services, iri: str) -> str:
    """The timeline kind of an entity: its most telling class, else its first type's name."""
    types = svc.index.types(iri)
    for cls, kind in KINDS:
        if svc.index.is_a(types, cls):
            return kind
    return local_name(types[0]).lower() if types else "thing"


async def _dated(svc: Services) -> list[TimelineEvent]:
    dated = await svc.store.select(TIMELINE_QUERY, timeout_s=svc.settings.query_timeout_s)
    by_subject: dict[str, dict[str, str]] = {}
    for row in dated.rows:
        by_subject.setdefault(row["s"].value, {}).setdefault(row["p"].value, row["d"].value)
    events = []
    for iri, props in by_subject.items():
        prop = next((p for p in DATE_PROPERTIES if p in props), None)
        if prop is None or not svc.index.is_entity(iri):
            continue
        events.append(TimelineEvent(date=props[prop], end_date=props.get(bri.endDate), kind=kind_of(svc, iri),
                                    property=prop, entity=ref(svc, iri)))
    return events


async def _launches(svc: Services) -> list[TimelineEvent]:
    launches = await svc.store.select(LAUNCH_QUERY, timeout_s=svc.settings.query_timeout_s)
    return [
        TimelineEvent(date=row["d"].value, kind="launch", property=bri.launchedAt, entity=ref(svc, row["s"].value),
                      note=f"launched at {svc.index.label(row['conf'].value)}")
        for row in launches.rows
        if "d" in row
    ]


async def timeline_events(svc: Services) -> list[TimelineEvent]:
    events = await _dated(svc) + await _launches(svc)
    events.sort(key=lambda e: (e.date, e.kind, e.entity.label.casefold()))
    return events
