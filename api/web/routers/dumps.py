"""The build's files: dumps with checksums, VoID/DCAT, the ontology and the shapes.

Dumps are pre-written files (a CONSTRUCT of everything takes seconds; a file takes a sendfile).
Each answers with its media type, Content-Length, an ETag that is its SHA-256 from SHA256SUMS
(a gzip variant has its own ETag), ``If-None-Match`` -> 304, and gzip when the client accepts it
(compressed once into ``var/cache/gzip/`` and reused, so the length is known up front).
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from api.deps import ServicesDep
from api.services import Services
from api.store.formats import serialize_graph
from api.web import negotiation as neg
from api.web.middleware import accepts_gzip
from api.web.openapi import JSONLD, RDF_OR_PAGE
from api.web.pages import render
from kg.layout import (
    CONTEXT_FILE,
    DUMP_FILES,
    EXTRA_FILES,
    SHAPES_FILE,
    SUMS_FILE,
    VOID_FILE,
    sha256_of,
)
from kg.publish.dcat import DATASET_IRI, SPARQL_IRI
from kg.vocab.namespaces import RDF_PREFIXES
from kg.vocab.namespaces import VOID as VOID_NS

router = APIRouter()

MEDIA_TYPES = {f.filename: f.media_type for f in DUMP_FILES} | {n: m for n, (m, _) in EXTRA_FILES.items()}
TITLES = {f.filename: f.title for f in DUMP_FILES} | {n: t for n, (_, t) in EXTRA_FILES.items()}
RDF_OFFERS = (neg.TURTLE, neg.JSONLD, neg.NTRIPLES, neg.RDFXML, neg.NQUADS, neg.TRIG)
# What the Turtle files of a build (VoID, ontology, shapes) answer in: any RDF format, or a page.


def checksums(dist: Path) -> dict[str, str]:
    sums = dist / SUMS_FILE
    if not sums.is_file():
        return {}
    out = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            out[name.strip()] = digest.strip()
    return out


def listing(svc: Services) -> list[dict[str, object]]:
    dist = svc.build.dist_dir
    sums = checksums(dist)
    names = sorted(set(sums) | ({SUMS_FILE} if (dist / SUMS_FILE).is_file() else set()))
    return [
        {
            "name": n,
            "href": f"/dumps/{n}",
            "media_type": MEDIA_TYPES.get(n, "application/octet-stream"),
            "bytes": (dist / n).stat().st_size,
            "sha256": sums.get(n),
            "title": TITLES.get(n, n),
        }
        for n in names
        if (dist / n).is_file()
    ]


@router.get("/dumps", include_in_schema=False)
async def dumps_redirect() -> Response:
    return RedirectResponse("/dumps/", status_code=301)


@router.api_route(
    "/dumps/",
    methods=["GET", "HEAD"],
    summary="List the dumps of the current build",
    tags=["dumps"],
    responses={200: {"content": {"application/json": {}, "text/html": {}}}},
)
async def list_dumps(request: Request, svc: ServicesDep) -> Response:
    files = listing(svc)
    if neg.prefers_html(request.headers.get("accept")):
        return render(request, "dumps.html", files=files, build=svc.build)
    return JSONResponse({"version": svc.build.version, "files": files}, headers={"Vary": "Accept"})


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


def gzip_copy(svc: Services, path: Path, digest: str) -> Path:
    """The gzip of *path*, made once per content (keyed by its SHA-256) and then reused."""
    cache = svc.settings.var_dir / "cache" / "gzip"
    target = cache / f"{digest}-{path.name}.gz"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{target.name}.{os.getpid()}"
    with path.open("rb") as src, gzip.GzipFile(tmp, "wb", compresslevel=6, mtime=0) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, target)
    return target


def serve_file(request: Request, svc: Services, name: str, media_type: str | None = None,
               folder: Path | None = None) -> Response:
    """A file of the build's dist/ (or of *folder*, a release) listed in its SHA256SUMS."""
    dist = folder or svc.build.dist_dir
    sums = checksums(dist)
    path = dist / name
    known = media_type is not None or name in MEDIA_TYPES
    if not known or not path.is_file() or (name != SUMS_FILE and name not in sums):
        raise HTTPException(404, f"no file {name!r} here; see {'/releases/' if folder else '/dumps/'}")
    digest = sums.get(name) or sha256_of(path)
    media = media_type or MEDIA_TYPES[name]
    use_gzip = accepts_gzip(request.headers.get("accept-encoding"))
    etag = f'"{digest}-gzip"' if use_gzip else f'"{digest}"'
    headers = {
        "ETag": etag,
        "Vary": "Accept-Encoding",
        "Cache-Control": "public, max-age=300",
        "Content-Disposition": f'inline; filename="{name}"',
    }
    if _etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if use_gzip:
        headers["Content-Encoding"] = "gzip"
        path = gzip_copy(svc, path, digest)
    charset = (
        "; charset=utf-8"
        if media.startswith("text/")
        or media.startswith("application/n-")
        or media in ("application/trig", "application/ld+json")
        else ""
    )
    return FileResponse(path, media_type=media + charset, headers=headers)


