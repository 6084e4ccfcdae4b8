"""What can go wrong in a store, each error knowing the HTTP status a client should see.

Routers never catch these: one set of exception handlers on the app (``api.errors``) turns them
into responses, so a timeout is the same 503 whether the endpoint, an entity page or a named
query hit it, and whether the embedded or the remote store raised it.
"""

from __future__ import annotations

from typing import ClassVar


class StoreError(Exception):
    """Base of every store failure; ``status`` is the HTTP status, ``prefix`` starts the message."""

    status: ClassVar[int] = 500
    prefix: ClassVar[str] = "Query failed: "


class BadQuery(StoreError):
    """The query does not parse (the engine's or the remote server's parser message)."""

    status = 400
    prefix = "Malformed query: "


class BindingError(BadQuery):
    """A value or a query shape that cannot be bound safely; the message says which and why."""

    prefix = "Cannot bind the parameters: "


class QueryFailed(StoreError):
    """The store could not evaluate the query (or a parameter could not be bound into it)."""


class QueryTimeout(StoreError):
    """The query overran its time limit and was stopped."""

    status = 503
    prefix = "Query timeout: "


class WorkerFailure(StoreError):
    """A query worker died or could not start: the service, not the query, failed."""

    status = 503
    prefix = "The query service failed: "


class Overloaded(StoreError):
    """Too much work is waiting already: refused at once, with how long to wait before retrying."""

    status = 503
    prefix = "The server is busy: "

    def __init__(self, message: str, retry_after_s: int = 2):
        self.retry_after_s = retry_after_s
        super().__init__(message)


class StoreUnavailable(StoreError):
    """A remote store cannot be reached or refuses to serve us (down, wrong URL, bad credentials)."""

    status = 502
    prefix = "The store is unavailable: "
