"""Statistics with their value, qualifier, measure, subject and sources: all of them, or those about one entity."""

from __future__ import annotations

from collections import defaultdict

from api.services import Services
from api.store.terms import Term
from api.views.refs import ref
from api.views.sources import sources_for, sources_query
from api.web.models import Source, StatisticOut
from api.web.pages import local_href
from kg.index.schema import local_name

STAT_LINKS = ("statisticOf", "reportedAt", "refersTo", "topic")  # how a statistic is about something


def _about(stat: str) -> str:
    """*stat* (a variable) is a statistic of, reported at, referring to or on the topic ?about."""
    return f"{stat} ?link ?about . VALUES ?link {{ bri:statisticOf bri:reportedAt bri:refersTo bri:topic }}"


def _statistics_query(restriction: str = "", projected: str = "") -> str:
    return f"""
PREFIX bri: <https://w3id.org/bri-kg/ontology#>
SELECT ?stat ?p ?o {projected} WHERE {{
  {restriction}
  ?stat ?p ?o .
  VALUES ?p {{ bri:value bri:qualifier bri:measure bri:unit bri:statisticOf bri:reportedAt bri:year
              bri:referenceDate bri:refersTo bri:topic }}
}}"""


# Whole-corpus, or about one entity (?about bound): an entity page must not fetch every statistic
# (and every source) of a 10^6-triple graph.
STATISTICS = _statistics_query("?stat a bri:Statistic .")
STATISTIC_SOURCES = sources_query("?e a bri:Statistic .")  # unbound: starting from the statistics is right
STATISTICS_ABOUT = _statistics_query(_about("?stat") + " FILTER EXISTS { ?stat a bri:Statistic }", "?about")
STATISTIC_SOURCES_ABOUT = sources_query(_about("?e") + " FILTER EXISTS { ?e a bri:Statistic }", "?about")

Facts = dict[str, list[Term]]


def _value(facts: Facts, name: str) -> str | None:
    return facts[name][0].value if facts.get(name) else None


def _statistic(svc: Services, iri: str, facts: Facts, sources: list[Source]) -> StatisticOut:
    qualifier = _value(facts, "qualifier")
    of, at = facts.get("statisticOf", [None])[0], facts.get("reportedAt", [None])[0]
    return StatisticOut(
        id=iri,
        label=svc.index.label(iri),
        href=local_href(iri, svc.settings.base_iri),
        value=_value(facts, "value"),
        qualifier=qualifier,
        qualifier_label=svc.index.label(qualifier) if qualifier else None,
        measure=_value(facts, "measure"),
        unit=_value(facts, "unit"),
        statistic_of=ref(svc, of.value) if of and of.is_iri else None,
        reported_at=ref(svc, at.value) if at and at.is_iri else None,
        year=_value(facts, "year"),
        reference_date=_value(facts, "referenceDate"),
        sources=sources,
    )


async def statistics(svc: Services, about: str | None = None) -> list[StatisticOut]:
    """Every statistic (or those of, reported at, referring to or on the topic *about*), by label."""
    bindings = {"about": Term.iri(about)} if about else None
    stats_query, sources_q = (STATISTICS_ABOUT, STATISTIC_SOURCES_ABOUT) if about else (STATISTICS, STATISTIC_SOURCES)
    result = await svc.store.select(stats_query, bindings, timeout_s=svc.settings.query_timeout_s)
    facts: dict[str, Facts] = defaultdict(lambda: defaultdict(list))
    for row in result.rows:
        facts[row["stat"].value][local_name(row["p"].value)].append(row["o"])
    all_sources = await sources_for(svc, None, sources_q, bindings)
    ordered = sorted(facts, key=lambda i: svc.index.label(i).casefold())
    return [_statistic(svc, iri, facts[iri], all_sources.get(iri, [])) for iri in ordered]
