"""Extraction in worker processes, so that a crawl uses more than one core.

A crawl is CPU-bound once the server is fast (a replica, a backfill): the
Scrapy engine, the pipelines and the database writes keep one core busy, and
extraction, a pure function of the page, can run beside them. Results are the
same as in-process extraction; with 0 workers (or on any worker failure) the
page is extracted in the crawl's own process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from crawler.extract import extract_article
from crawler.sites.base import SiteProfile

logger = logging.getLogger(__name__)


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; only the crawl itself decides
    # how to stop (Scrapy's graceful shutdown, which still needs the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ExtractorPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers start from a clean process that has imported
            # the extractor once, not from a fork of the running reactor.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crawler.extract", "crawler.sites"])
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_ignore_sigint
            )
        return self._pool

    async def extract(
        self,
        html: bytes,
        url: str,
        profile: SiteProfile | None,
        headers: Mapping[str, str],
    ) -> dict[str, Any]:
        if self.workers > 0:
            try:
                future = self._executor().submit(
                    extract_article, html, url, profile=profile, headers=dict(headers)
                )
                return await asyncio.wrap_future(future)
            except Exception as exc:
                logger.warning("extraction worker failed on %s (%s); extracting here", url, exc)
                self.close()
        return extract_article(html, url, profile=profile, headers=headers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
