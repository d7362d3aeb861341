"""`tinhuy worker` processes on one broker and one archive, for the distributed tests
and benchmark (tests/test_distributed.py, benchmarks/distributed.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.helpers import ROOT, tinhuy
from tests.redis_server import RedisServer

QUEUES = ("tinhuy.crawl", "tinhuy.reextract")


class Workers:
    """Worker processes started one by one, their logs in `root`."""

    def __init__(self, broker: RedisServer, db: str, root: Path, visibility: str) -> None:
        self.broker, self.db, self.root, self.visibility = broker, db, root, visibility
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int, *options: str) -> None:
        for _ in range(count):
            number = len(self.processes)
            command = [
                sys.executable, "-m", "crawler.cli", "worker",
                "--broker", self.broker.url, "--db", self.db,
                "--visibility-timeout", self.visibility,
                "--name", f"w{number}@test", "--log-level", "INFO", *options,
            ]  # fmt: skip
            with open(self.root / f"worker-{number}.log", "w") as log:
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
                )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                # Idle by now: a cold shutdown, nothing to wait for.
                process.send_signal(signal.SIGQUIT)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def logs(self) -> str:
        return "".join(p.read_text() for p in sorted(self.root.glob("worker-*.log")))

    def enqueue(self, *args: str) -> subprocess.CompletedProcess:
        return tinhuy("enqueue", "--broker", self.broker.url, *args)

    def wait_idle(self, sites: list[str], timeout: float = 240) -> None:
        """Until nothing waits or runs and every site's last run ended `ok`."""
        client = self.broker.client()
        engine = create_engine(self.db)
        deadline = time.monotonic() + timeout
        last: dict[str, str] = {}
        try:
            while time.monotonic() < deadline:
                try:
                    pending = sum(client.llen(q) for q in QUEUES) + client.hlen("unacked")
                except OSError:
                    pending = 1
                with engine.connect() as conn:
                    last = dict(
                        conn.execute(
                            text(
                                "SELECT site, status FROM crawl_runs WHERE id IN "
                                "(SELECT max(id) FROM crawl_runs GROUP BY site)"
                            )
                        ).all()
                    )
                if pending == 0 and all(last.get(site) == "ok" for site in sites):
                    return
                time.sleep(0.3)
        finally:
            engine.dispose()
        raise AssertionError(f"not idle after {timeout} s: {last}\n{self.logs()[-6000:]}")
