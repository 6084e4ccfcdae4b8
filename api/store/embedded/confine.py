"""Keep a query worker off the network: a seccomp filter that refuses every non-local socket.

Why here and not in the query text? A text check can be fooled by a spelling it did not foresee
(an escape that hides the rest of a line, a keyword the lexer reads as something else); the engine
cannot. Oxigraph executes ``SERVICE`` with its own HTTP client, so the only guarantee that no query
reaches the network is that the process running queries cannot open a network socket at all. The
filter makes ``socket()`` fail with EACCES for every address family but AF_UNIX (and refuses
io_uring, which could open connections without that call); the store is a local directory and the
worker talks to the server over inherited pipes, so nothing it needs is lost.

The filter is installed before the store is opened, while the worker is single-threaded, and is
inherited by every thread and process it starts. It cannot be lifted from inside the process.
"""

from __future__ import annotations

import errno
import socket


class ConfinementError(RuntimeError):
    """The filter could not be installed: the worker must not start unconfined."""


def deny_network() -> None:
    """Install the filter in this process, or raise ConfinementError saying why it could not be."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # OSError: libseccomp.so.2 missing (ctypes)
        raise ConfinementError(f"libseccomp is not available ({exc}); install the libseccomp2 package") from None
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "io_uring_setup")
        rules.load()
    except (OSError, RuntimeError, ValueError) as exc:
        raise ConfinementError(f"the seccomp filter could not be loaded: {exc}") from None
