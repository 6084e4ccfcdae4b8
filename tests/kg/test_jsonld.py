"""The compacted JSON-LD dump: one node per subject, a published context, and exactly the N-Quads' triples."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld

from kg.build.pipeline import build
from kg.config import Settings
from kg.layout import COMPACT_JSONLD, CONTEXT_FILE, NQUADS_DUMP, ONTOLOGY_FILE, current_build
from kg.publish.jsonld import context


def _triples_of_nquads(text: str) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(text, format=ox.RdfFormat.N_QUADS)}


def _dist(settings: Settings) -> Path:
    current = current_build(settings)
    assert current is not None
    return current.dist


def test_the_compacted_dump_expands_to_exactly_the_nquads_triples(corpus_settings: Settings) -> None:
    """pyld (a JSON-LD 1.1 processor) turns the compacted dump back into RDF: the same triples as the
    N-Quads dump, graph names aside (the compacted dump is the union)."""
    dist = _dist(corpus_settings)
    document = json.loads((dist / COMPACT_JSONLD).read_text(encoding="utf-8"))
    expanded = jsonld.to_rdf(document, {"format": "application/n-quads"})
    reference = _triples_of_nquads((dist / NQUADS_DUMP).read_text(encoding="utf-8"))
    assert _triples_of_nquads(expanded) == reference


def test_one_node_per_subject_with_readable_names_and_types(corpus_settings: Settings) -> None:
    dist = _dist(corpus_settings)
    document = json.loads((dist / COMPACT_JSONLD).read_text(encoding="utf-8"))
    ids = Counter(node["id"] for node in document["@graph"])
    assert ids.most_common(1)[0][1] == 1  # Chengdu, stated in several documents, is one node
    chengdu = next(n for n in document["@graph"] if n["id"] == "place/chengdu")
    assert chengdu["type"] == "City"
    assert chengdu["prefLabel"] == {"en": "Chengdu"} and chengdu["altLabel"]["zh-hans"] == "成都"
    assert chengdu["locatedIn"] == "place/sichuan"
    assert "https://sws.geonames.org/1815286/" in chengdu["exactMatch"]
    conference = next(n for n in document["@graph"] if n["id"].startswith("conference/2025-"))
    assert conference["startDate"] == "2025-06-10" and conference["heldIn"] == "place/chengdu"


def test_the_published_context_is_the_dumps_context_and_made_from_the_ontology(corpus_settings: Settings) -> None:
    dist = _dist(corpus_settings)
    published = json.loads((dist / CONTEXT_FILE).read_text(encoding="utf-8"))
    assert published == context(dist / ONTOLOGY_FILE)
    dump = json.loads((dist / COMPACT_JSONLD).read_text(encoding="utf-8"))
    assert dump["@context"] == published["@context"]
    terms = published["@context"]
    assert terms["heldIn"] == {"@id": "bri:heldIn", "@type": "@id"}
    assert terms["startDate"] == {"@id": "bri:startDate", "@type": "xsd:date"}
    assert terms["@base"] == "https://w3id.org/bri-kg/id/"


def test_framing_the_expanded_dump_gives_the_same_nodes(mini_settings: Settings) -> None:
    """What a JSON-LD processor's framing (``@embed: @never``) makes of the expanded dump is what the
    build writes directly: the same nodes, key for key (checked on the small corpus: pyld is slow)."""
    build(mini_settings)
    dist = mini_settings.dist_dir
    ctx = json.loads((dist / CONTEXT_FILE).read_text(encoding="utf-8"))
    union = jsonld.from_rdf(_union_nquads(dist / NQUADS_DUMP), {"format": "application/n-quads"})
    framed = jsonld.frame(union, {"@context": ctx["@context"], "@embed": "@never"}, {"omitGraph": False})
    ours = json.loads((dist / COMPACT_JSONLD).read_text(encoding="utf-8"))
    by_id = {n["id"]: n for n in ours["@graph"]}
    # framing also lists nodes that are only ever objects (bri:MoreThan) with nothing but an id, and
    # writes IRIs outside @base as ../dataset where we keep the whole IRI: compare the entities
    theirs = {n["id"]: n for n in framed["@graph"] if len(n) > 1 and not n["id"].startswith("..")}
    assert set(theirs) == {i for i in by_id if not i.startswith("https:")}
    chengdu = "place/chengdu"
    assert _normal(theirs[chengdu]) == _normal(by_id[chengdu])


def _union_nquads(path: Path) -> str:
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}
    return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples, key=str))


def _normal(node: dict) -> dict:
    """Single values and one-element lists alike, lists sorted: framing and our writer order differently."""
    out = {}
    for key, value in node.items():
        items = value if isinstance(value, list) else [value]
        out[key] = sorted(json.dumps(i, sort_keys=True, ensure_ascii=False) for i in items)
    return out


def test_every_node_id_reads_back_as_its_iri(corpus_settings: Settings) -> None:
    """An incremental build finds a node of the compacted dump by its IRI (kg.build.splice.CompactDump):
    relative ids, compact IRIs and whole IRIs must all read back exactly."""
    from kg.publish.jsonld import Compactor

    dist = _dist(corpus_settings)
    compactor = Compactor(context(dist / ONTOLOGY_FILE))
    subjects = {q.subject.value for q in ox.parse(path=str(dist / NQUADS_DUMP), format=ox.RdfFormat.N_QUADS)
                if isinstance(q.subject, ox.NamedNode)}
    subjects |= {"https://w3id.org/bri-kg/dataset", "http://example.org/a:b/c", "urn:isbn:0451450523",
                 "https://w3id.org/bri-kg/id/document/a:b"}
    for iri in sorted(subjects):
        assert compactor.node_iri(compactor.node_id(iri)) == iri
