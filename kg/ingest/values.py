"""Fact values as RDF: literals typed from the property's range, and the W3C ORG interval of a dated membership."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Protocol

from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from kg.ingest.annotations import Scalar
from kg.vocab.rdf import BRI

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_RE = re.compile(r"^\d{4}$")
TIME = Namespace("http://www.w3.org/2006/time#")
ORG_MEMBER_DURING = URIRef("http://www.w3.org/ns/org#memberDuring")
MEMBERSHIP_BOUNDS = {BRI.heldFrom: TIME.hasBeginning, BRI.heldUntil: TIME.hasEnd}


class ValueMismatch(ValueError):
    """A fact value that does not fit its property; the message says what is expected."""


class _Sink(Protocol):
    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal], /) -> object: ...


def _date(value: Scalar, text: str) -> Literal:
    if not DATE_RE.match(text):
        raise ValueMismatch(f"{value!r} is not a date; write YYYY-MM-DD")
    dt.date.fromisoformat(text)
    return Literal(text, datatype=XSD.date)


def _number(value: Scalar, text: str, rng: URIRef) -> Literal:
    if isinstance(value, bool):
        raise ValueMismatch(f"{value!r} is not a number")
    if rng == XSD.integer:
        if not re.fullmatch(r"-?\d+", text):
            raise ValueMismatch(f"{value!r} is not a whole number")
        return Literal(text, datatype=XSD.integer)
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValueMismatch(f"{value!r} is not a number") from None
    return Literal(text, datatype=XSD.decimal)


def typed_literal(rng: URIRef, value: Scalar) -> Literal:
    """*value* as a literal of the datatype *rng*; bri:DateOrYear picks xsd:date or xsd:gYear by form."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if rng == XSD.date:
        return _date(value, text)
    if rng == BRI.DateOrYear:
        return Literal(text, datatype=XSD.gYear) if YEAR_RE.match(text) else _date_or_year(value, text)
    if rng == XSD.gYear:
        if not YEAR_RE.match(text):
            raise ValueMismatch(f"{value!r} is not a year; write YYYY")
        return Literal(text, datatype=XSD.gYear)
    if rng in (XSD.integer, XSD.decimal):
        return _number(value, text, rng)
    if isinstance(value, dt.date | bool):
        raise ValueMismatch(f"{value!r} is not text; quote it in YAML")
    return Literal(text)


def _date_or_year(value: Scalar, text: str) -> Literal:
    if not DATE_RE.match(text):
        raise ValueMismatch(f"{value!r} is neither a date nor a year; write YYYY-MM-DD or YYYY")
    return _date(value, text)


def add_interval_bound(graph: _Sink, membership: URIRef, prop: URIRef, value: Literal) -> None:
    """Write a membership's date as W3C ORG does: org:memberDuring an OWL-Time interval whose
    beginning or end is an instant (``#during``, ``#from``, ``#until`` fragments of the membership)."""
    interval = URIRef(f"{membership}#during")
    instant = URIRef(f"{membership}#{'from' if prop == BRI.heldFrom else 'until'}")
    graph.add((membership, ORG_MEMBER_DURING, interval))
    graph.add((interval, RDF.type, TIME.Interval))
    graph.add((interval, MEMBERSHIP_BOUNDS[prop], instant))
    graph.add((instant, RDF.type, TIME.Instant))
    in_xsd = TIME.inXSDgYear if value.datatype == XSD.gYear else TIME.inXSDDate
    graph.add((instant, in_xsd, value))
