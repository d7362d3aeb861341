"""Identity does not depend on arrival order: the same site crawled twice, once with
16 requests at a time and a parsing worker, once with 2 at a time, first in first out and
no worker, gives the same archive: the same articles under the same canonical URLs, with
the same URL sets, fields and duplicate links (row ids aside, which follow insertion).

The site has articles in two categories (two listing URLs each), redirect chains (an
article's listed URL, two hops, then its final URL), exact reposts and near duplicates.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.mirror import serve_app
from crawler.replica.synthetic import SyntheticSite
from tests.helpers import ROOT

ARTICLES = 250
# Crawl times, and the row ids that follow the order rows were inserted in.
VARYING = ("id", "first_seen", "last_seen")
ORDERS = {
    "wide": ["--fast"],
    "narrow_fifo": [
        "--fast",
        "--set", "CONCURRENT_REQUESTS=2",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        "--set", "TINHUY_EXTRACT_WORKERS=0",
        "--set", "SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue",
        "--set", "DEPTH_PRIORITY=1",
    ],
}  # fmt: skip


def dump(db: Path) -> list[str]:
    """The archive as JSONL lines without crawl times and ids, duplicate links by URL."""
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "dump", "--db", str(db), "--format", "jsonl",
         "--include-duplicates", "--out", "-"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    url_of = {row["id"]: row["canonical_url"] for row in rows}
    out = []
    for row in rows:
        row["duplicate_of"] = url_of.get(row["duplicate_of"])
        out.append(json.dumps({k: v for k, v in row.items() if k not in VARYING}, sort_keys=True))
    return sorted(out)


def crawl(base_url: str, db: Path, options: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--base-url", base_url,
         "--db", str(db), *options],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> dict[str, list[str]]:
    tmp = tmp_path_factory.mktemp("order")
    # Seed 10: 3 near duplicates, 3 exact reposts, 7 two-category articles, 18 redirects.
    site = SyntheticSite(ARTICLES, seed=10, faults={"redirect": 0.08}, log_requests=False)
    with serve_app(site) as base_url:
        # Both crawls at once, each into its own archive: the site answers each alike.
        crawls = {
            name: crawl(base_url, tmp / f"{name}.db", options) for name, options in ORDERS.items()
        }
        for name, running in crawls.items():
            _out, err = running.communicate(timeout=300)
            assert running.returncode == 0, (name, err[-2000:])
    return {name: dump(tmp / f"{name}.db") for name in ORDERS}


def test_the_site_has_what_makes_order_matter(dumps) -> None:
    rows = [json.loads(line) for line in dumps["wide"]]
    assert sum(len(r["urls"]) >= 4 for r in rows) >= 10  # redirect chains, two categories
    assert any(r["duplicate_of"] for r in rows)


def test_two_crawls_in_different_orders_store_the_same_archive(dumps) -> None:
    wide, narrow = dumps["wide"], dumps["narrow_fifo"]
    only_wide = sorted(set(wide) - set(narrow))
    only_narrow = sorted(set(narrow) - set(wide))
    assert not only_wide and not only_narrow, (only_wide[:2], only_narrow[:2])
