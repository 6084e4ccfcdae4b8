"""The Reconciliation API's other services: the manifest, suggest (entities, types, properties),
preview and data extension (with property proposals), as version 0.2 of the W3C community group's
specification describes them. The queries themselves are in ``api.views.reconcile``."""

from __future__ import annotations

import html
from typing import Any

from api.services import Services
from api.store.terms import Term
from api.views.ontology import OntologyTerm, ontology_view
from api.views.reconcile import (
    ReconcileError,
    entity_id,
    entity_iri,
    outgoing,
    parse_json,
    term_id,
    term_iri,
    type_refs,
)
from api.views.retired import retired
from kg.index.schema import normalize
from kg.layout import ONTOLOGY_FILE
from kg.vocab.namespaces import RDFS, SKOS, XSD

DEFAULT_TYPES = ("Conference", "PolicyDocument", "Organization", "Person", "Place", "City", "Country",
                 "Alliance", "JointLab", "Program", "Topic")
# Properties every entity may have besides the ontology's own: names and links elsewhere.
COMMON_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "exactMatch")
PROPOSE_TYPES = "SELECT DISTINCT ?p ?t WHERE { ?s a ?t ; ?p ?o }"  # ?t bound
SUGGEST_LIMIT = 10
MAX_EXTEND_IDS = 500


def manifest(svc: Services, service_url: str) -> dict[str, Any]:
    """What the service offers, for a client that has only its URL (OpenRefine's first request)."""
    base = svc.settings.base_iri
    return {
        "versions": ["0.1", "0.2"],
        "name": "BRI-KG: Belt and Road science and technology cooperation",
        "identifierSpace": svc.settings.id_base,
        "schemaSpace": base + "ontology#",
        "documentation": service_url.removesuffix("/reconcile") + "/docs",
        "serviceVersion": svc.build.version or "dev",
        "view": {"url": svc.settings.id_base + "{{id}}"},
        "defaultTypes": [{"id": t, "name": svc.index.label(bri_iri(t))} for t in DEFAULT_TYPES],
        "preview": {"url": service_url + "/preview?id={{id}}", "width": 400, "height": 120},
        "suggest": {
            "entity": {"service_url": service_url, "service_path": "/suggest/entity"},
            "type": {"service_url": service_url, "service_path": "/suggest/type"},
            "property": {"service_url": service_url, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service_url, "service_path": "/propose_properties"},
            "property_settings": [{"name": "limit", "label": "Limit", "type": "number", "default": 0,
                                   "help_text": "Maximum number of values per entity (0: all)"}],
        },
    }


def bri_iri(local: str) -> str:
    return term_iri(local)


# -- suggest --------------------------------------------------------------------------------------
def _terms(svc: Services) -> tuple[list[OntologyTerm], list[OntologyTerm]]:
    view = ontology_view(svc.build.dist_dir / ONTOLOGY_FILE, svc.settings.base_iri)
    if view is None:
        return [], []
    return view.classes, view.object_properties + view.datatype_properties


def _matches(prefix: str, *names: str) -> bool:
    wanted = normalize(prefix)
    return not wanted or any(wanted in normalize(n) for n in names if n)


def _page(items: list[dict[str, Any]], cursor: int) -> dict[str, Any]:
    return {"result": items[cursor : cursor + SUGGEST_LIMIT]}


async def suggest_entities(svc: Services, prefix: str, cursor: int, type_id: str | None) -> dict[str, Any]:
    hits = svc.index.search(prefix, term_iri(type_id) if type_id else None)
    gone = await retired(svc)  # retired IRIs are found through their successors, not offered themselves
    items = []
    for hit in hits:
        if hit.iri in gone:
            continue
        entity = svc.index.entity(hit.iri)
        item: dict[str, Any] = {"id": entity_id(svc, hit.iri), "name": hit.label, "notable": type_refs(svc, hit.iri)}
        if entity and entity.description:
            item["description"] = entity.description
        items.append(item)
    return _page(items, cursor)


def suggest_types(svc: Services, prefix: str, cursor: int) -> dict[str, Any]:
    classes, _ = _terms(svc)
    items = [{"id": t.name, "name": t.label, **({"description": t.definition} if t.definition else {})}
             for t in classes if _matches(prefix, t.name, t.label)]
    return _page(items, cursor)


def property_items(svc: Services) -> list[dict[str, Any]]:
    _, props = _terms(svc)
    items = [{"id": t.name, "name": t.label, **({"description": t.definition} if t.definition else {})}
             for t in props]
    items += [{"id": term_id(p), "name": svc.index.label(p)} for p in COMMON_PROPERTIES]
    return items


