"""The row limit a SELECT query declares for itself, read with the endpoint's SPARQL lexer.

Why: a result that cannot exceed the server's row cap needs no row-by-row handling, so the worker
can hand it to Oxigraph's native serializer (several times faster than building it in Python).
Only the outermost query's LIMIT counts: a LIMIT inside braces belongs to a sub-query.
"""

from __future__ import annotations

import re
from functools import lru_cache

from api.sparql.text import TOKEN

_NUMBER = re.compile(r"\s*(\d+)")


@lru_cache(maxsize=1024)
def declared_limit(text: str) -> int | None:
    """The outermost ``LIMIT n`` of a query, or None if it has none (or it cannot be read). Cached: a
    query a client repeats is read once (the lexer costs about as much as a small query itself)."""
    depth = 0
    seen_group = False
    limit: int | None = None
    for match in TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "other" and token == "{":
            depth += 1
            seen_group = True
        elif kind == "other" and token == "}":
            depth -= 1
        elif kind == "word" and depth == 0 and seen_group and token.upper() == "LIMIT":
            number = _NUMBER.match(text, match.end())
            limit = int(number.group(1)) if number else None
    return limit