@router.api_route(
    "/dumps/{name}",
    methods=["GET", "HEAD"],
    summary="Download one dump",
    tags=["dumps"],
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}},
        304: {"description": "Not modified"},
    },
)
async def dump_file(request: Request, name: str, svc: ServicesDep) -> Response:
    return serve_file(request, svc, name)


def _rdf_file(
    request: Request,
    svc: Services,
    name: str,
    html_template: str | None,
    format_param: str | None,
    extra: list[ox.Triple] | None = None,
    **html_context: Any,
) -> Response:
    """A Turtle file of the build: as is for Turtle clients, converted for others, a page for browsers;
    *extra* triples (what only this server can say) are added to the RDF answers."""
    path = svc.build.dist_dir / name
    if not path.is_file():
        raise HTTPException(404, f"{name} is not in this build")
    accept = request.headers.get("accept")
    wants_html = (format_param or "").lower() == "html" or (not format_param and neg.prefers_html(accept))
    if wants_html and html_template:
        return render(request, html_template, **html_context)
    fmt = neg.choose(accept, format_param, RDF_OFFERS)
    if fmt is neg.TURTLE and not extra:
        response = serve_file(request, svc, name, "text/turtle")
        response.headers["Vary"] = "Accept, Accept-Encoding"
        return response
    if fmt is neg.TURTLE:  # the file as built, then the extra statements (Turtle allows N-Triples lines)
        body = path.read_bytes() + b"".join(f"{t.subject} {t.predicate} {t.object} .\n".encode() for t in extra or [])
        return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})
    triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)] + list(extra or [])
    body = serialize_graph(triples, fmt.key, RDF_PREFIXES)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _turtle_page(request: Request, svc: Services, name: str, title: str, raw_href: str, fmt: str | None) -> Response:
    """A Turtle file of the build, shown as text to browsers."""
    path = svc.build.dist_dir / name
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return _rdf_file(request, svc, name, "text_page.html", fmt, title=title, text=text, raw_href=raw_href)


@router.api_route(
    "/context.jsonld",
    methods=["GET", "HEAD"],
    tags=["dumps"],
    summary="The JSON-LD @context of the compacted dump and of entity pages (stable URL)",
    response_class=Response,
    responses=JSONLD,
)
async def jsonld_context(request: Request, svc: ServicesDep) -> Response:
    response = serve_file(request, svc, CONTEXT_FILE, "application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.api_route(
    "/.well-known/void",
    methods=["GET", "HEAD"],
    tags=["dumps"],
    summary="VoID/DCAT description of the dataset (Turtle by default)",
    response_class=Response,
    responses=RDF_OR_PAGE,
)
async def void(request: Request, svc: ServicesDep, format: str | None = None) -> Response:  # noqa: A002
    """The build's void.ttl names the canonical endpoint; a server elsewhere also names itself (its
    configured public URL: the Host header is never reflected)."""
    served = svc.settings.public_base + "sparql"
    extra = [] if served == SPARQL_IRI else [
        ox.Triple(ox.NamedNode(DATASET_IRI), ox.NamedNode(VOID_NS + "sparqlEndpoint"), ox.NamedNode(served))]
    path = svc.build.dist_dir / VOID_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return _rdf_file(request, svc, VOID_FILE, "text_page.html", format, extra, title="Dataset description (VoID/DCAT)",
                     text=text, raw_href="/.well-known/void?format=ttl")


@router.api_route("/shapes", methods=["GET", "HEAD"], tags=["dumps"], summary="The SHACL shapes (Turtle by default)",
                  response_class=Response, responses=RDF_OR_PAGE)
async def shapes(request: Request, svc: ServicesDep, format: str | None = None) -> Response:  # noqa: A002
    return _turtle_page(request, svc, SHAPES_FILE, "SHACL shapes", "/shapes?format=ttl", format)


DESCRIBED = ("/dataset", "/catalog", "/catalog/record", "/publisher", "/contact", "/dataset/rights",
             "/dataset/provenance", "/dataset/class/{part}", "/dataset/graph/{part}")


async def described(request: Request) -> Response:
    """The IRIs the VoID/DCAT description mints (dataset, catalogue, record, publisher, contact point,
    rights, provenance, class and graph partitions) dereference: 303 See Other to the document that
    describes them, as for any non-information resource (Cool URIs for the Semantic Web, section 4.2)."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/.well-known/void{query}", status_code=303)


for _path in DESCRIBED:
    router.add_api_route(_path, described, methods=["GET", "HEAD"], include_in_schema=False)
