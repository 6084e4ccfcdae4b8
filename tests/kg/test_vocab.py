"""kg/vocab.py's closed namespace lists exactly the terms of the ontology."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.config import PROJECT_ROOT
from kg.vocab import BRI


def test_vocab_module_matches_ontology() -> None:
    graph = Graph().parse(PROJECT_ROOT / "ontology" / "bri.ttl")
    ns = str(BRI._NS)
    in_ontology = {str(s)[len(ns):] for s in graph.subjects() if str(s).startswith(ns)}
    in_module = set(BRI.__annotations__)
    assert in_ontology == in_module


def test_mistyped_term_fails() -> None:
    with pytest.raises(AttributeError):
        _ = BRI.Conferenec
