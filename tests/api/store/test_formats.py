"""Our SELECT/ASK writers against an independent parser, including awkward strings."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from api.store.formats import BOOLEAN_WRITERS, SELECT_WRITERS
from api.store.terms import Term

XSD = "http://www.w3.org/2001/XMLSchema#"
VARS = ["s", "o"]
ROWS = [
    (Term.iri("http://example.org/a"), Term.literal('tab\there "quoted" \\ new\nline', XSD + "string")),
    (Term("bnode", "b0"), Term.literal("Zhāng Wěi", lang="zh-latn")),
    (Term.iri("http://example.org/c"), Term.literal("42", XSD + "integer")),
    (Term.iri("http://example.org/d"), None),
    (Term.iri("http://example.org/e?x=1&y=2"), Term.literal("<xml> & stuff", XSD + "string")),
]
FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}


@pytest.mark.parametrize("key", sorted(FORMATS))
def test_select_round_trip(key: str) -> None:
    body = SELECT_WRITERS[key](VARS, ROWS)
    parsed = list(ox.parse_query_results(body, FORMATS[key]))
    assert len(parsed) == len(ROWS)
    assert parsed[0]["o"].value == 'tab\there "quoted" \\ new\nline'
    assert parsed[1]["o"].language == "zh-latn" and parsed[1]["o"].value == "Zhāng Wěi"
    assert parsed[2]["o"].datatype.value == XSD + "integer"
    assert parsed[3]["o"] is None
    assert parsed[4]["s"].value == "http://example.org/e?x=1&y=2"


def test_csv_quoting() -> None:
    body = SELECT_WRITERS["csv"](VARS, ROWS).decode()
    assert body.startswith("s,o\r\n")
    assert '"tab\there ""quoted"" \\ new\nline"' in body
    assert "_:b0,Zhāng Wěi" in body


@pytest.mark.parametrize("key", ["json", "xml"])
def test_boolean(key: str) -> None:
    for value in (True, False):
        assert bool(ox.parse_query_results(BOOLEAN_WRITERS[key](value), FORMATS[key])) is value
