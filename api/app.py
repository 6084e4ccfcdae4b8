"""The FastAPI application factory: ``create_app(settings)`` wires store, index, catalog, routers,
middleware and error handlers, and nothing else.

Startup (lifespan): resolve the current build, start the store (the query workers over the build's
embedded store, or the connection to a remote SPARQL server when ``BRI_KG_STORE`` is set), read the
triple count, list named graphs, open the build's entity index (or write one in the background:
``api.index.source``), read the named queries. Routers receive their parts through ``api.deps``;
tests can pass their own settings or store, or override any dependency. With a remote store the
app keeps no state of its own beyond a private copy of the index, so replicas scale out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.catalog import load_queries
from api.config import ApiSettings, api_settings
from api.errors import add_error_handlers
from api.index.graph import GraphIndex
from api.index.source import build_index, open_build_index, release
from api.live import Live, PinServices
from api.services import BuildInfo, LiveIndex, Services
from api.store.contract import PoolLimits, QueryStore
from api.web import openapi
from api.web.guard import Options, RequestGuard
from api.web.middleware import GZip, HeadAsGet, IndexReadyGate, RequestSizeLimit
from api.web.routers import (
    analyst,
    dumps,
    entities,
    ontology,
    queries,
    reconcile,
    releases,
    site,
    sparql,
    views,
    visual,
)

log = logging.getLogger("bri_kg.api")
STATIC = Path(__file__).parent / "web" / "static"
EXPOSED_HEADERS = [
    "X-Result-Truncated",
    "X-Result-Row-Limit",
    "X-Result-Count",
    "X-Total-Count",
    "ETag",
    "Content-Disposition",
    "X-Build-Version",
]


def make_store(settings: ApiSettings, build: BuildInfo) -> QueryStore:
    """A remote store when one is configured (BRI_KG_STORE / --store), else the current build's embedded one."""
    if settings.remote:
        from api.store.remote.store import RemoteStore
        from kg.config import RemoteEndpoints

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
            limits=pool_limits(settings),
            graph_prefix=settings.base_iri + "graph/",
        )
    if build.store_path is None:
        raise RuntimeError(f"no built store under {settings.current_link}: run `bri-kg build` first")
    from api.store.embedded.store import EmbeddedStore

    return EmbeddedStore(
        build.store_path,
        workers=settings.query_workers,
        timeout_s=settings.query_timeout_s,
        network=settings.allow_service,  # otherwise the workers cannot open a network socket at all
        counts=build.counts,
        limits=pool_limits(settings),
    )


def pool_limits(settings: ApiSettings) -> PoolLimits:
    return PoolLimits(long_queries=settings.long_queries, quick_budget_s=settings.quick_query_budget_s,
                      queue=settings.query_queue, queue_wait_s=settings.queue_wait_s)


async def start_services(settings: ApiSettings, store: QueryStore | None = None,
                         build: BuildInfo | None = None) -> Services:
    build = build or BuildInfo.current(settings)
    store = store or make_store(settings, build)
    await store.start()
    live = LiveIndex(GraphIndex.empty(settings.id_base))
    svc = Services(settings, store, build, live, load_queries(settings.named_queries_dir))
    svc.graphs = await store.graphs()
    svc.triples = await store.triple_count()
    index = open_build_index(svc)
    if index is not None:
        live.switch(index)
    else:
        # No index file for this store (a remote store, an older build): write one in the background
        # so SPARQL, health and dumps answer at once; pages that need it wait for it (IndexReadyGate).
        live.task = asyncio.create_task(build_index(svc, settings.startup_timeout_s))
    log.info("serving %s (%s): %d triples, %d graphs", build.version, store.description, svc.triples, len(svc.graphs))
    return svc


async def stop_services(svc: Services) -> None:
    task = svc.live_index.task
    if task is not None and not task.done():
        task.cancel()
    await svc.store.close()
    release(svc)


def create_app(settings: ApiSettings | None = None, store: QueryStore | None = None) -> FastAPI:
    settings = settings if isinstance(settings, ApiSettings) else api_settings(settings)

    live = Live(settings, lambda s, build: start_services(s, store, build), stop_services, reloadable=store is None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = await live.start()  # the current services, for tests; requests use their pinned ones
        live.on_switch(lambda svc: setattr(app.state, "services", svc))
        try:
            yield
        finally:
            await live.stop()

    app = FastAPI(
        title="BRI-KG API",
        summary="SPARQL endpoint, linked data and analyst endpoints over the BRI science and technology "
        "cooperation knowledge graph",
        version=BuildInfo.current(settings).version or "dev",
        lifespan=lifespan,
        docs_url=None,  # served by api.web.routers.site with vendored assets (no CDN)
        redoc_url=None,
        redirect_slashes=False,  # its redirects are absolute URLs built from the Host header
    )
    app.add_middleware(Options)
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
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(IndexReadyGate, wait_s=settings.startup_timeout_s)
    app.add_middleware(RequestGuard, max_url_bytes=settings.max_url_bytes, body_timeout_s=settings.body_timeout_s)
    app.add_middleware(PinServices, live=live)
    app.state.live = live
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (sparql.router, entities.router, analyst.router, queries.router, dumps.router, site.router,
                   views.router, visual.router, reconcile.router, releases.router, ontology.router):
        app.include_router(router)
    add_error_handlers(app)
    openapi.install(app)
    return app
