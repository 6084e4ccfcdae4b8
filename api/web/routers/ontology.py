"""The ontology for people and for OWL tools: ``/ontology``, its file suffixes and its version IRI.

OWL tools (Protégé, owlready2, the OWL API) fetch an ontology by its IRI and send no preference, or
``*/*``: they get RDF/XML, the one syntax every OWL tool reads, with its namespace prefixes declared
(without them owlready2 takes the file for OWL/XML). Browsers get the readable page; RDF clients get
what their ``Accept`` asks for. The suffixes name a syntax outright: ``/ontology.owl`` and
``/ontology.rdf`` (RDF/XML), ``.ttl``, ``.jsonld``, ``.nt``. The version IRI
(``{base}ontology/{version}``) answers for the version this build carries, or a release's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response

from api.deps import ServicesDep
from api.services import Services
from api.views.ontology import ontology_view
from api.web import negotiation as neg
from api.web.openapi import RDF_OR_PAGE
from api.web.pages import render
from api.web.routers.dumps import serve_file
from kg.layout import ONTOLOGY_FILE
from kg.publish.release import list_releases
from kg.vocab.namespaces import OWL, RDF_PREFIXES

router = APIRouter(tags=["dumps"])
OFFERS = (neg.RDFXML, neg.TURTLE, neg.JSONLD, neg.NTRIPLES)  # RDF/XML first: what "no preference" gets
SUFFIXES = {"owl": neg.RDFXML, "rdf": neg.RDFXML, "xml": neg.RDFXML, "ttl": neg.TURTLE, "jsonld": neg.JSONLD,
            "nt": neg.NTRIPLES}
PREFIXES = RDF_PREFIXES | {"": RDF_PREFIXES["bri"]}


@lru_cache(maxsize=8)
def _serialized(path: str, _mtime: float, key: str) -> bytes:
    triples = [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]
    rdf_format = {"rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
                  "ntriples": ox.RdfFormat.N_TRIPLES}[key]
    items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples] \
        if rdf_format.supports_datasets else triples
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD) else None
    return ox.serialize(items, format=rdf_format, prefixes=prefixes) or b""


def _answer(request: Request, svc: Services, path: Path, fmt: neg.Format, folder: Path | None = None) -> Response:
    if fmt is neg.TURTLE:
        response = serve_file(request, svc, ONTOLOGY_FILE, "text/turtle", folder=folder)
        response.headers["Vary"] = "Accept, Accept-Encoding"
        return response
    body = _serialized(str(path), path.stat().st_mtime, fmt.key)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _choose(request: Request, format_param: str | None) -> neg.Format | None:
    """The syntax asked for; None for the page. No ``Accept``, or only ``*/*``: RDF/XML."""
    accept = request.headers.get("accept")
    if (format_param or "").lower() == "html" or (not format_param and neg.prefers_html(accept)):
        return None
    return neg.choose(accept, format_param, OFFERS)


@router.api_route("/ontology", methods=["GET", "HEAD"],
                  summary="The OWL ontology: RDF/XML for OWL tools, Turtle/JSON-LD/N-Triples by Accept, a page "
                          "for browsers", response_class=Response, responses=RDF_OR_PAGE)
async def ontology(request: Request, svc: ServicesDep, format: str | None = None) -> Response:  # noqa: A002
    path = svc.build.dist_dir / ONTOLOGY_FILE
    if not path.is_file():
        raise HTTPException(404, "this build has no ontology")
    fmt = _choose(request, format)
    if fmt is None:
        return render(request, "ontology.html", o=ontology_view(path, svc.settings.base_iri))
    return _answer(request, svc, path, fmt)


@router.api_route("/ontology.{suffix}", methods=["GET", "HEAD"], summary="The ontology in the syntax of the suffix",
                  response_class=Response, responses=RDF_OR_PAGE)
async def ontology_file(request: Request, suffix: str, svc: ServicesDep) -> Response:
    fmt = SUFFIXES.get(suffix.lower())
    path = svc.build.dist_dir / ONTOLOGY_FILE
    if fmt is None or not path.is_file():
        raise HTTPException(404, f"no /ontology.{suffix}: use one of {', '.join('.' + s for s in SUFFIXES)}")
    return _answer(request, svc, path, fmt)


def _version_iri(path: Path) -> str:
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == OWL + "versionIRI" and isinstance(triple.object, ox.NamedNode):
            return triple.object.value
    return ""


@router.api_route("/ontology/{version}", methods=["GET", "HEAD"],
                  summary="One version of the ontology, by its version IRI", response_class=Response,
                  responses=RDF_OR_PAGE)
async def ontology_version(request: Request, version: str, svc: ServicesDep,
                           format: str | None = None) -> Response:  # noqa: A002
    wanted = svc.settings.base_iri + "ontology/" + version
    candidates = [(svc.build.dist_dir, None)] + [(r.path, r.path) for r in reversed(list_releases(svc.settings))]
    for folder, release in candidates:
        path = folder / ONTOLOGY_FILE
        if path.is_file() and _version_iri(path) == wanted:
            fmt = _choose(request, format)
            if fmt is None:
                return render(request, "ontology.html", o=ontology_view(path, svc.settings.base_iri))
            return _answer(request, svc, path, fmt, folder=release)
    raise HTTPException(404, f"no ontology with the version IRI <{wanted}> in this build or its releases")
