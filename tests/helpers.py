"""Helpers for tests that run the real command line."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tinhuy(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `tinhuy` command in a fresh process (Scrapy's reactor runs once per process)."""
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"tinhuy {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


def free_port() -> int:
    """A local TCP port nothing listens on now (the tests' servers, or a closed address)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def apt_install(package: str) -> None:
    """Install a Debian package the tests need (a real server, never a mock), or fail."""
    import pytest

    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
