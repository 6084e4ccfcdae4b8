"""Competency questions: what an analyst asks, and what the answers must (and must not) hold.

Questions live in tests/kg/competency.yaml and beside annotations (``SLUG.questions.yaml``). None is a
closed list: adding a document adds rows, it breaks no question (test_a_new_document_breaks_no_question).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.pipeline import build
from kg.config import PROJECT_ROOT, Settings
from kg.layout import current_build
from tests.conftest import FIXTURES, settings_for
from tests.kg.competency import failures, load_questions

QUESTIONS = load_questions(PROJECT_ROOT / "data" / "annotations")


@pytest.fixture(scope="module")
def store(corpus_settings: Settings) -> ox.Store:
    build_dir = current_build(corpus_settings)
    assert build_dir is not None
    return build_dir.open_store()


def test_there_are_at_least_25_questions() -> None:
    assert len(QUESTIONS) >= 25
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    assert all("present" in q or "absent" in q or "expected" in q for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(store: ox.Store, question: dict) -> None:
    assert failures(store, question) == [], question["question"]


def test_a_new_document_breaks_no_question(tmp_path: Path) -> None:
    """The corpus plus a small document written for the test (tests/fixtures/newdoc): every question of
    the corpus still holds, and so do the new document's own questions (its terms: a region as an
    agent, a program's organizer and members, a dated position, a pledge in a speech, the source's
    address and an inferred date)."""
    root = tmp_path / "root"
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    for folder in ("ontology", "shapes"):
        (root / folder).symlink_to(PROJECT_ROOT / folder)
    newdoc = FIXTURES / "newdoc"
    for path in (newdoc / "sources").iterdir():
        shutil.copy(path, root / "data" / "sources")
    for path in (newdoc / "annotations").iterdir():
        shutil.copy(path, root / "data" / "annotations")
    settings = settings_for(root, tmp_path)
    build(settings)
    build_dir = current_build(settings)
    assert build_dir is not None
    store = build_dir.open_store()
    questions = load_questions(root / "data" / "annotations")
    assert any(q["id"].startswith("fixture-") for q in questions)
    broken = {q["id"]: problems for q in questions if (problems := failures(store, q))}
    assert broken == {}


def test_default_graph_is_a_set_so_counts_are_right(store: ox.Store) -> None:
    """Regression: Oxigraph's merged-union view counts shared triples once per graph (oxigraph#1919).

    The build materialises the union as the default graph, so an entity mentioned by several
    documents is counted once.
    """
    [row] = store.query("SELECT (COUNT(?t) AS ?n) (COUNT(DISTINCT ?t) AS ?d) "
                        "WHERE { <https://w3id.org/bri-kg/id/place/china> a ?t }")
    assert row["n"].value == row["d"].value == "1"
    [row] = store.query("PREFIX bri: <https://w3id.org/bri-kg/ontology#> "
                        "SELECT (COUNT(?c) AS ?n) (COUNT(DISTINCT ?c) AS ?d) WHERE { ?c a bri:Commitment }")
    assert row["n"].value == row["d"].value and int(row["n"].value) >= 74
