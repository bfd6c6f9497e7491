"""Several web processes on one port under a supervisor (``WEB_PROCESSES`` > 1).

One web process is bound by its GIL: it does the HTTP, the guard, the negotiation and the
hand-off to the query workers of every request (bench/results/cold-path-analysis.md). So
``rankl-kg serve`` binds the socket, creates the app once (the parsed graph as N-Quads, the
imports and the examples are then shared copy-on-write) and forks ``WEB_PROCESSES`` web
processes; each starts its own query workers and serves the inherited socket with waitress.
A web process accepts new connections only while it holds the fewest (:mod:`server.fair_accept`),
so keep-alive clients are spread evenly over them.

The parent supervises and does nothing else: it keeps the per-client budgets of all of them
(:mod:`server.shared_throttle`), replaces a web process that ends (logged; more than
:data:`MAX_RESTARTS` ends within :data:`RESTART_WINDOW_S` stop the server instead of looping),
and on SIGTERM or SIGINT stops every web process, each of which stops its query workers. A web
process dies with the parent (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import selectors
import signal
import socket
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from flask import Flask

from server.fair_accept import ConnectionCounts, ConnectionShare
from server.metrics import forget_process
from server.shared_throttle import RemoteThrottle, answer
from server.state import ServerState
from server.throttle import ClientThrottle

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
    """One forked web process: its slot (0 … N-1), pid and the parent's end of its socket."""

    slot: int
    pid: int
    connection: Connection
    #: Query slots it holds, by client: given back for it if it ends with queries in flight
    running: Counter[str] = field(default_factory=Counter)


class Supervisor:
    """Forks, watches and replaces the web processes; answers their budget questions."""

    def __init__(
        self, app: Flask, listener: socket.socket, serve: ServeFunction, count: int
    ) -> None:
        self.app = app
        self.listener = listener
        self.serve = serve
        self.count = count
        self.connection_counts = ConnectionCounts(count)
        throttle = ServerState.of(app).throttle
        if not isinstance(throttle, ClientThrottle):
            raise TypeError("the supervisor keeps the budgets: the app must hold them itself")
        self.throttle = throttle
        self.processes: dict[int, WebProcess] = {}
        self.ends: deque[float] = deque()
        self.stop_at: float | None = None
        self._wake_read, self._wake_write = os.pipe()
        # one selector for the supervisor's life (wait() would build one per message)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_read, selectors.EVENT_READ)

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
            for key, _ in self._selector.select(timeout=1.0):
                if isinstance(key.data, WebProcess):
                    self._serve_message(key.data)
                else:
                    self._drain_wakeups()
            self._reap()

    def _serve_message(self, process: WebProcess) -> None:
        connection = process.connection
        try:
            message: tuple[Any, ...] = connection.recv()
        except (EOFError, OSError):
            self._selector.unregister(connection)  # the process ended; _reap replaces it
            return
        if message == ("ready",):
            LOGGER.info("web process %d (pid %d) is serving", process.slot, process.pid)
            return
        wants_answer, reply = answer(self.throttle, message)
        track_slots(process.running, message, reply)
        if wants_answer:
            with contextlib.suppress(OSError):
                connection.send(reply)

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
            self._close(process.connection)
            forget_process(pid)
            self.connection_counts.mark_absent(process.slot)
            self._give_back_slots(process)
            if self.stop_at is None:
                self._replace(process, status)

    def _give_back_slots(self, process: WebProcess) -> None:
        """Free the query slots a web process held when it ended (its queries died with it),
        or their clients would stay at their concurrency limit."""
        for client, count in process.running.items():
            for _ in range(count):
                self.throttle.leave(client, 0.0, False)

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
        parent_end, child_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            parent_end.close()
            self._become_web_process(slot, Connection(child_end.detach()))
        child_end.close()
        process = WebProcess(slot, pid, Connection(parent_end.detach()))
        self._selector.register(process.connection, selectors.EVENT_READ, process)
        self.processes[pid] = process

    def _close(self, connection: Connection) -> None:
        with contextlib.suppress(KeyError):
            self._selector.unregister(connection)
        connection.close()

    def _become_web_process(self, slot: int, connection: Connection) -> None:
        """The forked child: serve until told to stop; never return into the parent's code."""
        status = 1
        try:
            self._leave_the_parent()
            share = self.connection_counts.share(slot)
            run_web_process(self.app, self.listener, connection, self.serve, share)
            status = 0
        except (SystemExit, KeyboardInterrupt):  # SIGTERM, or Ctrl-C sent to the whole group
            status = 0
        except BaseException:
            LOGGER.exception("web process %d failed", os.getpid())
        finally:
            os._exit(status)

    def _leave_the_parent(self) -> None:
        """Drop what belongs to the supervisor: its signal handling, its ends of the others."""
        signal.set_wakeup_fd(-1)
        self._selector.close()
        os.close(self._wake_read)
        os.close(self._wake_write)
        for process in self.processes.values():
            process.connection.close()
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
            self._close(self.processes.pop(pid).connection)


def track_slots(running: Counter[str], message: tuple[Any, ...], refusal: object) -> None:
    """Count the query slots a web process holds after ``message`` (answered ``refusal``)."""
    kind, client = message[0], message[1]
    if kind == "enter" and refusal is None:
        running[client] += 1
    elif kind == "leave":
        running[client] -= 1
        if running[client] <= 0:
            del running[client]


def run_web_process(
    app: Flask,
    listener: socket.socket,
    connection: Connection,
    serve: ServeFunction,
    share: ConnectionShare,
) -> None:
    """In a forked web process: use the supervisor's budgets, start the query workers, serve."""
    state = ServerState.of(app)
    remote = RemoteThrottle(state.throttle.budget, connection)
    state.share_throttle(app, remote)
    state.backend.start()
    try:
        remote.report_ready()
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
