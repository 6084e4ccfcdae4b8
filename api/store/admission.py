"""Admission control: a fixed number of slots for store work, and a bounded queue per kind of work.

Why: under a crowd, an unbounded queue turns every request into a long wait and then a timeout
(the issue measured 503s after 10 s of waiting, for /healthz and entity pages too). Here a request
that finds its kind's queue full is refused at once (``Overloaded``: 503 with Retry-After), a
queued one gives up after ``wait_s``, and a freed slot goes to the kinds in turn, so a flood of
SPARQL queries cannot starve entity pages or the other way round. Time spent queued is not
execution time: the store's query timeout starts when the work starts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Iterable

from api.store.errors import Overloaded

KINDS = ("query", "page")  # client SPARQL and named queries; the fixed queries behind pages and views


class Admission:
    """``slots`` pieces of work at once; up to ``queue_limit`` more waiting per kind, each at most ``wait_s``."""

    def __init__(self, slots: int, queue_limit: int, wait_s: float, kinds: Iterable[str] = KINDS,
                 what: str = "query workers"):
        self.slots = slots
        self.queue_limit = queue_limit
        self.wait_s = wait_s
        self.what = what
        self.running = 0
        self.refused = 0  # requests turned away (queue full or waited too long), for /healthz
        self._queues: dict[str, deque[asyncio.Future[None]]] = {k: deque() for k in kinds}
        self._turn = 0

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def _retry_after(self) -> int:
        return max(1, min(30, round(self.wait_s / 2)))

    def try_acquire(self) -> bool:
        """Take a slot if one is free and nobody is waiting for it; never waits."""
        if self.running < self.slots and self.waiting == 0:
            self.running += 1
            return True
        return False

    async def acquire(self, kind: str) -> None:
        """A slot, or ``Overloaded`` at once when this kind's queue is full, or after ``wait_s`` queued."""
        if self.try_acquire():
            return
        queue = self._queues.get(kind) or self._queues[next(iter(self._queues))]
        if len(queue) >= self.queue_limit:
            self.refused += 1
            raise Overloaded(f"all {self.slots} {self.what} are busy and {len(queue)} requests of this kind are "
                             "already waiting; retry shortly", self._retry_after())
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        try:
            async with asyncio.timeout(self.wait_s):
                await waiter
        except BaseException as exc:
            handed = waiter.done() and not waiter.cancelled()  # a slot arrived just as we gave up
            waiter.cancel()
            with contextlib.suppress(ValueError):
                queue.remove(waiter)
            if isinstance(exc, TimeoutError):
                if handed:
                    return
                self.refused += 1
                raise Overloaded(f"no {self.what[:-1]} became free within {self.wait_s:g} s; retry shortly",
                                 self._retry_after()) from None
            if handed:
                self.release()
            raise

    def release(self) -> None:
        """Give the slot to the next waiter, taking the kinds in turn; or free it."""
        kinds = list(self._queues)
        for step in range(len(kinds)):
            queue = self._queues[kinds[(self._turn + step) % len(kinds)]]
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    self._turn = (self._turn + step + 1) % len(kinds)
                    waiter.set_result(None)  # the slot passes on: ``running`` stays the same
                    return
        self.running -= 1

    @contextlib.asynccontextmanager
    async def slot(self, kind: str) -> AsyncIterator[None]:
        await self.acquire(kind)
        try:
            yield
        finally:
            self.release()
