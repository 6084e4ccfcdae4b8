"""What the map shows: places with coordinates (cities) and countries with ISO codes, each with what
happens there (conferences held in it, organizations and labs located in it, ...).

Coordinates and codes are in the data (the build's gazetteer graph, ``kg.ingest.gazetteer``), read
once with one query and kept (whole-corpus, like the timeline); what happens at a place comes from
the entity index.
"""

from __future__ import annotations

from api.services import Services
from api.views.graph import COLLAPSED, kind_of
from api.views.retired import retired
from api.web.models import MapOut, MapPlace, MapThing
from api.web.pages import local_href
from kg.vocab import terms as bri
from kg.vocab.namespaces import BRI, GEO, ORG

PLACES_QUERY = f"""
PREFIX geo: <{GEO}>
PREFIX bri: <{BRI}>
SELECT ?place ?lat ?long ?iso WHERE {{
  {{ ?place geo:lat ?lat ; geo:long ?long }} UNION {{ ?place bri:isoCountryCode ?iso }}
}}"""
THINGS_PER_PLACE = 200  # a place named by thousands of records lists the first ones
UNPLACED_LISTED = 500  # places the gazetteer cannot put on the map, listed so that none goes unnoticed


def _things(svc: Services, place: str) -> list[MapThing]:
    things: dict[str, MapThing] = {}
    for edge in svc.index.neighbours(place, THINGS_PER_PLACE):
        if edge.outgoing or edge.target in things:
            continue
        thing, kind, relation = edge.target, kind_of(svc.index, edge.target), svc.index.label(edge.predicate)
        if kind == "affiliation":  # a position with this country (its government): the person holding it
            members = [e.target for e in svc.index.neighbours(thing) if e.outgoing and e.predicate == ORG + "member"]
            member = members[0] if members else None
            if member is None:
                continue
            thing, kind, relation = member, "person", "position with"
        if kind in COLLAPSED or kind == "statistic" or thing in things:
            continue
        things[thing] = MapThing(id=thing, label=svc.index.label(thing), kind=kind, relation=relation,
                                 href=local_href(thing, svc.settings.base_iri))
    return sorted(things.values(), key=lambda t: (t.kind != "conference", t.kind, t.label.casefold()))


async def map_data(svc: Services) -> MapOut:
    result = await svc.store.select(PLACES_QUERY, timeout_s=svc.settings.query_timeout_s)
    places: dict[str, MapPlace] = {}
    for row in result.rows:
        iri = row["place"].value
        if not svc.index.is_entity(iri):
            continue
        place = places.get(iri)
        if place is None:
            place = places[iri] = MapPlace(id=iri, label=svc.index.label(iri), kind=kind_of(svc.index, iri),
                                           href=local_href(iri, svc.settings.base_iri), things=_things(svc, iri))
        if "lat" in row and "long" in row:
            place.lat, place.long = float(row["lat"].value), float(row["long"].value)
        if "iso" in row:
            place.iso_numeric = row["iso"].value
    ordered = sorted(places.values(), key=lambda p: p.label.casefold())
    drawn = {p.id for p in ordered if p.lat is not None or p.iso_numeric} | set(await retired(svc))
    unplaced = [MapPlace(id=iri, label=svc.index.label(iri), kind=kind_of(svc.index, iri),  # its page says more
                         href=local_href(iri, svc.settings.base_iri))
                for iri in svc.index.entities_of(bri.Place, UNPLACED_LISTED + len(drawn)) if iri not in drawn]
    return MapOut(points=[p for p in ordered if p.lat is not None],
                  countries=[p for p in ordered if p.iso_numeric],
                  unplaced=sorted(unplaced, key=lambda p: p.label.casefold())[:UNPLACED_LISTED])
