"""End to end: the real Scrapy engine and pipelines crawl the replica over HTTP
into a real SQLite file, checked against the replica's manifest."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from urllib.parse import urlsplit

from crawler.sites import get_site
from crawler.sites.urls import canonical_url, site_url
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


def stored_urls(paths: list[str]) -> set[str]:
    """What the archive keeps for an article linked under `paths`: each spelling on the
    site's origin, and the site's canonical form."""
    urls = [HD.base_url + path for path in paths]
    return {site_url(u, HD) for u in urls} | {canonical_url(urls[0], HD)}


def test_every_article_of_the_replica_is_stored_exactly_once(crawled, manifest) -> None:
    rows, expected = stored(crawled.db), expected_articles(manifest)
    assert sorted(rows) == sorted(expected)
    for key, article in expected.items():
        assert rows[key]["urls"] == stored_urls(article["urls"]), key


def test_one_article_whatever_category_or_path_case_reached_it(crawled, manifest) -> None:
    rows = stored(crawled.db)
    three = [
        a for a in manifest["articles"]
        if {u.split("?")[1].split("&")[0] for u in a["urls"]} >= {"ItemID=" + a["id"]}
        and any("/news/pages/" in u for u in a["urls"]) and any("CateID=" in u for u in a["urls"])
    ]  # fmt: skip
    assert three, "the replica must link an article with and without CateID, in both cases"
    for article in three:
        item = article["id"]
        row = rows[f"id:{item}"]
        assert row["canonical_url"] == f"http://tinhuyhaiduong.vn/news/Pages/new.aspx?ItemID={item}"
        for path in (
            f"/news/Pages/new.aspx?ItemID={item}",
            f"/news/pages/new.aspx?ItemID={item}",
            next(u for u in article["urls"] if "CateID=" in u),
        ):
            assert f"http://tinhuyhaiduong.vn{path}" in row["urls"], (item, path)


def test_the_article_under_two_categories_is_one_row_with_both_urls(crawled, manifest) -> None:
    rows = stored(crawled.db)
    two = manifest["cases"]["two_category_urls"]
    [article] = [a for a in manifest["articles"] if a["id"] == two]
    categories = {u for u in article["urls"] if "CateID=" in u}
    assert len(categories) == 2
    assert {HD.base_url + u for u in categories} <= rows[f"id:{two}"]["urls"]


def test_introduction_pages_are_keyed_apart_from_news(crawled, manifest) -> None:
    rows = stored(crawled.db)
    for item in manifest["cases"]["introduction_pages"]:
        number = item.removeprefix("about-")
        assert rows[f"id:{item}"]["canonical_url"] == (
            f"http://tinhuyhaiduong.vn/province/Pages/about.aspx?CateID=2&ItemID={number}"
        )


def test_a_unit_alone_on_the_author_line_is_a_unit_not_a_person(crawled, manifest) -> None:
    rows = stored(crawled.db)
    for item in manifest["cases"]["unit_only_author"]:
        assert (rows[f"id:{item}"]["author"], rows[f"id:{item}"]["author_unit"]) == (None, "VPTU")


def test_no_external_or_non_article_page_is_stored(crawled, manifest) -> None:
    ids = {a["id"] for a in manifest["articles"]}
    for row in stored(crawled.db).values():
        for url in row["urls"]:
            assert urlsplit(url).netloc == "tinhuyhaiduong.vn"
            assert HD.article_id(url) in ids, url


def test_every_request_stayed_on_the_replica(crawled, manifest) -> None:
    known = {p["url"] for p in manifest["pages"]}
    served = {path for path, _status in crawled.requests}
    assert served - known <= {"/robots.txt"}


def test_fields_match_the_manifest(crawled, manifest) -> None:
    rows, expected = stored(crawled.db), expected_articles(manifest)
    for key, article in expected.items():
        row = rows[key]
        fields = ("title", "published", "author", "author_unit", "source", "category")
        got = {f: row[f] for f in fields}
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
        for field in (
            "title", "body", "published", "author", "author_unit", "source", "lead", "category",
        ):  # fmt: skip
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


def test_a_fresh_crawl_fetches_each_article_once(crawled) -> None:
    # Other spellings met while the page is fetched are recorded with it, not fetched.
    assert "unchanged 0," in crawled.output.stdout
    fetched = Counter(
        HD.article_id(HD.base_url + path)
        for path, _status in crawled.requests
        if HD.is_article_url(HD.base_url + path)
    )
    assert fetched and set(fetched.values()) == {1}, fetched.most_common(3)
