"""The W3C Reconciliation Service API 0.2: reconciliation queries, scored and typed by our classes.

A spreadsheet user (OpenRefine) sends a batch of names with optional types and property values;
each gets ranked candidates. Candidates come from the entity index (every name: label, alternative
names, Chinese names), typed with our classes; a retired IRI is replaced by its successor. Scores
run from 0 to 100: the best similarity of the query to any of the candidate's names (100 for the
same name, case and accents aside), and, when property values are given, 70 % of that plus 30 % for
the share of properties whose value the candidate has; with ``type_strict: should`` (what OpenRefine
sends) a candidate of another type keeps 80 % of its score. ``match`` is set only for one candidate
whose name is exactly the query, of a type asked for, with every property value asked for.

Identifiers: entities by their id under ``{base}id/`` (``place/chengdu``), types and properties by
their local name in ``bri:`` (``City``, ``heldIn``) or a prefixed name (``skos:altLabel``); full IRIs
are accepted everywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from api.services import Services
from api.store.terms import Term
from api.views.retired import retired
from kg.index.schema import normalize
from kg.vocab.namespaces import BRI, PREFIXES

MAX_QUERIES = 100  # per batch: OpenRefine sends 10 at a time
DEFAULT_LIMIT = 5
MAX_LIMIT = 100
OUTGOING = "SELECT DISTINCT ?e ?p ?o WHERE { ?e ?p ?o }"  # ?e projected: it is substituted
WITH_VALUE = "SELECT DISTINCT ?e ?p ?o WHERE { ?e ?p ?o }"  # ?p and ?o bound: who has this value


class ReconcileError(ValueError):
    """A request the service cannot answer as sent (HTTP 400, the reason in the message)."""


class EntityValue(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str | None = None


PropertyValue = str | int | float | bool | EntityValue


class PropertyConstraint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pid: str
    v: PropertyValue | list[PropertyValue]

    @property
    def values(self) -> list[PropertyValue]:
        return self.v if isinstance(self.v, list) else [self.v]


class ReconQuery(BaseModel):
    """One query of a batch, as the 0.2 query-batch schema has it (no other keys)."""

    model_config = ConfigDict(extra="forbid")
    query: str | None = None
    type: str | list[str] | None = None
    limit: float | None = Field(default=None, ge=0)
    properties: list[PropertyConstraint] | None = None
    type_strict: Literal["any", "should", "all"] | None = None

    @model_validator(mode="after")
    def _query_or_properties(self) -> ReconQuery:
        if not (self.query or "").strip() and not self.properties:
            raise ValueError("a query needs a non-empty `query` or at least one of `properties`")
        return self

    @property
    def types(self) -> list[str]:
        return [self.type] if isinstance(self.type, str) else list(self.type or [])

    @property
    def size(self) -> int:
        return max(1, min(int(self.limit or DEFAULT_LIMIT), MAX_LIMIT))


def parse_json(raw: str, what: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReconcileError(f"`{what}` is not valid JSON: {exc}") from None


def parse_batch(raw: str) -> dict[str, ReconQuery]:
    """The query batch of a ``queries`` parameter, checked against the 0.2 schema's rules."""
    batch = parse_json(raw, "queries")
    if not isinstance(batch, dict) or not batch:
        raise ReconcileError('`queries` must be a JSON object of named queries, e.g. {"q0": {"query": "Chengdu"}}')
    if len(batch) > MAX_QUERIES:
        raise ReconcileError(f"at most {MAX_QUERIES} queries per batch; got {len(batch)}")
    parsed: dict[str, ReconQuery] = {}
    for key, body in batch.items():
        try:
            parsed[key] = ReconQuery.model_validate(body)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'query'}: {e['msg']}" for e in exc.errors())
            raise ReconcileError(f"query {key!r}: {problems}") from None
    return parsed


# -- identifiers ------------------------------------------------------------------------------------
def term_iri(ident: str) -> str:
    """A type or property identifier (``City``, ``bri:City``, ``skos:altLabel`` or an IRI) as an IRI."""
    ident = ident.strip()
    if ident.startswith(("http://", "https://")):
        return ident
    prefix, sep, local = ident.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return BRI + ident


def term_id(iri: str) -> str:
    """The identifier the service shows for a type or property IRI (the inverse of ``term_iri``)."""
    if iri.startswith(BRI):
        return iri[len(BRI):]
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and prefix not in ("bri", "id"):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def entity_iri(svc: Services, ident: str) -> str:
    ident = ident.strip()
    return ident if ident.startswith(("http://", "https://")) else svc.settings.id_base + ident.lstrip("/")


def entity_id(svc: Services, iri: str) -> str:
    base = svc.settings.id_base
    return iri[len(base):] if iri.startswith(base) else iri


def type_refs(svc: Services, iri: str) -> list[dict[str, str]]:
    return [{"id": term_id(t), "name": svc.index.label(t)} for t in svc.index.types(iri)]


# -- candidates and scores -------------------------------------------------------------------------
@dataclass
class Candidate:
    iri: str
    name_score: float = 0.0
    matched_properties: int = 0
    exact: bool = False
    typed: bool = True  # of a type the query asked for (or none asked)
    score: float = 0.0
    features: list[dict[str, Any]] = field(default_factory=list)


