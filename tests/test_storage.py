"""The store on plain lists of items: one row per article, every URL, every version."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pipelines import dedup
from pipelines.schema import SCHEMA_VERSION, article_urls, article_versions, articles
from pipelines.storage import TZ, StorageError, Store, open_engine

T0 = datetime(2021, 4, 22, 8, 0, tzinfo=TZ)


def item(url: str, body: str, title: str = "Tiêu đề", **extra: object) -> dict:
    return {
        "url": url,
        "canonical_url": dedup.canonical_url(url),
        "article_key": extra.pop("key", dedup.canonical_url(url)),
        "fingerprint": dedup.fingerprint(body),
        "title": title,
        "body": body,
        "published": "2021-04-01T09:15:00+07:00",
        "raw_body": f"<html><body><p>{body}</p></body></html>".encode(),
        **extra,
    }


@pytest.fixture()
def engine(tmp_path: Path):
    engine = open_engine(tmp_path / "a.db")
    yield engine
    engine.dispose()


def rows(engine, table):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def test_new_then_unchanged_updates_only_last_seen(engine) -> None:
    with Store(engine, "s") as store:
        assert store.save(item("https://a.vn/x-1.html", "Thân bài một."), T0).outcome == "new"
        later = T0 + timedelta(hours=1)
        assert (
            store.save(item("https://a.vn/x-1.html", "Thân bài một."), later).outcome == "unchanged"
        )
    [article] = rows(engine, articles)
    assert article["first_seen"] == T0 and article["last_seen"] == T0 + timedelta(hours=1)
    assert article["first_seen"].utcoffset() == timedelta(hours=7)
    [version] = rows(engine, article_versions)
    assert version["last_seen"] == T0 + timedelta(hours=1)


def test_changed_body_is_a_new_version_and_the_old_text_is_kept(engine) -> None:
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/x-1.html", "Bản đầu tiên."), T0)
        result = store.save(
            item("https://a.vn/x-1.html", "Bản đã sửa lại."), T0 + timedelta(days=1)
        )
    assert result.outcome == "updated"
    [article] = rows(engine, articles)
    assert article["body"] == "Bản đã sửa lại." and article["current_version"] == 2
    versions = rows(engine, article_versions)
    assert [v["body"] for v in versions] == ["Bản đầu tiên.", "Bản đã sửa lại."]
    assert all(v["raw_page_id"] for v in versions)


def test_same_body_under_another_key_is_one_article_with_both_urls(engine) -> None:
    with Store(engine, "s") as store:
        first = store.save(item("https://a.vn/a/x-1.html", "Cùng một thân bài."), T0)
        second = store.save(item("https://a.vn/b/y-2.html", "Cùng  một thân bài!"), T0)
    assert second.outcome == "duplicate" and second.article_id == first.article_id
    assert len(rows(engine, articles)) == 1
    assert [u["url"] for u in rows(engine, article_urls)] == [
        "https://a.vn/a/x-1.html",
        "https://a.vn/b/y-2.html",
    ]


def test_one_key_seen_under_two_urls_keeps_both(engine) -> None:
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/a/x-7.html", "Thân bài.", key="id:7"), T0)
        assert store.save(item("https://a.vn/b/x-7.html", "Thân bài.", key="id:7"), T0).outcome == (
            "unchanged"
        )
    assert len(rows(engine, articles)) == 1
    assert len(rows(engine, article_urls)) == 2


def test_uncommitted_batch_is_rolled_back_and_nothing_half_written(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "b.db")
    store = Store(engine, "s", batch_size=100)
    store.save(item("https://a.vn/x-1.html", "Một."), T0)
    store.close(commit=False)
    assert rows(engine, articles) == [] and rows(engine, article_urls) == []
    engine.dispose()


def test_naive_timestamps_are_refused(engine) -> None:
    with pytest.raises(Exception, match="timezone-aware"), Store(engine, "s") as store:
        store.save(item("https://a.vn/x-1.html", "Một."), datetime(2021, 4, 1, 9, 15))


def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_engine(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
            (SCHEMA_VERSION + 1, T0.isoformat()),
        )
    with pytest.raises(StorageError, match="newer than this tinhuy-crawler"):
        open_engine(path)


def test_malformed_url_and_unknown_backend_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="malformed"):
        open_engine("postgresql://user@:bad:port/x")
    with pytest.raises(StorageError, match="unsupported database"):
        open_engine("mysql://localhost/x")


def test_read_only_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    open_engine(path).dispose()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    # Root ignores permission bits; without its override capabilities it does not.
    drop = "-dac_override,-dac_read_search"
    prefix = (
        ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}"] if os.geteuid() == 0 else []
    )
    code = (
        "import sys; from pipelines.storage import open_engine, StorageError\n"
        "try: open_engine(sys.argv[1])\n"
        "except StorageError as e: print(e); sys.exit(7)\n"
    )
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent.parent,
            check=False,
        )
    finally:
        tmp_path.chmod(0o755)
    assert done.returncode == 7, done.stderr
    assert "read-only" in done.stdout
