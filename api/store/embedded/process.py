"""One query worker process: started on two private pipes, stopped for real, and asked why it died.

A fresh interpreter (``python -m api.store.embedded.worker``) rather than multiprocessing's fork
(unsafe beside threads) or spawn (which re-imports the parent's ``__main__``, whatever script that is).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from dataclasses import dataclass

from api.store.embedded.frames import FrameReader, read_frame
from api.store.errors import WorkerFailure

WORKER_MODULE = "api.store.embedded.worker"


@dataclass(eq=False)
class WorkerProcess:
    process: subprocess.Popen[bytes]
    tx: int  # pipe for jobs to the worker
    rx: FrameReader  # answers from the worker
    jobs: int = 0
    niced: bool = False  # runs long queries at low priority: never again a quick one

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def cause(self, wait_s: float = 1.0) -> str:
        """Why the process ended, in words a client can act on (e.g. 'killed by signal SIGSEGV')."""
        try:
            code = self.process.wait(wait_s)
        except subprocess.TimeoutExpired:
            return "its answer pipe broke"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return f"killed by signal {name}"
        return f"exited with status {code}"

    def lower_priority(self) -> None:
        """Let every other process have the CPU first (nice 19): a long query must not slow quick ones.
        A process cannot raise its priority back, so a niced worker is retired after its job."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, 19)
        self.niced = True

    def kill(self) -> None:
        _stop(self.process, (self.tx, self.rx.fd))


def _stop(process: subprocess.Popen[bytes], fds: tuple[int, ...]) -> None:
    with contextlib.suppress(Exception):
        process.kill()
    with contextlib.suppress(Exception):
        process.wait(5)
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def spawn(store_path: str, ready_timeout: float, network: bool = False, low_priority: bool = False) -> WorkerProcess:
    """Start a worker over *store_path*, cut off the network unless *network*, at nice 19 if *low_priority*;
    wait until it has opened the store."""
    flags = [*(["--network"] * network), *(["--low-priority"] * low_priority)]
    job_r, job_w = os.pipe()
    ans_r, ans_w = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, store_path, str(job_r), str(ans_w), *flags],
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
        _stop(process, (job_w, ans_r))
        raise
    return WorkerProcess(process, job_w, FrameReader(ans_r), niced=low_priority)
