"""End to end: the real Scrapy engine and pipelines crawl the replica over HTTP
into a real SQLite file, checked against the replica's manifest."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

from crawler.sites import get_site
from crawler.sites.urls import canonical_url
from tests.helpers import tinhuy

HD = get_site("haiduong")
SEED_TITLE = "Đồng chí Phó Bí thư Thường trực Tỉnh ủy làm việc với Trường Chính trị tỉnh"


def stored(db) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM articles")}
        for article_id, url in conn.execute("SELECT article_id, url FROM article_urls"):
            rows[article_id].setdefault("urls", set()).add(url)
    return {r["article_key"]: r for r in rows.values()}


def expected_articles(manifest) -> dict[str, dict]:
    """Manifest articles keyed like the store, exact re-posts folded into their original."""
    articles = {a["id"]: dict(a, urls=set(a["urls"])) for a in manifest["articles"]}
    for a in manifest["articles"]:
        if a.get("same_as"):
            articles[a["same_as"]]["urls"] |= set(a["urls"])
            del articles[a["id"]]
    return {f"id:{i}": a for i, a in articles.items()}


def site_url(path: str) -> str:
    return canonical_url(HD.base_url + path, HD)


def test_every_article_of_the_replica_is_stored_exactly_once(crawled, manifest) -> None:
    rows, expected = stored(crawled.db), expected_articles(manifest)
    assert sorted(rows) == sorted(expected)
    for key, article in expected.items():
        assert rows[key]["urls"] == {site_url(u) for u in article["urls"]}, key


def test_the_article_under_two_categories_is_one_row_with_both_urls(crawled, manifest) -> None:
    rows = stored(crawled.db)
    multi = [a for a in manifest["articles"] if len(a["urls"]) > 1]
    assert multi, "the replica must serve one article under two URLs"
    for article in multi:
        assert len(rows[f"id:{article['id']}"]["urls"]) == len(article["urls"])


def test_no_external_or_non_article_page_is_stored(crawled, manifest) -> None:
    article_pages = {p["url"] for p in manifest["pages"] if p["kind"] == "article"}
    for row in stored(crawled.db).values():
        for url in row["urls"]:
            parts = urlsplit(url)
            assert parts.netloc == "haiduong.dcs.vn"
            assert parts.path in article_pages


def test_every_request_stayed_on_the_replica(crawled, manifest) -> None:
    known = {p["url"] for p in manifest["pages"]}
    served = {path for path, _status in crawled.requests}
    assert served - known <= {"/robots.txt"}


def test_fields_match_the_manifest(crawled, manifest) -> None:
    rows, expected = stored(crawled.db), expected_articles(manifest)
    for key, article in expected.items():
        row = rows[key]
        got = {f: row[f] for f in ("title", "published", "author", "author_unit", "category")}
        want = {f: article[f] for f in got}
        assert got == want, key


def test_the_seed_article(crawled) -> None:
    [seed] = [r for r in stored(crawled.db).values() if r["title"] == SEED_TITLE]
    assert seed["published"] == "2021-04-01T09:15:00+07:00"
    assert (seed["author"], seed["author_unit"]) == ("Phạm Thị Hoài", "VPTU")
    assert seed["body"].startswith("Chiều 31/3/2021, đồng chí Lê Văn Hiệu")
    assert seed["body"].endswith("đội ngũ cán bộ, công chức, viên chức tỉnh.")
    assert json.loads(seed["captions"]) == ["Toàn cảnh buổi làm việc"]
    for chrome in (
        "Toàn cảnh buổi làm việc",
        "Xem với cỡ chữ",
        "CÁC BÀI VIẾT KHÁC",
        "Phạm Thị Hoài",
    ):
        assert chrome not in seed["body"]


def test_the_seed_article_facts_are_stored(crawled) -> None:
    [seed] = [r for r in stored(crawled.db).values() if r["title"] == SEED_TITLE]
    assert (seed["event_date"], seed["event_part_of_day"]) == ("2021-03-31", "chiều")
    documents = {d["doc_id"]: d for d in json.loads(seed["documents"])}
    decision = documents["705/QĐ-TTg"]
    assert (decision["date"], decision["issuer"], decision["count"]) == (
        "2019-06-07",
        "Thủ tướng Chính phủ",
        2,
    )
    people = {p["name"]: p["position"] for p in json.loads(seed["officials"])}
    assert people["Lê Văn Hiệu"] == "Phó Bí thư Thường trực Tỉnh ủy"
    assert "Phạm Thị Hoài" not in people


def test_related_titles_stay_out_of_bodies(crawled, manifest) -> None:
    titles = {a["title"] for a in manifest["articles"]}
    for row in stored(crawled.db).values():
        for title in titles - {row["title"]}:
            assert title not in row["body"], (row["title"], title)


def test_a_second_crawl_adds_no_row(crawled, replica) -> None:
    before = stored(crawled.db)
    with sqlite3.connect(crawled.db) as conn:
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    tinhuy("crawl", "--base-url", replica[0], "--db", str(crawled.db), "--fast")
    after = stored(crawled.db)
    assert sorted(after) == sorted(before)
    assert all(after[k]["urls"] == before[k]["urls"] for k in before)
    with sqlite3.connect(crawled.db) as conn:
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == versions


def test_dump_jsonl_reads_back_every_stored_article(crawled, tmp_path) -> None:
    out = tmp_path / "articles.jsonl"
    tinhuy(
        "dump", "--format", "jsonl", "--out", str(out), "--db", str(crawled.db),
        "--include-duplicates",
    )  # fmt: skip
    lines = out.read_text(encoding="utf-8").splitlines()
    dumped = {d["id"]: d for d in map(json.loads, lines)}
    rows = {r["id"]: r for r in stored(crawled.db).values()}
    assert sorted(dumped) == sorted(rows)
    for article_id, row in rows.items():
        d = dumped[article_id]
        assert set(d["urls"]) == row["urls"]
        for field in ("title", "body", "published", "author", "author_unit", "lead", "category"):
            assert d[field] == row[field], (article_id, field)
        assert d["captions"] == json.loads(row["captions"])
        assert d["first_seen"].endswith("+07:00")


def test_dump_to_stdout_and_bad_input(crawled, tmp_path) -> None:
    done = tinhuy("dump", "--format", "jsonl", "--out", "-", "--db", str(crawled.db))
    originals = [r for r in stored(crawled.db).values() if r["duplicate_of"] is None]
    assert len(done.stdout.splitlines()) == len(originals)
    bad = tinhuy(
        "dump",
        "--format",
        "xml",
        "--out",
        str(tmp_path / "x"),
        "--db",
        str(crawled.db),
        check=False,
    )
    assert bad.returncode == 2 and "unknown format" in bad.stderr
    assert not (tmp_path / "x").exists()
    nowhere = tinhuy(
        "dump", "--out", str(tmp_path / "no" / "x.jsonl"), "--db", str(crawled.db), check=False
    )
    assert nowhere.returncode == 2 and "no such directory" in nowhere.stderr
