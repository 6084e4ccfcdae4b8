"""A pool of query worker processes with real per-query timeouts.

Each worker holds the store open read-only and runs one job at a time. The server hands a job to an
idle worker and waits for the answer until the query's deadline; the event loop itself watches the
answer pipe (``api.store.embedded.frames``), so waiting costs no thread and other clients keep being served. A
worker that overruns is killed (SIGKILL: the query stops at once, wherever it is) and replaced in
the background; the client gets a timeout error, never a partial answer. Waiting for a free worker
counts against the same deadline, so a burst of runaway queries turns into prompt 503s rather than
a growing queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from api.store.embedded.frames import FrameReader, read_frame, write_frame
from api.store.errors import QueryTimeout, WorkerFailure

log = logging.getLogger("bri_kg.pool")
WORKER_MODULE = "api.store.embedded.worker"


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    tx: int  # pipe for jobs to the worker
    rx: FrameReader  # answers from the worker
    jobs: int = 0


def _spawn(store_path: str, ready_timeout: float, network: bool = False) -> _Worker:
    """Start the worker module (``WORKER_MODULE``) on two private pipes, cut off the network unless *network*.

    A fresh interpreter rather than multiprocessing's fork (unsafe beside threads) or spawn (which
    re-imports the parent's ``__main__``, whatever script that is)."""
    job_r, job_w = os.pipe()
    ans_r, ans_w = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, store_path, str(job_r), str(ans_w), *(["--network"] * network)],
            pass_fds=(job_r, ans_w),
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
    finally:
        os.close(job_r)
        os.close(ans_w)
    try:
        readable, _, _ = select.select([ans_r], [], [], ready_timeout)
        if not readable:
            raise WorkerFailure(f"query worker did not start within {ready_timeout:.0f}s")
        try:
            hello = read_frame(ans_r)
        except EOFError:
            hello = {"ok": False, "message": f"query worker exited with status {process.wait(5)}"}
        if not hello.get("ok"):
            raise WorkerFailure(hello.get("message", "query worker failed to start"))
    except BaseException:
        _kill_process(process, (job_w, ans_r))
        raise
    return _Worker(process, job_w, FrameReader(ans_r))


def _kill_process(process: subprocess.Popen[bytes], fds: tuple[int, ...]) -> None:
    with contextlib.suppress(Exception):
        process.kill()
    with contextlib.suppress(Exception):
        process.wait(5)
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _kill(worker: _Worker) -> None:
    _kill_process(worker.process, (worker.tx, worker.rx.fd))


class WorkerPool:
    """``size`` worker processes over the store at ``store_path``; ``run`` is the only entry point."""

    def __init__(self, store_path: str, size: int = 2, ready_timeout: float = 60.0, network: bool = False):
        self.store_path = store_path
        self.network = network  # True only when the operator allows SERVICE: workers may then connect out
        self.size = size
        self.ready_timeout = ready_timeout
        self.killed = 0  # workers stopped for overrunning: reported by /healthz
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 2, thread_name_prefix="bri-kg-pool")
        self._closed = False
        self._respawning: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *[
                loop.run_in_executor(self._threads, _spawn, self.store_path, self.ready_timeout, self.network)
                for _ in range(self.size)
            ]
        )
        for worker in workers:
            self._all.add(worker)
            self._idle.put_nowait(worker)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._respawning):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                write_frame(worker.tx, None)
        loop = asyncio.get_running_loop()
        await asyncio.gather(*[loop.run_in_executor(self._threads, _kill, w) for w in list(self._all)])
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    async def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Run *job* on a worker within *timeout* seconds or raise QueryTimeout (the work is stopped)."""
        if self._closed:
            raise WorkerFailure("the query pool is shut down")
        deadline = time.monotonic() + timeout
        try:
            if self._idle.empty():
                async with asyncio.timeout(timeout):
                    worker = await self._idle.get()
            else:  # the usual case: no task, no timer
                worker = self._idle.get_nowait()
        except TimeoutError:
            raise QueryTimeout(f"no query worker became free within {timeout:g} s (the server is busy)") from None
        done = False
        try:
            write_frame(worker.tx, job)
            remaining = max(0.0, deadline - time.monotonic())
            try:
                async with asyncio.timeout(remaining):
                    answer = await worker.rx.read()
            except TimeoutError:
                self.killed += 1
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
            done = True
            worker.jobs += 1
            return answer
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise WorkerFailure(f"the query worker died ({type(exc).__name__}); it has been replaced") from None
        finally:
            if done:
                self._idle.put_nowait(worker)
            else:  # timed out, crashed, or our task was cancelled mid-query: stop that work for real
                self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        if self._closed:
            self._threads.submit(_kill, worker)
            return
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._respawning.add(task)
        task.add_done_callback(self._respawning.discard)

    async def _respawn(self, dead: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, _kill, dead)
        for attempt in range(5):
            try:
                worker = await loop.run_in_executor(
                    self._threads, _spawn, self.store_path, self.ready_timeout, self.network
                )
            except WorkerFailure as exc:
                log.error("could not start a replacement query worker (attempt %d): %s", attempt + 1, exc)
                await asyncio.sleep(1.0)
                continue
            if self._closed:
                await loop.run_in_executor(self._threads, _kill, worker)
                return
            self._all.add(worker)
            self._idle.put_nowait(worker)
            return
