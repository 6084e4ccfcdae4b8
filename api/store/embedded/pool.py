"""A pool of query worker processes: real timeouts, a separate lane for long queries, bounded queues,
and a retry when a worker dies.

Each worker holds the store open read-only and runs one job at a time; the event loop watches the
answer pipes (``api.store.embedded.frames``), so waiting costs no thread. What the pool promises:

- **Timeouts stop the work.** A job that overruns is killed with its process (SIGKILL: wherever it
  is) and the process replaced; the client gets ``QueryTimeout``. The time limit counts execution
  only: it starts when a worker takes the job, not while the job waits in the queue.
- **Overload is answered at once.** Jobs wait for a slot in a bounded queue per kind of work
  (``api.store.admission``): a full queue is ``Overloaded`` (503 with Retry-After) immediately.
- **Runaways cannot starve quick queries.** Every job starts in the quick lane (``size`` slots).
  One still running after ``budget_s`` moves to the long lane (``long_slots`` slots): its process
  leaves the quick lane, which gets a fresh process, so quick queries keep ``size`` workers however
  many long ones run, and it runs on at the lowest CPU priority (nice 19), so on a busy machine
  quick queries get the cores first (such a process serves only long jobs afterwards: a process
  cannot raise its priority back). A job known to run long starts in the long lane, on a process
  of its own started at that priority.
  When the long lane is full, a job that passes the budget is stopped
  (``Overloaded``). A query seen to run long goes straight to the long lane next time.
- **A dying worker costs no request.** A job whose worker dies under it is run once more on another
  worker; one that kills workers twice is refused (``WorkerFailure``, 503, naming how the worker
  died) and, for a while, refused at once without being run again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import pickle
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api.store.admission import Admission
from api.store.embedded.frames import write_frame
from api.store.embedded.process import WORKER_MODULE, WorkerProcess, spawn
from api.store.errors import Overloaded, QueryTimeout, WorkerFailure

__all__ = ["WORKER_MODULE", "WorkerPool"]
log = logging.getLogger("bri_kg.pool")
REMEMBERED = 512  # jobs remembered as long-running, and as deadly
_PENDING = object()


class _Died(Exception):
    """The worker running (or about to run) a job died; ``during`` says whether the job had reached it."""

    def __init__(self, cause: str, during: bool):
        self.cause = cause
        self.during = during
        super().__init__(cause)


def job_key(job: dict[str, Any]) -> str:
    """The same query with the same dataset and bindings has the same key (for the remembered jobs)."""
    return hashlib.sha256(pickle.dumps(sorted((k, repr(v)) for k, v in job.items() if k != "max_rows"))).hexdigest()


def _remember(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > REMEMBERED:
        cache.popitem(last=False)


class WorkerPool:
    """Worker processes over the store at ``store_path``; ``run`` is the only entry point for jobs."""

    def __init__(self, store_path: str, size: int = 2, *, long_slots: int = 2, budget_s: float = 0.5,
                 queue_limit: int = 16, queue_wait_s: float = 5.0, ready_timeout: float = 60.0,
                 network: bool = False):
        self.store_path = store_path
        self.network = network  # True only when the operator allows SERVICE: workers may then connect out
        self.size = size
        self.budget_s = budget_s
        self.ready_timeout = ready_timeout
        self.quick = Admission(size, queue_limit, queue_wait_s, what="query workers")
        self.long = Admission(long_slots, long_slots, queue_wait_s, what="long-query workers")
        self.killed = 0  # jobs stopped for overrunning their time: reported by /healthz
        self.retried = 0  # jobs run again because their worker died
        self._idle: list[WorkerProcess] = []
        self._long_idle: list[WorkerProcess] = []  # niced: for long jobs only
        self._busy: dict[WorkerProcess, Admission] = {}
        self._spawning = 0
        self._spawn_error: str | None = None  # why the last attempt to start a worker failed, if it did
        self._long_jobs: OrderedDict[str, None] = OrderedDict()
        self._deadly: OrderedDict[str, tuple[int, str]] = OrderedDict()
        self._threads = ThreadPoolExecutor(max_workers=size + long_slots + 2, thread_name_prefix="bri-kg-pool")
        self._tasks: set[asyncio.Future[Any]] = set()
        self._closed = False

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = list(await asyncio.gather(*[loop.run_in_executor(self._threads, self._spawn_blocking)
                                                 for _ in range(self.size)]))
        self._replenish()  # the spare, in the background

    async def close(self) -> None:
        """Stop every worker (a job still running gets ``WorkerFailure``); used once nothing needs the store."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        workers = [*self._idle, *self._long_idle, *self._busy]
        self._idle, self._long_idle, self._busy = [], [], {}
        for worker in workers:
            with contextlib.suppress(Exception):
                write_frame(worker.tx, None)
        loop = asyncio.get_running_loop()
        await asyncio.gather(*[loop.run_in_executor(self._threads, w.kill) for w in workers])
        self._threads.shutdown(wait=False, cancel_futures=True)

    @property
    def idle(self) -> int:
        return len(self._idle)

    @property
    def processes(self) -> int:
        return len(self._idle) + len(self._busy)

    def busy_pids(self) -> list[int]:
        """Process ids of the workers running a job now."""
        return [w.pid for w in self._busy]

    @property
    def queued(self) -> int:
        return self.quick.waiting + self.long.waiting

    @property
    def refused(self) -> int:
        return self.quick.refused + self.long.refused

    # --- running a job -------------------------------------------------------------------------

    async def run(self, job: dict[str, Any], timeout: float, kind: str = "query") -> dict[str, Any]:
        """Run *job* within *timeout* seconds of execution, or raise a ``StoreError`` saying why not."""
        if self._closed:
            raise WorkerFailure("the query pool is shut down")
        key = job_key(job)
        for _ in range(4):  # deaths before the job reached the worker are not the job's fault: bounded anyway
            self._refuse_if_deadly(key)
            try:
                return await self._run_once(job, key, timeout, kind)
            except _Died as died:
                if died.during:
                    self._record_death(key, died.cause)
                    self._refuse_if_deadly(key)
                    self.retried += 1
                    log.warning("a query worker died under a query (%s); running the query again", died.cause)
        raise WorkerFailure("query workers kept dying before they could take the query")

    def _refuse_if_deadly(self, key: str) -> None:
        deaths, cause = self._deadly.get(key, (0, ""))
        if deaths >= 2:
            raise WorkerFailure(f"this query made its query worker die {deaths} times ({cause}); it is not run again")

    def _record_death(self, key: str, cause: str) -> None:
        deaths, _ = self._deadly.get(key, (0, ""))
        _remember(self._deadly, key, (deaths + 1, cause))

    async def _run_once(self, job: dict[str, Any], key: str, timeout: float, kind: str) -> dict[str, Any]:
        lane = self.long if key in self._long_jobs else self.quick
        await lane.acquire(kind)
        worker: WorkerProcess | None = None
        answered = False
        try:
            worker = await self._checkout(lane)
            try:
                write_frame(worker.tx, job)
            except OSError:
                raise _Died(worker.cause(), during=False) from None
            deadline = time.monotonic() + timeout
            answer = await self._answer(worker, min(timeout, self.budget_s) if lane is self.quick else timeout)
            if answer is _PENDING and lane is self.quick and timeout > self.budget_s:
                lane = self._to_long_lane(worker, key)
                answer = await self._answer(worker, deadline - time.monotonic())
            if answer is _PENDING:
                self.killed += 1
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            answered = True
            worker.jobs += 1
            result: dict[str, Any] = answer  # type: ignore[assignment]
            return result
        finally:
            lane.release()
            if worker is not None:
                self._checkin(worker) if answered else self._discard(worker)

    async def _answer(self, worker: WorkerProcess, seconds: float) -> object:
        """The worker's answer, or ``_PENDING`` if it has not come within *seconds* (the job keeps running)."""
        try:
            async with asyncio.timeout(max(0.0, seconds)):
                answer: object = await worker.rx.read()
                return answer
        except TimeoutError:
            return _PENDING
        except (EOFError, OSError):
            raise _Died(worker.cause(), during=True) from None

    def _to_long_lane(self, worker: WorkerProcess, key: str) -> Admission:
        """The job passed the quick budget: move it (and its process) to the long lane, or stop it."""
        _remember(self._long_jobs, key, None)
        if not self.long.try_acquire():
            raise Overloaded(
                f"{self.long.running} long queries are running already (the most this server runs at once); "
                f"this one took longer than {self.budget_s:g} s and was stopped. Retry later, or narrow it",
                retry_after_s=5)
        self.quick.release()
        self._busy[worker] = self.long
        worker.lower_priority()
        self._replenish()
        return self.long

    # --- processes -----------------------------------------------------------------------------

    def _spawn_blocking(self, low_priority: bool = False) -> WorkerProcess:
        return spawn(self.store_path, self.ready_timeout, self.network, low_priority)

    async def _checkout(self, lane: Admission) -> WorkerProcess:
        """An idle live process for a job holding a slot of *lane*; a new one if none is idle. A long job
        starts its own process unless the quick lane has one to spare (a quick job must not wait for one)."""
        spare = len(self._idle) + self._spawning - (self._quick_target() - self._quick_busy())
        long = lane is self.long
        pools = [self._long_idle, *([self._idle] if spare > 0 else [])] if long else [self._idle]
        for idle in pools:
            while idle:
                worker = idle.pop()
                if worker.alive():
                    self._busy[worker] = lane
                    if long:
                        worker.lower_priority()
                    self._replenish()
                    return worker
                self._submit(worker.kill)  # died while idle: reap it
        if not long:
            self._spawning += 1
        try:
            worker = await asyncio.get_running_loop().run_in_executor(self._threads, self._spawn_blocking, long)
        finally:
            if not long:
                self._spawning -= 1
        self._busy[worker] = lane
        return worker

    def _checkin(self, worker: WorkerProcess) -> None:
        self._busy.pop(worker, None)
        if worker.niced and not self._closed and len(self._long_idle) < self.long.slots - self.long.running:
            self._long_idle.append(worker)  # kept for the next long job
            return
        if worker.niced or self._closed or self._enough_ready():
            self._submit(worker.kill)  # the long lane's extra process, no longer needed
            self._replenish()
        else:
            self._idle.append(worker)

    def _discard(self, worker: WorkerProcess) -> None:
        """Stop a worker that overran, died, or whose job was abandoned; keep the quick lane staffed."""
        self._busy.pop(worker, None)
        self._submit(worker.kill)
        self._replenish()

    def _enough_ready(self) -> bool:
        """Whether the quick lane has its target in processes that are ready (busy or idle); ones still
        starting do not count, so a ready process is never retired in favour of one that is not."""
        return len(self._idle) + self._quick_busy() >= self._quick_target()

    def _quick_busy(self) -> int:
        return sum(1 for lane in self._busy.values() if lane is self.quick)

    def _quick_target(self) -> int:
        """Processes the quick lane keeps, busy or idle: its slots, plus a spare ready for the next job that
        moves to the long lane while long slots are free (so no quick query waits for a process to start)."""
        return self.size + (1 if self.long.running < self.long.slots else 0)

    def _replenish(self) -> None:
        """Start processes in the background until the quick lane has its target (busy, idle or starting)."""
        for _ in range(self._quick_target() - self._quick_busy() - len(self._idle) - self._spawning):
            if self._closed:
                return
            self._spawning += 1
            task = asyncio.ensure_future(self._spawn_idle())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _spawn_idle(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            for attempt in range(5):
                try:
                    worker = await loop.run_in_executor(self._threads, self._spawn_blocking)
                except WorkerFailure as exc:
                    self._spawn_error = str(exc)
                    log.error("could not start a query worker (attempt %d): %s", attempt + 1, exc)
                    await asyncio.sleep(1.0)
                    continue
                self._spawn_error = None
                if self._closed or self._enough_ready():
                    self._submit(worker.kill)
                else:
                    self._idle.append(worker)
                return
        finally:
            self._spawning -= 1

    def _submit(self, fn: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the executor is shut down: the pool is closing anyway
            self._threads.submit(fn)

    # --- health --------------------------------------------------------------------------------

    async def probe(self, job: dict[str, Any], timeout: float) -> bool:
        """Whether the store answers *job*, without waiting behind queries: on an idle worker if there is
        one, else the busy workers (alive and working) vouch for it. A probe that is merely slow (a busy
        machine) does not count as a failure: its worker is alive, and finishes it in the background."""
        if self._closed:
            return False
        worker = next((w for w in reversed(self._idle) if w.alive()), None)
        if worker is None:  # all at work, or starting: fine unless starting one has just failed
            return self._spawn_error is None and (self._spawning > 0 or any(w.alive() for w in self._busy))
        self._idle.remove(worker)
        self._busy[worker] = self.quick
        try:
            write_frame(worker.tx, job)
            answer = await self._answer(worker, timeout)
        except (OSError, _Died):
            self._discard(worker)
            return False
        if answer is _PENDING:
            task = asyncio.ensure_future(self._finish_probe(worker))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return worker.alive()
        self._checkin(worker)
        return bool(answer.get("ok")) if isinstance(answer, dict) else False

    async def _finish_probe(self, worker: WorkerProcess) -> None:
        try:
            answered = await self._answer(worker, 60.0) is not _PENDING
        except _Died:
            answered = False
        self._checkin(worker) if answered else self._discard(worker)
