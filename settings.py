"""Scrapy settings: polite defaults for a small government server.

`tinhuy crawl` reads these and overrides a few per run (`--db`, `--fast`);
`scrapy crawl provincial` reads them as they are (scrapy.cfg points here).
"""

import os

BOT_NAME = "tinhuy"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

CONTACT = os.environ.get("TINHUY_CONTACT", "tinhuy-crawler@localhost")
USER_AGENT = f"tinhuy-crawler/0.1 (archive of public news; contact: {CONTACT})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# TINHUY_DOWNLOAD_TIMEOUT: the fault tests make slow answers time out in seconds, not 30.
DOWNLOAD_TIMEOUT = int(os.environ.get("TINHUY_DOWNLOAD_TIMEOUT", "30"))
# Article pages are tens of kilobytes; anything near these sizes is not one.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retry n waits RETRY_BACKOFF_BASE * 2**(n-1) seconds, at most RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
# Scrapy starts this many asyncio tasks for the output of every response; the
# item pipelines are synchronous, so more than one buys nothing and the tasks
# cost 15% of a fast crawl's time (benchmarks/crawl.py: 10,000 articles in 77 s
# instead of 91 s).
CONCURRENT_ITEMS = 1
# No consoles: Scrapy's telnet console and its remote-control server (an HTTP server on
# localhost that runs code sent to it, announced by a job file in ~/.local/state) would be
# open during every crawl, and a killed crawl would leave its job file behind.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Before RedirectMiddleware (600) and MetaRefreshMiddleware (580) in the response
# path: off-site redirects and meta refreshes are reported instead of followed.
DOWNLOADER_MIDDLEWARES = {
    "crawler.spiders.middlewares.OffsiteRedirects": 650,
    "crawler.spiders.middlewares.KnownRedirects": 645,
    "crawler.spiders.middlewares.RedirectLoops": 640,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.spiders.middlewares.BackoffRetry": 550,
}

ITEM_PIPELINES = {
    "pipelines.components.CleanPipeline": 100,
    "pipelines.components.DatesPipeline": 200,
    "pipelines.components.FactsPipeline": 250,
    "pipelines.components.ValidatePipeline": 300,
    "pipelines.components.DedupPipeline": 400,
    "pipelines.components.StoragePipeline": 500,
}
LOG_FORMATTER = "crawler.spiders.logformatter.ShortLogFormatter"
LOG_LEVEL = "INFO"

# Where the archive lives: a path or SQLAlchemy URL; None means TINHUY_DB or data/tinhuy.db.
TINHUY_DB = None
# Worker processes that parse pages (crawler/spiders/workers.py); 0 parses in the crawl's
# own process, which a polite crawl of a slow server never waits on. --fast sets 1.
TINHUY_EXTRACT_WORKERS = 0
# Articles per database transaction.
TINHUY_BATCH_SIZE = 50
# Health checks (crawler/crawl/health.py): share of new/updated articles that must
# have a title, a published date and a 200+ character body, and the largest
# share of failed requests, before a crawl exits with code 3.
TINHUY_MIN_COVERAGE = 0.9
TINHUY_MAX_FAILED_SHARE = 0.1
