"""Retired IRIs (``replaced_by`` in the annotations): merged or renamed entities and their successors.

Their IRIs keep answering (a 301 to the successor, ``api.web.routers.entities``), but nothing should
offer them as a result: search and reconciliation show the successor instead. Read once per server
with one query (the store does not change while it serves) and kept in the view cache.
"""

from __future__ import annotations

from api.services import Services
from api.store.errors import StoreError
from kg.vocab.namespaces import DCTERMS

RETIRED = f"SELECT ?e ?n WHERE {{ ?e <{DCTERMS}isReplacedBy> ?n }}"


async def retired(svc: Services) -> dict[str, str]:
    """Retired IRI -> its successor's IRI; empty (and asked again next time) while the store cannot answer,
    so search, which needs only the index, keeps working when a remote store is down."""
    async def read() -> dict[str, str]:
        rows = (await svc.store.select(RETIRED, timeout_s=svc.settings.query_timeout_s)).rows
        return {r["e"].value: r["n"].value for r in rows if r["n"].is_iri}

    try:
        return await svc.views.get("retired", read)
    except StoreError:
        return {}
