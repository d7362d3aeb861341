"""Extraction worker processes (crawler/workers.py): the same archive as without
them, and never a process left behind, however the crawl ends."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.helpers import tinhuy
from tests.test_incremental import (
    SLOW,
    article_count,
    clean_crawl,  # noqa: F401 (a fixture)
    crawl_process,
    stored_set,
    wait_for,
)

WORKERS = ["--set", "TINHUY_EXTRACT_WORKERS=1"]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    # A zombie is dead: it only waits for a parent that may never reap it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start_crawl(base_url: str, db: Path) -> subprocess.Popen:
    return crawl_process(base_url, db, *SLOW, *WORKERS, new_session=True)


def test_a_crawl_without_workers_stores_what_one_with_them_stores(
    tmp_path,
    replica,
    clean_crawl,  # noqa: F811
) -> None:
    db = tmp_path / "inprocess.db"
    base_url = replica[0]
    # clean_crawl ran with --fast, which parses in one worker.
    tinhuy(
        "crawl", "--base-url", base_url, "--db", str(db), "--fast",
        "--set", "TINHUY_EXTRACT_WORKERS=0",
    )  # fmt: skip
    assert stored_set(db) == clean_crawl


def test_workers_die_with_a_crawl_killed_by_sigkill(tmp_path, replica) -> None:
    db = tmp_path / "killed.db"
    base_url = replica[0]
    victim = start_crawl(base_url, db)
    wait_for(lambda: article_count(db) >= 3)
    workers = children(victim.pid)
    assert workers, "the crawl parses in a worker process"
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)


def test_workers_end_with_a_crawl_interrupted_by_ctrl_c(tmp_path, replica) -> None:
    db = tmp_path / "interrupted.db"
    base_url = replica[0]
    crawl = start_crawl(base_url, db)
    wait_for(lambda: article_count(db) >= 3)
    workers = children(crawl.pid)
    assert workers
    # Ctrl-C signals the whole foreground group: the workers ignore it, the
    # crawl finishes what is in flight, stores it and shuts them down.
    os.killpg(crawl.pid, signal.SIGINT)
    _out, err = crawl.communicate(timeout=60)
    assert "Traceback" not in err, err
    # The workers were joined; multiprocessing's resource tracker ends when
    # the crawl's end closes its pipe.
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)
    stored = article_count(db)
    assert stored >= 3


def test_a_crawl_whose_worker_dies_finishes_in_its_own_process(
    tmp_path,
    replica,
    clean_crawl,  # noqa: F811
) -> None:
    db = tmp_path / "broken.db"
    base_url = replica[0]
    crawl = start_crawl(base_url, db)
    wait_for(lambda: article_count(db) >= 3)
    for pid in children(crawl.pid):
        os.kill(pid, signal.SIGKILL)
    _out, err = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, err
    assert "extracting in the crawl's process" in err
    assert stored_set(db) == clean_crawl
