"""Scrapy's own feed exports (`scrapy crawl provincial -O articles.jsonl|.csv`, FEEDS):
one record per article with the fields of `tinhuy dump`, never raw bytes nor the
spider's internal records. A real crawl of the replica, compared with the dump of the
archive it wrote."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.model import DUMP_FIELDS
from pipelines.archive.dump.cells import neutralize
from pipelines.archive.dump.writers import csv_cell
from tests.helpers import ROOT, tinhuy

# What can change after an article's record left for the feed (it is written while the
# crawl runs): URLs met later join the article, a later sighting moves `last_seen`, and
# an earlier publication stored later becomes the original it near-duplicates.
LATER = ("urls", "last_seen", "duplicate_of", "similarity")


def scrapy_crawl(base_url: str, db: Path, *feed_args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", "site=haiduong",
         "-a", f"base_url={base_url}", "-s", f"TINHUY_DB={db}", "-s", "DOWNLOAD_DELAY=0",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
         "-s", "LOG_LEVEL=WARNING", *feed_args],
        cwd=ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def dumped(db: Path) -> dict[int, dict]:
    """Every stored article, near-duplicates too, as `tinhuy dump` writes it."""
    out = tinhuy("dump", "--out", "-", "--include-duplicates", "--db", str(db)).stdout
    return {row["id"]: row for row in map(json.loads, out.splitlines())}


@pytest.fixture(scope="module")
def feeds(replica, tmp_path_factory) -> tuple[Path, Path, Path]:
    """One crawl with `-O` to JSONL and CSV: (database, jsonl, csv)."""
    folder = tmp_path_factory.mktemp("feeds")
    db, jsonl, table = folder / "feed.db", folder / "articles.jsonl", folder / "articles.csv"
    scrapy_crawl(replica[0], db, "-O", str(jsonl), "-O", str(table))
    return db, jsonl, table


def test_a_jsonl_feed_holds_one_dump_record_per_article(feeds) -> None:
    db, jsonl, _ = feeds
    text = jsonl.read_text("utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    stored = dumped(db)
    assert sorted(r["id"] for r in records) == sorted(stored), "each article once, nothing else"
    for record in records:
        assert list(record) == list(DUMP_FIELDS)
        expected = stored[record["id"]]
        assert set(record["urls"]) <= set(expected["urls"])
        if record["canonical_url"] != expected["canonical_url"]:
            # An exact re-post stored before its original, which then took the row over
            # (pipelines/archive/storage.py): the same body, under the re-post's URL.
            assert record["body"] == expected["body"]
            continue
        for name in DUMP_FIELDS:
            if name not in LATER:
                assert record[name] == expected[name], (record["id"], name)
    # Vietnamese as written, not \u escapes.
    assert "Tỉnh ủy" in text and "\\u" not in text


def test_a_csv_feed_has_the_cells_of_the_dump(feeds) -> None:
    db, _, table = feeds
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stored = dumped(db)
    assert sorted(int(r["id"]) for r in rows) == sorted(stored)
    assert list(rows[0]) == list(DUMP_FIELDS)
    for row in rows:
        expected = stored[int(row["id"])]
        if row["canonical_url"] != expected["canonical_url"]:
            # A re-post taken over by its original, as in the JSONL test above.
            assert row["body"] == neutralize(csv_cell("body", expected["body"]))
            continue
        for name in ("title", "published", "body", "images", "documents", "officials", "tags"):
            assert row[name] == neutralize(csv_cell(name, expected[name])), (row["id"], name)


def test_feeds_set_in_the_settings_get_the_same_records(replica, feeds, tmp_path) -> None:
    out = tmp_path / "from-settings.jsonl"
    setting = json.dumps({str(out): {"format": "jsonlines"}})
    scrapy_crawl(replica[0], tmp_path / "other.db", "-s", f"FEEDS={setting}")
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    first = [json.loads(line) for line in feeds[1].read_text("utf-8").splitlines()]
    # By body: an exact re-post met before its original names the record by the URL met
    # first, which the order of a crawl decides; no two articles share a body.
    assert list(records[0]) == list(DUMP_FIELDS)
    assert sorted(r["body"] for r in records) == sorted(r["body"] for r in first)
    assert len({r["id"] for r in records}) == len(records) == len(dumped(tmp_path / "other.db"))
