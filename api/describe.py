"""Gathering what the graph says about one entity: facts, links both ways, sources, statistics.

Shared by the HTML entity page and the JSON analyst endpoint. Every query binds the entity with
``substitutions`` (never pasted into the text); labels come from the startup index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from api.index import BRI, DCTERMS, LABEL_PROPERTIES, OA, RDF_TYPE, GraphIndex, local_name
from api.models import EntityRef, LiteralValue, Relation, Source, StatisticOut
from api.pages import local_href
from api.services import Services
from api.store import Term

OUTGOING = "SELECT DISTINCT ?e ?p ?o WHERE { ?e ?p ?o }"  # ?e projected: it is substituted
INCOMING = "SELECT DISTINCT ?e ?s ?p WHERE { ?s ?p ?e }"
STAT_LINKS = ("statisticOf", "reportedAt", "refersTo", "topic")  # how a statistic is about something


def _about(stat: str) -> str:
    """*stat* (a variable) is a statistic of, reported at, referring to or on the topic ?about."""
    return f"{stat} ?link ?about . VALUES ?link {{ bri:statisticOf bri:reportedAt bri:refersTo bri:topic }}"


# Query shape and Oxigraph's planner: a variable bound through ``substitutions`` still counts as
# unbound when the join order is chosen, so a pattern with two constants (``?qs a oa:TextQuoteSelector``,
# ``?e a bri:Statistic``) looks cheaper and is evaluated first, over the whole corpus (65 ms instead
# of 0.3 ms at 10^5 triples). Hence no type patterns where the bound variable should lead: oa:exact
# is only on text quote selectors and oa:start/oa:end only on text position selectors (our shapes),
# and class restrictions are FILTER EXISTS, checked per row after the look-up. Likewise an OPTIONAL
# of several patterns is evaluated whole-corpus and then joined: the shapes require exactly one
# position selector per target, so that one is a plain pattern.
def _sources_query(restriction: str = "", projected: str = "") -> str:
    """Evidence passages of ?e; *restriction* narrows ?e (constant text of ours, never user input)."""
    return f"""
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX bri: <https://w3id.org/bri-kg/ontology#>
SELECT DISTINCT ?e ?ev ?doc ?quote ?prefix ?suffix ?start ?end ?prop {projected} WHERE {{
  {restriction}
  ?e bri:evidence ?ev .
  ?ev bri:sourceDocument ?doc ; oa:hasTarget ?target .
  ?target oa:hasSelector ?qs . ?qs oa:exact ?quote .
  ?target oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end .
  OPTIONAL {{ ?qs oa:prefix ?prefix }} OPTIONAL {{ ?qs oa:suffix ?suffix }}
  OPTIONAL {{ ?ev bri:supportsProperty ?prop }}
}}"""


def _statistics_query(restriction: str = "", projected: str = "") -> str:
    return f"""
