"""The FastAPI application factory: ``create_app(settings)`` wires store, indexes, routers, middleware.

Startup (lifespan): resolve the current build, start the store (the query workers over the build's
embedded store, or the connection to a remote SPARQL server when ``BRI_KG_STORE`` is set), read the
triple count the build recorded, list named graphs, open the build's entity index (or write one in
the background: ``api.index_source``), read the named queries. Everything request-scoped reads
``app.state.services``; tests can pass their own settings or store. With a remote store the app
keeps no state of its own beyond a private copy of the index, so replicas scale out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Query, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api import analyst, dumps, entities, named_queries, sparql
from api import negotiation as neg
from api.config import ApiSettings, api_settings
from api.describe import ref
from api.index import GraphIndex
from api.index_source import build_index, open_build_index, release
from api.middleware import GZip, HeadAsGet, IndexReadyGate
from api.models import Health
from api.pages import render
from api.services import BuildInfo, Services, services
from api.store import EmbeddedStore, QueryStore

log = logging.getLogger("bri_kg.api")
STATIC = Path(__file__).parent / "static"
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
EXPOSED_HEADERS = [
    "X-Result-Truncated",
    "X-Result-Row-Limit",
    "X-Result-Count",
    "X-Total-Count",
    "ETag",
    "Content-Disposition",
]


def _make_store(settings: ApiSettings, build: BuildInfo) -> QueryStore:
    """A remote store when one is configured (BRI_KG_STORE / --store), else the current build's embedded one."""
    if settings.remote:
        from api.remote_store import RemoteStore
        from kg.remote import RemoteEndpoints

        endpoints = RemoteEndpoints.from_settings(settings)
        secret = settings.store_password.get_secret_value()
        bearer = settings.store_auth == "bearer"
        return RemoteStore(
            endpoints.query_url,
            timeout_s=settings.query_timeout_s,
            connections=settings.store_connections,
            default_graph=settings.store_default_graph,
            user="" if bearer else settings.store_user,
            password="" if bearer else secret,
            bearer_token=secret if bearer else "",
        )
    if build.store_path is None:
        raise RuntimeError(f"no built store under {settings.current_link}: run `bri-kg build` first")
    return EmbeddedStore(
        str(build.store_path),
        workers=settings.query_workers,
        timeout_s=settings.query_timeout_s,
        network=settings.allow_service,  # otherwise the workers cannot open a network socket at all
    )


async def start_services(settings: ApiSettings, store: QueryStore | None = None) -> Services:
    build = BuildInfo.current(settings)
    store = store or _make_store(settings, build)
    await store.start()
    budget = settings.startup_timeout_s
    graphs = [r["g"].value for r in (await store.select(GRAPHS_QUERY, timeout_s=budget)).rows]
    recorded = build.counts.get("triples") if isinstance(store, EmbeddedStore) else None
    triples = recorded if recorded is not None else await store.triple_count()
    svc = Services(settings, store, build, GraphIndex.empty(settings.id_base), graphs, int(triples))
    index = open_build_index(svc)
    if index is not None:
        svc.index = index
        svc.index_ready.set()
    else:
        # No index file for this store (a remote store, an older build): write one in the background
        # so SPARQL, health and dumps answer at once; pages that need it wait for it (IndexReadyGate).
        svc.index_task = asyncio.create_task(build_index(svc, budget))
    log.info("serving %s (%s): %d triples, %d graphs", build.version, store.description, svc.triples, len(graphs))
    return svc


def create_app(settings: ApiSettings | None = None, store: QueryStore | None = None) -> FastAPI:
    settings = settings if isinstance(settings, ApiSettings) else api_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = await start_services(settings, store)
        app.state.named_queries = named_queries.load_queries(settings.named_queries_dir)
        try:
            yield
        finally:
            task = app.state.services.index_task
            if task is not None and not task.done():
                task.cancel()
            await app.state.services.store.close()
            release(app.state.services)

    app = FastAPI(
        title="BRI-KG API",
        summary="SPARQL endpoint, linked data and analyst endpoints over the BRI science and technology "
        "cooperation knowledge graph",
        version=BuildInfo.current(settings).version or "dev",
        lifespan=lifespan,
    )
    # Level 1, as nginx by default: JSON still shrinks ~15x, at a fifth of level 9's CPU per response.
    app.add_middleware(GZip, minimum_size=1024, compresslevel=1)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    app.add_middleware(sparql_size_limit(settings.max_request_bytes))
    app.add_middleware(HeadAsGet)
    app.add_middleware(IndexReadyGate, wait_s=settings.startup_timeout_s)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (sparql.router, entities.router, analyst.router, named_queries.router, dumps.router):
        app.include_router(router)
    _add_site_routes(app)
    _add_error_handlers(app)
    return app


