"""Helpers of the tests that start real programs (servers, proxies) on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A port of 127.0.0.1 free now (the process started next binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this test started: terminate, then kill if it lingers."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