def suggest_properties(svc: Services, prefix: str, cursor: int) -> dict[str, Any]:
    return _page([p for p in property_items(svc) if _matches(prefix, p["id"], p["name"])], cursor)


# -- preview --------------------------------------------------------------------------------------
def preview(svc: Services, ident: str) -> str:
    """A small HTML page about one entity, for the client's hover card (iframe)."""
    iri = entity_iri(svc, ident)
    entity = svc.index.entity(iri)
    if entity is None:
        raise LookupError(f"no entity {ident!r}")
    types = ", ".join(html.escape(t["name"]) for t in type_refs(svc, iri))
    other = [n for n in entity.names if n != entity.label]
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
        html.escape(entity.label), "</title><style>body{font:14px sans-serif;margin:6px}"
        "p{margin:2px 0}small{color:#555}</style></head><body>",
        f"<p><a href=\"/id/{html.escape(entity_id(svc, iri))}\" target=\"_blank\"><strong>",
        html.escape(entity.label), f"</strong></a> <small>{types}</small></p>",
    ]
    if other:
        parts.append(f"<p><small>also: {html.escape(' · '.join(other[:6]))}</small></p>")
    if entity.description:
        parts.append(f"<p>{html.escape(entity.description)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


# -- data extension -------------------------------------------------------------------------------
async def propose_properties(svc: Services, type_id: str, limit: int | None) -> dict[str, Any]:
    """The properties entities of *type_id* have, by their use in the data (ontology order otherwise)."""
    type_iri = term_iri(type_id)
    rows = (await svc.store.select(PROPOSE_TYPES, {"t": Term.iri(type_iri)},
                                   timeout_s=svc.settings.query_timeout_s)).rows
    used = {r["p"].value for r in rows}
    known = {term_iri(p["id"]): p for p in property_items(svc)}
    proposed = [known[p] for p in sorted(used, key=lambda p: known.get(p, {}).get("name", p)) if p in known]
    out: dict[str, Any] = {"type": type_id, "properties": proposed[:limit] if limit else proposed}
    if limit:
        out["limit"] = limit
    return out


def _cell(svc: Services, value: Term) -> dict[str, Any]:
    """One property value as the 0.2 data extension response writes it."""
    if value.is_iri:
        if svc.index.is_entity(value.value):
            return {"id": entity_id(svc, value.value), "name": svc.index.label(value.value)}
        return {"str": value.value}
    kind = value.datatype
    if kind in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
        return {"int": int(value.value)}
    if kind in (XSD + "decimal", XSD + "double", XSD + "float"):
        return {"float": float(value.value)}
    if kind == XSD + "boolean":
        return {"bool": value.value in ("true", "1")}
    if kind == XSD + "date":
        return {"date": value.value + "T00:00:00+00:00"}
    return {"str": value.value}


def _extend_request(raw: str) -> tuple[list[str], list[tuple[str, int]]]:
    query = parse_json(raw, "extend")
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list) or not isinstance(
            query.get("properties"), list):
        raise ReconcileError('`extend` must be {"ids": [...], "properties": [{"id": ...}, ...]}')
    ids = [str(i) for i in query["ids"]]
    if len(ids) > MAX_EXTEND_IDS:
        raise ReconcileError(f"at most {MAX_EXTEND_IDS} ids per request; got {len(ids)}")
    props = []
    for prop in query["properties"]:
        if not isinstance(prop, dict) or not isinstance(prop.get("id"), str):
            raise ReconcileError("every property of `extend` needs an `id`")
        settings = prop.get("settings") or {}
        try:
            limit = int(settings.get("limit") or 0) if isinstance(settings, dict) else 0
        except (TypeError, ValueError):
            raise ReconcileError(f"property {prop['id']!r}: the limit setting must be a number") from None
        props.append((prop["id"], max(0, limit)))
    return ids, props


async def extend(svc: Services, raw: str) -> dict[str, Any]:
    """Values of the requested properties for each requested entity."""
    ids, props = _extend_request(raw)
    meta = [{"id": pid, "name": svc.index.label(term_iri(pid))} for pid, _ in props]
    successors = await retired(svc)
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for ident in ids:
        iri = entity_iri(svc, ident)
        facts = await outgoing(svc, successors.get(iri, iri)) if svc.index.has_entity(iri) else []
        row: dict[str, list[dict[str, Any]]] = {}
        for pid, limit in props:
            prop = term_iri(pid)
            cells = [_cell(svc, o) for p, o in facts if p == prop]
            row[pid] = cells[:limit] if limit else cells
        rows[ident] = row
    return {"meta": meta, "rows": rows}