def sparql_size_limit(max_bytes: int):  # type: ignore[no-untyped-def]
    """Middleware class factory (Starlette instantiates middleware classes itself)."""
    from api.middleware import RequestSizeLimit

    class Limit(RequestSizeLimit):
        def __init__(self, app):  # type: ignore[no-untyped-def]
            super().__init__(app, max_bytes)

    return Limit


def _add_site_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        svc = services(request)
        if not neg.prefers_html(request.headers.get("accept")):
            return JSONResponse(
                {
                    "sparql": "/sparql",
                    "search": "/api/search?q=",
                    "entities": "/id/{type}/{slug}",
                    "dumps": "/dumps/",
                    "void": "/.well-known/void",
                    "ontology": "/ontology",
                    "openapi": "/openapi.json",
                    "health": "/healthz",
                    "version": svc.build.version,
                }
            )
        return render(
            request,
            "home.html",
            entities=svc.index.entity_count,
            triples=svc.triples,
            graphs=len(svc.graphs),
        )

    @app.get("/search", include_in_schema=False)
    async def search_page(request: Request, q: str = Query("", max_length=200)) -> Response:
        svc = services(request)
        hits = svc.index.search(q) if q.strip() else []
        view = [{"entity": ref(svc, h.iri), "matched_label": h.matched} for h in hits[:100]]
        return render(request, "search.html", q=q, hits=view, total=len(hits))

    @app.api_route(
        "/healthz",
        methods=["GET", "HEAD"],
        response_model=Health,
        tags=["health"],
        summary="Store, triple count and build version",
    )
    async def healthz(request: Request) -> Response:
        """Probes the store with a real query (short timeout): 200 when it answers, 503 otherwise.

        ``store`` names it (the embedded path or the remote server's URL), ``store_reachable`` says
        whether the probe got an answer: a replica over a remote store that is down reports 503."""
        svc = services(request)
        pool = getattr(svc.store, "pool", None)
        try:
            await svc.store.select("ASK { ?s ?p ?o }", timeout_s=min(2.0, svc.settings.query_timeout_s))
            answering = True
        except Exception:  # any failure of the probe is what this endpoint reports
            answering = False
        quad_count = getattr(svc.store, "quad_count", None)
        quads = svc.build.counts.get("quads", svc.triples) if isinstance(svc.store, EmbeddedStore) else svc.triples
        if quad_count and answering and "quads" not in svc.build.counts:
            try:
                quads = await quad_count()
            except Exception:  # counted once and cached; a failure here only leaves the estimate
                log.warning("could not count the quads of %s", svc.store.description)
        health = Health(
            status="ok" if answering and svc.triples > 0 else "degraded",
            store=svc.store.description,
            store_kind=getattr(svc.store, "kind", "embedded"),
            store_reachable=answering,
            triples=svc.triples,
            quads=quads,
            version=svc.build.version,
            graphs=len(svc.graphs),
            entities=svc.index.entity_count,
            index="ready" if svc.index_ready.is_set() else "loading",
            query_workers=pool.size if pool else 0,
            idle_workers=pool.idle if pool else 0,
            killed_queries=pool.killed if pool else 0,
        )
        return JSONResponse(health.model_dump(), status_code=200 if health.status == "ok" else 503)

    @app.options("/{path:path}", include_in_schema=False)
    async def options(request: Request, path: str) -> Response:
        """OPTIONS without CORS preflight headers: say which methods the resource allows."""
        methods: set[str] = set()
        for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"):
            scope = {"type": "http", "path": request.url.path, "method": method}
            if any(route.matches(scope)[0] == Match.FULL for route in app.router.routes):
                methods.add(method)
        if "GET" in methods:
            methods.add("HEAD")  # HeadAsGet answers HEAD for every GET resource
        if not methods:
            return PlainTextResponse("Not found\n", status_code=404)
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        return Response(status_code=204, headers={"Allow": allow})


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if (
            exc.status_code == 404
            and neg.prefers_html(request.headers.get("accept"))
            and not request.url.path.startswith("/api/")
        ):
            return render(request, "not_found.html", status_code=404, iri=request.url.path)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
