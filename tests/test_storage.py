"""The store on plain lists of items: one row per article, every URL, every version,
on SQLite and on a real PostgreSQL server (tests/postgres.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from crawler.text.dates import VN_TZ as TZ
from pipelines.archive import crawl_state, neardup
from pipelines.archive.engine import StorageError, open_engine, upgrade_database
from pipelines.archive.schema import (
    SCHEMA_VERSION,
    article_signatures,
    article_urls,
    article_versions,
    articles,
    crawl_runs,
    failed_fetches,
    schema_migrations,
)
from pipelines.archive.storage import Store
from pipelines.stages import identity

T0 = datetime(2021, 4, 22, 8, 0, tzinfo=TZ)


def item(url: str, body: str, title: str = "Tiêu đề", **extra: object) -> dict:
    return {
        "url": url,
        "canonical_url": identity.canonical_url(url),
        "article_key": extra.pop("key", identity.canonical_url(url)),
        "fingerprint": identity.fingerprint(body),
        "title": title,
        "body": body,
        "published": "2021-04-01T09:15:00+07:00",
        "raw_body": f"<html><body><p>{body}</p></body></html>".encode(),
        **extra,
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> str:
    """A fresh database of each backend, by its `--db` spelling."""
    if request.param == "sqlite":
        return str(tmp_path / "a.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture()
def engine(db: str):
    engine = open_engine(db)
    yield engine
    engine.dispose()


def rows(engine, table):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(*table.primary_key))]


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


def test_uncommitted_batch_is_rolled_back_and_nothing_half_written(engine) -> None:
    store = Store(engine, "s", batch_size=100)
    store.save(item("https://a.vn/x-1.html", "Một."), T0)
    store.close(commit=False)
    assert rows(engine, articles) == [] and rows(engine, article_urls) == []


def test_a_failing_item_leaves_the_rest_of_the_batch(engine) -> None:
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/x-1.html", "Một."), T0)
        with pytest.raises(KeyError):
            store.save({"url": "https://a.vn/x-2.html", "body": "Hai."}, T0)
        store.save(item("https://a.vn/x-3.html", "Ba."), T0)
    assert [a["body"] for a in rows(engine, articles)] == ["Một.", "Ba."]


def test_a_changed_author_is_a_new_version_but_new_related_links_are_not(engine) -> None:
    url = "https://a.vn/x-1.html"
    with Store(engine, "s") as store:
        store.save(item(url, "Thân bài.", author="A", related=["https://a.vn/y-2.html"]), T0)
        again = item(url, "Thân bài.", author="A", related=["https://a.vn/z-3.html"])
        assert store.save(again, T0 + timedelta(hours=1)).outcome == "unchanged"
        assert store.save(item(url, "Thân bài.", author="B"), T0).outcome == "updated"
    [article] = rows(engine, articles)
    assert article["author"] == "B" and article["current_version"] == 2
    assert [v["content"]["author"] for v in rows(engine, article_versions)] == ["A", "B"]


def test_json_fields_round_trip(engine) -> None:
    images = [{"src": "https://a.vn/a.jpg", "caption": "Toàn cảnh buổi làm việc"}]
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/x-1.html", "Một.", images=images, tags=["Đảng"]), T0)
    [article] = rows(engine, articles)
    assert article["images"] == images and article["tags"] == ["Đảng"]


REPORT = (
    "Chiều 31/3/2021, đồng chí Lê Văn Hiệu, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND "
    "tỉnh đã có buổi làm việc với Trường Chính trị tỉnh về kết quả thực hiện nhiệm vụ năm 2020 "
    "và phương hướng, nhiệm vụ năm 2021. Cùng dự có các đồng chí lãnh đạo Ban Tổ chức Tỉnh ủy, "
    "Văn phòng Tỉnh ủy và Sở Nội vụ. Năm 2020, nhà trường đã mở 45 lớp với hơn 3.600 học viên, "
    "trong đó có 12 lớp trung cấp lý luận chính trị - hành chính. Phát biểu kết luận, đồng chí "
    "Phó Bí thư Thường trực Tỉnh ủy ghi nhận, biểu dương những kết quả nhà trường đạt được."
)


def test_a_republication_with_a_new_paragraph_is_stored_and_linked(engine) -> None:
    republished = REPORT + "\n\nBài viết được đăng lại từ Cổng thông tin điện tử tỉnh."
    with Store(engine, "s") as store:
        original = store.save(item("https://a.vn/x-1.html", REPORT), T0)
        copy = store.save(item("https://a.vn/y-2.html", republished, title="Khác"), T0)
    assert copy.outcome == "new" and copy.duplicate_of == original.article_id
    first, second = rows(engine, articles)
    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["id"] and second["similarity"] >= 0.9
    assert len(rows(engine, article_signatures)) == 2


def test_the_earlier_publication_is_the_original_whatever_the_order(engine) -> None:
    later = REPORT + "\n\nBài viết được đăng lại từ Cổng thông tin điện tử tỉnh."
    with Store(engine, "s") as store:
        copy = store.save(item("https://a.vn/y-2.html", later, published="2021-04-03"), T0)
        original = store.save(item("https://a.vn/x-1.html", REPORT, published="2021-04-01"), T0)
    assert original.duplicate_of is None
    links = {a["id"]: a["duplicate_of"] for a in rows(engine, articles)}
    assert links == {copy.article_id: original.article_id, original.article_id: None}


def test_near_duplicate_index_is_rebuilt_from_stored_signatures(engine) -> None:
    with Store(engine, "s") as store:
        original = store.save(item("https://a.vn/x-1.html", REPORT), T0)
    edited = REPORT.replace("45 lớp", "46 lớp").replace("Chiều 31/3/2021", "Sáng 1/4/2021")
    with Store(engine, "s") as store:
        copy = store.save(item("https://a.vn/y-2.html", edited), T0)
    assert copy.duplicate_of == original.article_id


def test_search_index_folds_diacritics_and_d(engine) -> None:
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/x-1.html", REPORT, title="Làm việc với Trường Chính trị"), T0)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = (
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'truong chinh tri dong'"
            )
        else:
            query = (
                "SELECT article_id FROM articles_fts "
                "WHERE document @@ plainto_tsquery('simple', 'truong chinh tri dong')"
            )
        assert conn.execute(text(query)).scalars().all() == [1]


def test_naive_timestamps_are_refused(engine) -> None:
    with pytest.raises(Exception, match="timezone-aware"), Store(engine, "s") as store:
        store.save(item("https://a.vn/x-1.html", "Một."), datetime(2021, 4, 1, 9, 15))


def test_newer_schema_is_refused_with_a_clear_message(engine, db: str) -> None:
    with engine.begin() as conn:
        conn.execute(schema_migrations.insert().values(version=SCHEMA_VERSION + 1, applied_at=T0))
    with pytest.raises(StorageError, match="newer than this tinhuy-crawler"):
        open_engine(db)


def test_an_old_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE article_signatures")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 4")
    assert upgrade_database(path) == (3, list(range(4, SCHEMA_VERSION + 1)))
    assert upgrade_database(path) == (SCHEMA_VERSION, [])


def test_unreachable_server_is_a_one_line_error() -> None:
    with pytest.raises(StorageError, match="cannot open database") as raised:
        open_engine("postgresql://tinhuy@127.0.0.1:1/none")
    assert "\n" not in str(raised.value)


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
        "import sys; from pipelines.archive.engine import open_engine, StorageError\n"
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


def test_a_republication_is_found_among_many_articles_of_one_template(engine) -> None:
    """Three hundred reports that share most of a template's text make its band hashes
    common; the republication of one is still linked to it, by the bands that are its own,
    and no two reports are linked (their own parts differ)."""
    import random

    rng = random.Random(7)
    words = REPORT.split()

    def text(n_words: int) -> str:
        return " ".join(rng.choice(words) + str(rng.randrange(10_000)) for _ in range(n_words))

    template = text(200)
    bodies = [f"{template}\n\nBáo cáo số {n}: {text(60)}" for n in range(300)]
    with Store(engine, "s") as store:
        ids = [
            store.save(item(f"https://a.vn/r-{n}.html", body, key=f"id:{n}"), T0).article_id
            for n, body in enumerate(bodies)
        ]
        copy = store.save(
            item("https://a.vn/r-999.html", bodies[7] + "\n\nNguồn: Báo Hải Dương.", key="id:999"),
            T0,
        )
        shared = store.conn.exec_driver_sql(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM article_bands GROUP BY band_key) t"
        ).scalar()
    assert shared > neardup.COMMON_BAND, "the template must make some bands common"
    assert copy.duplicate_of == ids[7]
    assert all(r["duplicate_of"] is None for r in rows(engine, articles)[:300])


def test_the_run_after_a_killed_one_asks_for_the_related_links_it_left_behind(engine) -> None:
    """A run killed after storing an article and before the articles of its related list:
    an incremental crawl does not read stored articles again, so the next run gets those
    links from the archive. After a run that ended well there is nothing left behind."""
    first = crawl_state.start_run(engine, "s", T0)
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/1.html", "Một", related=["https://a.vn/9.html"]), T0)
    crawl_state.finish_run(engine, first, "finished", {}, T0 + timedelta(minutes=1))
    crawl_state.record_verdict(engine, first, "ok", {})
    assert crawl_state.related_left_behind(engine, "s") == set()
    crawl_state.start_run(engine, "s", T0 + timedelta(hours=1))  # then killed
    with Store(engine, "s") as store:
        store.save(
            item("https://a.vn/2.html", "Hai", related=["https://a.vn/3.html"]),
            T0 + timedelta(hours=1, minutes=1),
        )
    assert crawl_state.related_left_behind(engine, "s") == {"https://a.vn/3.html"}
    # The next run finds the killed one still `running` and marks it.
    crawl_state.start_run(engine, "s", T0 + timedelta(hours=2))
    with engine.connect() as conn:
        statuses = [r.status for r in conn.execute(select(crawl_runs).order_by(crawl_runs.c.id))]
    assert statuses == ["ok", "killed", "running"]


def test_a_failed_page_is_recorded_once_and_cleared_when_stored(engine) -> None:
    with Store(engine, "s") as store:
        store.record_failure("https://a.vn/4.html", "https://a.vn/4.html?x=1", "HTTP 500")
    with Store(engine, "s") as store:
        store.record_failure("https://a.vn/4.html", "https://a.vn/4.html?x=1", "timed out")
    assert crawl_state.failures_to_retry(engine, "s") == [
        ("https://a.vn/4.html?x=1", "https://a.vn/4.html")
    ]
    [row] = rows(engine, failed_fetches)
    assert (row["attempts"], row["reason"]) == (2, "timed out")
    with Store(engine, "s") as store:
        store.save(item("https://a.vn/4.html", "Bốn"), T0)
    assert rows(engine, failed_fetches) == []
    for _ in range(crawl_state.MAX_ATTEMPTS):
        with Store(engine, "s") as store:
            store.record_failure("https://a.vn/5.html", "https://a.vn/5.html", "HTTP 404")
    assert crawl_state.failures_to_retry(engine, "s") == []
    assert crawl_state.failures_to_retry(engine, "s", every=True) == [
        ("https://a.vn/5.html", "https://a.vn/5.html")
    ]
