"""API settings: the project's Settings plus the few knobs only the server needs."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from kg.config import Settings


class ApiSettings(Settings):
    """Read from the same ``BRI_KG_*`` environment as the build, so one env configures both."""

    queries_dir: Path | None = Field(default=None, description="Named queries (*.rq); default <root>/queries")
    query_workers: int = Field(default=2, ge=1, le=64, description="Worker processes answering SPARQL queries")
    store_connections: int = Field(
        default=8, ge=1, le=256, description="Queries sent to a remote store at once (one thread each)"
    )
    startup_timeout_s: float = Field(default=120.0, gt=0, description="Budget for the startup index queries")

    @property
    def named_queries_dir(self) -> Path:
        return self.queries_dir if self.queries_dir is not None else self.root / "queries"


def api_settings(base: Settings | None = None, **overrides: object) -> ApiSettings:
    """ApiSettings from the environment, or lifted from an existing Settings object, plus overrides."""
    settings = ApiSettings() if base is None else ApiSettings(**base.model_dump())
    return settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
