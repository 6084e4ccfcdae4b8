"""The names the synthetic documents are written with, and how they are spelled.

The tables (places, organizations, people's names, topics, sentence forms...) are data, in
``names.json`` beside this module; this module reads them once into typed, read-only constants.
Their order matters: the seeded generator draws from them by position, so editing a table changes
every corpus generated from then on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

NAMES_FILE = Path(__file__).with_name("names.json")


class Province(NamedTuple):
    province: str
    capital: str
    cities: tuple[str, ...]


class Country(NamedTuple):
    country: str
    capital: str
    city: str
    region: str


class SeedSeries(NamedTuple):
    """A conference series every corpus starts with: its name, an alternative spelling, its host city."""

    name: str
    alt: str
    city: str


class Qualifier(NamedTuple):
    iri: str     # a bri: individual, as written in annotations
    text: str    # how the text says it ('' for exactly)


def _load(path: Path = NAMES_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


_T = _load()


def _strings(key: str) -> tuple[str, ...]:
    return tuple(str(x) for x in _T[key])


CHINESE_PROVINCES = tuple(Province(p["province"], p["capital"], tuple(p["cities"])) for p in _T["chinese_provinces"])
CHINESE_MUNICIPALITIES = _strings("chinese_municipalities")
PARTNER_COUNTRIES = tuple(Country(c["country"], c["capital"], c["city"], c["region"]) for c in _T["partner_countries"])
REGIONS = _strings("regions")
TOPICS: dict[str, str | None] = dict(_T["topics"])          # topic -> broader topic (None for a top concept)
EVENT_ROLES: dict[str, str] = dict(_T["event_roles"])       # role -> what the text says they did ({topic})
POSITIONS: dict[str, str] = dict(_T["positions"])           # role -> position title
QUALIFIERS = tuple(Qualifier(q["iri"], q["text"]) for q in _T["qualifiers"])
NEWS_AGENCIES = _strings("news_agencies")
SERIES_FORMS = _strings("series_forms")
SEED_SERIES = tuple(SeedSeries(s["name"], s["alt"], s["city"]) for s in _T["seed_series"])
CN_SURNAMES = _strings("cn_surnames")
CN_GIVEN = _strings("cn_given")
INTL_FIRST = _strings("intl_first")
INTL_LAST = _strings("intl_last")
CN_ORG_FORMS = _strings("cn_org_forms")
CN_NATIONAL_ORGS = _strings("cn_national_orgs")
INTL_ORG_FORMS = _strings("intl_org_forms")
FIELDS = _strings("fields")
SECTIONS = _strings("sections")
STATEMENTS = _strings("statements")
MONTHS = _strings("months")
ORDINALS = _strings("ordinals")


def slugify(text: str) -> str:
    """A slug of the id pattern: lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def title_case(text: str) -> str:
    """Every word capitalized, acronyms left alone: 'digital economy' -> 'Digital Economy'."""
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in text.split())


def date_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def number_text(value: int) -> str:
    return f"{value:,}"


def ordinal(number: int) -> str:
    """'First', 'Second'... (then '15th', '16th'...)."""
    return ORDINALS[number - 1] if number <= len(ORDINALS) else f"{number}th"
