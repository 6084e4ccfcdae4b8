"""Live reload: the server moves to a new build without a failed request.

``Live`` holds the ``Services`` new requests get, and switches them. A reload (``var/current``
names another build, found by polling every ``BRI_KG_RELOAD_POLL_S``; SIGHUP; ``bri-kg reload``,
which sends SIGHUP to every server registered under ``var/run``) opens the new build completely
(store workers started, index open, counts read) beside the old one, then makes it current in one
assignment. Each request is pinned to the services it started with (``PinServices``), so its store,
index, dumps, VoID and version all come from one build, and every answer names that build in
``X-Build-Version``. The old services close when their last request has finished (their worker
pool drains, then stops). A build that fails to open is logged and the old one keeps serving.

The server holds a lease (``kg.build.lease``) on every build it still answers from, so
``bri-kg build`` never prunes one from under it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.config import ApiSettings
from api.services import BuildInfo, Services
from kg.build.lease import Lease, Registration

log = logging.getLogger("bri_kg.api")
Starter = Callable[[ApiSettings, BuildInfo], Awaitable[Services]]
Stopper = Callable[[Services], Awaitable[None]]


class Live:
    """The services new requests get; ``reload`` switches them to the current build."""

    def __init__(self, settings: ApiSettings, start: Starter, stop: Stopper, reloadable: bool = True):
        self.settings = settings
        self._start, self._stop = start, stop
        self.reloadable = reloadable  # False when a test handed in a store of its own
        self.current: Services | None = None
        self.reloads = 0
        self._lock = asyncio.Lock()
        self._draining: set[Services] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._failed_target: Path | None = None
        self._registration: Registration | None = None
        self._on_switch: list[Callable[[Services], None]] = []

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> Services:
        self.current = await self._open(BuildInfo.current(self.settings))
        if self.reloadable:
            if self.settings.reload_poll_s > 0:
                self._spawn(self._watch())
            self._listen_for_sighup()
        return self.current

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        if self._registration is not None:
            self._registration.release()
        for svc in [*self._draining, *([self.current] if self.current else [])]:
            await self._close(svc)
        self._draining.clear()

    def on_switch(self, callback: Callable[[Services], None]) -> None:
        self._on_switch.append(callback)

    # --- requests ------------------------------------------------------------------------------

    def acquire(self) -> Services:
        svc = self.current
        assert svc is not None, "the services are not started"
        svc.users += 1
        return svc

    def release(self, svc: Services) -> None:
        svc.users -= 1
        if svc.users == 0 and svc in self._draining:
            svc.drained.set()

    # --- reloading -----------------------------------------------------------------------------

    def target(self) -> Path | None:
        link = self.settings.current_link
        return Path(os.path.realpath(link)) if link.is_symlink() else None

    async def reload(self, reason: str) -> bool:
        """Switch to the build ``var/current`` names, if it is not the one served; True if switched."""
        async with self._lock:
            current = self.current
            assert current is not None
            build = BuildInfo.current(self.settings)
            if build.directory == current.build.directory:
                return False
            started = time.perf_counter()
            log.info("reloading (%s): opening build %s", reason, build.version or build.directory)
            new: Services | None = None
            try:
                new = await self._open(build)
                if new.live_index.task is not None:  # an index written in the background: wait for it
                    async with asyncio.timeout(self.settings.startup_timeout_s):
                        await new.live_index.ready.wait()
            except Exception as exc:  # noqa: BLE001 - whatever went wrong, the served build stays
                self._failed_target = build.directory
                log.error("reload failed, still serving %s: %s: %s", current.build.version, type(exc).__name__, exc)
                if new is not None:
                    await self._close(new)
                return False
            self.current = new  # from here on, new requests get the new build
            self._failed_target = None
            self.reloads += 1
            for callback in self._on_switch:
                callback(new)
            self._retire(current)
            log.info("serving %s (%d triples) in %.1f s; the previous build closes when its %d requests finish",
                     new.build.version, new.triples, time.perf_counter() - started, current.users)
            return True

    async def _open(self, build: BuildInfo) -> Services:
        lease = None
        if build.directory is not None:
            try:
                lease = Lease(build.directory)
            except OSError as exc:  # a read-only build volume (replicas): nothing there prunes it either
                log.warning("no lease on %s (%s): serving it without one", build.directory, exc)
        try:
            svc = await self._start(self.settings, build)
        except BaseException:
            if lease is not None:
                lease.release()
            raise
        svc.lease = lease
        return svc

    async def _close(self, svc: Services) -> None:
        try:
            await self._stop(svc)
        finally:
            if svc.lease is not None:
                svc.lease.release()

    def _retire(self, svc: Services) -> None:
        self._draining.add(svc)
        if svc.users == 0:
            svc.drained.set()
        self._spawn(self._drain(svc))

    async def _drain(self, svc: Services) -> None:
        """Close *svc* once its last request is done (or after a grace far above any request's life)."""
        grace = 2 * self.settings.query_timeout_s + self.settings.queue_wait_s + self.settings.body_timeout_s + 60
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace):
                await svc.drained.wait()
        self._draining.discard(svc)
        await self._close(svc)
        log.info("closed the previous build %s", svc.build.version)

    async def _watch(self) -> None:
        """Poll ``var/current``: a reload when it names a build other than the served one."""
        while True:
            await asyncio.sleep(self.settings.reload_poll_s)
            target = self.target()
            current = self.current
            if target is None or current is None or target in (current.build.directory, self._failed_target):
                continue
            await self.reload("var/current changed")

    def _listen_for_sighup(self) -> None:
        """SIGHUP reloads (``bri-kg reload`` sends it); only the main thread can take signals, so a server
        run otherwise (a test client) is neither signalled nor registered."""
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, lambda: self._spawn(self.reload("SIGHUP")))
        except (ValueError, RuntimeError, NotImplementedError):
            return
        try:
            registration = Registration(self.settings.var_dir, self.settings.public_base,
                                        self.current.build.directory if self.current else None)
        except OSError as exc:
            log.warning("not registered for `bri-kg reload` (%s); SIGHUP still reloads", exc)
            return
        self._registration = registration
        self.on_switch(lambda svc: registration.serving(svc.build.directory))

    def _spawn(self, coroutine: Awaitable[object]) -> None:
        async def run() -> None:
            await coroutine

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class PinServices:
    """Pin each request to the services current when it arrived, for its whole life (``request.state.services``),
    and name their build in ``X-Build-Version``."""

    def __init__(self, app: ASGIApp, live: Live) -> None:
        self.app = app
        self.live = live

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.live.current is None:
            await self.app(scope, receive, send)
            return
        svc = self.live.acquire()
        version = svc.build.version.encode("latin-1", errors="replace")

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start" and version:
                message = {**message, "headers": [*message.get("headers", []), (b"x-build-version", version)]}
            await send(message)

        try:
            await self.app({**scope, "state": {**scope.get("state", {}), "services": svc}}, receive,
                           send_with_version)
        finally:
            self.live.release(svc)
