"""What literals mean: well-formedness (for sh:datatype) and order (value ranges, sh:lessThan...).

rdflib reads the lexical forms (its ``Literal.ill_typed`` and ``Literal.value``), so a literal is
ill-typed here exactly when it is for rdflib and pySHACL. Order follows SPARQL's ``<``: numbers
with numbers, strings with strings, booleans, dates, times and date-times with their own kind
(a date-time with a time zone and one without are not comparable); anything else, an ill-typed
literal, an IRI or a blank node is not comparable, which the components report as a violation.
Both answers are cached per distinct term.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Literal

from kg.shacl.terms import LANG_STRING, XSD, XSD_STRING, Term, to_rdflib

_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    XSD + "integer": int, XSD + "float": float, XSD + "double": float, XSD + "decimal": Decimal,
    XSD + "boolean": bool, XSD + "date": dt.date, XSD + "time": dt.time, XSD + "dateTime": dt.datetime}


@lru_cache(maxsize=1 << 16)
def well_formed(term: ox.Literal) -> bool:
    """A literal whose lexical form is valid for its datatype (always true for unknown datatypes)."""
    datatype = term.datatype.value
    if datatype in (XSD_STRING, LANG_STRING):
        return True
    lit = to_rdflib(term)
    assert isinstance(lit, Literal)
    if lit.ill_typed is True:
        return False
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(lit.value, expected)


def _kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, dt.datetime):
        return "dateTime" + ("Z" if value.tzinfo is not None else "")
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time" + ("Z" if value.tzinfo is not None else "")
    return None


@lru_cache(maxsize=1 << 16)
def _sort_value(term: Term) -> tuple[str, object] | None:
    """(kind, Python value) of a comparable literal, None if it is not comparable at all."""
    if type(term) is not ox.Literal or not well_formed(term):
        return None
    if term.datatype.value == XSD_STRING:
        return "string", term.value
    lit = to_rdflib(term)
    assert isinstance(lit, Literal)
    kind = _kind(lit.value)
    return None if kind is None else (kind, lit.value)


@lru_cache(maxsize=1 << 16)
def compare(a: Term, b: Term) -> int | None:
    """-1, 0 or 1 as SPARQL orders literals *a* and *b*; None when they are not comparable."""
    left, right = _sort_value(a), _sort_value(b)
    if left is None or right is None or left[0] != right[0]:
        return None
    x, y = left[1], right[1]
    try:
        return -1 if x < y else (1 if x > y else 0)  # type: ignore[operator]
    except TypeError:
        return None
