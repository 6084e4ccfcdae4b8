"""Leases: a running server's claim on the build it answers from, so pruning never deletes it.

A lease is a file ``<build>/leases/<pid>.<n>.lease`` that its holder keeps open with an exclusive
``flock``. The kernel drops the lock when the holder exits, however it exits (even SIGKILL), so a
lease of a dead process is recognisable as stale without trusting its pid: anyone can take a shared
lock on it. ``kg.build.publish.prune_builds`` keeps every build with a live lease.

The same mechanism lists running servers for ``bri-kg reload``: each holds ``<var>/run/<pid>.lock``
(``Registration``) for its whole life.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
from pathlib import Path

LEASES_DIR = "leases"
RUN_DIR = "run"
_serial = itertools.count()


class _HeldFile:
    """A file this process created and holds an exclusive lock on until ``release``."""

    def __init__(self, path: Path, content: str = "", make_parents: bool = True):
        path.parent.mkdir(parents=make_parents, exist_ok=True)  # a lease never re-creates a pruned build
        self.path = path
        # Locked under a temporary name, then renamed (the lock follows the file): nobody ever sees
        # the file unlocked and takes it for stale.
        tmp = path.parent / f".{path.name}.tmp"
        self._fd: int | None = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(self._fd, content.encode())
        os.replace(tmp, path)

    def rewrite(self, content: str) -> None:
        """Replace the file's content (one small write: readers see the old or the new line)."""
        if self._fd is not None:
            data = content.encode()
            os.pwrite(self._fd, data, 0)
            os.ftruncate(self._fd, len(data))

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)  # closing drops the lock
        self._fd = None


def is_held(path: Path) -> bool:
    """Whether a live process holds the lock on *path* (False for a stale or vanished file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _live(folder: Path, pattern: str) -> list[Path]:
    """The held files in *folder*; stale ones (their process is gone) are deleted on the way."""
    held = []
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        if is_held(path):
            held.append(path)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    return held


class Lease(_HeldFile):
    """This process's claim on *build_dir*."""

    def __init__(self, build_dir: Path):
        super().__init__(build_dir / LEASES_DIR / f"{os.getpid()}.{next(_serial)}.lease", f"{os.getpid()}\n",
                         make_parents=False)


def lease_holders(build_dir: Path) -> list[int]:
    """Pids of the live processes holding a lease on *build_dir*."""
    return sorted({int(p.name.split(".")[0]) for p in _live(build_dir / LEASES_DIR, "*.lease")})


class Registration(_HeldFile):
    """This server, findable by ``bri-kg reload`` under ``<var_dir>/run``: its pid, URL and the build it serves."""

    def __init__(self, var_dir: Path, url: str, build: Path | None):
        self.url = url
        super().__init__(var_dir / RUN_DIR / f"{os.getpid()}.lock", self._line(build))

    def _line(self, build: Path | None) -> str:
        return f"{os.getpid()} {self.url} {build.name if build else '-'}\n"

    def serving(self, build: Path | None) -> None:
        self.rewrite(self._line(build))


def running_servers(var_dir: Path) -> dict[int, tuple[str, str]]:
    """Live servers registered under *var_dir*: pid -> (URL, name of the build directory it serves)."""
    servers = {}
    for path in _live(var_dir / RUN_DIR, "*.lock"):
        with contextlib.suppress(OSError, ValueError):
            pid, url, build = path.read_text(encoding="utf-8").split()
            servers[int(pid)] = (url, build)
    return servers
