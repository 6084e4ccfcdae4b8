"""One settings object for the whole project, read from the environment (``BRI_KG_*``) and CLI flags."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CANONICAL_BASE = "https://w3id.org/bri-kg/"


class Settings(BaseSettings):
    """Where things live, which store to use, and the limits every query runs under."""

    model_config = SettingsConfigDict(env_prefix="BRI_KG_", extra="ignore")

    root: Path = Field(default=PROJECT_ROOT, description="Project root holding ontology/, shapes/, data/")
    var_dir: Path = Field(default=PROJECT_ROOT / "var", description="Builds and the current store live here")
    dist_dir: Path = Field(default=PROJECT_ROOT / "dist", description="Dumps of the current build")
    store: str = Field(default="", description="Empty for the embedded store, or the URL of a SPARQL 1.1 server")
    store_query_url: str = Field(
        default="", description="The server's SPARQL query endpoint, if not STORE/query (Oxigraph's layout)"
    )
    store_graph_store_url: str = Field(
        default="", description="The server's Graph Store Protocol endpoint, if not STORE/store (Oxigraph's layout)"
    )
    store_default_graph: str = Field(
        default="",
        description="IRI of a named graph holding the union of all graphs, sent as every query's default graph: "
        "for servers whose own default graph is already the union of all graphs (GraphDB, Virtuoso, Neptune, "
        "QLever); `bri-kg load` then writes the union there instead of into the default graph",
    )
    store_user: str = Field(default="", description="User name for a remote store that wants authentication")
    store_password: SecretStr = Field(
        default=SecretStr(""), description="Password for store_user (the token itself with store_auth=bearer)"
    )
    store_auth: Literal["basic", "digest", "bearer"] = Field(
        default="basic",
        description="HTTP authentication for the store: basic or digest with store_user (Virtuoso's GSP wants "
        "digest), or bearer with store_password as the token (QLever's access token)",
    )
    base_iri: str = Field(default=CANONICAL_BASE, description="Base IRI the server answers for")
    query_timeout_s: float = Field(default=10.0, gt=0)
    max_result_rows: int = Field(default=10_000, gt=0)
    max_request_bytes: int = Field(default=1_000_000, gt=0)
    allow_service: bool = Field(default=False, description="Allow SPARQL SERVICE (federation)")
    max_file_bytes: int = Field(default=512 << 20, gt=0, description="Largest RDF file `bri-kg validate` reads")
    max_parse_s: float = Field(default=300.0, gt=0, description="Longest `bri-kg validate` spends parsing a file")
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def remote(self) -> bool:
        """True if queries go to a SPARQL 1.1 server rather than the embedded store."""
        return bool(self.store or self.store_query_url)

    @property
    def id_base(self) -> str:
        """Entity IRIs live under this prefix; ``/id/...`` on this server answers for them."""
        return self.base_iri + "id/"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def builds_dir(self) -> Path:
        return self.var_dir / "builds"

    @property
    def current_link(self) -> Path:
        """Symlink to the build the server and the dumps come from; swapped atomically."""
        return self.var_dir / "current"


@dataclass(frozen=True)
class RemoteEndpoints:
    """The URLs of one SPARQL 1.1 server."""

    query_url: str
    graph_store_url: str

    @classmethod
    def for_base(cls, base: str, query_path: str = "/query", store_path: str = "/store") -> RemoteEndpoints:
        """Oxigraph server layout by default: ``{base}/query`` and ``{base}/store``."""
        base = base.rstrip("/")
        return cls(base + query_path, base + store_path)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        base: str | None = None,
        query_url: str | None = None,
        graph_store_url: str | None = None,
    ) -> RemoteEndpoints:
        """Explicit URLs (arguments, then settings) win over the Oxigraph layout under the base URL."""
        base = base or settings.store
        query = query_url or settings.store_query_url
        graph_store = graph_store_url or settings.store_graph_store_url
        if base:
            layout = cls.for_base(base)
            return cls(query or layout.query_url, graph_store or layout.graph_store_url)
        if not query and not graph_store:
            raise ValueError("no remote store configured: give its URL (BRI_KG_STORE or --store / --endpoint)")
        return cls(query, graph_store)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
