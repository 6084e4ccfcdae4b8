"""``replaced_by``: a merged or renamed entity stays in the data, deprecated, pointing at its successor."""

from __future__ import annotations

import pytest
import yaml
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

from kg.build.pipeline import build
from kg.config import Settings
from kg.errors import BuildError

ID = "https://w3id.org/bri-kg/id/"
RETIRED = {"id": "place/chengdu-city", "type": "City", "label": "Chengdu City", "quote": "held in Chengdu",
           "replaced_by": "place/chengdu"}


def _add_records(settings: Settings, *records: dict, edit=None) -> None:
    path = settings.data_dir / "annotations" / "mini.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["entities"] += list(records)
    if edit:
        edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_retired_entity_is_deprecated_and_points_at_its_successor(mini_settings: Settings) -> None:
    _add_records(mini_settings, RETIRED)
    build(mini_settings)
    ds = Dataset()
    ds.parse(mini_settings.dist_dir / "bri-kg.nq", format="nquads")
    old = URIRef(ID + "place/chengdu-city")
    triples = {(s, p, o) for s, p, o, _ in ds.quads((old, None, None, None))}
    assert (old, OWL.deprecated, Literal(True)) in triples
    assert (old, DCTERMS.isReplacedBy, URIRef(ID + "place/chengdu")) in triples


def test_a_retired_record_states_no_facts_needs_a_known_successor_and_is_not_referred_to(
        mini_settings: Settings) -> None:
    """One build, every problem reported: facts on a retired record, an unknown successor, and a
    reference to a retired entity (the fix names its successor)."""
    def point_at_retired(doc: dict) -> None:
        conference = next(r for r in doc["entities"] if r["id"] == "conference/mini-conference-2025")
        conference["facts"]["heldIn"] = "place/chengdu-city"

    _add_records(mini_settings, {**RETIRED, "facts": {"locatedIn": "place/china"}},
                 {**RETIRED, "id": "place/nowhere", "label": "Nowhere", "replaced_by": "place/atlantis"},
                 edit=point_at_retired)
    with pytest.raises(BuildError) as failed:
        build(mini_settings)
    message = str(failed.value)
    assert "cannot state facts" in message
    assert "refers to place/atlantis, which no document defines" in message
    assert "was replaced by place/chengdu" in message and "refer to place/chengdu instead" in message
