"""Limits a query text must meet before any parser sees it: its size, its nesting depth and its length
in operators.

Why before parsing: Oxigraph's parser and planner recurse, on nesting (5,000 nested ``{`` or
parentheses, 10 KB, overflowed a worker's 8 MiB stack) and on sequences too, which it builds into
left-deep trees: about 6,700 ``+`` in a row, 2,600 BINDs, aggregates or MINUS groups, 6,500 UNIONs
or GRAPH groups overflowed the same stack, and 20,000 ``+`` (40 KB) crashed an Oxigraph *server*.
So besides the size, two measures are bounded: the nesting depth, and the number of operators
(keywords, operators and punctuation, VALUES data not counted: lists of values do not recurse).
The defaults (depth 100, 1,000 operators; our largest named query has under 200) keep every
construct far below what an 8 MiB stack took; they are that low because an Oxigraph *server*
run with ``--timeout-s`` fell over on a BIND chain of 990 after a few other long queries, and
the embedded store's workers run queries on 512 MiB besides (``api.store.embedded.worker``).
Counting uses the endpoint's lexer, so what is inside strings, IRIs and comments does not count;
a run of unary ``!`` counts as nesting, as the parser recurses on each.
"""

from __future__ import annotations

from api.sparql.protocol import ProtocolError
from api.sparql.text import TOKEN

OPENING = {"{": "}", "(": ")", "[": "]"}
CLOSING = set(OPENING.values())
OPERATORS = set("{}()[];.+-*/|^!=<>&")


def nesting_depth(text: str, stop_above: int | None = None) -> int:
    """The deepest nesting of brackets (and unary ``!`` runs) in *text*, outside strings, IRIs and comments.

    Stops counting as soon as the depth passes *stop_above*."""
    depth = deepest = bangs = 0
    for match in TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "ws":
            continue
        if kind == "other" and token == "!":
            bangs += 1
        else:
            bangs = 0
        if kind == "other" and token in OPENING:
            depth += 1
        elif kind == "other" and token in CLOSING:
            depth = max(0, depth - 1)
        deepest = max(deepest, depth + bangs)
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def operator_count(text: str, stop_above: int | None = None) -> int:
    """Keywords, operators and punctuation in *text*, not counting the data of VALUES blocks."""
    count = 0
    in_values = False  # from VALUES to the end of its data block
    depth = 0
    for match in TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if in_values:
            if kind == "other" and token == "{":
                depth += 1
            elif kind == "other" and token == "}":
                depth -= 1
                in_values = depth > 0
            continue
        if kind == "word":
            count += 1
            if token.upper() == "VALUES":
                in_values, depth = True, 0
        elif kind == "other" and token in OPERATORS:
            count += 1
        if stop_above is not None and count > stop_above:
            break
    return count


def check_query_shape(text: str, max_bytes: int, max_depth: int, max_operators: int) -> None:
    """Raise a 400 ``ProtocolError`` saying which limit a query text breaks, if any."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise ProtocolError(400, f"The query is {size:,} bytes long, over this endpoint's limit of {max_bytes:,} "
                                 "bytes for a query: split it, or move long VALUES lists into several queries.")
    depth = nesting_depth(text, stop_above=max_depth)
    if depth > max_depth:
        raise ProtocolError(400, f"The query nests brackets more than {max_depth} deep (groups, parentheses, "
                                 "blank-node lists or '!' operators): flatten it.")
    if operator_count(text, stop_above=max_operators) > max_operators:
        raise ProtocolError(400, f"The query has more than {max_operators:,} keywords, operators and punctuation "
                                 "marks (VALUES data not counted): split it into smaller queries.")
