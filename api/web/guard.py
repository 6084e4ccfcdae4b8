"""Requests that are hostile or broken get a clear 4xx before any route runs, and never a traceback.

- **Over-long URLs** (path + query string over ``max_url_bytes``): 414, saying to POST a long query.
- **Slow bodies**: a request body must arrive within ``body_timeout_s``; a client that trickles it
  (or sends half and waits) gets 408 and the connection is closed. One log line, no traceback.
- **Clients that leave mid-request**: the request is dropped quietly (one debug line).
- **OPTIONS** on any path: the methods the resource allows (CORS preflights are answered by the
  CORS middleware outside this one); an unknown path is a 404, so no catch-all route is needed
  (one made every unknown path answer 405).
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.requests import ClientDisconnect
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("bri_kg.api")
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")


class BodyTimeout(Exception):
    pass


def url_too_long_message(length: int, limit: int) -> str:
    return (f"The URL is {length:,} bytes long, over this server's limit of {limit:,} bytes: "
            "send a long SPARQL query with POST instead.")


def error_body(path: str, message: str) -> tuple[bytes, bytes]:
    """Body and media type of an error: JSON under /api/ (as ``api.errors``), plain text elsewhere."""
    if path.startswith("/api/"):
        return json.dumps({"detail": message}).encode(), b"application/json"
    return (message + "\n").encode(), b"text/plain; charset=utf-8"


async def send_error(scope: Scope, send: Send, status: int, message: str, close: bool = False,
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """A small error answer, before or instead of the application."""
    body, media = error_body(scope.get("path", ""), message)
    headers = [(b"content-type", media), (b"content-length", str(len(body)).encode()), *(headers or [])]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    def __init__(self, app: ASGIApp, max_url_bytes: int, body_timeout_s: float) -> None:
        self.app = app
        self.max_url_bytes = max_url_bytes
        self.body_timeout_s = body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if target > self.max_url_bytes:
            await send_error(scope, send, 414, url_too_long_message(target, self.max_url_bytes), close=True)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout_s
        started = False

        async def timed_receive() -> Message:
            try:
                async with asyncio.timeout_at(deadline):
                    return await receive()
            except TimeoutError:
                raise BodyTimeout from None

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except BodyTimeout:
            client = scope.get("client") or ("?", 0)
            log.warning("%s %s from %s: the request body did not arrive within %g s; connection closed",
                        scope["method"], scope["path"], client[0], self.body_timeout_s)
            if not started:
                await send_error(scope, send, 408, f"The request body did not arrive within {self.body_timeout_s:g} s.",
                                 close=True)
        except ClientDisconnect:
            log.debug("%s %s: the client left before sending its whole request", scope["method"], scope["path"])


class Options:
    """OPTIONS without CORS preflight headers: say which methods the resource allows, or 404."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        routes = scope["app"].router.routes
        allowed = {m for m in METHODS
                   if any(r.matches({**scope, "method": m})[0] == Match.FULL for r in routes)}
        if not allowed:
            await send_error(scope, send, 404, "Not found")
            return
        if "GET" in allowed:
            allowed.add("HEAD")  # HeadAsGet answers HEAD for every GET resource
        allow = ", ".join(sorted(allowed | {"OPTIONS"})).encode()
        await send({"type": "http.response.start", "status": 204, "headers": [(b"allow", allow)]})
        await send({"type": "http.response.body", "body": b""})
