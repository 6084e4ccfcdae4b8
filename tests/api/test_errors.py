"""Errors are mapped once: every route answers a store failure with the failure's own status and
message, JSON under /api/ and plain text elsewhere. In-process, with the services dependency
overridden by a store that fails on purpose: no server or store is needed to show the mapping."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.catalog import load_queries
from api.config import ApiSettings
from api.deps import get_services
from api.index.graph import GraphIndex
from api.services import BuildInfo, LiveIndex, Services
from api.store.contract import QueryRequest, QueryResult, SelectResult, StoreHealth
from api.store.errors import BadQuery, QueryFailed, QueryTimeout, StoreError, StoreUnavailable, WorkerFailure
from api.store.terms import Term
from tests.api.conftest import QUERIES

ID = "https://w3id.org/bri-kg/id/"


class FailingStore:
    """A QueryStore whose every query raises *error* (the protocol, nothing else)."""

    kind = "embedded"
    description = "a store that fails on purpose"
    local_path: Path | None = None

    def __init__(self, error: StoreError) -> None:
        self.error = error

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def query(self, request: QueryRequest) -> QueryResult:
        raise self.error

    async def select(self, sparql: str, bindings: Mapping[str, Term] | None = None, *, kind: str = "page",
                     max_rows: int | None = None, timeout_s: float | None = None) -> SelectResult:
        raise self.error

    async def graphs(self) -> list[str]:
        return []

    async def triple_count(self) -> int:
        return 1

    async def quad_count(self) -> int:
        raise self.error

    async def health(self, timeout_s: float) -> StoreHealth:
        return StoreHealth(False)


def client_for(tmp_path: Path, error: StoreError) -> TestClient:
    settings = ApiSettings(root=tmp_path, var_dir=tmp_path / "var", dist_dir=tmp_path / "dist", queries_dir=QUERIES)
    services = Services(settings, FailingStore(error), BuildInfo.current(settings),
                        LiveIndex(GraphIndex.empty(settings.id_base)), load_queries(QUERIES))
    app = create_app(settings)
    app.dependency_overrides[get_services] = lambda: services
    return TestClient(app)  # not entered, so no lifespan: the overridden services are all the app uses


ERRORS = [
    (BadQuery("parse error at 1:7"), 400, "Malformed query: parse error at 1:7"),
    (QueryFailed("type error"), 500, "Query failed: type error"),
    (QueryTimeout("the query ran longer than 2 s and was stopped"), 503, "Query timeout: the query ran longer"),
    (WorkerFailure("the query worker died (EOFError)"), 503, "The query service failed: the query worker died"),
    (StoreUnavailable("the remote store at http://x/ is unreachable"), 502, "The store is unavailable: the remote"),
]
TEXT_ROUTES = ["/sparql?query=SELECT%20*%20%7B%7D", "/id/place/chengdu"]
JSON_ROUTES = ["/api/queries/entities-named/run?text=x", "/api/timeline", "/api/statistics"]


@pytest.fixture(params=ERRORS, ids=lambda e: type(e[0]).__name__)
def failing(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, int, str]]:
    error, status, message = request.param
    yield client_for(tmp_path, error), status, message


def test_text_routes_answer_with_the_errors_status_and_message(failing: tuple[TestClient, int, str]) -> None:
    client, status, message = failing
    for route in TEXT_ROUTES:
        response = client.get(route, headers={"Accept": "text/turtle, application/sparql-results+json"})
        assert response.status_code == status, (route, response.text)
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text.startswith(message), (route, response.text)


def test_api_routes_answer_json_with_the_errors_status_and_message(failing: tuple[TestClient, int, str]) -> None:
    client, status, message = failing
    for route in JSON_ROUTES:
        response = client.get(route)
        assert response.status_code == status, (route, response.text)
        assert response.json()["detail"].startswith(message), (route, response.text)


def test_overload_answers_say_when_to_retry(tmp_path: Path) -> None:
    response = client_for(tmp_path, QueryTimeout("busy")).get("/api/timeline")
    assert response.status_code == 503 and response.headers["retry-after"] == "5"


def test_health_reports_an_unreachable_store_without_failing(tmp_path: Path) -> None:
    response = client_for(tmp_path, StoreUnavailable("down")).get("/healthz")
    assert response.status_code == 503 and response.json()["store_reachable"] is False
