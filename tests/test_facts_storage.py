"""Facts stored as rows that SQL can join and count, and `tinhuy facts --top`."""

from __future__ import annotations

import sqlite3

from tests.helpers import tinhuy

SEED_KEY = "id:3523"


def test_the_seed_facts_are_rows(crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        [article_id] = conn.execute(
            "SELECT id FROM articles WHERE article_key = ?", (SEED_KEY,)
        ).fetchone()
        documents = conn.execute(
            "SELECT doc_id, type, date, issuer, mentions FROM article_documents "
            "WHERE article_id = ?",
            (article_id,),
        ).fetchall()
        officials = dict(
            conn.execute(
                "SELECT name, position FROM article_officials WHERE article_id = ?",
                (article_id,),
            ).fetchall()
        )
    assert ("705/QĐ-TTg", "Quyết định", "2019-06-07", "Thủ tướng Chính phủ", 2) in documents
    assert officials["Lê Văn Hiệu"] == "Phó Bí thư Thường trực Tỉnh ủy"
    assert "Phạm Thị Hoài" not in officials


def test_fact_rows_match_the_json_lists_of_every_article(crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        per_json = conn.execute(
            "SELECT sum(json_array_length(documents)), sum(json_array_length(officials)) "
            "FROM articles"
        ).fetchone()
        rows = (
            conn.execute("SELECT count(*) FROM article_documents").fetchone()[0],
            conn.execute("SELECT count(*) FROM article_officials").fetchone()[0],
        )
    assert rows == per_json and rows[0] > 20 and rows[1] > 20


def test_top_documents_and_officials(crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        expected = conn.execute(
            "SELECT d.doc_id, count(DISTINCT d.article_id) AS n FROM article_documents d "
            "JOIN articles a ON a.id = d.article_id WHERE a.duplicate_of IS NULL "
            "GROUP BY d.doc_id ORDER BY n DESC, d.doc_id LIMIT 1"
        ).fetchone()
    out = tinhuy("facts", "--top", "documents", "--db", str(crawled.db), "--limit", "5").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["articles", "documents", "cited"]
    assert lines[1].split()[:2] == [str(expected[1]), expected[0]]
    assert len(lines) == 6

    named = tinhuy("facts", "--top", "officials", "--db", str(crawled.db)).stdout
    assert "Lê Văn Hiệu" in named

    recent = tinhuy("facts", "--top", "officials", "--since", "1/4/2021", "--db",
                    str(crawled.db)).stdout  # fmt: skip
    assert len(recent.splitlines()) <= len(named.splitlines())

    bad = tinhuy("facts", "--top", "documents", "--since", "hôm kia nữa", "--db",
                 str(crawled.db), check=False)  # fmt: skip
    assert bad.returncode == 2 and "not a date" in bad.stderr
