"""The SPARQL lexer that decides before execution: updates, SERVICE, FROM, query form."""

from __future__ import annotations

import pytest

from api.sparql.text import classify


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX ex: <http://e/> ASK {}", "ASK"),
        ("BASE <http://b/> CONSTRUCT { <s> <p> 1 } WHERE {}", "CONSTRUCT"),
        ("describe <http://example.org/>", "DESCRIBE"),
        ("# SELECT in a comment\nASK {}", "ASK"),
        ("", None),
    ],
)
def test_form(text: str, form: str | None) -> None:
    assert classify(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a> <b> <c> }",
        "PREFIX : <x> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/x>",
        "CLEAR ALL",
        "drop graph <g>",
        "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CREATE GRAPH <g>",
        "COPY <a> TO <b>",
        "MOVE DEFAULT TO <b>",
        "ADD <a> TO <b>",
    ],
)
def test_updates(text: str) -> None:
    assert classify(text).is_update


@pytest.mark.parametrize(
    ("text", "uses"),
    [
        ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
        ("SELECT ?service { ?service ?p ?o }", False),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT * { ?s ?p '''multi\nSERVICE''' }", False),
        ("SELECT * { ?s ex:service ?o }", False),
        ("SELECT * { ?s <http://x/SERVICE> ?o } # SERVICE", False),
        ('SELECT * { ?s ?p "a\\"SERVICE" }', False),
        ("SELECT * { ?s ?p ?o FILTER(?o<?x) SERVICE<http://x/>{?a ?b ?c} }", True),
        # an escaped '#' ends no prefixed name: the rest of the line is not a comment
        ("PREFIX ex: <http://e/> SELECT * { ?s ex:a\\# ?o . SERVICE <http://x/> {} }", True),
        ("SELECT * { ?s ex:a%23b ?o . SERVICE <http://x/> {} }", True),
        ("SELECT * { ?s ex:a\\#SERVICE ?o }", False),
        # codepoint escapes are replaced before reading, as the grammar says
        ("SELECT * { \\u0053ERVICE <http://x/> {} }", True),
        ("SELECT * { SERV\\U00000049CE <http://x/> {} }", True),
    ],
)
def test_service(text: str, uses: bool) -> None:
    assert classify(text).uses_service is uses


def test_dataset_clause() -> None:
    assert classify("SELECT * FROM <g> { ?s ?p ?o }").has_dataset_clause
    assert classify("SELECT * FROM NAMED <g> { GRAPH ?g { ?s ?p ?o } }").has_dataset_clause
    assert not classify("SELECT ?from { ?from ?p 'FROM' }").has_dataset_clause
