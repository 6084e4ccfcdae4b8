"""declared_limit: only the outermost LIMIT counts; strings, comments and sub-queries never do."""

from __future__ import annotations

import pytest

from api.sparql.limit import declared_limit


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10", 10),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100 OFFSET 5", 100),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 5 LIMIT 7", 7),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }", None),
    ('SELECT * WHERE { ?s ?p "LIMIT 3" }', None),
    ("# LIMIT 4\nSELECT * { ?s ?p ?o }", None),
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("SELECT * WHERE { ?s ?p ?o } limit 3", 3),
])
def test_declared_limit(query: str, expected: int | None) -> None:
    assert declared_limit(query) == expected
