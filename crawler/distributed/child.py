"""A crawl job's crawl, in a process of its own: a fresh Scrapy reactor per job.

The child is `python -m crawler.commands.worker SITE_JSON crawl ...`: it makes the
job's site known (crawler/distributed/sites.py) and runs `tinhuy crawl` with the
job's options, a time budget (Scrapy's CLOSESPIDER_TIMEOUT) and the site's lock.
It dies with the worker that started it (PR_SET_PDEATHSIG), so a killed worker
leaves no crawl behind holding the site's lock.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from crawler.distributed.jobs import CrawlJob

CHILD_MODULE = "crawler.commands.worker"
PARENT_ENV = "TINHUY_JOB_PARENT"
# How a crawl that stopped before its end says why: its budget ran out, or it was
# asked to stop (a worker shutting down). Both leave the rest to a continuation.
STOPPED_EARLY = frozenset({"closespider_timeout", "closespider_pagecount", "shutdown"})
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Outcome:
    """How the crawl ended: its exit status (negative: the signal that killed it), the
    finish reason of its summary, and the line that says why it failed."""

    code: int
    finish_reason: str | None
    reason: str


def crawl_argv(job: CrawlJob, db: str, budget: int) -> list[str]:
    """The `tinhuy crawl` arguments of a job."""
    spec = job.site
    argv = ["crawl", "--site", spec.name, "--db", db, "--set", f"CLOSESPIDER_TIMEOUT={budget}"]
    if spec.base_url:
        argv += ["--base-url", spec.base_url]
    if job.full:
        argv.append("--full")
    if job.fast:
        argv.append("--fast")
    if spec.like:
        # Extraction workers are fresh interpreters that know registered sites only.
        argv += ["--set", "TINHUY_EXTRACT_WORKERS=0"]
    for setting in job.settings:
        argv += ["--set", setting]
    return argv


def run_crawl(job: CrawlJob, db: str, budget: int, grace: int) -> Outcome:
    """Run the job's crawl in a child process and wait for it (killed `grace` seconds
    past its budget: a crawl that does not stop must not outlive the job)."""
    with tempfile.TemporaryDirectory(prefix="tinhuy-job-") as tmp:
        summary = Path(tmp) / "summary.json"
        command = [
            sys.executable,
            "-m",
            CHILD_MODULE,
            json.dumps(asdict(job.site)),
            *crawl_argv(job, db, budget),
            "--summary-json",
            str(summary),
        ]
        with open(Path(tmp) / "stderr", "w+", encoding="utf-8", errors="replace") as err:
            child = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env={**os.environ, PARENT_ENV: str(os.getpid())},
                # Ctrl-C on a worker's terminal asks the worker to finish its jobs;
                # it must not reach the crawls themselves.
                start_new_session=True,
            )
            try:
                code = child.wait(timeout=budget + grace)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                return Outcome(
                    -signal.SIGKILL, None, f"still running {budget + grace} s after it started"
                )
            err.seek(0)
            said = [line for line in err.read().splitlines() if line.startswith("tinhuy: ")]
        finish = _finish_reason(summary)
    reason = said[-1].removeprefix("tinhuy: ") if said else _exit_reason(code, finish)
    return Outcome(code, finish, reason)


def _finish_reason(summary: Path) -> str | None:
    try:
        data: dict[str, Any] = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("finish_reason")


def _exit_reason(code: int, finish: str | None) -> str:
    if code < 0:
        return f"the crawl was killed by signal {signal.Signals(-code).name}"
    return f"the crawl exited {code}" + (f" ({finish})" if finish else "")


def die_with_parent() -> None:
    """In the child: be killed when the worker that started it dies, however it dies."""
    parent = int(os.environ.get(PARENT_ENV, "0"))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        # No prctl (not Linux): the crawl ends at its budget instead.
        pass
    if parent and os.getppid() != parent:
        # The worker died before the line above: nobody waits for this crawl.
        os._exit(1)
