"""`tinhuy demo` and `scrapy crawl provincial`: the two ways in that need no options."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from crawler.mirror import serve
from tests.helpers import ROOT, tinhuy


def counts(db) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "article_urls", "article_versions")
        )


def test_demo_crawls_the_replica_and_a_second_demo_adds_no_row(tmp_path, manifest) -> None:
    db = tmp_path / "demo.db"
    first = tinhuy("demo", "--db", str(db))
    assert "serving the replica" in first.stdout
    stored = counts(db)
    originals = [a for a in manifest["articles"] if not a.get("same_as")]
    assert stored[0] == len(originals)
    assert f"{stored[0]} articles in sqlite:///{db}" in first.stdout
    for command in ("tinhuy dump --format jsonl", "tinhuy dump --format csv", "tinhuy browse"):
        assert command in first.stdout
    tinhuy("demo", "--db", str(db))
    assert counts(db) == stored


def test_scrapy_crawl_provincial_runs_the_same_spider(tmp_path) -> None:
    db = tmp_path / "scrapy.db"
    with serve() as (base_url, _site):
        subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", "site=haiduong",
             "-a", f"base_url={base_url}", "-s", f"TINHUY_DB={db}", "-s", "DOWNLOAD_DELAY=0",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
             "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    assert counts(db)[0] > 40
