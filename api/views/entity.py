"""Gathering what the graph says about one entity: facts, links both ways, sources, statistics.

Shared by the HTML entity page and the JSON analyst endpoint. Every query binds the entity with
``substitutions`` (never pasted into the text); labels come from the entity index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.index.graph import GraphIndex
from api.services import Services
from api.store.contract import Row
from api.store.terms import Term
from api.views.refs import literal, ref
from api.views.sources import sources_for
from api.views.statistics import STAT_LINKS, statistics
from api.web.models import Relation, Source, StatisticOut
from kg.index.schema import LABEL_PROPERTIES, local_name
from kg.vocab import terms as bri
from kg.vocab.namespaces import DCTERMS, OA, RDF_TYPE

OUTGOING = "SELECT DISTINCT ?e ?p ?o WHERE { ?e ?p ?o }"  # ?e projected: it is substituted
INCOMING = "SELECT DISTINCT ?e ?s ?p WHERE { ?s ?p ?e }"
HIDDEN_OUT = {bri.evidence, RDF_TYPE, *LABEL_PROPERTIES, DCTERMS + "description"}
HIDDEN_IN = {OA + "hasBody"}


@dataclass
class EntityFacts:
    iri: str
    label: str = ""
    types: list[str] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    description: str | None = None
    properties: list[Relation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    statistics: list[StatisticOut] = field(default_factory=list)
    replaced_by: str | None = None


def _is_evidence(index: GraphIndex, iri: str) -> bool:
    return iri.startswith(index.id_base + "evidence/")


def _note_special(facts: EntityFacts, labels: list[str], p: str, o: Term) -> None:
    """Types, names, the description and a successor are shown in the header, not as relations."""
    if p == RDF_TYPE:
        facts.types.append(o.value)
    elif p in LABEL_PROPERTIES:
        labels.append(o.value)
    elif p == DCTERMS + "description" and facts.description is None:
        facts.description = o.value
    elif p == DCTERMS + "isReplacedBy" and o.is_iri:
        facts.replaced_by = o.value


def _outgoing(svc: Services, facts: EntityFacts, rows: list[Row]) -> list[str]:
    labels: list[str] = []
    for row in rows:
        p, o = row["p"].value, row["o"]
        _note_special(facts, labels, p, o)
        if p in HIDDEN_OUT:
            continue
        relation = Relation(property=p, property_label=svc.index.label(p), direction="out")
        if o.kind == "literal":
            facts.properties.append(relation.model_copy(update={"literal": literal(o)}))
        else:
            facts.relations.append(relation.model_copy(update={"entity": ref(svc, o.value)}))
    return labels


def _incoming(svc: Services, facts: EntityFacts, rows: list[Row]) -> None:
    for row in rows:
        s, p = row["s"].value, row["p"].value
        if p in HIDDEN_IN or (_is_evidence(svc.index, s) and not _is_evidence(svc.index, facts.iri)):
            continue  # evidence nodes pointing here are shown as sources, not as relations
        facts.relations.append(
            Relation(property=p, property_label=svc.index.label(p), direction="in", entity=ref(svc, s))
        )


def _has_statistics(facts: EntityFacts) -> bool:
    statistic = bri.Statistic
    return any(
        r.direction == "in" and r.entity and statistic in r.entity.types and local_name(r.property) in STAT_LINKS
        for r in facts.relations
    )


async def describe(svc: Services, iri: str) -> EntityFacts | None:
    """Everything shown about *iri*, or None if the graph says nothing about it."""
    bind = {"e": Term.iri(iri)}
    timeout = svc.settings.query_timeout_s
    out_rows = (await svc.store.select(OUTGOING, bind, timeout_s=timeout)).rows
    in_rows = (await svc.store.select(INCOMING, bind, timeout_s=timeout)).rows
    if not out_rows and not in_rows:
        return None
    facts = EntityFacts(iri, label=svc.index.label(iri))
    labels = _outgoing(svc, facts, out_rows)
    _incoming(svc, facts, in_rows)
    facts.types = sorted(set(facts.types))
    # sorted: the same page from any store, whatever order its engine returns the labels in
    facts.alt_labels = sorted({n for n in labels if n != facts.label}, key=lambda n: (n.casefold(), n))
    facts.relations.sort(
        key=lambda r: (r.direction != "out", r.property_label, r.entity.label.casefold() if r.entity else "")
    )
    facts.properties.sort(key=lambda r: (r.property_label, r.literal.value if r.literal else ""))
    facts.sources = (await sources_for(svc, iri)).get(iri, [])
    if _has_statistics(facts):  # two queries saved when there are none
        facts.statistics = await statistics(svc, iri)
    return facts
