"""End-to-end crawl speed and memory on synthetic sites, and the cost of an incremental crawl.

    .venv/bin/python benchmarks/crawl.py --sizes 1000,10000,50000 [--db-url postgresql://...]

For each size N: `tinhuy mirror --synthetic N` in its own process, `tinhuy crawl --fast`
into a fresh SQLite file (or the PostgreSQL database of --db-url, emptied by the caller)
in another; then the site grows by 1% (`--synthetic N*1.01`, same seed: the same articles
plus the newest) and the same archive is crawled again. Reported per crawl: wall time,
articles stored per second, requests per second, the crawler's peak RSS and CPU time, and
the server's CPU time (it shares the machine's two cores with the crawler). `--fast` parses
pages in one worker process (crawler/workers.py): its peak RSS is reported beside the
crawler's, and the crawler's CPU time includes it (wait4 counts reaped children).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "crawler.cli"]
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    label: str
    n: int
    seconds: float
    stored: int
    requests: int
    rss_mb: float
    worker_rss_mb: float
    crawler_cpu: float
    server_cpu: float


class Server:
    """`tinhuy mirror --synthetic N` in a child process."""

    def __init__(self, n: int) -> None:
        self.proc = subprocess.Popen(
            [*CLI, "mirror", "--synthetic", str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        self.base_url = line.split(" at ")[-1].strip()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def crawl(label: str, n: int, db: str, server: Server, extra: list[str]) -> Result:
    import json

    summary = Path(tempfile.mkstemp(suffix=".json")[1])
    cpu_before = server.cpu_seconds()
    started = time.monotonic()
    command = [*CLI, "crawl", "--base-url", server.base_url, "--db", db, "--fast"]
    child = subprocess.Popen(
        [*command, "--summary-json", str(summary), *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # wait4: this child's own peak RSS and CPU, not a maximum over every child.
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    s = json.loads(summary.read_text())
    summary.unlink()
    if child.returncode not in (0, 3):
        raise SystemExit(f"crawl of {n} exited {child.returncode}")
    return Result(
        label=label,
        n=n,
        seconds=seconds,
        stored=s["new"] + s["duplicates"],
        requests=s["requests"],
        # The crawl's own VmHWM (ru_maxrss would carry this script's memory at fork).
        rss_mb=s["peak_rss_mb"],
        worker_rss_mb=sum(s["worker_peak_rss_mb"]),
        crawler_cpu=usage.ru_utime + usage.ru_stime,
        server_cpu=server.cpu_seconds() - cpu_before,
    )


def run_size(n: int, db: str) -> list[Result]:
    results = []
    server = Server(n)
    try:
        results.append(crawl("full", n, db, server, []))
    finally:
        server.stop()
    grown = n + max(1, n // 100)
    server = Server(grown)
    try:
        results.append(crawl("+1% incremental", grown, db, server, []))
    finally:
        server.stop()
    return results


def table(results: list[Result], backend: str) -> str:
    rows = [
        "| backend | articles | crawl | wall s | stored | articles/s | requests | requests/s "
        "| crawler peak RSS MB | worker peak RSS MB | crawler CPU s | server CPU s "
        "| ms/article | KB RSS/article |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        per_article = r.seconds * 1000 / r.stored if r.stored else 0
        rows.append(
            f"| {backend} | {r.n:,} | {r.label} | {r.seconds:.1f} | {r.stored:,} "
            f"| {r.stored / r.seconds:.0f} | {r.requests:,} | {r.requests / r.seconds:.0f} "
            f"| {r.rss_mb:.0f} | {r.worker_rss_mb:.0f} | {r.crawler_cpu:.1f} "
            f"| {r.server_cpu:.1f} | {per_article:.2f} "
            f"| {(r.rss_mb + r.worker_rss_mb) * 1024 / max(r.n, 1):.1f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--db-url", help="a PostgreSQL URL instead of fresh SQLite files")
    args = parser.parse_args(argv)
    print(f"command: {' '.join(['benchmarks/crawl.py', *(argv or sys.argv[1:])])}\n")
    backend = "postgresql" if args.db_url else "sqlite"
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            db = args.db_url or str(Path(tmp) / f"crawl-{n}.db")
            size_results = run_size(n, db)
            results.extend(size_results)
            full, incremental = size_results
            print(table(size_results, backend), flush=True)
            print(
                f"\nincremental after +1%: {incremental.requests:,} requests = "
                f"{incremental.requests / full.requests:.2%} of the full crawl's "
                f"{full.requests:,}\n",
                flush=True,
            )
    print(table(results, backend))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