def similarity(query: str, name: str) -> float:
    """0-100: 100 for the same name (case, accents and punctuation aside), else the share of characters
    the two have in common in order (difflib's ratio), so 'Chengdu City' still scores 'Chengdu'."""
    a, b = normalize(query), normalize(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    return round(SequenceMatcher(None, a, b).ratio() * 100, 1)


async def outgoing(svc: Services, iri: str) -> list[tuple[str, Term]]:
    rows = (await svc.store.select(OUTGOING, {"e": Term.iri(iri)}, timeout_s=svc.settings.query_timeout_s)).rows
    return [(r["p"].value, r["o"]) for r in rows]


def _value_matches(svc: Services, wanted: PropertyValue, have: Term) -> bool:
    if isinstance(wanted, EntityValue):
        return have.is_iri and have.value == entity_iri(svc, wanted.id)
    text = str(wanted).lower() if isinstance(wanted, bool) else str(wanted)
    if have.is_iri:
        if have.value in (text, entity_iri(svc, text)):
            return True
        return any(normalize(n) == normalize(text) for n in _names(svc, have.value))
    return normalize(have.value) == normalize(text) or have.value == text


def _names(svc: Services, iri: str) -> list[str]:
    entity = svc.index.entity(iri)
    return entity.names if entity else []


async def _by_property(svc: Services, constraint: PropertyConstraint) -> set[str]:
    """Entities that have one of the constraint's values for its property (for queries without a name)."""
    found: set[str] = set()
    prop = Term.iri(term_iri(constraint.pid))
    for value in constraint.values:
        if isinstance(value, EntityValue):
            objects = [Term.iri(entity_iri(svc, value.id))]
        else:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            objects = [Term.literal(text)] + ([Term.iri(text)] if text.startswith(("http://", "https://")) else [])
        for obj in objects:
            rows = (await svc.store.select(WITH_VALUE, {"p": prop, "o": obj},
                                           timeout_s=svc.settings.query_timeout_s)).rows
            found |= {r["e"].value for r in rows if r["e"].is_iri and svc.index.is_entity(r["e"].value)}
    return found


async def _candidate_iris(svc: Services, query: ReconQuery) -> list[str]:
    text = (query.query or "").strip()
    iris: list[str] = []
    if text:
        iris += [h.iri for h in svc.index.search(text)]
        for word in {w for w in normalize(text).split() if len(w) >= 3}:
            iris += [h.iri for h in svc.index.search(word)[:50]]
        iris += svc.index.names_within(text)
    else:
        for constraint in query.properties or []:
            iris += sorted(await _by_property(svc, constraint))
    successors = await retired(svc)
    return list(dict.fromkeys(successors.get(iri, iri) for iri in iris))


def _type_ok(svc: Services, iri: str, query: ReconQuery) -> bool:
    wanted = [term_iri(t) for t in query.types]
    if not wanted or query.type_strict == "should":
        return True
    types = svc.index.types(iri)
    hits = [svc.index.is_a(types, t) for t in wanted]
    return all(hits) if query.type_strict == "all" else any(hits)


async def _score(svc: Services, iri: str, query: ReconQuery) -> Candidate:
    candidate = Candidate(iri)
    text = (query.query or "").strip()
    if text:
        candidate.name_score = max((similarity(text, n) for n in _names(svc, iri)), default=0.0)
        candidate.exact = candidate.name_score == 100.0
    candidate.features.append({"id": "name", "value": candidate.name_score})
    constraints = query.properties or []
    if constraints:
        facts = await outgoing(svc, iri)
        for constraint in constraints:
            prop = term_iri(constraint.pid)
            have = [o for p, o in facts if p == prop]
            if any(_value_matches(svc, w, h) for w in constraint.values for h in have):
                candidate.matched_properties += 1
        share = candidate.matched_properties / len(constraints)
        candidate.features.append({"id": "properties", "value": round(share, 3)})
        candidate.score = round(0.7 * candidate.name_score + 30 * share, 1) if text else round(100 * share, 1)
    else:
        candidate.score = candidate.name_score
    candidate.typed = _type_ok(svc, iri, query.model_copy(update={"type_strict": "any"}))
    if not candidate.typed:  # type_strict "should" (OpenRefine's default): ranked lower, never a match
        candidate.score = round(candidate.score * 0.8, 1)
    return candidate


async def reconcile_one(svc: Services, query: ReconQuery) -> list[dict[str, Any]]:
    scored = [await _score(svc, iri, query) for iri in await _candidate_iris(svc, query) if _type_ok(svc, iri, query)]
    scored = [c for c in scored if c.score > 0]
    scored.sort(key=lambda c: (-c.score, svc.index.label(c.iri).casefold(), c.iri))
    scored = scored[: query.size]
    need = len(query.properties or [])
    exact = [c for c in scored if (c.exact or not query.query) and c.typed and c.matched_properties == need]
    results = []
    for c in scored:
        entity = svc.index.entity(c.iri)
        item: dict[str, Any] = {"id": entity_id(svc, c.iri), "name": svc.index.label(c.iri), "score": c.score,
                                "match": len(exact) == 1 and exact[0] is c, "type": type_refs(svc, c.iri),
                                "features": c.features}
        if entity and entity.description:
            item["description"] = entity.description
        results.append(item)
    return results


async def reconcile(svc: Services, batch: dict[str, ReconQuery]) -> dict[str, Any]:
    """The result batch: for every query key, its ranked candidates."""
    return {key: {"result": await reconcile_one(svc, query)} for key, query in batch.items()}
