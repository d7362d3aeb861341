"""Helpers for tests that run the real command line."""

from __future__ import annotations

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
