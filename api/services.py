"""What the routers share, in one object: settings, the store, the entity index, the named-query
catalog and the build being served. Routers receive its parts through ``api.deps``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from api.config import ApiSettings
from api.index.graph import GraphIndex
from api.store.contract import QueryStore
from kg.build.lease import Lease
from kg.layout import BuildLayout

if TYPE_CHECKING:
    from api.catalog import NamedQuery

T = TypeVar("T")


@dataclass
class BuildInfo:
    """The build directory the server answers from (resolved once: a rebuild never swaps it mid-flight)."""

    directory: Path | None
    version: str
    store_path: Path | None
    dist_dir: Path
    counts: dict[str, int] = field(default_factory=dict)  # triples/quads the build recorded (kg.layout)

    @classmethod
    def current(cls, settings: ApiSettings) -> BuildInfo:
        link = settings.current_link
        if not link.exists():
            return cls(None, "", None, settings.dist_dir)
        build = BuildLayout(link.resolve())
        store_path = build.store if build.store.is_dir() else None
        dist_dir = build.dist if build.dist.is_dir() else settings.dist_dir
        return cls(build.root, build.version(), store_path, dist_dir, build.counts())

    @property
    def layout(self) -> BuildLayout | None:
        return BuildLayout(self.directory) if self.directory else None


@dataclass
class LiveIndex:
    """The entity index the server answers from: the build's file at once, or an empty index until
    this process has written its own (``api.index.source``); ``switch`` swaps it in one step."""

    current: GraphIndex
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    error: str | None = None  # why the last attempt to write it failed, while it retries
    task: asyncio.Task[None] | None = None
    owned_file: Path | None = None  # an index file this process wrote (deleted at shutdown)

    def switch(self, index: GraphIndex) -> None:
        old, self.current, self.error = self.current, index, None
        self.ready.set()
        if old is not index:
            old.close()


class ViewCache:
    """Whole-corpus views (every statistic, the timeline), computed on first use and kept.

    A build's store never changes (a new build gets new ``Services``, and a new cache), so a
    listing that costs a second at 10^6 triples is paid once, not on every page of it. A lock
    makes concurrent first requests wait for one computation; a failure is not cached."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str, compute: Callable[[], Awaitable[T]]) -> T:
        if key not in self._values:
            async with self._locks.setdefault(key, asyncio.Lock()):
                if key not in self._values:
                    self._values[key] = await compute()
        value: T = self._values[key]
        return value


@dataclass(eq=False)  # compared and hashed by identity: one object per opened build
class Services:
    settings: ApiSettings
    store: QueryStore
    build: BuildInfo
    live_index: LiveIndex
    queries: dict[str, NamedQuery] = field(default_factory=dict)  # the named-query catalog
    graphs: list[str] = field(default_factory=list)  # named graphs in the store, for the service description
    triples: int = 0
    views: ViewCache = field(default_factory=ViewCache)
    # Life cycle (api.live): requests using these services now, set when the last one of a retired
    # build has finished, and the lease on the build directory.
    users: int = 0
    drained: asyncio.Event = field(default_factory=asyncio.Event)
    lease: Lease | None = None

    @property
    def index(self) -> GraphIndex:
        return self.live_index.current
