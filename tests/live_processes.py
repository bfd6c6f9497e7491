"""Helpers of the tests that start real programs (servers, proxies) on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path


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


def serve_command(port: int, content_dir: Path, dist_dir: Path) -> list[str]:
    """The command that builds ``content_dir`` into ``dist_dir`` and serves it on ``port``."""
    return [
        sys.executable,
        "-m",
        "kg",
        "serve",
        "--port",
        str(port),
        "--content-dir",
        str(content_dir),
        "--dist-dir",
        str(dist_dir),
    ]


def ends_within(pid: int, seconds: float) -> bool:
    """Whether the process is gone, or a zombie waiting to be reaped, within the time.

    A SIGKILL is delivered at once but takes effect when the kernel next schedules
    the process, so a single look right after the kill may still see it running.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False
