"""Length-prefixed pickled messages over a pipe, read by the server's event loop without threads.

The query pool used to wait for a worker's answer in a thread (poll, then recv): two thread hand-offs
per query, each a wake-up on a busy machine. Here the event loop itself watches the answer pipe
(``loop.add_reader``) and assembles the message as bytes arrive, so a big answer never blocks it
and a small one costs no thread at all. The worker side is plain blocking I/O in its own process.

A frame is an 8-byte big-endian length, then that many bytes of pickle (protocol 5). Both ends are
our own processes, so unpickling is safe.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
from typing import Any

HEADER = struct.Struct("!Q")
CHUNK = 1 << 20


def encode(message: Any) -> bytes:
    payload = pickle.dumps(message, protocol=5)
    return HEADER.pack(len(payload)) + payload


def write_frame(fd: int, message: Any) -> None:
    """Write one message (blocking until the pipe has taken all of it)."""
    view = memoryview(encode(message))
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes:
    parts, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, CHUNK))
        if not chunk:
            raise EOFError("the other end closed the pipe")
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def read_frame(fd: int) -> Any:
    """Read one message (blocking); EOFError when the other end has closed."""
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size))
    return pickle.loads(_read_exactly(fd, size))


class FrameReader:
    """Reads one message at a time from a non-blocking pipe on the running event loop."""

    def __init__(self, fd: int):
        self.fd = fd
        os.set_blocking(fd, False)
        self._buffer = bytearray()
        self._waiter: asyncio.Future[Any] | None = None

    async def read(self) -> Any:
        """The next message; EOFError if the writer closed the pipe first. Cancel-safe: a cancelled
        read stops watching the pipe (the pool then discards the worker, whose answer is moot)."""
        framed = self._take_frame()
        if framed is not None:
            return framed[0]
        loop = asyncio.get_running_loop()
        self._waiter = loop.create_future()
        loop.add_reader(self.fd, self._on_readable)
        try:
            return await self._waiter
        finally:
            loop.remove_reader(self.fd)
            self._waiter = None

    def _on_readable(self) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        try:
            chunk = os.read(self.fd, CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:
            waiter.set_exception(EOFError(f"the answer pipe failed: {exc}"))
            return
        if not chunk:
            waiter.set_exception(EOFError("the worker closed its answer pipe"))
            return
        self._buffer += chunk
        framed = self._take_frame()
        if framed is not None:
            waiter.set_result(framed[0])

    def _take_frame(self) -> tuple[Any] | None:
        """The first whole message in the buffer (in a 1-tuple, as a message may be None), if there is one."""
        if len(self._buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self._buffer)
        end = HEADER.size + size
        if len(self._buffer) < end:
            return None
        payload = bytes(self._buffer[HEADER.size:end])
        del self._buffer[:end]
        return (pickle.loads(payload),)
