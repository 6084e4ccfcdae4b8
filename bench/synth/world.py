"""The seeded world the synthetic documents talk about: places, organizations, people, conference
series and topics, with the ids and document slugs handed out so far.

Every document refers only to entities defined in it or in an earlier document, so any prefix of the
document stream is a consistent corpus (that is what lets generation stop at a target size). The
world remembers which ids are defined and keeps the pools later documents draw from; all randomness
comes from its one ``random.Random(seed)``, drawn in a fixed order, so the same seed gives the same
corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.synth.names import (
    CHINESE_MUNICIPALITIES,
    CHINESE_PROVINCES,
    CN_GIVEN,
    CN_NATIONAL_ORGS,
    CN_ORG_FORMS,
    CN_SURNAMES,
    FIELDS,
    INTL_FIRST,
    INTL_LAST,
    INTL_ORG_FORMS,
    PARTNER_COUNTRIES,
    POSITIONS,
    REGIONS,
    SEED_SERIES,
    SERIES_FORMS,
    TOPICS,
    slugify,
    title_case,
)

CHINA = "place/china"
BEIJING = "place/beijing"


@dataclass
class Person:
    id: str
    name: str
    affiliation: str | None = None
    title: str = ""
    org_name: str = ""


@dataclass
class Series:
    id: str
    name: str
    alt: str
    city: str
    start_year: int
    editions: int = 0
    batches: int = 0
    lab_program: str | None = None


class World:
    """Everything generated so far: which ids are defined, and the pools later documents draw from."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.defined: set[str] = set()
        self.labels: dict[str, str] = {}
        self.place_parent: dict[str, str | None] = {}
        self.place_type: dict[str, str] = {}
        self.cities: list[str] = []          # ids of Chinese cities, conference hosts
        self.foreign_cities: dict[str, list[str]] = {}
        self.countries: list[str] = []
        self._init_places()
        self.orgs_by_place: dict[str, list[str]] = {}
        self.org_names: set[str] = set()
        self.orgs: list[str] = []
        self.org_place: dict[str, str] = {}     # organization -> the place it is based in
        self.people: list[Person] = []
        self.aff_org: dict[str, str] = {}       # affiliation -> organization
        self.aff_role: dict[str, str] = {}      # affiliation -> position role
        self.series: list[Series] = []
        self.series_names: set[str] = set()
        self.policies: list[str] = []
        self.topics = list(TOPICS)
        self.retired_topics: set[str] = set()
        self.units = 0
        self.slugs: set[str] = set()
        self.used_ids: set[str] = set()

    # -- places ---------------------------------------------------------------------------------
    def _add_place(self, pid: str, label: str, parent: str | None, type_name: str) -> None:
        self.labels[pid], self.place_parent[pid], self.place_type[pid] = label, parent, type_name

    def _init_places(self) -> None:
        self._add_place(CHINA, "China", None, "Country")
        for province, capital, others in CHINESE_PROVINCES:
            pid = f"place/{slugify(province)}"
            self._add_place(pid, f"{province} Province", CHINA, "Province")
            for city in [capital, *others]:
                cid = f"place/{slugify(city)}"
                self._add_place(cid, city, pid, "City")
                self.cities.append(cid)
        for city in CHINESE_MUNICIPALITIES:
            cid = f"place/{slugify(city)}"
            self._add_place(cid, city, CHINA, "City")
            self.cities.append(cid)
        for country, capital, other, _region in PARTNER_COUNTRIES:
            kid = f"place/{slugify(country)}"
            self._add_place(kid, country, None, "Country")
            self.countries.append(kid)
            self.foreign_cities[kid] = []
            for city in (capital, other):
                cid = f"place/{slugify(city)}"
                if cid in self.labels:
                    cid = f"place/{slugify(city)}-{slugify(country)}"
                self._add_place(cid, city, kid, "City")
                self.foreign_cities[kid].append(cid)
        for region in REGIONS:
            self._add_place(f"place/{slugify(region)}", region, None, "Region")

    def province_of(self, city: str) -> str | None:
        parent = self.place_parent[city]
        return parent if parent and self.place_type[parent] == "Province" else None

    def country_of(self, place: str) -> str:
        while self.place_type[place] != "Country":
            parent = self.place_parent[place]
            assert parent is not None
            place = parent
        return place

    # -- ids and slugs ----------------------------------------------------------------------------
    def new_id(self, folder: str, base: str) -> str:
        """A fresh id ``folder/base`` (``-2``, ``-3``... appended on a clash)."""
        candidate, n = f"{folder}/{base}", 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{folder}/{base}-{n}"
        self.used_ids.add(candidate)
        return candidate

    def new_slug(self, base: str) -> str:
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    # -- drawing from the pools (new entities are created, not yet defined in any document) -----------
    def pick_topic(self) -> str:
        """A topic name; retired topics (victims of an injected violation) are skipped without using the RNG
        differently, so a corpus with violations differs from the clean one only where it must."""
        name = self.rng.choice(self.topics)
        if f"topic/{slugify(name)}" in self.retired_topics:
            alive = [t for t in self.topics if f"topic/{slugify(t)}" not in self.retired_topics]
            name = alive[self.topics.index(name) % len(alive)]
        return name

    def _org_name(self, country: str, chinese: bool) -> tuple[str, str] | None:
        """A candidate organization (name, place), or None when the drawn form does not fit the city."""
        if not chinese:
            city = self.rng.choice(self.foreign_cities[country])
            name = self.rng.choice(INTL_ORG_FORMS).format(country=self.labels[country], city=self.labels[city],
                                                          field=self.rng.choice(FIELDS))
            return name, city
        if self.rng.random() < 0.25:
            return self.rng.choice(CN_NATIONAL_ORGS), BEIJING
        city = self.rng.choice(self.cities)
        province = self.province_of(city)
        form = self.rng.choice(CN_ORG_FORMS)
        if "{province}" in form and province is None:
            return None
        name = form.format(city=self.labels[city], field=self.rng.choice(FIELDS),
                           province=self.labels[province].removesuffix(" Province") if province else "")
        return name, city

    def new_or_existing_org(self, place: str, chinese: bool) -> str:
        """An organization based at *place*'s country: reused often, new while names last."""
        country = self.country_of(place)
        pool = self.orgs_by_place.setdefault(country, [])
        if pool and (self.rng.random() < 0.55 or len(pool) > 60):
            return self.rng.choice(pool)
        for _attempt in range(6):
            candidate = self._org_name(country, chinese)
            if candidate is None or candidate[0] in self.org_names:
                continue
            name, where = candidate
            self.org_names.add(name)
            oid = self.new_id("organization", slugify(name))
            self.labels[oid] = name
            self.org_place[oid] = where
            self.orgs.append(oid)
            pool.append(oid)
            return oid
        return self.rng.choice(pool) if pool else self.new_or_existing_org(place, chinese)

    def chinese_name(self) -> str:
        return f"{self.rng.choice(CN_SURNAMES)} {self.rng.choice(CN_GIVEN)}"

    def new_or_existing_person(self) -> Person:
        if self.people and self.rng.random() < 0.3:
            return self.rng.choice(self.people)
        chinese = self.rng.random() < 0.55
        if chinese:
            name = self.chinese_name()
            org_id = self.new_or_existing_org(CHINA, True)
        else:
            country = self.rng.choice(self.countries)
            name = f"{self.rng.choice(INTL_FIRST)} {self.rng.choice(INTL_LAST)}"
            org_id = self.new_or_existing_org(country, False)
        role_name = self.rng.choice(list(POSITIONS))
        pid = self.new_id("person", slugify(name))
        org_name = self.labels[org_id]
        aff = self.new_id("affiliation", f"{pid.split('/')[1]}-{slugify(role_name)}")
        self.aff_org[aff], self.aff_role[aff] = org_id, role_name
        person = Person(pid, name, aff, POSITIONS[role_name], org_name)
        self.people.append(person)
        return person

    def pick_series(self) -> Series:
        """A conference series with an edition still to come (often one already running, else a new one)."""
        open_series = [s for s in self.series if s.start_year + s.editions <= 2026]
        if open_series and self.rng.random() < 0.8:
            return self.rng.choice(open_series)
        n = len(self.series)
        if n < len(SEED_SERIES):
            name, alt, city = SEED_SERIES[n]
        else:
            while True:
                partner = self.rng.choice([*REGIONS, *(self.labels[c] for c in self.countries)])
                field_name = title_case(self.rng.choice(self.topics))
                form = self.rng.choice(SERIES_FORMS)
                name = f"China-{partner} " + form.format(field=field_name)
                if name not in self.series_names:
                    break
            alt = f"China-{partner} {field_name} " + ("Forum" if "Forum" in form else "Conference")
            city = self.labels[self.rng.choice(self.cities)]
        self.series_names.add(name)
        series = Series(self.new_id("conference-series", slugify(name)), name, alt,
                        f"place/{slugify(city)}", self.rng.randint(2013, 2024))
        self.series.append(series)
        return series
