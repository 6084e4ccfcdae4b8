"""Competency questions: what an analyst asks, with the answers the five documents give.

Each question in competency.yaml is SPARQL over the built store (default graph = union of
all document graphs) with its expected answer; rows are compared as sets of strings.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from kg.config import Settings
from kg.layout import current_build

QUESTIONS = yaml.safe_load((Path(__file__).parent / "competency.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(corpus_settings: Settings) -> ox.Store:
    build = current_build(corpus_settings)
    assert build is not None
    return build.open_store()


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def test_there_are_at_least_25_questions() -> None:
    assert len(QUESTIONS) >= 25
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(store: ox.Store, question: dict) -> None:
    result = store.query(question["sparql"])
    if isinstance(result, ox.QueryBoolean):
        assert bool(result) is question["expected"], question["question"]
        return
    names = [v.value for v in result.variables]
    got = {tuple(sorted((n, _text(row[n])) for n in names if row[n] is not None)) for row in result}
    expected = {tuple(sorted((k, str(v)) for k, v in row.items())) for row in question["expected"]}
    assert got == expected, question["question"]


def test_default_graph_is_a_set_so_counts_are_right(store: ox.Store) -> None:
    """Regression: Oxigraph's merged-union view counts shared triples once per graph (oxigraph#1919).

    The build materialises the union as the default graph, so an entity mentioned by several
    documents is counted once.
    """
    [row] = store.query("SELECT (COUNT(?t) AS ?n) (COUNT(DISTINCT ?t) AS ?d) "
                        "WHERE { <https://w3id.org/bri-kg/id/place/china> a ?t }")
    assert row["n"].value == row["d"].value == "1"
    [row] = store.query("PREFIX bri: <https://w3id.org/bri-kg/ontology#> "
                        "SELECT (COUNT(?c) AS ?n) WHERE { ?c a bri:Commitment }")
    assert row["n"].value == "74"
