"""The verbatim passages behind an entity's facts: evidence nodes, their quotes, offsets and documents.

Query shape and Oxigraph's planner: a variable bound through ``substitutions`` still counts as
unbound when the join order is chosen, so a pattern with two constants (``?qs a oa:TextQuoteSelector``,
``?e a bri:Statistic``) looks cheaper and is evaluated first, over the whole corpus (65 ms instead
of 0.3 ms at 10^5 triples). Hence no type patterns where the bound variable should lead: oa:exact
is only on text quote selectors and oa:start/oa:end only on text position selectors (our shapes),
and class restrictions are FILTER EXISTS, checked per row after the look-up. Likewise an OPTIONAL
of several patterns is evaluated whole-corpus and then joined: the shapes require exactly one
position selector per target, so that one is a plain pattern.
"""

from __future__ import annotations

from collections import defaultdict

from api.services import Services
from api.store.contract import Row
from api.store.terms import Term
from api.views.refs import ref
from api.web.models import Source


def sources_query(restriction: str = "", projected: str = "") -> str:
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


SOURCES = sources_query()  # ?e bound: one entity's sources


def _source(svc: Services, row: Row) -> Source:
    return Source(
        evidence=row["ev"].value,
        quote=row["quote"].value,
        prefix=row["prefix"].value if "prefix" in row else "",
        suffix=row["suffix"].value if "suffix" in row else "",
        start=int(row["start"].value) if "start" in row else None,
        end=int(row["end"].value) if "end" in row else None,
        document=ref(svc, row["doc"].value),
        supports_property=row["prop"].value if "prop" in row else None,
    )


async def sources_for(
    svc: Services, iri: str | None, query: str = SOURCES, bindings: dict[str, Term] | None = None
) -> dict[str, list[Source]]:
    """Evidence passages per entity (of *iri*, or of every entity *query* selects), by document and offset."""
    bindings = {"e": Term.iri(iri)} if iri else bindings
    result = await svc.store.select(query, bindings, timeout_s=svc.settings.query_timeout_s)
    by_entity: dict[str, dict[str, Source]] = defaultdict(dict)
    for row in result.rows:
        entity = iri or row["e"].value
        if row["ev"].value not in by_entity[entity]:
            by_entity[entity][row["ev"].value] = _source(svc, row)
    return {
        k: sorted(v.values(), key=lambda s: (s.document.label, s.start or 0, s.evidence)) for k, v in by_entity.items()
    }
