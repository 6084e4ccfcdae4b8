"""A SHACL report in a curator's words: the file, the record and its line, the fact, and the fix.

The validator (kg.shacl) names a focus IRI, a path and a constraint; the curator edits a YAML record.
``explain_shacl`` maps each violation back (kg.check.records) and says what to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rdflib import RDF, Graph, URIRef

from kg.check.records import RecordIndex, entity_id, fact_name, short
from kg.errors import DataProblem


class ViolationLike(Protocol):
    """What kg.shacl's Violation carries (kept structural: the validator is being replaced)."""

    @property
    def focus(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def component(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def value(self) -> str: ...


def _type_of(data: Graph, iri: str) -> str:
    types = sorted(short(str(t)) for t in data.objects(URIRef(iri), RDF.type)
                   if str(t).startswith("https://w3id.org/bri-kg/ontology#"))
    return " and ".join(t.removeprefix("bri:") for t in types) or "not typed"


def _fix(component: str, ident: str, fact: str, message: str) -> str:
    if component == "MinCount":
        if fact == "label":
            return f"give `label:` in exactly one record of {ident}"
        if fact == "quote":
            return f"give a record of {ident} a `quote:`"
        return f"add `{fact}:` to the record of {ident} ({message.rstrip('.')})"
    if component == "MaxCount" and "applies to" in message:
        return f"remove `{fact}` from {ident}, or correct the type of {ident}"
    if component == "MaxCount" and fact in ("label", "rdfs:label"):
        return "keep one preferred label; move the other spellings to `alt:`"
    if component == "MaxCount":
        return f"keep one value of `{fact}` for {ident}; other documents may state another (an inverse counts too)"
    if component == "UniqueLang":
        return "keep `label:` in one document; move other spellings to `alt:`"
    if component == "Class":
        return f"point `{fact}` of {ident} at an entity of the type the rule names, or correct the id"
    if component in ("Datatype", "Pattern", "MinInclusive", "MinLength"):
        return f"write the value of `{fact}` as the message says: {message}"
    return message


def explain_violation(v: ViolationLike, records: RecordIndex, data: Graph,
                      prefer_file: str | None = None) -> DataProblem:
    """One violation as a DataProblem naming file, record (line), fact and fix."""
    ident = entity_id(v.focus)
    fact = fact_name(v.path) if v.path else ""
    place = records.locate(ident, fact or None, prefer_file)
    value = v.value
    if value.startswith("http"):
        shown = entity_id(value) if "/id/" in value else short(value)
        value_text = f"{shown} (a {_type_of(data, value)})" if "/id/" in value else shown
    else:
        value_text = repr(value) if value else ""
    fact_part = f", fact {fact}" + (f": {value_text}" if value_text else "") if fact else ""
    problem = f"{v.message.rstrip('.')} [{v.component}]"
    return DataProblem(place.file if place else "data/annotations", f"entity {ident}{fact_part}", problem,
                       _fix(v.component, ident, fact, v.message), place.line_of(fact) if place else None)


def explain_shacl(violations: Iterable[ViolationLike], records: RecordIndex, data: Graph,
                  prefer_file: str | None = None) -> list[DataProblem]:
    """Every violation explained once (two shapes checking one triple give one problem)."""
    seen: set[tuple[str, str, str]] = set()
    problems = []
    for v in violations:
        key = (v.focus, v.path, v.value)
        if key in seen:
            continue
        seen.add(key)
        problems.append(explain_violation(v, records, data, prefer_file))
    return problems
