"""What a job is: pure data that travels as JSON through the broker."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from typing import Any

# Where jobs wait (Redis lists of these names): crawls and re-extraction apart, so a
# worker can take one kind only and a long re-extraction does not hold up crawls.
CRAWL_QUEUE = "tinhuy.crawl"
REEXTRACT_QUEUE = "tinhuy.reextract"
QUEUES = (CRAWL_QUEUE, REEXTRACT_QUEUE)
# Redis's own default; a job's budget is capped well below it (tasks.py).
DEFAULT_VISIBILITY_TIMEOUT = 3600

# A crawl job stops after this many seconds and enqueues its continuation, so the
# broker's visibility timeout never hands a running job to a second worker.
DEFAULT_BUDGET = 20 * 60
# Articles per re-extraction chunk.
DEFAULT_CHUNK = 500
# Retries of a job that failed (not a budget stop, not a busy site) before it is
# recorded in the archive's job_failures.
DEFAULT_RETRIES = 3


def broker_url(value: str | None) -> str | None:
    """`--broker`, else $TINHUY_BROKER, else none."""
    return value or os.environ.get("TINHUY_BROKER") or None


@dataclass(frozen=True)
class SiteSpec:
    """A site a job names: a registered site (`like` None), or a site named `name`,
    served at `base_url`, with the URL shapes and layouts of registered site `like`.
    `base_url` None is the registered site's own address."""

    name: str
    base_url: str | None = None
    like: str | None = None


@dataclass(frozen=True)
class CrawlJob:
    """One bounded crawl of one site; `part` counts the continuations before it."""

    site: SiteSpec
    budget: int = DEFAULT_BUDGET
    full: bool = False
    fast: bool = False
    settings: tuple[str, ...] = ()
    retries: int = DEFAULT_RETRIES
    part: int = 1

    def continuation(self) -> CrawlJob:
        return replace(self, part=self.part + 1)


@dataclass(frozen=True)
class ReextractChunk:
    """Re-extraction of the articles of one site with ids in [first_id, last_id]."""

    site: SiteSpec
    first_id: int
    last_id: int
    since: str | None = None
    retries: int = DEFAULT_RETRIES


def to_wire(job: CrawlJob | ReextractChunk) -> dict[str, Any]:
    return asdict(job)


def crawl_job(data: dict[str, Any]) -> CrawlJob:
    return CrawlJob(
        **{**data, "site": SiteSpec(**data["site"]), "settings": tuple(data["settings"])}
    )


def reextract_chunk(data: dict[str, Any]) -> ReextractChunk:
    return ReextractChunk(**{**data, "site": SiteSpec(**data["site"])})
