"""Extraction in worker processes, so that a fast crawl uses a second core.

Scrapy runs the spider, the pipelines and the archive's writes on one thread,
and on a local server a crawl is bound by that one core. Parsing a page is the
largest piece of the work that needs nothing but the page: with
`TINHUY_EXTRACT_WORKERS` = N > 0 (`tinhuy crawl --fast` sets 1) the spider
sends each page to one of N worker processes and handles other responses
while it waits for the fields.

A crawl must stay safe to kill, so the workers never outlive it:
- they ignore SIGINT and SIGTERM (Ctrl-C and systemd signal the whole group;
  the crawl decides how to stop, finishes what is in flight and shuts the
  workers down);
- on Linux each asks the kernel to SIGKILL it when the crawl dies, however
  the crawl dies (PR_SET_PDEATHSIG), and exits at once if the crawl died
  before it could ask.
A broken pool (a worker killed by the OOM killer, say) is not fatal: the page
is extracted in the crawl's own process, and so is every later one.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from crawler.crawl.memory import peak_rss_mb
from crawler.extract import extract_article
from crawler.sites import get_site
from crawler.sites.base import Site

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def _start_worker(crawl_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        # No prctl (not Linux): a worker whose crawl is gone fails on its
        # closed pipe at the next task instead.
        pass
    if os.getppid() != crawl_pid:
        os._exit(1)


def _extract(body: bytes, url: str, site: str | None, headers: dict[str, str]) -> dict:
    return extract_article(
        body, url, site=get_site(site) if site else None, headers=headers
    )


class ExtractionPool:
    """`extract_article` in worker processes (spawned: a fresh interpreter each,
    never a fork of the running reactor and its threads)."""

    def __init__(self, workers: int) -> None:
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    async def extract(
        self, body: bytes, url: str, site: Site | None, headers: Mapping[str, str]
    ) -> dict[str, Any]:
        name = site.name if site else None
        if self._pool is not None:
            try:
                future = self._pool.submit(_extract, body, url, name, dict(headers))
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                # Every page in flight meets the broken pool: one warning says it.
                if self._pool is not None:
                    log.warning("extraction workers died; extracting in the crawl's process")
                self._pool = None
        return _extract(body, url, name, dict(headers))

    def peak_rss_mb(self) -> list[float]:
        """Each live worker's peak resident memory (MB)."""
        return [peak_rss_mb(p.pid) for p in multiprocessing.active_children() if p.pid]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
