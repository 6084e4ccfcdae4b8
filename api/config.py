"""API settings: the project's Settings plus the few knobs only the server needs."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from kg.config import Settings


class ApiSettings(Settings):
    """Read from the same ``BRI_KG_*`` environment as the build, so one env configures both."""

    queries_dir: Path | None = Field(default=None, description="Named queries (*.rq); default <root>/queries")
    query_workers: int = Field(default=2, ge=1, le=64, description="Worker processes answering SPARQL queries")
    long_queries: int = Field(
        default=2, ge=1, le=64,
        description="Queries past the quick budget that may run at once, on processes of their own (the quick "
        "lane keeps query_workers); one more past the budget is stopped with 503",
    )
    quick_query_budget_s: float = Field(
        default=0.5, gt=0, description="A query running longer than this moves to the long-query lane"
    )
    query_queue: int = Field(
        default=16, ge=0, le=10_000,
        description="Requests of one kind (client queries, pages) that may wait for a worker; more get 503 at once",
    )
    queue_wait_s: float = Field(default=5.0, gt=0, description="Longest wait in that queue before a 503")
    max_query_bytes: int = Field(
        default=256_000, gt=0, description="Longest SPARQL query text accepted (checked before parsing)"
    )
    max_query_depth: int = Field(
        default=100, ge=8, description="Deepest nesting of { ( [ in a query (checked before parsing)"
    )
    max_query_operators: int = Field(
        default=1_000, ge=100,
        description="Most keywords, operators and punctuation marks in a query, VALUES data not counted (checked "
        "before parsing: long chains of them overflowed the engine's stack)",
    )
    max_url_bytes: int = Field(default=65_536, ge=1024, description="Longest request target (path + query): 414")
    body_timeout_s: float = Field(
        default=15.0, gt=0, description="A request body must arrive within this time (else 408, connection closed)"
    )
    public_url: str = Field(
        default="",
        description="Where clients reach this service (scheme://host[:port]/), for absolute URLs in answers "
        "(the service description); default http://HOST:PORT/ of `serve`. The Host header is never used",
    )
    reload_poll_s: float = Field(
        default=1.0, ge=0, description="How often to look whether var/current names a new build (0: never)"
    )
    store_connections: int = Field(
        default=8, ge=1, le=256, description="Queries sent to a remote store at once (one thread each)"
    )
    startup_timeout_s: float = Field(default=120.0, gt=0, description="Budget for the startup index queries")

    @property
    def public_base(self) -> str:
        """The configured public URL, ending in /; never read from a request."""
        base = self.public_url or f"http://{self.host}:{self.port}/"
        return base if base.endswith("/") else base + "/"

    @property
    def named_queries_dir(self) -> Path:
        return self.queries_dir if self.queries_dir is not None else self.root / "queries"


def api_settings(base: Settings | None = None, **overrides: object) -> ApiSettings:
    """ApiSettings from the environment, or lifted from an existing Settings object, plus overrides."""
    settings = ApiSettings() if base is None else ApiSettings(**base.model_dump())
    return settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
