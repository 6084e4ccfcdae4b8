"""A step of the build run in a forked process beside the checks, so both cores work.

A forked child inherits what it needs (no pickling). A step that opens an on-disk store runs as a
command of its own instead (``Command``): RocksDB's background threads do not survive a fork, so a
process that has opened any on-disk store before (a test session, a second build) would leave a forked
child waiting on them forever. A failure in a child comes back as a BuildError naming the step and the
child's error, and an abandoned child (the checks failed) is killed.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import subprocess
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

from kg.errors import BuildError


def _run(step: Callable[..., object], args: tuple, report: Connection) -> None:
    try:
        step(*args)
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        report.send(traceback.format_exc(limit=3))
        raise SystemExit(1) from None
    report.send("")


class Background:
    """``Background(name, step, args).start()`` ... ``.join()`` (BuildError if it failed) or ``.kill()``."""

    def __init__(self, name: str, step: Callable[..., object], args: tuple = ()) -> None:
        self.name = name
        receive, send = mp.get_context("fork").Pipe(duplex=False)
        self._receive = receive
        self._process = mp.get_context("fork").Process(target=_run, args=(step, args, send), name=name)
        self._send = send

    def start(self) -> Background:
        gc.freeze()  # the child's garbage collector then leaves the inherited objects' pages shared
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        self._send.close()
        return self

    def join(self) -> None:
        self._process.join()
        problem = self._receive.recv() if self._receive.poll() else f"exited with {self._process.exitcode}"
        self._receive.close()
        if problem or self._process.exitcode != 0:
            raise BuildError("publishing", detail=f"{self.name}: {problem}")

    def kill(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


class Command:
    """``Command(name, module, args).start()`` ... ``.join()`` / ``.kill()``: ``python -m module args`` as a child."""

    def __init__(self, name: str, module: str, args: list[str]) -> None:
        self.name = name
        self._argv = [sys.executable, "-m", module, *args]
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Command:
        self._process = subprocess.Popen(self._argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return self

    def join(self) -> None:
        assert self._process is not None
        _, errors = self._process.communicate()
        if self._process.returncode != 0:
            raise BuildError("publishing", detail=f"{self.name}: {errors.decode(errors='replace')[-2000:]}")

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
