"""Helpers for tests that run the real command line."""

from __future__ import annotations

import random
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pytest

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


def selected(request: pytest.FixtureRequest, name: str) -> list[Any]:
    """The values of the parameter `name` of the tests this session runs in the module
    asking (all of them, unless some are deselected), in their order: what a module
    fixture that works ahead for those tests has to do."""
    return [
        item.callspec.params[name]
        for item in request.session.items
        if item.module is request.module
        and hasattr(item, "callspec")
        and name in item.callspec.params
    ]


def runs_test(request: pytest.FixtureRequest, name: str) -> bool:
    """Whether this session runs the test function `name` of the module asking."""
    return any(
        item.module is request.module and item.originalname == name
        for item in request.session.items
    )


def random_nesting(rng: random.Random, opening: list[str], leaves: list[str], most: int) -> str:
    """Up to `most` random moves of an HTML body: open a tag of `opening`, close the last
    one open, or write a leaf; whatever is still open is closed at the end."""
    html, stack = [], []
    for _ in range(rng.randint(1, most)):
        move = rng.random()
        if move < 0.35:
            tag = rng.choice(opening)
            html.append(tag)
            stack.append(re.match(r"<(\w+)", tag).group(1))
        elif move < 0.6 and stack:
            html.append(f"</{stack.pop()}>")
        else:
            html.append(rng.choice(leaves))
    html.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(html)
