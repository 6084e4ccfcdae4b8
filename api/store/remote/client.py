"""The one place that talks HTTP to a remote SPARQL server, through SPARQLWrapper, and maps its failures.

SPARQLWrapper composes the Protocol request (POST form, dataset parameters, credentials, headers)
and sends it. Two things are contained here so they cannot leak into the rest of the API:

- its HTTP error mapping reads the server's body into an exception *message*; we need the body
  itself (a server's 400 carries its parser message, which the client should get), so one method,
  ``_query``, is overridden to raise ``ServerAnswered`` with the status and the bytes instead;
- it guesses the query form with a regex and warns when it cannot; we set the form our own lexer
  found, so there is nothing to guess and nothing to silence.

Every failure leaves as an ``api.store.errors`` type: the server's 400 is ``BadQuery``; a server
that is unreachable, refuses our credentials or answers 404/5xx from a proxy is
``StoreUnavailable`` (with the URL); anything slower than the deadline is ``QueryTimeout``.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from typing import Any

from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

from api.store.errors import BadQuery, QueryFailed, QueryTimeout, StoreError, StoreUnavailable

# Words in a server's error message that say it stopped the query at its own time limit.
CANCELLED = ("cancel", "timeout", "timed out", "time limit")


@dataclass(frozen=True)
class Dataset:
    """What to send as ``default-graph-uri`` / ``named-graph-uri`` (None: let the query decide)."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None


class ServerAnswered(Exception):
    """The server answered with an HTTP error status; ``body`` is what it said."""

    def __init__(self, status: int, body: bytes):
        self.status = status
        self.body = body.decode("utf-8", errors="replace").strip()
        super().__init__(f"HTTP {status}: {self.body[:300]}")


class _Wrapper(SPARQLWrapper):
    def _query(self) -> tuple[HTTPResponse, str]:
        """As SPARQLWrapper's, but an HTTP error keeps its status and body (see the module docstring)."""
        request = self._createRequest()
        try:
            return urllib.request.urlopen(request, timeout=self.timeout), self.returnFormat
        except urllib.error.HTTPError as exc:
            raise ServerAnswered(exc.code, exc.read()) from None


def _stopped_by_server(message: str) -> bool:
    return any(word in message.lower() for word in CANCELLED)


def _is_timeout(reason: object) -> bool:
    return isinstance(reason, TimeoutError) or "timed out" in str(reason)


@dataclass(frozen=True)
class RemoteClient:
    """How to reach one server: its query URL and credentials."""

    query_url: str
    credentials: tuple[str, str] | None = None
    bearer_token: str = ""

    def _wrapper(self, text: str, form: str | None, dataset: Dataset, accept: str, deadline: float) -> _Wrapper:
        sparql = _Wrapper(self.query_url)
        sparql.setMethod(POST)
        sparql.setRequestMethod(URLENCODED)
        sparql.setOnlyConneg(True)  # no format=/output= parameters: the Accept header says it
        sparql.queryString, sparql.queryType = text, form or "SELECT"  # our lexer's reading, not its regex
        sparql.addCustomHttpHeader("Accept", accept)
        for graph in dataset.default or ():
            sparql.addParameter("default-graph-uri", graph)
        for graph in dataset.named or ():
            sparql.addParameter("named-graph-uri", graph)
        if self.credentials:
            sparql.setCredentials(*self.credentials)
        if self.bearer_token:
            sparql.addCustomHttpHeader("Authorization", f"Bearer {self.bearer_token}")
        # Set directly: setTimeout() truncates to whole seconds (and 0 would mean none). A second past the
        # deadline: the caller's own timer answers first, with one message; this only frees the thread.
        sparql.timeout = max(0.05, deadline - time.monotonic()) + 1.0  # type: ignore[assignment]
        return sparql

    @contextmanager
    def send(self, text: str, form: str | None, dataset: Dataset, accept: str, deadline: float) -> Iterator[Any]:
        """POST the query; yield the open HTTP response (closed after); raise store errors only."""
        response = None
        try:
            response = self._wrapper(text, form, dataset, accept, deadline).query().response
            if response.status == 206 or response.headers.get("X-SQL-State"):
                raise QueryTimeout(
                    "the remote store returned a partial answer at its own time or row limit "
                    f"({response.headers.get('X-SQL-Message') or 'HTTP 206'}); raise its limits above the API's"
                )
            yield response
        except StoreError:
            raise
        except ServerAnswered as exc:
            raise self._from_status(exc) from None
        except Exception as exc:  # network and read errors of every kind
            raise self._from_network(exc) from None
        finally:
            if response is not None:
                response.close()

    def _from_status(self, exc: ServerAnswered) -> StoreError:
        if exc.status == 400:
            return BadQuery(exc.body)
        if exc.status == 401:
            return StoreUnavailable(
                f"{self.query_url} refused our credentials (401): set BRI_KG_STORE_USER / BRI_KG_STORE_PASSWORD"
            )
        if exc.status == 404:
            return StoreUnavailable(f"{self.query_url} answered 404 Not Found: is it the store's query URL?")
        if exc.status == 504 or (exc.status == 500 and _stopped_by_server(exc.body)):
            return QueryTimeout(f"the remote store stopped the query at its own time limit: {exc.body[:300]}")
        if exc.status in (414, 500):
            return QueryFailed(exc.body)
        return StoreUnavailable(f"{self.query_url} answered HTTP {exc.status}: {exc.body[:300]}")

    def _from_network(self, exc: Exception) -> StoreError:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if _is_timeout(reason):
            return QueryTimeout("the remote store did not answer within the query's time limit")
        if isinstance(exc, urllib.error.URLError):
            return StoreUnavailable(f"the remote store at {self.query_url} is unreachable: {exc.reason}")
        if isinstance(exc, ConnectionError | HTTPException):
            return StoreUnavailable(
                f"the connection to the remote store at {self.query_url} failed: {type(exc).__name__}: {exc}"
            )
        if isinstance(exc, OSError):
            return StoreUnavailable(f"reading from the remote store at {self.query_url} failed: {exc}")
        return QueryFailed(f"the remote store at {self.query_url} failed: {type(exc).__name__}: {exc}")
