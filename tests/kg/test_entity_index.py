"""The entity index the build writes: display labels, names for search, types, entity-to-entity edges."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.config import Settings
from kg.index.schema import PROVENANCE_PROPERTIES, normalize
from kg.index.writer import IndexRows, write_index
from kg.layout import INDEX_FILE

ID = "https://w3id.org/bri-kg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def rows(path: Path, sql: str, *params: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, params).fetchall()


def test_build_writes_the_index_beside_the_store(corpus_settings: Settings) -> None:
    index = corpus_settings.current_link.resolve() / INDEX_FILE
    assert index.is_file()
    # The 2025 conference series is spelt several ways across the documents: one entity, every
    # spelling a name, the preferred label first and used for display.
    [(iri, label)] = rows(index, "SELECT iri, label FROM entity WHERE label LIKE 'Belt and Road Science and "
                          "Technology Exchange Conference' AND iri LIKE '%series%'") or [(None, None)]
    assert iri is not None, "the conference series is an entity"
    names = [n for (n,) in rows(index, "SELECT name FROM name WHERE iri = ? ORDER BY position", iri)]
    assert names[0] == label and len(names) > 1
    assert all(norm == normalize(name) for name, norm in rows(index, "SELECT name, norm FROM name"))
    # Evidence annotations are not entities; provenance is not a relationship between things.
    assert rows(index, "SELECT COUNT(*) FROM entity WHERE iri LIKE ?", ID + "evidence/%") == [(0,)]
    predicates = {p for (p,) in rows(index, "SELECT DISTINCT p FROM edge")}
    assert predicates and not predicates & PROVENANCE_PROPERTIES
    # Vocabulary terms get display labels too (for property names on pages).
    assert rows(index, "SELECT label FROM label WHERE iri = ?", SKOS + "altLabel") != []


def test_cli_rewrites_the_same_index(corpus_settings: Settings, tmp_path: Path) -> None:
    build_dir = corpus_settings.current_link.resolve()
    out = tmp_path / "again.sqlite"
    subprocess.run([sys.executable, "-m", "bri_kg", "index", "--store", str(build_dir / "store"), "--out", str(out)],
                   check=True, capture_output=True)
    for table in ("label", "entity", "name", "type", "edge", "superclass"):
        sql = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert rows(out, sql) == rows(build_dir / INDEX_FILE, sql), table


def test_a_failed_write_keeps_the_previous_index(tmp_path: Path) -> None:
    path = tmp_path / INDEX_FILE
    write_index(path, IndexRows([(ID + "a", RDFS + "label", "A", "")], [], [], [], []), ID)
    before = path.read_bytes()

    def broken() -> Iterator[tuple[str, str]]:
        yield (ID + "a", ID + "Thing")
        raise OSError("the store went away")

    with pytest.raises(OSError, match="went away"):
        write_index(path, IndexRows([], broken(), [], [], []), ID)
    assert path.read_bytes() == before


def test_chinese_names_are_searchable(tmp_path: Path) -> None:
    """Han characters survive normalisation; punctuation and spaces between them do not matter."""
    from api.index.graph import GraphIndex

    label = RDFS + "label"
    rows_in = IndexRows(
        labels=[(ID + "place/chengdu", label, "Chengdu", "en"), (ID + "place/chengdu", SKOS + "altLabel", "成都", "zh"),
                (ID + "conference/x", label, "「一带一路」科技交流大会", "zh")],
        types=[(ID + "place/chengdu", "https://w3id.org/bri-kg/ontology#City"),
               (ID + "conference/x", "https://w3id.org/bri-kg/ontology#Conference")],
        edges=[], subclasses=[], descriptions=[])
    index = GraphIndex.open(write_index(tmp_path / "index.sqlite", rows_in, ID), ID)
    [hit] = index.search("成都")
    assert hit.iri == ID + "place/chengdu" and hit.matched == "成都" and hit.label == "Chengdu"
    assert [h.iri for h in index.search("一带一路 科技")] == [ID + "conference/x"]
    assert index.type_counts("成都") == {"https://w3id.org/bri-kg/ontology#City": 1}
    assert normalize("「一带一路」科技") == "一带一路科技" and normalize("Chéngdū Shi") == "chengdu shi"
