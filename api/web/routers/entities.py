"""Dereferenceable entity IRIs: ``{base}id/...`` answers at ``/id/...`` on this server.

Browsers get an HTML page; RDF clients get Turtle (default), JSON-LD, N-Triples, RDF/XML, N-Quads
or TriG by ``Accept`` (or ``?format=``), always with ``Vary: Accept``. RDF answers keep the
canonical IRIs (they are the identifiers; the host serving them may change), pages link to this
server. An IRI the graph knows nothing about is a 404 (an HTML page for browsers); a retired IRI
with ``dcterms:isReplacedBy`` redirects (301) to its successor.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse

from api.deps import ServicesDep
from api.services import Services
from api.store.contract import QueryRequest
from api.store.terms import SAFE_IRI, Term
from api.views.document import document_view, is_document, passage_anchor
from api.views.entity import EntityFacts, describe
from api.views.factsheet import fact_sheet
from api.web import negotiation as neg
from api.web.pages import local_href, render
from kg.layout import CONTEXT_FILE
from kg.publish.jsonld import compact_document
from kg.vocab import terms as bri
from kg.vocab.namespaces import RDF_PREFIXES

router = APIRouter()

ENTITY_FORMATS = (neg.TURTLE, neg.JSONLD, neg.NTRIPLES, neg.RDFXML, neg.NQUADS, neg.TRIG)
DESCRIBE_ENTITY = """
CONSTRUCT { ?e ?p ?o . ?s ?q ?e . ?x <http://www.w3.org/2000/01/rdf-schema#label> ?xl . }
WHERE {
  { ?e ?p ?o }
  UNION { ?s ?q ?e }
  UNION { ?e ?p1 ?x . ?x <http://www.w3.org/2000/01/rdf-schema#label> ?xl }
  UNION { ?x ?q1 ?e . ?x <http://www.w3.org/2000/01/rdf-schema#label> ?xl }
}"""
# Evidence IRIs own fragment nodes (#target, #quote, #position): include their descriptions.
DESCRIBE_EVIDENCE = """
PREFIX oa: <http://www.w3.org/ns/oa#>
CONSTRUCT { ?e ?p ?o . ?s ?q ?e . ?t ?tp ?to . ?sel ?sp ?so . }
WHERE {
  { ?e ?p ?o } UNION { ?s ?q ?e }
  UNION { ?e oa:hasTarget ?t . ?t ?tp ?to }
  UNION { ?e oa:hasTarget/oa:hasSelector ?sel . ?sel ?sp ?so }
}"""


def not_found(request: Request, iri: str) -> Response:
    if neg.prefers_html(request.headers.get("accept")):
        return render(request, "not_found.html", status_code=404, iri=iri, path=request.url.path)
    return PlainTextResponse(
        f"Not found: the graph has nothing about <{iri}>.\n", status_code=404, headers={"Vary": "Accept"}
    )


async def rdf_description(svc: Services, iri: str, fmt: neg.Format) -> Response:
    evidence = iri.startswith(svc.index.id_base + "evidence/")
    query = DESCRIBE_EVIDENCE if evidence else DESCRIBE_ENTITY
    ctx = jsonld_context(svc) if fmt is neg.JSONLD else None
    key = neg.NTRIPLES.key if ctx is not None else fmt.key
    request = QueryRequest(query, key, substitutions={"e": Term.iri(iri)}, prefixes=RDF_PREFIXES, max_rows=None)
    result = await svc.store.query(request)
    body = result.body
    if ctx is not None:  # JSON-LD compacted with the published context, as the compacted dump is
        triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        # The context inline (the one published at {base}context.jsonld): the answer stands alone, and a
        # client (rdflib, pyld) reads it without fetching anything.
        document = compact_document(triples, ctx, ctx["@context"])
        body = json.dumps(document, ensure_ascii=False, indent=1).encode()
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def jsonld_context(svc: Services) -> dict[str, Any] | None:
    """The build's JSON-LD context (read once per build), or None for a build without one."""
    path = svc.build.dist_dir / CONTEXT_FILE
    if not path.is_file():
        return None
    return _read_context(str(path), path.stat().st_mtime)


@lru_cache(maxsize=2)
def _read_context(path: str, _mtime: float) -> dict[str, Any]:
    context: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return context


async def entity_page(request: Request, svc: Services, facts: EntityFacts) -> Response:
    """The fact sheet; for a source document, its text with every annotated passage marked."""
    alternates = [(f.names[0], f.media_type) for f in ENTITY_FORMATS]
    sheet = await fact_sheet(svc, facts)
    base = svc.settings.id_base
    context: dict[str, Any] = {"e": facts, "sheet": sheet, "alternates": alternates,
                               "anchor": lambda ev: passage_anchor(ev, base)}
    if is_document(svc, facts.types):
        source_file = next((r.literal.value for r in facts.properties if r.property == bri.sourceFile and r.literal),
                           None)
        context["doc"] = await document_view(svc, facts.iri, source_file)
        return render(request, "document.html", **context)
    return render(request, "entity.html", **context)


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def entity(request: Request, path: str, svc: ServicesDep, format: str | None = None) -> Response:  # noqa: A002
    iri = svc.settings.id_base + path
    accept = request.headers.get("accept")
    html = (format or "").lower() == "html" or (not format and neg.prefers_html(accept))
    if not SAFE_IRI.fullmatch(iri):  # e.g. /id/a%20b: not an IRI, so certainly not one of ours
        return not_found(request, iri)
    facts = await describe(svc, iri)
    if facts is None:
        return not_found(request, iri)
    if facts.replaced_by:
        return RedirectResponse(
            local_href(facts.replaced_by, svc.settings.base_iri), status_code=301, headers={"Vary": "Accept"}
        )
    if html:
        return await entity_page(request, svc, facts)
    return await rdf_description(svc, iri, neg.choose(accept, format, ENTITY_FORMATS))
