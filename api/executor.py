"""A pool of query worker processes with real per-query timeouts.

Each worker holds the store open read-only and runs one job at a time. The server hands a job to an
idle worker and waits (in a thread, so the event loop keeps serving other clients) for the answer
until the query's deadline. A worker that overruns is killed (SIGKILL: the query stops at once,
wherever it is) and replaced in the background; the client gets a timeout error, never a partial
answer. Waiting for a free worker counts against the same deadline, so a burst of runaway queries
turns into prompt 503s rather than a growing queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("bri_kg.executor")


class QueryTimeout(Exception):
    """The query overran its time limit and was stopped."""


class WorkerFailure(Exception):
    """The worker died or could not start (e.g. no store)."""


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    tx: Connection  # jobs to the worker
    rx: Connection  # answers from the worker
    jobs: int = 0


def _spawn(store_path: str, ready_timeout: float) -> _Worker:
    """Start ``python -m api.worker`` on two private pipes.

    A fresh interpreter rather than multiprocessing's fork (unsafe beside threads) or spawn (which
    re-imports the parent's ``__main__``, whatever script that is)."""
    job_r, job_w = os.pipe()
    ans_r, ans_w = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.worker", store_path, str(job_r), str(ans_w)],
            pass_fds=(job_r, ans_w),
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
    finally:
        os.close(job_r)
        os.close(ans_w)
    worker = _Worker(process, Connection(job_w, readable=False), Connection(ans_r, writable=False))
    if not worker.rx.poll(ready_timeout):
        _kill(worker)
        raise WorkerFailure(f"query worker did not start within {ready_timeout:.0f}s")
    try:
        hello = worker.rx.recv()
    except EOFError:
        hello = {"ok": False, "message": f"query worker exited with status {process.wait(5)}"}
    if not hello.get("ok"):
        _kill(worker)
        raise WorkerFailure(hello.get("message", "query worker failed to start"))
    return worker


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.process.kill()
    with contextlib.suppress(Exception):
        worker.process.wait(5)
    for conn in (worker.tx, worker.rx):
        with contextlib.suppress(Exception):
            conn.close()


class WorkerPool:
    """``size`` worker processes over the store at ``store_path``; ``run`` is the only entry point."""

    def __init__(self, store_path: str, size: int = 2, ready_timeout: float = 60.0):
        self.store_path = store_path
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
                loop.run_in_executor(self._threads, _spawn, self.store_path, self.ready_timeout)
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
                worker.tx.send(None)
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
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise QueryTimeout(f"no query worker became free within {timeout:g} s (the server is busy)") from None
        done = False
        try:
            worker.tx.send(job)
            remaining = max(0.0, deadline - time.monotonic())
            ready = await loop.run_in_executor(self._threads, worker.rx.poll, remaining)
            if not ready:
                self.killed += 1
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            answer = await loop.run_in_executor(self._threads, worker.rx.recv)
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
                worker = await loop.run_in_executor(self._threads, _spawn, self.store_path, self.ready_timeout)
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
