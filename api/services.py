"""What the routers share: settings, the store, the startup indexes, the build being served.

One object on ``app.state.services``; routers fetch it with ``services(request)``. Tests and the
next store implementation swap parts of it without touching the routers.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from api.config import ApiSettings
from api.index import GraphIndex
from api.store import QueryStore
from kg.store import COUNTS_FILE

T = TypeVar("T")


@dataclass
class BuildInfo:
    """The build directory the server answers from (resolved once: a rebuild never swaps it mid-flight)."""

    directory: Path | None
    version: str
    store_path: Path | None
    dist_dir: Path
    counts: dict[str, int] = field(default_factory=dict)  # triples/quads the build recorded (kg.store)

    @classmethod
    def current(cls, settings: ApiSettings) -> BuildInfo:
        link = settings.current_link
        build_dir = link.resolve() if link.exists() else None
        version_file = build_dir / "VERSION" if build_dir else None
        version = version_file.read_text(encoding="utf-8").strip() if version_file and version_file.is_file() else ""
        store_path = build_dir / "store" if build_dir and (build_dir / "store").is_dir() else None
        dist_dir = build_dir / "dist" if build_dir and (build_dir / "dist").is_dir() else settings.dist_dir
        counts_file = build_dir / COUNTS_FILE if build_dir else None
        counts = json.loads(counts_file.read_text(encoding="utf-8")) if counts_file and counts_file.is_file() else {}
        return cls(build_dir, version, store_path, dist_dir, counts)


@dataclass
class Services:
    settings: ApiSettings
    store: QueryStore
    build: BuildInfo
    index: GraphIndex
    graphs: list[str] = field(default_factory=list)  # named graphs in the store, for the service description
    triples: int = 0
    index_ready: asyncio.Event = field(default_factory=asyncio.Event)  # set once the index has loaded
    index_task: asyncio.Task | None = None
    index_error: str | None = None  # why the last attempt to load the index failed, while it retries
    index_file_owned: Path | None = None  # an index this process wrote for itself (deleted at shutdown)
    views: dict[str, Any] = field(default_factory=dict)  # whole-corpus views computed once (see ``view``)
    view_locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def view(self, key: str, compute: Callable[[], Awaitable[T]]) -> T:
        """A whole-corpus view (every statistic, the timeline), computed on first use and kept.

        The store does not change while the server runs (a new build means a new process), so a
        listing that costs a second at 10^6 triples is paid once, not on every page of it. A lock
        makes concurrent first requests wait for one computation; a failure is not cached."""
        if key not in self.views:
            lock = self.view_locks.setdefault(key, asyncio.Lock())
            async with lock:
                if key not in self.views:
                    self.views[key] = await compute()
        return self.views[key]


def services(request: Request) -> Services:
    return request.app.state.services
