"""Write failures are failures: a crawl into a database that cannot take more stops with
one line and exit 1, records the run as failed with the counts really stored, marks no
walk complete, and the next crawl, once there is room, stores everything it missed
without `--full`.

The disk is real: a tmpfs of a few megabytes (a full filesystem, `database or disk is
full`), and a file-size limit on the crawl process (the kernel refuses the write, `disk
I/O error`). Mounting needs root, as the PostgreSQL tests' set-up does.
"""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite
from tests.helpers import ROOT

ARTICLES = 150
FULL_DISK_BYTES = 2 * 1024 * 1024
FILE_LIMIT_BYTES = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_app(SyntheticSite(ARTICLES, seed=11, log_requests=False)) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def clean(site, tmp_path_factory) -> set[str]:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    assert crawl(site, db).returncode == 0
    return keys(db)


def crawl(base_url: str, db: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    def file_size_limit() -> None:
        # The kernel then fails the write with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--base-url", base_url,
         "--db", str(db), "--fast"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        preexec_fn=file_size_limit if limit else None,
    )  # fmt: skip


def keys(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {key for (key,) in conn.execute("SELECT article_key FROM articles")}


def last_run(db: Path) -> tuple[str, dict]:
    with sqlite3.connect(db) as conn:
        status, stats = conn.execute(
            "SELECT status, stats FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return status, json.loads(stats or "{}")


def walks_complete(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM listing_walks WHERE complete = 1").fetchone()[0]


def assert_one_line_failure(done: subprocess.CompletedProcess, db: Path, reason: str) -> None:
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert lines == [f"tinhuy: cannot write to {db}: {reason}"], done.stderr[-2000:]
    assert "FAILED" in done.stdout


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={FULL_DISK_BYTES}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"this test mounts a small tmpfs and needs root: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_stops_the_crawl_with_one_line_and_the_next_crawl_catches_up(
    site, clean, small_disk
) -> None:
    db = small_disk / "archive.db"
    done = crawl(site, db)
    assert_one_line_failure(done, db, "database or disk is full")
    stored = keys(db)
    assert 0 < len(stored) < len(clean)
    status, stats = last_run(db)
    assert status == "storage_error"
    # The counts are what the archive holds: the batch that failed was rolled back whole.
    assert stats.get("tinhuy/articles_new", 0) == len(stored)
    assert walks_complete(db) == 0
    # Room again: the next crawl, incremental, stores everything the failed one missed.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = crawl(site, db)
    assert again.returncode == 0, again.stderr[-2000:]
    assert keys(db) == clean


def test_a_refused_write_stops_the_crawl_and_loses_nothing(site, clean, tmp_path) -> None:
    db = tmp_path / "archive.db"
    done = crawl(site, db, limit=FILE_LIMIT_BYTES)
    assert_one_line_failure(done, db, "disk I/O error")
    stored = keys(db)
    assert 0 < len(stored) < len(clean)
    assert last_run(db)[0] == "storage_error"
    assert walks_complete(db) == 0
    again = crawl(site, db)
    assert again.returncode == 0, again.stderr[-2000:]
    assert keys(db) == clean
