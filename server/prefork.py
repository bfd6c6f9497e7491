"""Several web processes on one port under a supervisor (``WEB_PROCESSES`` > 1).

One web process is bound by its GIL: it does the HTTP, the guard, the negotiation and the
hand-off to the query workers of every request (bench/results/cold-path-analysis.md). So
``rankl-kg serve`` binds the socket, creates the app once (the parsed graph as N-Quads, the
imports and the examples are then shared copy-on-write) and forks ``WEB_PROCESSES`` web
processes; each starts its own query workers and serves the inherited socket with waitress.
A web process accepts new connections only while it holds the fewest (:mod:`server.fair_accept`),
so keep-alive clients are spread evenly over them.

The parent supervises and does nothing else: before forking it makes what the web processes
share (the per-client budgets, :mod:`server.shared_throttle`, and their connection counts,
:mod:`server.fair_accept`), replaces a web process that ends (logged; more than
:data:`MAX_RESTARTS` ends within :data:`RESTART_WINDOW_S` stop the server instead of looping),
and on SIGTERM or SIGINT stops every web process, each of which stops its query workers. A web
process dies with the parent (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import select
import signal
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from flask import Flask

from server.fair_accept import ConnectionCounts, ConnectionShare
from server.metrics import forget_process
from server.shared_throttle import BudgetTable, SharedThrottle
from server.state import ServerState

LOGGER = logging.getLogger(__name__)
#: More ends of web processes than this within RESTART_WINDOW_S stop the server (a crash loop)
MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0
#: Seconds the web processes get to finish after SIGTERM before they are killed
STOP_GRACE_S = 10.0
#: Pending connections the kernel queues while every web process is busy or starting
LISTEN_BACKLOG = 1024
#: ``prctl`` option: the signal a process gets when its parent ends
PR_SET_PDEATHSIG = 1

#: Serves ``app`` on the listening socket, taking this process's share of the connections,
#: until the process is told to stop
ServeFunction = Callable[[Flask, socket.socket, ConnectionShare], None]


class CrashLoopError(RuntimeError):
    """Web processes keep ending: the server stopped rather than restart them forever."""


def bind_listener(host: str, port: int) -> socket.socket:
    """Bind and listen on ``host:port`` (before any app exists, so a busy port fails fast)."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(LISTEN_BACKLOG)
    return listener


@dataclass
class WebProcess:
    """One forked web process: its slot (0 … N-1) and pid."""

    slot: int
    pid: int


class Supervisor:
    """Forks, watches and replaces the web processes."""

    def __init__(
        self, app: Flask, listener: socket.socket, serve: ServeFunction, count: int
    ) -> None:
        self.app = app
        self.listener = listener
        self.serve = serve
        self.count = count
        self.connection_counts = ConnectionCounts(count)
        self.budgets = BudgetTable(count)
        self.processes: dict[int, WebProcess] = {}
        self.ends: deque[float] = deque()
        self.stop_at: float | None = None
        #: Written by the signal handlers (SIGCHLD, SIGTERM, SIGINT): wakes the loop at once
        self._wake_read, self._wake_write = os.pipe()

    def run(self) -> None:
        """Start the web processes and supervise them until SIGTERM/SIGINT.

        :raises CrashLoopError: web processes ended too often
        """
        os.set_blocking(self._wake_write, False)
        os.set_blocking(self._wake_read, False)
        signal.set_wakeup_fd(self._wake_write)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._request_stop)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # only wakes the loop
        try:
            for slot in range(self.count):
                self._start(slot)
            self._loop()
        finally:
            signal.set_wakeup_fd(-1)
            self._kill_all()

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_at is None:
            LOGGER.warning("stopping %d web processes", len(self.processes))
            self.stop_at = time.monotonic() + STOP_GRACE_S
            self._signal_all(signal.SIGTERM)

    def _loop(self) -> None:
        while self.processes:
            if self.stop_at is not None and time.monotonic() > self.stop_at:
                return
            if select.select([self._wake_read], [], [], 1.0)[0]:
                self._drain_wakeups()
            self._reap()

    def _drain_wakeups(self) -> None:
        try:
            while os.read(self._wake_read, 512):
                pass
        except BlockingIOError:
            pass

    def _reap(self) -> None:
        while self.processes:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
            process = self.processes.pop(pid, None)
            if process is None:
                continue
            forget_process(pid)
            self.connection_counts.mark_absent(process.slot)
            # its queries died with it: free their slots, or their clients would stay at
            # their concurrency limit
            self.budgets.release_process(process.slot)
            if self.stop_at is None:
                self._replace(process, status)

    def _replace(self, process: WebProcess, status: int) -> None:
        now = time.monotonic()
        self.ends.append(now)
        while self.ends and self.ends[0] < now - RESTART_WINDOW_S:
            self.ends.popleft()
        how = describe_status(status)
        if len(self.ends) > MAX_RESTARTS:
            raise CrashLoopError(
                f"web processes ended {len(self.ends)} times within {RESTART_WINDOW_S:g} s "
                f"(the last {how}); stopped"
            )
        LOGGER.warning(
            "web process %d (pid %d) %s; starting another", process.slot, process.pid, how
        )
        self._start(process.slot)

    def _start(self, slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            self._become_web_process(slot)
        self.processes[pid] = WebProcess(slot, pid)

    def _become_web_process(self, slot: int) -> None:
        """The forked child: serve until told to stop; never return into the parent's code."""
        status = 1
        try:
            self._leave_the_parent()
            budgets = SharedThrottle(ServerState.of(self.app).throttle.budget, self.budgets, slot)
            share = self.connection_counts.share(slot)
            run_web_process(self.app, self.listener, budgets, self.serve, share)
            status = 0
        except (SystemExit, KeyboardInterrupt):  # SIGTERM, or Ctrl-C sent to the whole group
            status = 0
        except BaseException:
            LOGGER.exception("web process %d failed", os.getpid())
        finally:
            os._exit(status)

    def _leave_the_parent(self) -> None:
        """Drop what belongs to the supervisor: its signal handling and wake-up pipe."""
        signal.set_wakeup_fd(-1)
        os.close(self._wake_read)
        os.close(self._wake_write)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, exit_on_signal)
        die_with_parent()

    def _signal_all(self, signum: int) -> None:
        for pid in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def _kill_all(self) -> None:
        """SIGKILL whatever is left and reap it."""
        self._signal_all(signal.SIGKILL)
        for pid in list(self.processes):
            os.waitpid(pid, 0)
            forget_process(pid)
            del self.processes[pid]


def run_web_process(
    app: Flask,
    listener: socket.socket,
    budgets: SharedThrottle,
    serve: ServeFunction,
    share: ConnectionShare,
) -> None:
    """In a forked web process: use the budgets shared by all, start the query workers, serve."""
    state = ServerState.of(app)
    state.share_throttle(app, budgets)
    state.backend.start()
    try:
        LOGGER.info("web process %d (pid %d) is serving", budgets.slot, os.getpid())
        serve(app, listener, share)
    finally:
        state.backend.stop()


def exit_on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGTERM in a web process: leave waitress's loop, so its workers are stopped."""
    raise SystemExit(0)


def die_with_parent() -> None:
    """Have the kernel send SIGTERM to this process when its parent ends (Linux)."""
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before the call
        raise SystemExit(0)


def describe_status(status: int) -> str:
    """How a process ended, from its ``waitpid`` status."""
    if os.WIFSIGNALED(status):
        return f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exited with status {os.WEXITSTATUS(status)}"
