"""Accept parsing and format choice (RFC 9110 q-values, specificity, our preference order)."""

from __future__ import annotations

import pytest

from api.web import negotiation as neg


@pytest.mark.parametrize(
    ("accept", "key"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.5", "xml"),
        ("application/*;q=0.2, text/csv", "csv"),
        ("text/*", "csv"),
        ("application/json", "json"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "xml"),
        ("image/png", None),
        ("application/sparql-results+xml;q=abc", "xml"),
    ],
)
def test_negotiate_select(accept: str | None, key: str | None) -> None:
    chosen = neg.negotiate(accept, neg.SELECT_FORMATS)
    assert (chosen.key if chosen else None) == key


@pytest.mark.parametrize(
    ("accept", "key"),
    [
        ("application/turtle,text/turtle", "turtle"),
        ("application/ld+json,application/x-json+ld", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("text/plain", "ntriples"),
        ("application/n-quads", "nquads"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "rdfxml"),
    ],
)
def test_negotiate_graphs(accept: str, key: str) -> None:
    assert neg.negotiate(accept, neg.GRAPH_FORMATS).key == key


def test_format_names() -> None:
    assert neg.by_name("ttl", neg.GRAPH_FORMATS) is neg.TURTLE
    assert neg.by_name("json", neg.GRAPH_FORMATS) is neg.JSONLD
    assert neg.by_name("json", neg.SELECT_FORMATS) is neg.RESULTS_JSON
    assert neg.by_name("application/ld+json,application/x-json+ld", neg.GRAPH_FORMATS) is neg.JSONLD
    assert neg.by_name("text/csv", neg.SELECT_FORMATS) is neg.RESULTS_CSV
    with pytest.raises(neg.NotAcceptable):
        neg.choose(None, "csv", neg.GRAPH_FORMATS)


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", True),
        ("text/turtle", False),
        ("*/*", False),
        (None, False),
        ("text/html;q=0.5, text/turtle", False),
        ("application/sparql-results+json,*/*;q=0.9", False),
    ],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert neg.prefers_html(accept) is html
