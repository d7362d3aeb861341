"""Stored URLs are the site's: a crawl of the replica names images, related links and
fetched pages by the site's own origin, and a migration fixes archives written before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from crawler.sites import get_site
from pipelines.archive.engine import upgrade_database
from pipelines.archive.schema import MIGRATIONS, SCHEMA_VERSION
from pipelines.stages.identity import on_site_origin

SITE = get_site("haiduong")
# The version of the migration that moves links (migrations after it are idempotent).
MOVES_LINKS = next(i for i, m in enumerate(MIGRATIONS, 1) if m.__name__ == "_site_origin_links")


def cells_holding(db: Path, needle: str) -> list[tuple[str, str]]:
    """(table, column) of every cell of the archive whose text holds `needle`."""
    found = []
    with sqlite3.connect(db) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("articles_fts")
        ]
        for table in tables:
            for column in [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]:
                hits = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE instr(CAST({column} AS TEXT), ?) > 0",
                    (needle,),
                ).fetchone()[0]
                if hits:
                    found.append((table, column))
    return found


def stored_links(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        articles = {
            key: (json.loads(images or "null"), json.loads(related or "null"))
            for key, images, related in conn.execute(
                "SELECT article_key, images, related FROM articles"
            )
        }
        versions = {
            (key, version): (content["images"], content["related"])
            for key, version, content in (
                (key, version, json.loads(content))
                for key, version, content in conn.execute(
                    "SELECT a.article_key, v.version, v.content FROM article_versions v "
                    "JOIN articles a ON a.id = v.article_id"
                )
            )
        }
        pages = sorted(url for (url,) in conn.execute("SELECT url FROM raw_pages"))
    return {"articles": articles, "versions": versions, "pages": pages}


def test_a_crawl_of_the_replica_stores_every_url_under_the_site_origin(crawled, replica) -> None:
    base_url, _ = replica
    replica_origin = urlsplit(base_url).netloc
    assert cells_holding(crawled.db, replica_origin) == []
    links = stored_links(crawled.db)
    site = urlsplit(SITE.base_url).netloc
    images = [i["src"] for imgs, _ in links["articles"].values() for i in imgs or ()]
    related = [url for _, rel in links["articles"].values() for url in rel or ()]
    assert images and related and links["pages"]
    for url in [*images, *related, *links["pages"]]:
        assert urlsplit(url).netloc == site, url


def test_the_migration_moves_the_links_of_an_archive_written_before(
    crawled, replica, tmp_path
) -> None:
    base_url, _ = replica
    db = tmp_path / "old.db"
    with sqlite3.connect(crawled.db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    expected = stored_links(db)
    # As crawls wrote it before: the site's own links under the replica's origin, JSON
    # with escapes, and the schema version before the migration.
    site = SITE.base_url.rstrip("/")

    def old(value: str | None) -> str | None:
        if value is None:
            return None
        return json.dumps(json.loads(value.replace(site + "/", base_url + "/")))

    with sqlite3.connect(db) as conn:
        conn.create_function("old", 1, old)
        conn.execute("UPDATE articles SET images = old(images), related = old(related)")
        conn.execute("UPDATE article_versions SET content = old(content)")
        conn.execute("UPDATE raw_pages SET url = replace(url, ?, ?)", (site, base_url))
        conn.execute("DELETE FROM schema_migrations WHERE version >= ?", (MOVES_LINKS,))
    replica_origin = urlsplit(base_url).netloc
    assert {"images", "related", "content", "url"} <= {
        column for _, column in cells_holding(db, replica_origin)
    }
    applied = list(range(MOVES_LINKS, SCHEMA_VERSION + 1))
    assert upgrade_database(db) == (MOVES_LINKS - 1, applied)
    assert cells_holding(db, replica_origin) == []
    assert stored_links(db) == expected


def test_only_the_crawled_origin_and_the_site_hosts_are_moved() -> None:
    page = "http://127.0.0.1:8123/news/Pages/new.aspx?ItemID=7"
    moved = {
        "http://127.0.0.1:8123/upload/a.jpg?w=2#x": "http://tinhuyhaiduong.vn/upload/a.jpg?w=2#x",
        "https://www.tinhuyhaiduong.vn/a.jpg": "http://tinhuyhaiduong.vn/a.jpg",
    }
    kept = [
        "http://127.0.0.1:9999/upload/a.jpg",  # another server on that host
        "https://chinhphu.vn/a.jpg",
        "http://127.0.0.1:8123:80/a.jpg",  # malformed
    ]
    for url, site_url in moved.items():
        assert on_site_origin(url, page, SITE) == site_url
    for url in kept:
        assert on_site_origin(url, page, SITE) == url
