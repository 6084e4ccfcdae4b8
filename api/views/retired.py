"""Retired IRIs (``replaced_by`` in the annotations): merged or renamed entities and their successors.

Their IRIs keep answering (a 301 to the successor, ``api.web.routers.entities``), but nothing should
offer them as a result: search and reconciliation show the successor instead. Read from the entity
index's edges, not the store: search must never wait behind SPARQL queries for a worker, nor fail
while a remote store is down.
"""

from __future__ import annotations

from api.services import Services
from kg.vocab.namespaces import DCTERMS

REPLACED_BY = f"{DCTERMS}isReplacedBy"


async def retired(svc: Services) -> dict[str, str]:
    """Retired IRI -> its successor's IRI."""
    return svc.index.pairs(REPLACED_BY)
