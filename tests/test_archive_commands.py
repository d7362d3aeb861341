"""The archive's commands on real databases: search, reextract, db upgrade, bad input,
and a crawl of the replica into a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crawler import cli
from pipelines.archive.schema import SCHEMA_VERSION
from tests.helpers import ROOT, tinhuy

SEED_TITLE = "Đồng chí Phó Bí thư Thường trực Tỉnh ủy làm việc với Trường Chính trị tỉnh"


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a database (the backup API takes the WAL along)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def contents(db: Path) -> list[str]:
    # Closed here, not whenever the collector gets to it: an open connection to a
    # WAL database keeps its -wal and -shm files beside it.
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


@pytest.mark.parametrize("query", ["truong chinh tri", "Trường Chính trị", "TRƯỜNG CHÍNH TRỊ"])
def test_search_finds_the_seed_article_with_or_without_diacritics(crawled, query) -> None:
    out = tinhuy("search", query, "--db", str(crawled.db), "--limit", "3").stdout
    first = out.splitlines()[0]
    assert first.startswith("2021-04-01T09:15:00+07:00") and SEED_TITLE in first
    assert first.endswith("http://tinhuyhaiduong.vn/news/Pages/new.aspx?ItemID=3523")
    assert len(out.splitlines()) <= 3


def test_search_folds_d_and_finds_nothing_quietly(crawled) -> None:
    assert "Đảng" in tinhuy("search", "dang vien", "--db", str(crawled.db)).stdout
    assert tinhuy("search", "xyzzy", "--db", str(crawled.db)).stdout == ""


def test_reextract_repairs_every_tampered_article_without_a_request(
    crawled, replica, tmp_path
) -> None:
    db = copy_db(crawled.db, tmp_path / "old-extractor.db")
    # What an older extractor with a wrong title and author rule would have stored.
    with sqlite3.connect(db) as conn:
        right = dict(
            conn.execute(
                "SELECT id, title FROM articles WHERE author IS NOT NULL ORDER BY id LIMIT 6"
            ).fetchall()
        )
        marks = ",".join("?" * len(right))
        conn.execute(
            "UPDATE articles SET title = 'Tin tức', author = 'Quản trị viên' "
            f"WHERE id IN ({marks})",
            list(right),
        )
        conn.execute(
            "UPDATE article_versions SET title = 'Tin tức', content = json_set(content, "
            f"'$.title', 'Tin tức', '$.author', 'Quản trị viên') WHERE article_id IN ({marks})",
            list(right),
        )
    requests_before = len(replica[1].requests)
    out = tinhuy("reextract", "--db", str(db)).stdout
    assert len(replica[1].requests) == requests_before
    assert f"updated {len(right)}," in out and "unreadable 0" in out
    with sqlite3.connect(db) as conn:
        for article_id, title in right.items():
            row = conn.execute(
                "SELECT title, author, current_version FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            assert row[0] == title and row[1] != "Quản trị viên" and row[2] == 2
            versions = conn.execute(
                "SELECT version, title, raw_page_id FROM article_versions "
                "WHERE article_id = ? ORDER BY version",
                (article_id,),
            ).fetchall()
            assert [(v[0], v[1]) for v in versions] == [(1, "Tin tức"), (2, title)]
            assert versions[0][2] == versions[1][2], "the new version is read from the same page"
        untouched = conn.execute(
            f"SELECT count(*) FROM articles WHERE current_version != 1 AND id NOT IN ({marks})",
            list(right),
        ).fetchone()[0]
        assert untouched == 0
    assert "updated 0," in tinhuy("reextract", "--db", str(db)).stdout


def test_reextract_since_only_touches_later_articles(crawled, tmp_path) -> None:
    db = copy_db(crawled.db, tmp_path / "since.db")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET title = 'Tin tức'")
        later = conn.execute(
            "SELECT count(*) FROM articles WHERE published >= '2021-04-01'"
        ).fetchone()[0]
    out = tinhuy("reextract", "--since", "01/04/2021", "--db", str(db)).stdout
    assert f"updated {later}," in out
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute("SELECT count(*) FROM articles WHERE title = 'Tin tức'").fetchone()[0]
            == conn.execute(
                "SELECT count(*) FROM articles WHERE published < '2021-04-01'"
            ).fetchone()[0]
        )


def test_db_upgrade_brings_an_old_database_up_to_date(crawled, tmp_path) -> None:
    db = copy_db(crawled.db, tmp_path / "old.db")
    # A database of schema version 3: what later migrations add is not there.
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE article_signatures")
        conn.execute("DROP TABLE article_bands")
        conn.execute("DROP TABLE article_documents")
        conn.execute("DROP TABLE article_officials")
        conn.execute("ALTER TABLE crawl_runs DROP COLUMN summary")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 4")
    out = tinhuy("db", "upgrade", "--db", str(db)).stdout
    applied = ", ".join(str(v) for v in range(4, SCHEMA_VERSION + 1))
    assert out.strip() == (
        f"schema upgraded from version 3 to {SCHEMA_VERSION} (applied {applied})"
    )
    with sqlite3.connect(db) as conn:
        # The fact tables are filled from the facts the articles already hold.
        assert conn.execute("SELECT count(*) FROM article_documents").fetchone()[0] > 20
        assert conn.execute("SELECT count(summary) FROM crawl_runs").fetchone()[0] == 0
    assert tinhuy("db", "upgrade", "--db", str(db)).stdout.strip() == (
        f"schema up to date at version {SCHEMA_VERSION}"
    )
    # Signatures of the articles stored before them are made when a store first
    # needs the near-duplicate index: here, to save one repaired article.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET title = 'Tin tức' WHERE id = 1")
    assert "updated 1," in tinhuy("reextract", "--db", str(db)).stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM article_signatures").fetchone()[0] > 40
        unbanded = conn.execute(
            "SELECT count(*) FROM article_signatures s WHERE NOT EXISTS "
            "(SELECT 1 FROM article_bands b WHERE b.article_id = s.article_id)"
        ).fetchone()[0]
        assert unbanded == 0


COMMANDS = [["search", "x"], ["reextract"], ["db", "upgrade"]]


def assert_usage_error(done: subprocess.CompletedProcess, message: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tinhuy: ") and message in lines[0], lines
    assert done.stdout == ""


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("postgresql://user@:bad:port/x", "malformed database URL"),
        ("postgresql://tinhuy@127.0.0.1:1/none", "cannot open database"),
        ("mysql://localhost/x", "unsupported database"),
    ],
    ids=["malformed", "unreachable", "unsupported"],
)
def test_a_bad_db_is_a_one_line_error(command, db, message, tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *command, "--db", db],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert_usage_error(done, message)
    assert list(tmp_path.iterdir()) == [], "nothing written"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_newer_schema_is_refused_and_left_alone(command, crawled, tmp_path) -> None:
    db = copy_db(crawled.db, tmp_path / "newer.db")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
            (SCHEMA_VERSION + 1, "2030-01-01T00:00:00+07:00"),
        )
    before = contents(db)
    done = tinhuy(*command, "--db", str(db), check=False)
    assert_usage_error(done, "newer than this tinhuy-crawler")
    assert contents(db) == before


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_read_only_database_is_refused_and_left_alone(command, crawled, tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = copy_db(crawled.db, folder / "ro.db")
    before, files = contents(db), sorted(folder.iterdir())
    db.chmod(0o444)
    folder.chmod(0o555)
    # Root ignores permission bits; without its override capabilities it does not.
    drop = "-dac_override,-dac_read_search"
    prefix = (
        ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}"] if os.geteuid() == 0 else []
    )
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "crawler.cli", *command, "--db", str(db)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
    finally:
        folder.chmod(0o755)
    assert_usage_error(done, "read-only")
    assert sorted(folder.iterdir()) == files and contents(db) == before


def test_the_replica_crawled_into_postgresql_matches_the_sqlite_crawl(crawled, crawled_pg) -> None:
    engine = create_engine(crawled_pg)
    query = "SELECT article_key, title, duplicate_of IS NOT NULL FROM articles ORDER BY 1"
    count = "SELECT (SELECT count(*) FROM article_urls), (SELECT count(*) FROM article_versions)"
    try:
        with engine.connect() as conn:
            pg_rows = [tuple(r) for r in conn.execute(text(query))]
            pg_counts = tuple(conn.execute(text(count)).one())
    finally:
        engine.dispose()
    with sqlite3.connect(crawled.db) as conn:
        sqlite_rows = [tuple(r) for r in conn.execute(query)]
        sqlite_counts = conn.execute(count).fetchone()
    assert len(pg_rows) == len(sqlite_rows) > 40
    assert [(k, t, bool(d)) for k, t, d in pg_rows] == [(k, t, bool(d)) for k, t, d in sqlite_rows]
    assert pg_counts == sqlite_counts


@pytest.mark.parametrize("query", ["truong chinh tri", "Trường Chính trị"])
def test_search_on_postgresql(crawled_pg, query) -> None:
    first = tinhuy("search", query, "--db", crawled_pg).stdout.splitlines()[0]
    assert SEED_TITLE in first and first.startswith("2021-04-01T09:15:00+07:00")


# Phrases, diacritics and none, FTS5 and tsquery syntax, and queries without a word.
SAME_QUERIES = [
    '"truong chinh tri"', '"Trường Chính trị"', "Trường Chính trị", "truong chinh tri",
    "đảng bộ", "dang bo", "ĐẢNG BỘ", '"dang bo"', "tỉnh", "tỉnh ủy", "tỉnh -ủy", "-x",
    "NOT", "AND OR", "tỉnh AND OR ủy", "dang OR xyzzy", "a*", "tinh*", "NEAR(tỉnh ủy)",
    "title:tinh", "^dang", "bo <-> dang", "'dang'", "(", "&|!", '"', '""', "", "*",
]  # fmt: skip


def command(capsys, *argv: str) -> tuple[int, str, str]:
    """The real command line (`tinhuy ARGV`) in this process: no interpreter to start per query."""
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_search_and_dump_query_find_the_same_articles(backend, request, capsys) -> None:
    fixture = request.getfixturevalue("crawled" if backend == "sqlite" else "crawled_pg")
    db = str(fixture.db) if backend == "sqlite" else fixture
    found: dict[str, set[str]] = {}
    for query in SAME_QUERIES:
        # `--` and `=`: a query such as -x is not an option.
        searched = command(capsys, "search", "--db", db, "--limit", "1000", "--", query)
        dumped = command(
            capsys, "dump", "--out", "-", "--include-duplicates", f"--query={query}", "--db", db
        )
        if searched[0] != 0:
            # Nothing to search for: the same refusal from both, not a traceback.
            assert searched == dumped == (2, "", f"tinhuy: nothing to search for in {query!r}\n")
            continue
        assert dumped[0] == 0, (query, dumped)
        # A search hit's line ends with its URL; a dumped row holds it.
        found[query] = {line.split()[-1] for line in searched[1].splitlines()}
        rows = [json.loads(line) for line in dumped[1].splitlines()]
        assert found[query] == {row["canonical_url"] for row in rows}, query
    assert set(SAME_QUERIES) - set(found) == {"(", "&|!", '"', '""', "", "*"}
    # Quotes make a phrase: fewer articles than the same words anywhere.
    assert found['"truong chinh tri"'] == found['"Trường Chính trị"']
    assert found['"truong chinh tri"'] and found['"truong chinh tri"'] < found["truong chinh tri"]
    assert found['"dang bo"'] and found['"dang bo"'] < found["dang bo"]
    # Diacritics and đ are folded, case too.
    assert found["Trường Chính trị"] == found["truong chinh tri"]
    assert found["đảng bộ"] == found["dang bo"] == found["ĐẢNG BỘ"]
    # Operators are words to find or separators: `-` negates nothing, OR is a word.
    assert found["tỉnh -ủy"] == found["tỉnh ủy"] != set()
    assert found["dang OR xyzzy"] == found["NEAR(tỉnh ủy)"] == found["title:tinh"] == set()
    # `*` is no prefix: tinh* finds the word tinh (tỉnh, tính, tình once folded).
    assert found["tinh*"] == found["tỉnh"]


def test_reextract_and_upgrade_on_postgresql(crawled_pg) -> None:
    assert "updated 0," in tinhuy("reextract", "--db", crawled_pg).stdout
    assert "up to date" in tinhuy("db", "upgrade", "--db", crawled_pg).stdout
