"""Query workers forked from the process that holds the in-memory store: one copy for all.

The web process loads the graph into one in-memory pyoxigraph store; each worker is a
``fork()`` of it, so the store's pages are shared copy-on-write by every worker (the store is
never written after loading) and a replacement after a kill starts at once, without parsing the
graph again. The child keeps only its two pipe ends (every other descriptor, such as the
server's listening socket and its clients' connections, is closed), names itself
``rankl-kg-worker`` (``/proc/<pid>/comm``) and caps its address space at what it inherited
plus the worker memory limit: a query may allocate that much beyond the shared graph.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import traceback
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph

from server.backends.execution import execute_query
from server.backends.worker import exit_with_parent, limit_memory, serve_ready_executor

#: A worker is replaced between queries once its private memory passes this share of what it
#: shared with the web process when forked (the store, mostly)
WORN_OUT_SHARE = 0.5
#: The worker's name in ``/proc/<pid>/comm`` (at most 15 characters)
FORKED_WORKER_NAME = "rankl-kg-worker"


def exit_code(status: int) -> int:
    """``Popen.returncode`` of a ``waitpid`` status: the exit code, or minus the signal."""
    return os.waitstatus_to_exitcode(status)


def memory_kib(pid: int, field: str, rollup: bool = True) -> int:
    """A KiB figure of ``/proc/<pid>/smaps_rollup`` (or ``status``); 0 if the process is gone."""
    name = "smaps_rollup" if rollup else "status"
    try:
        text = Path(f"/proc/{pid}/{name}").read_text(encoding="utf-8")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


class ForkedProcess:
    """The parent's handle of a forked worker, with the part of ``Popen`` the pool uses.

    Reading pyoxigraph's in-memory store writes to some of its pages (x100: a third of the
    store after three heavy queries), so a worker's private copy of the shared store grows
    with use; :meth:`worn_out` tells the pool to replace it (at once: a fork) before it holds
    :data:`WORN_OUT_SHARE` of a copy of its own.
    """

    def __init__(self, pid: int, shared_kib: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.shared_kib = shared_kib

    def worn_out(self) -> bool:
        """Whether the worker has copied more than :data:`WORN_OUT_SHARE` of what it shared."""
        private = memory_kib(self.pid, "Private_Dirty")
        return private > self.shared_kib * WORN_OUT_SHARE

    def poll(self) -> int | None:
        """The exit code if the worker ended (reaping it), else ``None``."""
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = exit_code(status)
        return self.returncode

    def kill(self) -> None:
        """SIGKILL the worker unless it already ended and was reaped."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        """Wait for the worker to end; its exit code."""
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = exit_code(status)
        return self.returncode


def inherited_address_space() -> int:
    """Bytes of address space this process has now (``VmSize``)."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def become_worker(store: pyoxigraph.Store, job_read: int, result_write: int, limit: int) -> None:
    """In the child: keep only the pipes, take the worker's name and limits, answer jobs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which kills us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    close_all_but(job_read, result_write)
    os.dup2(2, 1)  # stray prints go to the log, as in a worker started by command
    Path("/proc/self/comm").write_text(FORKED_WORKER_NAME, encoding="utf-8")
    if limit > 0:
        limit_memory(inherited_address_space() + limit)
    exit_with_parent()
    receiver = Connection(job_read, writable=False)
    sender = Connection(result_write, readable=False)
    serve_ready_executor(receiver, sender, partial(execute_query, store))


def close_all_but(*kept: int) -> None:
    """Close every descriptor above stderr except ``kept`` (the server's sockets above all)."""
    low = 3
    for descriptor in sorted(kept):
        os.closerange(low, descriptor)
        low = descriptor + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def fork_worker(
    store: pyoxigraph.Store, job_read: int, result_write: int, limit: int
) -> ForkedProcess:
    """Fork a worker over ``store`` talking through the given pipe ends; its handle."""
    shared_kib = memory_kib(os.getpid(), "VmRSS", rollup=False)
    gc.freeze()  # the parent's objects stay out of the child's collections: fewer pages copied
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child, which leaves by os._exit)
        code = 0
        try:
            become_worker(store, job_read, result_write, limit)
        except BaseException:  # noqa: BLE001 (nothing may unwind into the parent's code)
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()
    return ForkedProcess(pid, shared_kib)
