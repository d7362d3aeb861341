"""Shared fixtures: the offline replica served over HTTP, and a crawl of it into SQLite
and into PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.mirror import REPLICA, Site, serve
from tests.helpers import tinhuy

pytest_plugins = ["tests.postgres"]


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads((REPLICA / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def replica() -> Iterator[tuple[str, Site]]:
    with serve() as served:
        yield served


@dataclass
class Crawl:
    db: Path
    output: subprocess.CompletedProcess
    requests: list[tuple[str, int]]


@pytest.fixture(scope="session")
def crawled(replica, tmp_path_factory) -> Crawl:
    """One crawl of the replica into a fresh SQLite file, shared by the end-to-end tests."""
    base_url, site = replica
    db = tmp_path_factory.mktemp("crawl") / "tinhuy.db"
    before = len(site.requests)
    output = tinhuy("crawl", "--base-url", base_url, "--db", str(db), "--fast")
    return Crawl(db=db, output=output, requests=site.requests[before:])


@pytest.fixture(scope="session")
def crawled_pg(replica, postgres_server) -> str:
    """One crawl of the replica into a fresh PostgreSQL database, shared like `crawled`."""
    url = postgres_server.create_database()
    tinhuy("crawl", "--base-url", replica[0], "--db", url, "--fast")
    return url
