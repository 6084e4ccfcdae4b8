"""ASGI middleware: a request-size cap enforced before and while the body is read.

A declared ``Content-Length`` over the cap is refused at once (413) without reading anything; a
chunked body is counted as it arrives and refused the moment it passes the cap.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.guard import send_error


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip, q-values included (``gzip;q=0`` says no)."""
    for item in (header or "").split(","):
        name, *params = [p.strip() for p in item.split(";")]
        if name.lower() in ("gzip", "x-gzip", "*"):
            q = next((p.split("=", 1)[1] for p in params if p.lower().startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return True
    return False


class GZip(GZipMiddleware):
    """Starlette's gzip, but reading q-values: it would compress for ``Accept-Encoding: gzip;q=0``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not accepts_gzip(Headers(scope=scope).get("accept-encoding")):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class RequestTooLarge(Exception):
    pass


class RequestSizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = f"Request body larger than the {self.max_bytes} byte limit.\n".encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except RequestTooLarge:
            if not started:
                await self._refuse(send)


class HeadAsGet:
    """Answer HEAD on every GET resource: run the GET, send its status and headers, drop the body.

    FastAPI routes declared with ``@get`` do not accept HEAD by themselves; HTTP says every GET
    resource should."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class IndexReadyGate:
    """Hold requests that need the label/graph index until it has loaded (503 + Retry-After after *wait_s*).

    The index loads in the background at startup, so the SPARQL endpoint, health, dumps and metadata
    answer at once while search, entity pages and analyst views wait for it instead of failing.
    """

    NEEDS_NO_INDEX = ("/sparql", "/healthz", "/dumps", "/.well-known", "/ontology", "/shapes", "/static",
                      "/yasgui", "/openapi.json", "/docs", "/redoc", "/api/queries")

    def __init__(self, app: ASGIApp, wait_s: float) -> None:
        self.app = app
        self.wait_s = wait_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.NEEDS_NO_INDEX):
            svc = scope.get("state", {}).get("services")  # pinned by api.live
            # While the store fails, let requests through: the route reports the store's error (502).
            live = svc.live_index if svc is not None else None
            if live is not None and not live.ready.is_set() and live.error is None:
                try:
                    await asyncio.wait_for(live.ready.wait(), self.wait_s)
                except TimeoutError:
                    await send_error(scope, send, 503, "The entity index is still loading; retry shortly.",
                                     headers=[(b"retry-after", b"5")])
                    return
        await self.app(scope, receive, send)
