"""A step of the build run in a forked process beside the checks, so both cores work.

The child inherits what it needs (no pickling); a failure in it comes back as a BuildError naming the
step and the child's error, and an abandoned child (the checks failed) is killed.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

from kg.errors import BuildError


def _run(step: Callable[[], object], report: Connection) -> None:
    try:
        step()
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        report.send(traceback.format_exc(limit=3))
        raise SystemExit(1) from None
    report.send("")


class Background:
    """``Background(name, step).start()`` ... ``.join()`` (raises BuildError if it failed) or ``.kill()``."""

    def __init__(self, name: str, step: Callable[[], object]) -> None:
        self.name = name
        receive, send = mp.get_context("fork").Pipe(duplex=False)
        self._receive = receive
        self._process = mp.get_context("fork").Process(target=_run, args=(step, send), name=name)
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
