"""How a view names a thing: its IRI, display label, types and where this server answers for it."""

from __future__ import annotations

from api.services import Services
from api.store.terms import Term
from api.web.models import EntityRef, LiteralValue
from api.web.pages import local_href


def ref(svc: Services, iri: str) -> EntityRef:
    return EntityRef(
        id=iri,
        label=svc.index.label(iri),
        types=svc.index.types(iri),
        href=local_href(iri, svc.settings.base_iri),
    )


def literal(term: Term) -> LiteralValue:
    return LiteralValue(value=term.value, datatype=term.datatype or None, lang=term.lang or None)