PREFIX bri: <https://w3id.org/bri-kg/ontology#>
SELECT ?stat ?p ?o {projected} WHERE {{
  {restriction}
  ?stat ?p ?o .
  VALUES ?p {{ bri:value bri:qualifier bri:measure bri:unit bri:statisticOf bri:reportedAt bri:year
              bri:referenceDate bri:refersTo bri:topic }}
}}"""


# ?e bound: one entity's sources. The statistics queries come whole-corpus or about one entity (?about
# bound): an entity page must not fetch every statistic (and every source) of a 10^6-triple graph.
SOURCES = _sources_query()
STATISTICS = _statistics_query("?stat a bri:Statistic .")
STATISTIC_SOURCES = _sources_query("?e a bri:Statistic .")  # unbound: starting from the statistics is right
STATISTICS_ABOUT = _statistics_query(_about("?stat") + " FILTER EXISTS { ?stat a bri:Statistic }", "?about")
STATISTIC_SOURCES_ABOUT = _sources_query(_about("?e") + " FILTER EXISTS { ?e a bri:Statistic }", "?about")
HIDDEN_OUT = {BRI + "evidence", RDF_TYPE, *LABEL_PROPERTIES, DCTERMS + "description"}
HIDDEN_IN = {OA + "hasBody"}


@dataclass
class EntityFacts:
    iri: str
    label: str
    types: list[str]
    alt_labels: list[str]
    description: str | None
    properties: list[Relation]
    relations: list[Relation]
    sources: list[Source]
    statistics: list[StatisticOut]
    replaced_by: str | None = None


def ref(svc: Services, iri: str) -> EntityRef:
    return EntityRef(
        id=iri,
        label=svc.index.label(iri),
        types=svc.index.types(iri),
        href=local_href(iri, svc.settings.base_iri),
    )


def literal(term: Term) -> LiteralValue:
    return LiteralValue(value=term.value, datatype=term.datatype or None, lang=term.lang or None)


def _is_evidence(index: GraphIndex, iri: str) -> bool:
    return iri.startswith(index.id_base + "evidence/")


async def sources_for(svc: Services, iri: str | None, query: str = SOURCES,
                      bindings: dict[str, Term] | None = None) -> dict[str, list[Source]]:
    """Evidence passages per entity (of *iri*, or of every entity *query* selects), by document and offset."""
    bindings = {"e": Term.iri(iri)} if iri else bindings
    result = await svc.store.select(query, bindings, timeout_s=svc.settings.query_timeout_s)
    by_entity: dict[str, dict[str, Source]] = defaultdict(dict)
    for row in result.rows:
        entity = iri or row["e"].value
        evidence = row["ev"].value
        if evidence in by_entity[entity]:
            continue
        by_entity[entity][evidence] = Source(
            evidence=evidence,
            quote=row["quote"].value,
            prefix=row["prefix"].value if "prefix" in row else "",
            suffix=row["suffix"].value if "suffix" in row else "",
            start=int(row["start"].value) if "start" in row else None,
            end=int(row["end"].value) if "end" in row else None,
            document=ref(svc, row["doc"].value),
            supports_property=row["prop"].value if "prop" in row else None,
        )
    return {
        k: sorted(v.values(), key=lambda s: (s.document.label, s.start or 0, s.evidence)) for k, v in by_entity.items()
    }


async def statistics(svc: Services, about: str | None = None) -> list[StatisticOut]:
    """Every statistic (or those of, reported at, referring to or on the topic *about*) with its value,
    qualifier, measure, subject and sources."""
    bindings = {"about": Term.iri(about)} if about else None
    stats_query, sources_query = (STATISTICS_ABOUT, STATISTIC_SOURCES_ABOUT) if about else (STATISTICS,
                                                                                            STATISTIC_SOURCES)
    result = await svc.store.select(stats_query, bindings, timeout_s=svc.settings.query_timeout_s)
    facts: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for row in result.rows:
        facts[row["stat"].value][local_name(row["p"].value)].append(row["o"])
    all_sources = await sources_for(svc, None, sources_query, bindings)
    out = []
    for iri in sorted(facts, key=lambda i: svc.index.label(i).casefold()):
        f = facts[iri]

        def first(name: str, f: dict[str, list[Term]] = f) -> Term | None:
            return f[name][0] if f.get(name) else None

        qualifier, of, at = first("qualifier"), first("statisticOf"), first("reportedAt")
        out.append(
            StatisticOut(
                id=iri,
                label=svc.index.label(iri),
                href=local_href(iri, svc.settings.base_iri),
                value=first("value").value if first("value") else None,
                qualifier=qualifier.value if qualifier else None,
                qualifier_label=svc.index.label(qualifier.value) if qualifier else None,
                measure=first("measure").value if first("measure") else None,
                unit=first("unit").value if first("unit") else None,
                statistic_of=ref(svc, of.value) if of and of.is_iri else None,
                reported_at=ref(svc, at.value) if at and at.is_iri else None,
                year=first("year").value if first("year") else None,
                reference_date=first("referenceDate").value if first("referenceDate") else None,
                sources=all_sources.get(iri, []),
            )
        )
    return out


async def describe(svc: Services, iri: str) -> EntityFacts | None:
    """Everything shown about *iri*, or None if the graph says nothing about it."""
    bind = {"e": Term.iri(iri)}
    timeout = svc.settings.query_timeout_s
    out_rows = (await svc.store.select(OUTGOING, bind, timeout_s=timeout)).rows
    in_rows = (await svc.store.select(INCOMING, bind, timeout_s=timeout)).rows
    if not out_rows and not in_rows:
        return None
    index = svc.index
    types, labels, description, replaced_by = [], [], None, None
    properties: list[Relation] = []
    relations: list[Relation] = []
    for row in out_rows:
        p, o = row["p"].value, row["o"]
        if p == RDF_TYPE:
            types.append(o.value)
        elif p in LABEL_PROPERTIES:
            labels.append(o.value)
        elif p == DCTERMS + "description" and description is None:
            description = o.value
        elif p == DCTERMS + "isReplacedBy" and o.is_iri:
            replaced_by = o.value
        if p in HIDDEN_OUT:
            continue
        if o.kind == "literal":
            properties.append(Relation(property=p, property_label=index.label(p), direction="out", literal=literal(o)))
        else:
            relations.append(
                Relation(property=p, property_label=index.label(p), direction="out", entity=ref(svc, o.value))
            )
    for row in in_rows:
        s, p = row["s"].value, row["p"].value
        if p in HIDDEN_IN or (_is_evidence(index, s) and not _is_evidence(index, iri)):
            continue  # evidence nodes pointing here are shown as sources, not as relations
        relations.append(Relation(property=p, property_label=index.label(p), direction="in", entity=ref(svc, s)))
    relations.sort(
        key=lambda r: (r.direction != "out", r.property_label, r.entity.label.casefold() if r.entity else "")
    )
    properties.sort(key=lambda r: (r.property_label, r.literal.value if r.literal else ""))
    label = index.label(iri)
    alt = [n for n in dict.fromkeys(labels) if n != label]
    sources = (await sources_for(svc, iri)).get(iri, [])
    has_statistics = any(
        r.direction == "in" and r.entity and BRI + "Statistic" in r.entity.types
        and local_name(r.property) in STAT_LINKS
        for r in relations
    )
    stats = await statistics(svc, iri) if has_statistics else []  # two queries saved when there are none
    return EntityFacts(
        iri, label, sorted(set(types)), alt, description, properties, relations, sources, stats, replaced_by
    )
